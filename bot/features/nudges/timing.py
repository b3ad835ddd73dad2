"""When a member's weekly nudge is due: pure date arithmetic, no store.

A member picks a weekday and a time of day in their own timezone. The next
nudge is the next such *slot*, stretched by their cadence (weekly, every two
weeks, monthly) and moved off days off (bot.working_days): a moved nudge goes
to the next working day at the same time.

Every nudge belongs to a *period*, the ISO week of its local date
("2026-W48"): the delivery key carries it, so a member gets at most one
nudge per ISO week, however often planning runs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot.config import CoreConfig
from bot.model import Cadence, Member, NudgePrefs
from bot.working_days import MAX_DAYS_AHEAD, WorkingDays, at_local, local_date

WEEK = timedelta(days=7)
CADENCE_WEEKS = {Cadence.WEEKLY: 1, Cadence.FORTNIGHTLY: 2, Cadence.MONTHLY: 4}
_EPSILON = timedelta(microseconds=1)


def _week_number(day: date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return (year, week)


def regular_slot_after(after: datetime, *, weekday: int, hhmm: str, tz: str) -> datetime:
    """The first `weekday` at `hhmm` local strictly after `after` (no holidays)."""
    today = local_date(after, tz)
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    slot = at_local(day, hhmm, tz)
    if slot <= after:
        slot = at_local(day + WEEK, hhmm, tz)
    return slot


@dataclass(frozen=True, slots=True)
class SlotRule:
    """Everything that decides a member's next nudge time."""

    weekday: int
    hhmm: str
    tz: str
    cadence: Cadence = Cadence.WEEKLY
    paused_until: date | None = None


def next_nudge_time(
    rule: SlotRule,
    after: datetime,
    calendar: WorkingDays,
    *,
    last_period_day: date | None = None,
) -> datetime:
    """The next nudge strictly after `after`.

    - `last_period_day`: the local date of the nudge just planned, if any; the
      cadence counts from it (every 1, 2 or 4 weeks) and the result always
      falls in a later ISO week, so a nudge moved off a holiday never brings
      two nudges into one week.
    - Pauses: no nudge before `paused_until` (a local date).
    - Days off move the nudge to the next working day at the same time.
    """
    earliest = after
    if last_period_day is not None:
        # The slot in the ISO week `weeks` after the one just planned: look
        # from just before that week's Monday.
        weeks = CADENCE_WEEKS[rule.cadence]
        monday = last_period_day - timedelta(days=last_period_day.weekday())
        start = at_local(monday + WEEK * weeks, "00:00", rule.tz) - _EPSILON
        earliest = max(earliest, start)
    if rule.paused_until is not None:
        earliest = max(earliest, at_local(rule.paused_until, "00:00", rule.tz) - _EPSILON)
    candidate = regular_slot_after(earliest, weekday=rule.weekday, hhmm=rule.hhmm, tz=rule.tz)
    for _ in range(MAX_DAYS_AHEAD):
        day = calendar.working_day_on_or_after(local_date(candidate, rule.tz))
        moved = at_local(day, rule.hhmm, rule.tz)
        later_week = last_period_day is None or _week_number(day) > _week_number(last_period_day)
        if moved > after and later_week:
            return moved
        candidate = regular_slot_after(candidate, weekday=rule.weekday, hhmm=rule.hhmm, tz=rule.tz)
    raise ValueError("no nudge slot found")  # pragma: no cover - calendar guard


def cadence_after_silence(unanswered: int) -> Cadence:
    """Two nudges in a row with no response slow the cadence to every two
    weeks; one more, to monthly. Any response resets `unanswered` to 0."""
    if unanswered >= 3:
        return Cadence.MONTHLY
    if unanswered == 2:
        return Cadence.FORTNIGHTLY
    return Cadence.WEEKLY


# --------------------------------------------------------------------------- a member's slot


def calendar_for(config: CoreConfig) -> WorkingDays:
    return WorkingDays(config.holiday_country)


def effective_prefs(member: Member, config: CoreConfig) -> NudgePrefs:
    """A member who never chose a day and time gets the deployment's default.

    Storage creates members with `NudgePrefs()`; while nudges have never been
    on (off, nothing scheduled, still the model's default slot) the
    deployment's `nudge_weekday`/`nudge_time` apply instead.
    """
    prefs = member.nudge
    untouched = NudgePrefs()
    never_set = (
        not prefs.enabled
        and member.next_nudge_at is None
        and (prefs.weekday, prefs.time) == (untouched.weekday, untouched.time)
    )
    if never_set:
        return replace(prefs, weekday=config.nudge_weekday, time=config.nudge_time)
    return prefs


def slot_rule(member: Member, prefs: NudgePrefs) -> SlotRule:
    return SlotRule(prefs.weekday, prefs.time, member.tz, prefs.cadence, prefs.paused_until)


def rescheduled(member: Member, now: datetime, config: CoreConfig) -> Member:
    """`member` with `next_nudge_at` recomputed from their current settings
    (None while nudges are off)."""
    if not member.nudge.enabled:
        return replace(member, next_nudge_at=None)
    at = next_nudge_time(slot_rule(member, member.nudge), now, calendar_for(config))
    return replace(member, next_nudge_at=at)


def is_paused(member: Member, now: datetime) -> bool:
    until = member.nudge.paused_until
    return until is not None and local_date(now, member.tz) < until
