"""Planning coffee rounds: once per community and round, in bounded batches.

1. A round that has opened (`rounds.open_rounds`) and has no row yet for a
   community is matched and stored in one unit: `start_round` inserts its
   unique `RoundKey` first, so a second planner (another instance, a tick
   after a crash) inserts nothing and stops.
2. Its groups are then turned into deliveries, `PLAN_BATCH` groups per call:
   one message to the group (a `GroupRef`), or on Discord without a coffee
   channel one DM per member naming the others. Delivery keys are unique,
   so planning a group twice adds nothing.

Gentleness: a member silent on their last two introductions sits out every
other round (`slowed`), and a nudge that would land on a member's
introduction day moves to their next free working day.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import datetime, timedelta

from bot.features.coffee.commands import dept_key
from bot.features.coffee.matching import Rules, Seat, match, pair, shares_hours, shares_lang
from bot.features.coffee.ports import (
    INTRO_KIND,
    QUIET_RUNG,
    Group,
    IntroKey,
    NewGroup,
    PastRound,
    PoolMember,
    RoundKey,
)
from bot.features.coffee.ports import Seat as GroupSeat
from bot.features.coffee.rounds import Round, group_time, member_time, open_rounds, utc_offset
from bot.model import Destination, GroupRef, Member, Platform
from bot.ports import NewDelivery
from bot.scheduled import WorkCtx
from bot.working_days import WorkingDays, at_local, free_working_day, local_date

log = logging.getLogger(__name__)

PLAN_BATCH = 200  # groups turned into deliveries per planner call
INTRO_GRACE = timedelta(days=1)  # an introduction delayed by downtime may go a day late


def eligible(entry: PoolMember, rnd: Round) -> bool:
    member, prefs = entry.member, entry.prefs
    if not prefs.enabled or member.unreachable or prefs.skip_period == rnd.period:
        return False
    return prefs.paused_until is None or rnd.day >= prefs.paused_until


def quiet_seat(entry: PoolMember) -> bool:
    """A quiet seat is for the "just watch or listen" rung: asked for there,
    and kept only while the member is still at it (someone who moved up
    joins as a regular member until they are back at rung 1)."""
    return entry.prefs.quiet and entry.member.rung == QUIET_RUNG


def silence(past: Sequence[PastRound], seq: int) -> tuple[set[int], set[int]]:
    """(slowed, resting): members silent on their last two introductions, and
    those of them introduced in the round just before, who rest this one."""
    seen: dict[int, list[tuple[int, str]]] = {}
    for rnd in sorted(past, key=lambda r: -r.seq):
        for group in rnd.groups:
            for seat in group:
                if seat.member_id is not None:
                    seen.setdefault(seat.member_id, []).append((rnd.seq, seat.answer))
    slowed = {m for m, s in seen.items() if len(s) >= 2 and not s[0][1] and not s[1][1]}
    resting = {m for m in slowed if seen[m][0][0] == seq - 1}
    return slowed, resting


def history(past: Sequence[PastRound], seq: int) -> dict[tuple[int, int], int]:
    """How many rounds ago each pair last met."""
    last: dict[tuple[int, int], int] = {}
    for rnd in past:
        for group in rnd.groups:
            ids = [s.member_id for s in group if s.member_id is not None]
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    key = pair(a, b)
                    last[key] = min(last.get(key, seq), seq - rnd.seq)
    return last


async def plan_round(
    work: WorkCtx, platform: Platform, workspace: str, rnd: Round, calendar: WorkingDays
) -> int:
    """Match and store one community's round; 1 when this call did it."""
    coffee = work.uow.coffee
    key = RoundKey(platform, workspace, rnd.period)
    config = work.config.coffee
    window = config.no_repeat_rounds
    pool = await coffee.pool(platform, workspace)
    past = await coffee.past_rounds(platform, workspace, rnd.seq - max(window, 2))
    past = [r for r in past if r.seq < rnd.seq]
    slowed, resting = silence(past, rnd.seq)
    chosen = [e for e in pool if eligible(e, rnd) and e.member.id not in resting]
    by_user = {e.member.user.id: e.member.id for e in pool}
    avoided = await coffee.avoided_in([e.member.id for e in chosen])
    avoid = frozenset(
        pair(member_id, by_user[user_id])
        for member_id, users in avoided.items()
        for user_id in users
        if user_id in by_user
    )
    moment = member_time(rnd.day, config, work.config.default_tz)
    seats = [
        Seat(
            e.member.id,
            dept=dept_key(e.prefs.dept),
            lang=e.member.lang,
            utc_offset=utc_offset(e.member.tz, moment),
            quiet=quiet_seat(e),
        )
        for e in chosen
    ]
    outcome = match(seats, Rules(window, history(past, rnd.seq), avoid), seed=key.encode())
    report = {**asdict(outcome.report), "resting": len(resting)}
    round_id = await coffee.start_round(key, rnd.seq, work.now, report)
    if round_id is None:
        return 0
    log.info("coffee round %s: %s", key.encode(), report)
    members = {e.member.id: e.member for e in chosen}
    seat_of = {s.member_id: s for s in seats}
    groups = [
        NewGroup(
            seats=tuple(GroupSeat(m, quiet=seat_of[m].quiet, slowed=m in slowed) for m in group),
            shares_lang=shares_lang([seat_of[m] for m in group]),
            shares_hours=shares_hours([seat_of[m] for m in group]),
            intro_at=group_time(rnd.day, config, [members[m].tz for m in group]),
        )
        for group in outcome.groups
    ]
    await coffee.add_groups(round_id, groups)
    return 1


