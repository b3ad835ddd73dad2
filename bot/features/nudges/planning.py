"""Planning the weekly nudge: each due member becomes one delivery keyed by
the ISO week of their local date; `next_nudge_at` advances, the nudge counts
as unanswered and the cadence slows after silence (timing). A slot found late
(hourly cron ticks) is still sent within `CoreConfig.late_slot_window`; a
slot older than that (ippo was down) is skipped, not caught up.

Planning runs at database speed, and Python never touches a single member:
the store reads a batch of due members as *slot groups* (members who share a
timezone, weekday, time, cadence, pause, due instant and silence state get
the same outcome: `MemberRepo.due_nudge_groups`), Python works out each
group's outcome once (`plan_slot`: timezones and days off), and the store
applies the outcomes to every member of the groups in two set-based
statements (`MemberRepo.advance_nudge_groups`). 100,000 members in a few
timezones cost a few hundred slot computations and a few dozen statements.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.features.nudges.messages import compose_followup, compose_nudge
from bot.features.nudges.ports import DueGroup, GroupNudge, GroupPlan, MemberSet
from bot.features.nudges.routes import FOLLOWUP_KIND, NUDGE_KIND, NudgeKey
from bot.features.nudges.timing import (
    SlotRule,
    cadence_after_silence,
    calendar_for,
    next_nudge_time,
)
from bot.model import Cadence
from bot.ports import Unit
from bot.scheduled import ScheduledWork, WorkCtx
from bot.working_days import WorkingDays, local_date, period_of

PLAN_BATCH = 5000
"""Members per unit of work: on SQLite a batch holds the write lock for its
length (a few tens of milliseconds); the planner yields to the event loop
before each batch, and the database's work runs off the loop."""
PLAN_WINDOW = 1_000_000
"""Due members found at once: the oldest this many, in runs of a batch of
consecutive ids (each run one JSON text, about 7 MB for a million)."""
MAX_CACHED_GROUPS = 50_000

SlotGroup = tuple[str, int, str, Cadence, date | None, datetime, int]
"""(tz, weekday, time, cadence, paused_until, next_nudge_at, min(unanswered, 2)):
everything `plan_slot` reads. Silence counts of 2 and more slow the cadence
alike (`cadence_after_silence`), so they share a group."""


@dataclass(frozen=True, slots=True)
class SlotOutcome:
    """What planning does to every member of one slot group."""

    send_at: datetime | None
    """The nudge's `not_before`; None when no nudge is planned (the slot was
    missed while ippo was down, or falls in a pause)."""
    period: str
    expires_at: datetime | None
    next_at: datetime
    cadence: Cadence
    """The cadence after this nudge counts as unanswered (when one is sent)."""


def group_of(due: DueGroup) -> SlotGroup:
    return (
        due.tz,
        due.weekday,
        due.time,
        due.cadence,
        due.paused_until,
        due.next_nudge_at,
        due.silence,
    )


def plan_of(members: MemberSet, outcome: SlotOutcome) -> GroupPlan:
    """The store's instructions for a group: its members' nudge (keyed by
    member and ISO week) unless the outcome sends none, and their next slot."""
    if outcome.send_at is None:
        return GroupPlan(members, outcome.next_at, None)
    head, tail = NudgeKey.around("member_id", period=outcome.period)
    nudge = GroupNudge(head, tail, outcome.send_at, outcome.expires_at, outcome.cadence)
    return GroupPlan(members, outcome.next_at, nudge)


def plan_slot(
    group: SlotGroup, now: datetime, calendar: WorkingDays, late_window: timedelta
) -> SlotOutcome:
    """The outcome for a slot group.

    A slot found late — planning runs every minute under `ippo run`, but cron
    may run `ippo tick` an hour apart, past local midnight — is still sent, up
    to `late_window` after its time. Older slots were missed while ippo was
    down: they are skipped, not caught up, and the first slot after the
    window's start is taken instead (sent at once if it has come, else
    scheduled). A slot inside a pause is dropped too.
    """
    tz, weekday, hhmm, cadence, paused_until, due, unanswered = group
    rule = SlotRule(weekday, hhmm, tz, cadence, paused_until)
    due_day = local_date(due, tz)
    if now - due > late_window:
        nxt = next_nudge_time(rule, now - late_window, calendar, last_period_day=due_day)
        if nxt > now:
            return SlotOutcome(None, "", None, nxt, cadence)
        due, due_day = nxt, local_date(nxt, tz)
    if paused_until is not None and due_day < paused_until:
        nxt = next_nudge_time(rule, now, calendar, last_period_day=due_day)
        return SlotOutcome(None, "", None, nxt, cadence)
    slower = cadence_after_silence(unanswered + 1)
    rule = SlotRule(weekday, hhmm, tz, slower, paused_until)
    nxt = next_nudge_time(rule, now, calendar, last_period_day=due_day)
    return SlotOutcome(due, period_of(due_day), due + late_window, nxt, slower)


