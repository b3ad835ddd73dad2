"""VTIMEZONE components built from the tz data, for `ics`.

Each zone a calendar uses gets rule-based STANDARD/DAYLIGHT parts right for
every instant from a given year on, so calendar clients that do not know
the IANA name (or know an older rule) still place every event correctly.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

RULE_HORIZON_YEAR = 2100
"""The tz data is read up to the end of this year. Past the last change it lists
explicitly (2037 for most zones, 2087 for Morocco's Ramadan changes), every zone
follows its yearly rule or keeps one offset, so a rule that holds from some year
up to here holds for every later year too."""

_SAMPLE_S = 3 * 86_400
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_EPOCH = datetime(1970, 1, 1)

_DayForm = tuple[str, int, int]
"""Which day of its month a change falls on, as a yearly rule can say it:
``("on", weekday, d)`` the first `weekday` on or after day d; ``("last", weekday, 0)``
the month's last `weekday`; ``("date", 0, d)`` day d itself."""


@dataclass(frozen=True, slots=True)
class _Change:
    """One change of a zone's UTC offset, as the tz data has it."""

    at: int  # the instant, Unix seconds
    before: timedelta
    after: timedelta
    daylight: bool  # whether the period it starts is daylight-saving time
    name: str  # that period's abbreviation

    @property
    def onset(self) -> datetime:
        """Wall-clock time of the change read in the offset in force before it:
        what a VTIMEZONE sub-component's DTSTART says (RFC 5545 3.6.5), e.g.
        02:00 for New York's second Sunday of March (07:00Z)."""
        return _EPOCH + timedelta(seconds=self.at) + self.before

    def shape(self) -> tuple[object, ...]:
        """What stays equal from year to year under one yearly rule."""
        onset = self.onset
        return (onset.month, onset.time(), self.before, self.after, self.daylight, self.name)


@dataclass(frozen=True, slots=True)
class _Part:
    """One STANDARD or DAYLIGHT sub-component of a VTIMEZONE."""

    daylight: bool
    start: datetime  # naive: local time in `offset_from`
    offset_from: timedelta
    offset_to: timedelta
    name: str
    rule: str | None = None  # an RRULE value, or None for this one onset only


def _offset(zone: ZoneInfo, at: int) -> timedelta:
    offset = datetime.fromtimestamp(at, zone).utcoffset()
    assert offset is not None
    return offset


def _changes(key: str, first_year: int, last_year: int) -> list[_Change]:
    """The zone's offset changes whose onset falls in the given years: the
    offset is sampled every three days and each difference narrowed to the
    second. Two changes less than three days apart would be missed; in the tz
    data since 1990 the closest are almost seven days apart (Brazil in 2000,
    Gaza's Ramadan changes). Sampling 75 years costs 15-40 ms a zone, once a
    process per zone and year (`_zone_parts` is cached)."""
    zone = ZoneInfo(key)
    at = int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp()) - _SAMPLE_S
    end = int(datetime(last_year + 1, 1, 1, tzinfo=UTC).timestamp()) + _SAMPLE_S
    offset = _offset(zone, at)
    found: list[_Change] = []
    while at < end:
        step = min(at + _SAMPLE_S, end)
        new = _offset(zone, step)
        if new != offset:
            low, high = at, step
            while high - low > 1:
                mid = (low + high) // 2
                if _offset(zone, mid) == offset:
                    low = mid
                else:
                    high = mid
            local = datetime.fromtimestamp(high, zone)
            found.append(_Change(high, offset, new, bool(local.dst()), local.tzname() or key))
            offset = new
        at = step
    return [c for c in found if first_year <= c.onset.year <= last_year]


def _day_forms(day: date) -> frozenset[_DayForm]:
    weekday = day.weekday()
    forms: set[_DayForm] = {("on", weekday, d) for d in range(max(1, day.day - 6), day.day + 1)}
    if day.day > monthrange(day.year, day.month)[1] - 7:
        forms.add(("last", weekday, 0))
    forms.add(("date", 0, day.day))
    return frozenset(forms)


def _yearly_rule(month: int, forms: frozenset[_DayForm]) -> str:
    """The simplest RRULE for the day forms every year agreed on: the nth
    weekday (the usual tz rule "Sun>=8"), the last weekday ("lastSun"), a fixed
    date, or a weekday within a seven-day span ("Sat>=24")."""
    head = f"FREQ=YEARLY;BYMONTH={month}"
    on = sorted(f for f in forms if f[0] == "on")
    for _, weekday, first in on:
        if first in (1, 8, 15, 22):
            return f"{head};BYDAY={(first - 1) // 7 + 1}{_WEEKDAYS[weekday]}"
    for kind, weekday, _ in sorted(forms):
        if kind == "last":
            return f"{head};BYDAY=-1{_WEEKDAYS[weekday]}"
    for kind, _, day in sorted(forms):
        if kind == "date":
            return f"{head};BYMONTHDAY={day}"
    _, weekday, first = on[-1]
    days = ",".join(str(d) for d in range(first, min(first + 6, 31) + 1))
    return f"{head};BYMONTHDAY={days};BYDAY={_WEEKDAYS[weekday]}"


