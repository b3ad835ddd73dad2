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
    ("mon", "monday", "mondays"),
    ("tue", "tues", "tuesday", "tuesdays"),
    ("wed", "weds", "wednesday", "wednesdays"),
    ("thu", "thur", "thurs", "thursday", "thursdays"),
    ("fri", "friday", "fridays"),
    ("sat", "saturday", "saturdays"),
    ("sun", "sunday", "sundays"),
)
_WEEKDAYS_JA = "月火水木金土日"
_TIME_RE = re.compile(
    r"^(?P<half>午前|午後|朝|夜)?(?P<h>\d{1,2})"
    r"(?:[:.](?P<m>\d{2})|時(?:(?P<jm>\d{1,2})分|(?P<han>半))?)?"
    r"(?P<ampm>am|pm|a\.m\.|p\.m\.)?$"
)
# Words around a weekday and a time that carry nothing: "every friday at 6pm",
# "毎週金曜の18時に".
_FILLER = frozenset({"every", "at", "on", "each", "毎週", "の", "に", "で", "から"})
_AMPM = frozenset({"am", "pm", "a.m.", "p.m.", "a.m", "p.m"})


def _normalize(raw: str) -> str:
    """Full-width digits and colons to ASCII, lower case, no brackets or dots."""
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    return text.strip("()（）.。、,")


def parse_weekday(raw: str) -> int | None:
    """Monday = 0. English names, short and plural forms ("fri", "Fridays");
    Japanese 金, 金曜, 金曜日 (and 毎週金曜)."""
    word = _normalize(raw).removeprefix("毎週").rstrip(".")
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
    """A time of day as people write it -> "HH:MM"; else None.

    "9:30", "09:30", "０９：３０", "18.00", "6pm", "6:30 pm", "12am" (midnight),
    "9時", "9時30分", "9時半", "午後6時", "夜7時". An hour alone ("18") is read
    on the 24-hour clock.
    """
    text = _normalize(raw).replace(" ", "")
    match = _TIME_RE.match(text)
    if match is None:
        return None
    hour = int(match["h"])
    minute = 30 if match["han"] else int(match["m"] or match["jm"] or 0)
    suffix = match["ampm"] or ""
    half = match["half"] or ""
    if suffix or half:
        if hour > 12 or (half and suffix):
            return None
        afternoon = suffix.startswith("p") or half in ("午後", "夜")
        hour = hour % 12 + (12 if afternoon else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def when_words(raw: str) -> list[str]:
    """What a member typed after `/ippo nudge when`, as words: full-width
    spaces split words, a weekday written together with its time
    ("金曜18時", "fri6pm") is two words, an "am"/"pm" written apart joins
    its time, and filler ("every", "at", "毎週", "の") is dropped."""
    text = unicodedata.normalize("NFKC", raw).lower()
    text = re.sub(r"[、,]", " ", text)
    text = re.sub(r"曜日?", "曜 ", text)
    text = re.sub(r"(毎週)", r" \1 ", text)
    text = re.sub(r"^([a-z]+)(\d)", r"\1 \2", text)
    text = re.sub(r"\s([a-z]+)(\d)", r" \1 \2", text)
    words: list[str] = []
    for word in text.split():
        stripped = word.strip("()（）。").removeprefix("の")
        for particle in ("の", "に", "で"):
            if len(stripped) > 1 and stripped.endswith(particle) and not stripped.endswith("日に"):
                stripped = stripped.removesuffix(particle)
        if stripped in _AMPM and words:
            words[-1] += stripped
        elif stripped and stripped not in _FILLER:
            words.append(stripped)
    return words


def parse_when(raw: str) -> tuple[int | None, str | None] | None:
    """A weekday, a time of day, or both, in any order: "Fri 6pm",
    "金曜 18時", "金曜18時", "18:00", "friday". None when a word is neither
    (or a second weekday or time), or nothing was given."""
    weekday: int | None = None
    hhmm: str | None = None
    words = when_words(raw)
    for word in words:
        if weekday is None and (day := parse_weekday(word)) is not None:
            weekday = day
        elif hhmm is None and (clock := parse_time(word)) is not None:
            hhmm = clock
        else:
            return None
    if weekday is None and hhmm is None:
        return None
    return weekday, hhmm


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