class PlanPass:
    """What one planning pass (one `now`) shares between its batches: the
    slot outcomes computed so far, and the window of due member ids it works
    through. Both are forgotten when `now` moves on.

    Due members are found oldest first (the due index), `PLAN_WINDOW` at a
    time, and planned in batches of consecutive ids: members due at one
    instant are spread over the whole table, and batches that each touch a
    compact run of rows write every page of the tables and their indexes
    about once per window instead of once per batch (measured on SQLite:
    about half the time at 100,000 members, 40% at a million).
    """

    def __init__(
        self, calendar: WorkingDays, late_window: timedelta, *, window: int = PLAN_WINDOW
    ) -> None:
        self.calendar = calendar
        self.late_window = late_window
        self.window = window
        self._now: datetime | None = None
        self._outcomes: dict[SlotGroup, SlotOutcome] = {}
        self._runs: Sequence[MemberSet] = ()
        self._taken = 0

    def _moved_on(self, now: datetime) -> None:
        if now != self._now:
            self._now, self._outcomes, self._runs, self._taken = now, {}, (), 0

    def outcome(self, group: SlotGroup, now: datetime) -> SlotOutcome:
        self._moved_on(now)
        if len(self._outcomes) > MAX_CACHED_GROUPS:
            self._outcomes = {}
        known = self._outcomes.get(group)
        if known is None:
            known = self._outcomes[group] = plan_slot(group, now, self.calendar, self.late_window)
        return known

    async def due(self, uow: Unit, now: datetime, batch: int) -> Sequence[DueGroup]:
        """The next batch of due members as slot groups, locked; empty when
        none is left (or every one left is being planned by another
        instance)."""
        self._moved_on(now)
        refilled = False
        while True:
            if self._taken >= len(self._runs):
                if refilled:
                    return []  # a fresh window, and another planner holds all of it
                self._runs = await uow.members.due_nudge_runs(now, self.window, per=batch)
                self._taken, refilled = 0, True
                if not self._runs:
                    return []
            run = self._runs[self._taken]
            self._taken += 1
            groups = await uow.members.due_nudge_groups(now, run)
            if groups:
                return groups


async def plan_nudges(work: WorkCtx, state: PlanPass, *, batch: int = PLAN_BATCH) -> int:
    """Plan one batch of due members in the caller's unit; returns how many
    members it handled (0 when none is due). Every handled member's
    `next_nudge_at` moves past `now`, so calling again makes progress.

    A member whose nudge for that week exists already (settings changed
    within the week) keeps their silence count and cadence; only
    `next_nudge_at` moves on (the store tells them apart)."""
    uow, now = work.uow, work.now
    groups = await state.due(uow, now, batch)
    if not groups:
        return 0
    plans = [plan_of(group.members, state.outcome(group_of(group), now)) for group in groups]
    await uow.members.advance_nudge_groups(NUDGE_KIND, plans)
    return sum(group.size for group in groups)


def scheduled_work() -> ScheduledWork:
    """The nudge planner and the composers for "nudge" and "followup"."""

    passes: dict[tuple[str, timedelta], PlanPass] = {}  # one holiday table per country

    async def planner(work: WorkCtx) -> int:
        # Between batches the event loop runs whatever else is waiting (acks).
        await asyncio.sleep(0)
        config = work.config
        place = (config.holiday_country, config.late_slot_window)
        state = passes.get(place) or passes.setdefault(
            place, PlanPass(calendar_for(config), config.late_slot_window)
        )
        return await plan_nudges(work, state)

    return ScheduledWork(
        planners=(planner,),
        composers={NUDGE_KIND: compose_nudge, FOLLOWUP_KIND: compose_followup},
    )