@lru_cache(maxsize=128)
def _zone_parts(key: str, from_year: int) -> tuple[_Part, ...]:
    """The sub-components describing `key` from `from_year` on, for every year.

    The zone's rule is derived from its own transitions: the latest run of
    years, ending at `RULE_HORIZON_YEAR`, whose changes keep the same month,
    wall-clock time, offsets and name and fall on a day one RRULE can name
    becomes one yearly sub-component per change (RRULE, no end), valid for
    every later year. A zone without changes in that run (Asia/Tokyo) gets no
    rule: its last offset holds. Changes before the run, which no yearly rule
    covers (an old rule, a one-off change, or Morocco's Ramadan suspensions
    that follow the Islamic calendar until 2087), are written one
    sub-component per change, each with its own DTSTART and no RDATE list,
    which every client reads the same way; they are exact, not approximated.
    When no change falls in `from_year` itself, a first sub-component states
    the offset in force on 1 January of that year, so no event precedes the
    first onset."""
    zone = ZoneInfo(key)
    last = max(RULE_HORIZON_YEAR, from_year)
    by_year: dict[int, list[_Change]] = {year: [] for year in range(from_year, last + 1)}
    for change in _changes(key, from_year, last):
        by_year[change.onset.year].append(change)
    shapes = [c.shape() for c in by_year[last]]
    forms = [_day_forms(c.onset.date()) for c in by_year[last]]
    rule_year = last
    for year in range(last - 1, from_year - 1, -1):
        changes = by_year[year]
        if [c.shape() for c in changes] != shapes:
            break
        joined = [f & _day_forms(c.onset.date()) for f, c in zip(forms, changes, strict=True)]
        if not all(joined):
            break
        forms, rule_year = joined, year
    parts = [
        _Part(c.daylight, c.onset, c.before, c.after, c.name)
        for year in range(from_year, rule_year)
        for c in by_year[year]
    ]
    parts += [
        _Part(c.daylight, c.onset, c.before, c.after, c.name, _yearly_rule(c.onset.month, f))
        for c, f in zip(by_year[rule_year], forms, strict=True)
    ]
    if not parts or min(p.start for p in parts).year > from_year:
        first = datetime(from_year, 1, 1, tzinfo=zone)
        offset = first.utcoffset()
        assert offset is not None
        parts.insert(
            0,
            _Part(
                bool(first.dst()) and bool(parts),
                first.replace(tzinfo=None),
                offset,
                offset,
                first.tzname() or key,
            ),
        )
    return tuple(parts)


def vtimezone(key: str, *, from_year: int) -> Timezone:
    """A rule-based VTIMEZONE for the IANA zone `key`, right for every instant
    from 1 January `from_year` on (see `_zone_parts`)."""
    tz = Timezone()
    tz.add("tzid", key)
    for part in _zone_parts(key, from_year):
        sub = TimezoneDaylight() if part.daylight else TimezoneStandard()
        sub.add("dtstart", part.start)
        if part.rule:
            sub.add("rrule", vRecur.from_ical(part.rule))
        sub.add("tzoffsetfrom", part.offset_from)
        sub.add("tzoffsetto", part.offset_to)
        sub.add("tzname", part.name)
        tz.add_component(sub)
    return tz


def add_timezones(cal: Calendar, now: datetime, empty_tz: str) -> None:
    """A VTIMEZONE, first in the calendar, for every TZID its events use,
    starting the year before the earliest time given in that zone. A calendar
    with no event still gets one, for `empty_tz`: a VCALENDAR must hold at
    least one component (RFC 5545 3.6)."""
    earliest: dict[str, int] = {}
    for ev in cal.walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            prop = ev.get(name)
            tzid = prop.params.get("TZID") if prop is not None else None
            if tzid and isinstance(prop.dt, datetime):
                year = min(prop.dt, now).astimezone(ZoneInfo(str(tzid))).year
                earliest[str(tzid)] = min(year, earliest.get(str(tzid), year))
    if not earliest and not cal.subcomponents:
        earliest[empty_tz] = now.astimezone(ZoneInfo(empty_tz)).year
    zones = [vtimezone(key, from_year=year - 1) for key, year in sorted(earliest.items())]
    cal.subcomponents[:0] = zones
