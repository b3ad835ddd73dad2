"""Nudge planning at database speed (issue #16): the narrow storage methods it
uses, on SQLite and PostgreSQL, and the planner's grouped outcomes member by
member (a slot group shares one computation; the silence count stays each
member's own)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

from bot.assembly import build_core
from bot.features.nudges.planning import PlanPass, plan_nudges, plan_slot
from bot.features.nudges.ports import GroupNudge, GroupPlan, MemberSet
from bot.features.nudges.routes import NudgeKey
from bot.model import Cadence, NudgePrefs
from bot.ports import DeliveryStatus
from bot.scheduled import WorkCtx
from bot.testing import FixedClock
from bot.working_days import WorkingDays
from config.catalog_loader import default_catalog_path, load_catalog
from storage import SqlStore
from tests.test_storage import T0, alice, enabled, new_member, nudge

WEEK = timedelta(days=7)
PENDING = DeliveryStatus.PENDING
MINUTE = timedelta(minutes=1)


async def test_due_nudge_groups_read_what_due_for_nudge_reads(store: SqlStore) -> None:
    late = await new_member(store, alice(1), **enabled(T0 - timedelta(hours=1)))
    paused = NudgePrefs(True, 2, "18:00", date(2026, 4, 1), Cadence.MONTHLY, 4)
    early = await new_member(
        store, alice(2), nudge=paused, next_nudge_at=T0 - timedelta(days=1), tz="Europe/Berlin"
    )
    await new_member(store, alice(3), **enabled(T0 + timedelta(seconds=1)))  # not yet due
    await new_member(store, alice(4), unreachable=True, **enabled(T0))
    twin = await new_member(store, alice(5), **enabled(T0 - timedelta(hours=1)))
    async with store.unit() as uow:
        full = await uow.members.due_for_nudge(T0, 10)
        (run,) = await uow.members.due_nudge_runs(T0, 10, per=10)
        (oldest,) = await uow.members.due_nudge_runs(T0, 1, per=5)
        singles = await uow.members.due_nudge_runs(T0, 10, per=1)
        groups = await uow.members.due_nudge_groups(T0, run)
        assert await uow.members.due_nudge_groups(T0, MemberSet("[]")) == []
    assert sorted(json.loads(run)) == [late.id, early.id, twin.id]  # in id order, by run
    assert json.loads(oldest) == [early.id]  # the oldest first
    assert [json.loads(one) for one in singles] == [[late.id], [early.id], [twin.id]]
    assert [m.id for m in full] == [early.id, late.id, twin.id]
    by_size = sorted(groups, key=lambda group: group.size)
    assert [(g.size, sorted(json.loads(g.members))) for g in by_size] == [
        (1, [early.id]),
        (2, [late.id, twin.id]),  # one slot: the same outcome
    ]
    one, two = by_size
    assert tuple(one[:7]) == (
        "Europe/Berlin",
        2,
        "18:00",
        Cadence.MONTHLY,
        date(2026, 4, 1),
        T0 - timedelta(days=1),
        2,
    )  # 4 unanswered: counted up to 2
    assert tuple(two[:7]) == (
        "Asia/Tokyo",
        0,
        "09:30",
        Cadence.WEEKLY,
        None,
        T0 - timedelta(hours=1),
        0,
    )
    assert two.next_nudge_at.utcoffset() == timedelta(0)


async def test_advance_nudge_groups_writes_the_nudges_and_only_the_nudge_state(
    store: SqlStore,
) -> None:
    ana = await new_member(store, alice(1), rung=3, **enabled(T0))
    ben = await new_member(store, alice(2), **enabled(T0))
    cid = await new_member(store, alice(3), **enabled(T0))
    old = await new_member(store, alice(4), **enabled(T0))
    head, tail = NudgeKey.around("member_id", period="2026-W10")
    async with store.unit() as uow:
        assert await uow.deliveries.add(nudge(f"nudge:{old.id}:2026-W10", old.user, T0))
        assert await uow.members.advance_nudge_groups("nudge", []) == 0
        nudged = GroupNudge(head, tail, T0, T0 + timedelta(hours=6), Cadence.FORTNIGHTLY)
        inserted = await uow.members.advance_nudge_groups(
            "nudge",
            [
                GroupPlan(MemberSet(f"[{ana.id}, {old.id}]"), T0 + WEEK, nudged),
                GroupPlan(MemberSet(f"[{ben.id}]"), T0 + 2 * WEEK, None),  # no nudge
                GroupPlan(
                    MemberSet(f"[{cid.id}]"),
                    T0 + WEEK,
                    GroupNudge(head, tail, T0 + MINUTE, None, Cadence.WEEKLY),
                ),
            ],
        )
    assert inserted == 2
    async with store.unit() as uow:
        got = {m.id: await uow.members.get_by_id(m.id) for m in (ana, ben, cid, old)}
        a = await uow.deliveries.get(f"nudge:{ana.id}:2026-W10")
        c = await uow.deliveries.get(f"nudge:{cid.id}:2026-W10")
        b = await uow.deliveries.get(f"nudge:{ben.id}:2026-W10")
    assert b is None and a is not None and c is not None
    assert (a.to, a.member_id, a.kind, a.status) == (ana.user, ana.id, "nudge", PENDING)
    assert (a.not_before, a.expires_at, a.payload, a.attempts) == (
        T0,
        T0 + timedelta(hours=6),
        {},
        0,
    )
    assert (c.to, c.not_before, c.expires_at) == (cid.user, T0 + MINUTE, None)
    slower = replace(ana.nudge, cadence=Cadence.FORTNIGHTLY, unanswered=1)
    assert got[ana.id] == replace(ana, nudge=slower, next_nudge_at=T0 + WEEK)
    assert got[ben.id] == replace(ben, next_nudge_at=T0 + 2 * WEEK)
    assert got[cid.id] == replace(
        cid, nudge=replace(cid.nudge, unanswered=1), next_nudge_at=T0 + WEEK
    )
    # Its key was taken already: only the next slot moves.
    assert got[old.id] == replace(old, next_nudge_at=T0 + WEEK)


async def test_planning_advances_each_member_of_a_group_by_their_own_count(
    store: SqlStore,
) -> None:
    """Three members in one slot group: a first silence, a third (both
    nudged and slowed), and one whose nudge for the week exists already
    (settings changed within the week): only `next_nudge_at` moves."""
    quiet = NudgePrefs(enabled=True, unanswered=2)
    first = await new_member(store, alice(1), **enabled(T0))
    third = await new_member(store, alice(2), nudge=quiet, next_nudge_at=T0)
    again = await new_member(store, alice(3), nudge=quiet, next_nudge_at=T0)
    async with store.unit() as uow:
        assert await uow.deliveries.add(nudge(f"nudge:{again.id}:2026-W10", again.user, T0))
    core = build_core(store, FixedClock(T0), catalog=load_catalog(default_catalog_path()))
    assert await core.dispatcher({}).plan(T0) == 3
    async with store.unit() as uow:
        got = [await uow.members.get_by_id(m.id) for m in (first, third, again)]
        keys = [await uow.deliveries.get(f"nudge:{m.id}:2026-W10") for m in (first, third)]
    assert all(d is not None and d.not_before == T0 for d in keys)
    one, three, same = (m for m in got if m is not None)
    assert (one.nudge.unanswered, one.nudge.cadence) == (1, Cadence.WEEKLY)
    assert (three.nudge.unanswered, three.nudge.cadence) == (3, Cadence.MONTHLY)
    assert same.nudge == quiet
    assert one.next_nudge_at == T0 + WEEK  # Monday 9 March, 09:30 in Tokyo
    assert three.next_nudge_at == same.next_nudge_at == T0 + 4 * WEEK


def test_a_slot_group_is_everything_its_outcome_reads() -> None:
    """Silence counts of 2 and more share a group (they slow alike); a late
    slot beyond the window is skipped for the next one."""
    calendar = WorkingDays("JP")
    window = timedelta(hours=6)
    due = T0 - timedelta(hours=1)
    base = ("Asia/Tokyo", 0, "09:30", Cadence.WEEKLY, None, due)
    sent = plan_slot((*base, 2), T0, calendar, window)
    assert (sent.send_at, sent.period, sent.cadence) == (due, "2026-W10", Cadence.MONTHLY)
    down = base[:5]
    caught = plan_slot((*down, T0 - 2 * WEEK, 0), T0, calendar, window)
    assert (caught.send_at, caught.next_at) == (T0, T0 + WEEK)  # this week's slot has come
    missed = plan_slot((*down, T0 - 2 * WEEK, 0), T0 + timedelta(hours=7), calendar, window)
    assert missed.send_at is None and missed.next_at == T0 + WEEK
    paused = plan_slot((*base[:4], date(2026, 3, 20), due, 0), T0, calendar, window)
    assert paused.send_at is None and paused.next_at == T0 + 3 * WEEK


async def test_a_pass_plans_every_due_member_in_small_windows_and_batches(
    sqlite_store: SqlStore,
) -> None:
    members = [
        await new_member(sqlite_store, alice(n), **enabled(T0 - n * MINUTE)) for n in range(7)
    ]
    await new_member(sqlite_store, alice(9), **enabled(T0 + MINUTE))  # not yet due
    core = build_core(sqlite_store, FixedClock(T0), catalog=load_catalog(default_catalog_path()))
    state = PlanPass(WorkingDays("JP"), timedelta(hours=6), window=3)
    handled = []
    while True:
        async with sqlite_store.unit() as uow:
            work = WorkCtx(uow, core.catalog, core.config, core.messages, T0)
            done = await plan_nudges(work, state, batch=2)
        if not done:
            break
        handled.append(done)
    assert handled == [2, 1, 2, 1, 1]  # windows of 3 ids, batches of 2
    async with sqlite_store.unit() as uow:
        planned = [await uow.deliveries.get(f"nudge:{m.id}:2026-W10") for m in members]
        assert not await uow.members.due_nudge_runs(T0, 10, per=2)
    assert all(d is not None for d in planned)
