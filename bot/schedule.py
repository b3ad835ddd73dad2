"""When a member's weekly nudge is due: pure date arithmetic, no store.

A member picks a weekday and a time of day in their own timezone. The next
nudge is the next such *slot*, stretched by their cadence (weekly, every two
weeks, monthly) and moved off days off: public holidays of the deployment's
country (the maintained `holidays` library, never a hand-written list) and the
year-end break, 29 December to 3 January. A moved nudge goes to the next
working day (Monday to Friday, not a day off) at the same time.

Every nudge belongs to a *period*, the ISO week of its local date
("2026-W48"): the delivery key carries it, so a member gets at most one
nudge per ISO week, however often planning runs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from bot.model import Cadence

WEEK = timedelta(days=7)
CADENCE_WEEKS = {Cadence.WEEKLY: 1, Cadence.FORTNIGHTLY: 2, Cadence.MONTHLY: 4}
MAX_DAYS_AHEAD = 60  # a guard: no real calendar has this many days off in a row
_EPSILON = timedelta(microseconds=1)


class WorkingDays:
    """Days off for one country: its public holidays and 29 Dec - 3 Jan.

    Holds one `holidays` table (it fills in years lazily as they are asked
    about); build one per planner, not one per member.
    """

    def __init__(self, country: str) -> None:
        self.country = country
        self._table = holidays.country_holidays(country)

    def is_day_off(self, day: date) -> bool:
        if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
            return True
        return day in self._table

    def working_day_on_or_after(self, day: date) -> date:
        """`day` itself unless it is a day off; else the next weekday that is not."""
        if not self.is_day_off(day):
            return day
        for _ in range(MAX_DAYS_AHEAD):
            day += timedelta(days=1)
            if day.weekday() < 5 and not self.is_day_off(day):
                return day
        raise ValueError(f"no working day within {MAX_DAYS_AHEAD} days of {day}")


def free_working_day(
    day: date,
    calendar: WorkingDays,
    *,
    busy_days: Set[date] = frozenset(),
    full_weeks: Set[str] = frozenset(),
) -> date:
    """The one rule for placing an unsolicited message that has no slot of its
    own (a follow-up, and any later kind): the first working day on or after
    `day` (`WorkingDays`, as for nudges) that is not in `busy_days` (a
    member's days that already carry an unsolicited message: one a day at
    most) and whose ISO week (`period_of`) is not in `full_weeks` (weeks whose
    budget for this kind of message is spent)."""
    for _ in range(MAX_DAYS_AHEAD):
        day = calendar.working_day_on_or_after(day)
        if day not in busy_days and period_of(day) not in full_weeks:
            return day
        day += timedelta(days=1)
    raise ValueError(f"no free working day within {MAX_DAYS_AHEAD} days of {day}")


# --------------------------------------------------------------------------- parsing

_WEEKDAYS_EN = (
    ("mon", "monday"),
    ("tue", "tues", "tuesday"),
    ("wed", "weds", "wednesday"),
    ("thu", "thur", "thurs", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
)
_WEEKDAYS_JA = "月火水木金土日"
_TIME_RE = re.compile(r"^(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分|(半))?)$")


def _normalize(raw: str) -> str:
    """Full-width digits and colons to ASCII, lower case, no brackets or dots."""
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    return text.strip("().。、,")


def parse_weekday(raw: str) -> int | None:
    """Monday = 0. English names and short forms; Japanese 月, 月曜, 月曜日."""
    word = _normalize(raw)
    for number, names in enumerate(_WEEKDAYS_EN):
        if word in names:
            return number
    for suffix in ("曜日", "曜", ""):
        if word.endswith(suffix):
            head = word[: len(word) - len(suffix)] if suffix else word
            if len(head) == 1 and head in _WEEKDAYS_JA:
                return _WEEKDAYS_JA.index(head)
    return None


def parse_time(raw: str) -> str | None:
    """ "9:30", "09:30", "０９：３０", "9時", "9時30分", "9時半" -> "HH:MM"; else None."""
    match = _TIME_RE.match(_normalize(raw))
    if match is None:
        return None
    hour = int(match.group(1))
    minute = 30 if match.group(4) else int(match.group(2) or match.group(3) or 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def clock_time(hhmm: str) -> time:
    hour, minute = hhmm.split(":")
    return time(int(hour), int(minute))


# --------------------------------------------------------------------------- slots


def local_date(instant: datetime, tz: str) -> date:
    return instant.astimezone(ZoneInfo(tz)).date()


def at_local(day: date, hhmm: str, tz: str) -> datetime:
    """`day` at `hhmm` in `tz`, as an aware UTC datetime. A wall time that a DST
    change skips resolves forward, as zoneinfo does (fold=0)."""
    local = datetime.combine(day, clock_time(hhmm), tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def end_of_local_day(instant: datetime, tz: str) -> datetime:
    """The next local midnight after `instant`, in UTC: a nudge's `expires_at`."""
    zone = ZoneInfo(tz)
    tomorrow = instant.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=zone).astimezone(UTC)


def period_of(day: date) -> str:
    """The ISO week of a local date: "2026-W48"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


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
