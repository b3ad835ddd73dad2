"""Nudge planning at database speed (issue #16): the narrow storage methods it
uses, on SQLite and PostgreSQL, and the planner's grouped outcomes member by
member (a slot group shares one computation; the silence count stays each
member's own)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from bot.assembly import build_core
from bot.features.nudges.planning import PlanPass, plan_nudges, plan_slot
from bot.features.nudges.ports import MemberDm, NudgeAdvance
from bot.model import Cadence, ChannelRef, NudgePrefs
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


async def test_due_nudges_reads_what_due_for_nudge_reads(store: SqlStore) -> None:
    late = await new_member(store, alice(1), **enabled(T0 - timedelta(hours=1)))
    paused = NudgePrefs(True, 2, "18:00", date(2026, 4, 1), Cadence.MONTHLY, 4)
    early = await new_member(
        store, alice(2), nudge=paused, next_nudge_at=T0 - timedelta(days=1), tz="Europe/Berlin"
    )
    later = await new_member(store, alice(3), **enabled(T0 + timedelta(seconds=1)))
    gone = await new_member(store, alice(4), unreachable=True, **enabled(T0))
    async with store.unit() as uow:
        full = await uow.members.due_for_nudge(T0, 10)
        ids = [i for run in await uow.members.due_nudge_ids(T0, 10, per=10) for i in run]
        assert (await uow.members.due_nudge_ids(T0, 1, per=5))[:] == [[early.id]]
        runs = await uow.members.due_nudge_ids(T0, 10, per=1)
        assert (len(runs), runs[1], runs[:]) == (2, [early.id], [[late.id], [early.id]])
        narrow = await uow.members.due_nudges(T0, [early.id, later.id, gone.id, late.id])
        assert await uow.members.due_nudges(T0, []) == []
    assert [m.id for m in full] == [early.id, late.id]  # oldest first
    assert ids == [d.member_id for d in narrow] == [late.id, early.id]  # in id order
    by_id = {d.member_id: d for d in narrow}
    for member in full:
        due, prefs = by_id[member.id], member.nudge
        assert (due.tz, due.weekday, due.time, due.cadence) == (
            member.tz,
            prefs.weekday,
            prefs.time,
            prefs.cadence,
        )
        assert (due.unanswered, due.paused_until, due.next_nudge_at) == (
            prefs.unanswered,
            prefs.paused_until,
            member.next_nudge_at,
        )
    assert narrow[0].next_nudge_at.utcoffset() == timedelta(0)


async def test_advance_nudges_writes_only_the_nudge_state(store: SqlStore) -> None:
    one = await new_member(store, alice(1), rung=3, **enabled(T0))
    two = await new_member(store, alice(2), **enabled(T0))
    async with store.unit() as uow:
        await uow.members.advance_nudges([])
        await uow.members.advance_nudges(
            [
                NudgeAdvance(one.id, T0 + WEEK, Cadence.FORTNIGHTLY, 2),
                NudgeAdvance(two.id, T0 + 2 * WEEK, Cadence.WEEKLY, 0),
            ]
        )
    async with store.unit() as uow:
        got_one = await uow.members.get_by_id(one.id)
        got_two = await uow.members.get_by_id(two.id)
    slower = replace(one.nudge, cadence=Cadence.FORTNIGHTLY, unanswered=2)
    assert got_one == replace(one, nudge=slower, next_nudge_at=T0 + WEEK)
    assert got_two == replace(two, next_nudge_at=T0 + 2 * WEEK)


async def test_add_for_members_addresses_from_the_member_row(store: SqlStore) -> None:
    ana = await new_member(store, alice(1))
    ben = await new_member(store, alice(2))
    async with store.unit() as uow:
        assert await uow.deliveries.add(nudge("nudge:old", ChannelRef("slack", "T1", "C"), T0))
        assert await uow.deliveries.add_for_members("nudge", []) == set()
        inserted = await uow.deliveries.add_for_members(
            "nudge",
            [
                MemberDm("nudge:old", ana.id, T0, T0 + WEEK),  # the key exists
                MemberDm("nudge:a", ana.id, T0, T0 + timedelta(hours=6)),
                MemberDm("nudge:b", ben.id, T0 + timedelta(minutes=1), None),
                MemberDm("nudge:ghost", ben.id + 100, T0, None),  # no such member
            ],
        )
    assert inserted == {"nudge:a", "nudge:b"}
    async with store.unit() as uow:
        a, b = await uow.deliveries.get("nudge:a"), await uow.deliveries.get("nudge:b")
        old = await uow.deliveries.get("nudge:old")
    assert a is not None and b is not None and old is not None
    assert (a.to, a.member_id, a.kind, a.status) == (
        ana.user,
        ana.id,
        "nudge",
        DeliveryStatus.PENDING,
    )
    assert (a.not_before, a.expires_at, a.payload, a.attempts) == (
        T0,
        T0 + timedelta(hours=6),
        {},
        0,
    )
    assert (b.to, b.not_before, b.expires_at) == (ben.user, T0 + timedelta(minutes=1), None)
    assert old.to == ChannelRef("slack", "T1", "C")  # untouched


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
        assert await uow.deliveries.add_for_members(
            "nudge", [MemberDm(f"nudge:{again.id}:2026-W10", again.id, T0, None)]
        )
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
        assert not await uow.members.due_nudge_ids(T0, 10, per=2)
    assert all(d is not None for d in planned)
