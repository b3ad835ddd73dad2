"""A simulated stretch of the calendar for the weekly nudge: members in
several timezones with varied habits, scheduled work run by ticks at
irregular intervals of up to an hour (as cron runs `ippo tick`), a week of
downtime — then every promise the nudge makes is checked against what was
sent.

`tests/test_year.py` runs it at a size that fits `make test`;
`python -m bench.simulate_year` runs a whole year with more members and
prints the figures.

The promises (README, DESIGN.md "The flow of scheduled work"):
- at most one unsolicited message per member per week, two only after
  "I'll try it" (the follow-up), and never two on one local day;
- nothing planned for a day off (Japanese public holidays, 29 Dec-3 Jan);
- no slot lost at any time of day: a working-day slot is delivered within
  one tick interval, unless it fell in the downtime; a slot older than the
  late window is skipped, never sent in a burst;
- silence slows the pace (weekly -> every two weeks -> monthly) and any
  contact restores it; "Stop" means nothing more is sent;
- nothing is sent twice.
"""

from __future__ import annotations

import itertools
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.features.nudges import FOLLOWUP_KIND, NUDGE_KIND
from bot.model import Message, UserRef
from bot.ports import Store
from bot.testing import Person
from bot.working_days import WorkingDays, at_local, period_of
from tests.nudgekit import World, as_replies, build_world

ZONES = ("Asia/Tokyo", "America/New_York", "Europe/Berlin", "Australia/Sydney", "UTC")
TIMES = ("00:15", "07:00", "09:30", "12:45", "18:00", "23:30", "23:55")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Habit(StrEnum):
    SILENT = "silent"  # never answers: the pace slows down
    SKIPS = "skips"  # presses "Skip" on every nudge
    TRIES = "tries"  # "I'll try it", then "Skip" on the follow-up
    DOES = "does"  # never presses a button, but logs a step every week
    STOPS = "stops"  # presses "Stop these" on the second nudge


@dataclass(frozen=True, slots=True)
class Plan:
    start: datetime
    end: datetime
    members: int
    seed: int = 7
    max_gap: timedelta = timedelta(hours=1)
    downtime: tuple[datetime, datetime] | None = None


@dataclass(slots=True)
class Sim:
    """What happened: each member's habit and zone, every DM with the moment
    it was sent, and the tick moments."""

    world: World
    habits: dict[str, Habit] = field(default_factory=dict)
    zones: dict[str, str] = field(default_factory=dict)
    slots: dict[str, tuple[int, str]] = field(default_factory=dict)
    ticks: list[datetime] = field(default_factory=list)
    stopped_at: dict[str, datetime] = field(default_factory=dict)
    seconds: float = 0.0