def destinations(
    group: Group, members: Sequence[Member], channel: str | None
) -> list[tuple[int, Destination]]:
    """Where a group's introduction goes: (member id or 0, destination)."""
    users = tuple(m.user.id for m in members)
    if group.platform == "discord" and channel is None:
        return [(m.id, m.user) for m in members]
    return [(0, GroupRef(group.platform, group.workspace, users, channel))]


async def plan_deliveries(work: WorkCtx, calendar: WorkingDays, batch: int = PLAN_BATCH) -> int:
    """Turn up to `batch` stored groups into deliveries; how many it took."""
    uow = work.uow
    groups = await uow.coffee.unplanned(batch)
    channels: dict[tuple[Platform, str], str | None] = {}
    new: list[NewDelivery] = []
    moved: list[Member] = []
    for group in groups:
        found = [await uow.members.get_by_id(s.member_id) for s in group.seats if s.member_id]
        members = [m for m in found if m is not None]
        if len(members) < 2:
            continue
        place = (group.platform, group.workspace)
        if place not in channels:
            channels[place] = await uow.coffee.channel(*place)
        for member_id, to in destinations(group, members, channels[place]):
            at = group.intro_at
            if (member := next((m for m in members if m.id == member_id), None)) is not None:
                day = local_date(group.intro_at, member.tz)
                at = member_time(day, work.config.coffee, member.tz)
            new.append(
                NewDelivery(
                    key=IntroKey(group.id, member_id).encode(),
                    kind=INTRO_KIND,
                    to=to,
                    not_before=at,
                    expires_at=at + INTRO_GRACE,
                    member_id=member_id or None,
                )
            )
        moved += [m for m in (nudge_moved(m, group.intro_at, calendar) for m in members) if m]
    await uow.deliveries.add_many(new)
    if moved:
        await uow.members.save_many(moved)
    await uow.coffee.mark_planned([g.id for g in groups])
    return len(groups)


def nudge_moved(member: Member, intro_at: datetime, calendar: WorkingDays) -> Member | None:
    """The member with their next nudge moved off their introduction's day
    (to their next free working day, same time), or None when it is not on
    it: one unsolicited message a day."""
    at = member.next_nudge_at
    if not member.nudge.enabled or at is None:
        return None
    intro_day = local_date(intro_at, member.tz)
    if local_date(at, member.tz) != intro_day:
        return None
    free = free_working_day(intro_day + timedelta(days=1), calendar, busy_days={intro_day})
    return replace(member, next_nudge_at=at_local(free, member.nudge.time, member.tz))


async def plan_coffee(work: WorkCtx, calendar: WorkingDays) -> int:
    """The coffee planner: pending groups first, then one round of one
    community per call; 0 when nothing is left to do."""
    done = await plan_deliveries(work, calendar)
    if done:
        return done
    communities = await work.uow.coffee.communities()
    for rnd in open_rounds(work.now, work.config.coffee, calendar):
        for platform, workspace in communities:
            if await work.uow.coffee.has_round(RoundKey(platform, workspace, rnd.period)):
                continue
            if await plan_round(work, platform, workspace, rnd, calendar):
                return 1
    return 0