async def simulate(store: Store, plan: Plan) -> Sim:
    rng = random.Random(plan.seed)
    world = build_world(store, plan.start)
    sim = Sim(world)
    people: dict[str, Person] = {}
    for i in range(plan.members):
        user = f"m{i:04d}"
        habit = list(Habit)[i % len(Habit)]
        tz = ZONES[(i // len(Habit)) % len(ZONES)]
        weekday, hhmm = rng.randrange(7), rng.choice(TIMES)
        person = world.harness.member(user, tz=tz, locale="en" if i % 2 else "ja")
        await person.say("/ippo nudge on")
        await person.say(f"/ippo nudge when {DAYS[weekday]} {hhmm}")
        sim.habits[user], sim.zones[user], sim.slots[user] = habit, tz, (weekday, hhmm)
        people[user] = person
    answered: Counter[str] = Counter()
    last_done: dict[str, datetime] = {}
    began = time.perf_counter()
    while world.clock.now() < plan.end:
        now = world.clock.now()
        down = plan.downtime is not None and plan.downtime[0] <= now < plan.downtime[1]
        if not down:
            await world.dispatcher.tick(now)
            sim.ticks.append(now)
            for sent in world.messenger.sent[sum(answered.values()) :]:
                user = sent.to.id
                answered[user] += 1
                await _answer(sim, people[user], sent.delivery_key or "", sent.message, now)
            for user, habit in sim.habits.items():
                seen = last_done.get(user)
                if habit == Habit.DOES and (seen is None or now - seen >= timedelta(days=6)):
                    await people[user].say("/ippo done Watched an online study session")
                    last_done[user] = now
        step = rng.uniform(plan.max_gap.total_seconds() / 3, plan.max_gap.total_seconds())
        world.clock.advance(seconds=step)
        if plan.downtime is not None and plan.downtime[0] <= world.clock.now() < plan.downtime[1]:
            world.clock.set(plan.downtime[1] + timedelta(seconds=step / 2))
    sim.seconds = time.perf_counter() - began
    return sim


async def _answer(sim: Sim, person: Person, key: str, message: Message, now: datetime) -> None:
    user = person.actor.user.id
    habit = sim.habits[user]
    replies = as_replies(message)
    if key.startswith(f"{FOLLOWUP_KIND}:"):
        await person.press(replies, "nudge:fskip")
        return
    nudges = sum(1 for s in sim.world.messenger.to_user(user) if _is(s.delivery_key, NUDGE_KIND))
    match habit:
        case Habit.SKIPS:
            await person.press(replies, "nudge:skip")
        case Habit.TRIES:
            await person.press(replies, "nudge:try")
        case Habit.STOPS if nudges == 2:
            await person.press(replies, "nudge:stop")
            sim.stopped_at[user] = now


def _is(key: str | None, kind: str) -> bool:
    return (key or "").startswith(f"{kind}:")


# --------------------------------------------------------------------------- checks


@dataclass(slots=True)
class Findings:
    """Every broken promise, as readable lines; empty when all held."""

    problems: list[str] = field(default_factory=list)
    messages: int = 0
    late_minutes_max: float = 0.0

    def add(self, line: str) -> None:
        if len(self.problems) < 50:
            self.problems.append(line)


def check(sim: Sim, plan: Plan, calendar: WorkingDays) -> Findings:
    found = Findings()
    sent = sim.world.messenger.sent
    found.messages = len(sent)
    keys = Counter(s.delivery_key for s in sent)
    for key, n in keys.items():
        if n > 1:
            found.add(f"sent {n} times: {key}")
    by_user: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for s, at in zip(sent, _send_times(sim), strict=True):
        assert isinstance(s.to, UserRef)
        by_user[s.to.id].append((at, s.delivery_key or ""))
    audit = Audit(sim, plan, calendar, found)
    for user, items in by_user.items():
        audit.member(user, items)
    for user, habit in sim.habits.items():
        if habit in (Habit.SKIPS, Habit.TRIES):
            audit.no_slot_lost(user, by_user.get(user, []))
    return found


def _send_times(sim: Sim) -> list[datetime]:
    """When each message in `messenger.sent` went out (ClockedMessenger notes
    them per user, in order)."""
    cursor: Counter[str] = Counter()
    out = []
    for s in sim.world.messenger.sent:
        out.append(sim.world.messenger.sent_at[s.to.id][cursor[s.to.id]])
        cursor[s.to.id] += 1
    return out


@dataclass(frozen=True, slots=True)
class Audit:
    """The checks of one simulation, each on one member's messages."""

    sim: Sim
    plan: Plan
    calendar: WorkingDays
    found: Findings

    def member(self, user: str, items: list[tuple[datetime, str]]) -> None:
        _check_member(self, user, items)

    def no_slot_lost(self, user: str, items: list[tuple[datetime, str]]) -> None:
        _check_no_slot_lost(self, user, items)


def _check_member(audit: Audit, user: str, items: list[tuple[datetime, str]]) -> None:
    sim, plan, calendar, found = audit.sim, audit.plan, audit.calendar, audit.found
    tz = ZoneInfo(sim.zones[user])
    habit = sim.habits[user]
    weeks: dict[str, list[str]] = defaultdict(list)
    days: Counter[date] = Counter()
    for at, key in items:
        day = at.astimezone(tz).date()
        if _is(key, NUDGE_KIND) and _late_from_eve(sim, user, at):
            day -= timedelta(days=1)  # a late-evening slot delivered just after midnight
        weeks[period_of(day)].append(key)
        days[day] += 1
        if user in sim.stopped_at and at > sim.stopped_at[user]:
            found.add(f"{user} stopped at {sim.stopped_at[user]} but got {key} at {at}")
    for week, keys in weeks.items():
        followups = sum(1 for k in keys if _is(k, FOLLOWUP_KIND))
        if len(keys) - followups > 1 or followups > 1:
            found.add(f"{user} got {keys} in {week}")
    for day, n in days.items():
        if n > 1:
            found.add(f"{user} got {n} messages on {day}")
    nudge_times = [at for at, key in items if _is(key, NUDGE_KIND)]
    for at in nudge_times:
        if calendar.is_day_off(at.astimezone(tz).date()) and not _late_from_eve(sim, user, at):
            found.add(f"{user} nudged on a day off: {at.astimezone(tz)}")
    gaps = [(b - a).days for a, b in itertools.pairwise(nudge_times)]
    downtime_gap = (plan.downtime[1] - plan.downtime[0]).days if plan.downtime else 0
    if habit == Habit.SILENT and len(gaps) >= 3 and min(gaps[2:]) < 21:
        found.add(f"{user} (silent) was not slowed to monthly: gaps {gaps}")
    if habit == Habit.DOES and gaps and max(gaps) > 14 + downtime_gap:
        found.add(f"{user} (logs steps weekly) was slowed: gaps {gaps}")


def _late_from_eve(sim: Sim, user: str, at: datetime) -> bool:
    """A slot late in the evening of a working day may be delivered just
    after midnight, on the next day: it belongs to the day before."""
    _weekday, hhmm = sim.slots[user]
    tz = sim.zones[user]
    eve = at.astimezone(ZoneInfo(tz)).date() - timedelta(days=1)
    slot = at_local(eve, hhmm, tz)
    return timedelta(0) <= at - slot <= timedelta(hours=6)


def _check_no_slot_lost(audit: Audit, user: str, items: list[tuple[datetime, str]]) -> None:
    """Members who answer every nudge stay weekly: each of their working-day
    slots outside the downtime arrives within one tick interval."""
    sim, plan, calendar, found = audit.sim, audit.plan, audit.calendar, audit.found
    weekday, hhmm = sim.slots[user]
    tz = sim.zones[user]
    nudges = sorted(at for at, key in items if _is(key, NUDGE_KIND))
    first = plan.start.astimezone(ZoneInfo(tz)).date() + timedelta(days=1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    while True:
        slot = at_local(day, hhmm, tz)
        day += timedelta(days=7)
        if slot + plan.max_gap >= plan.end:
            return
        if calendar.is_day_off(slot.astimezone(ZoneInfo(tz)).date()):
            continue
        if plan.downtime and plan.downtime[0] - plan.max_gap <= slot <= plan.downtime[1]:
            continue
        if user in sim.stopped_at and slot > sim.stopped_at[user]:
            return
        hit = [at for at in nudges if timedelta(0) <= at - slot <= plan.max_gap]
        zone = ZoneInfo(tz)
        week = period_of(slot.astimezone(zone).date())
        moved_in = [a for a in nudges if a < slot and period_of(a.astimezone(zone).date()) == week]
        if moved_in:
            continue  # the slot of a week off moved into this week and used its turn
        if not hit:
            found.add(f"{user}: slot {slot.astimezone(ZoneInfo(tz))} ({tz}) was lost")
        else:
            late = (hit[0] - slot).total_seconds() / 60
            found.late_minutes_max = max(found.late_minutes_max, late)
