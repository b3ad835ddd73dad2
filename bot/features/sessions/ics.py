"""iCalendar (RFC 5545) export and import, with the `icalendar` library.

Export: one VEVENT per session with a stable UID, DTSTART/DTEND in the
session's own timezone (TZID + a rule-based VTIMEZONE built here from the tz
data, see `vtimezone`), RRULE for recurring sessions, EXDATE for cancelled
occurrences and an override VEVENT (same UID + RECURRENCE-ID) for each moved
one. A member's feed holds the occurrences they answered
going/watching/maybe/waitlisted, one VEVENT each.

Import reads the same shapes back, so export -> import is lossless for ippo's
own fields. What a session cannot hold is reported in `ParsedCalendar.skipped`,
never dropped in silence: events without a time of day (all-day), an override
(RECURRENCE-ID) with its own title, place, description or length (its move or
cancellation is kept, the rest reported), an override of a date the series does
not have, or whose series is not in the file, and RDATE extra dates. A master
whose RRULE an organizer could not type (finer than daily, never matching, or
not starting at its DTSTART: `parse_repeat`) is skipped and reported whole.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Component,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vRecur,
)

from bot.features.sessions.model import Occurrence, OccurrenceChange, Session, SessionFields
from bot.features.sessions.recurrence import BadRepeat, is_original, parse_repeat

PRODID = "-//ippo//sessions//EN"
MAX_TITLE = 200


def _local(when: datetime, tz: str) -> datetime:
    return when.astimezone(ZoneInfo(tz))


# ------------------------------------------------------------------ VTIMEZONE

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


def _add_timezones(cal: Calendar, now: datetime, empty_tz: str) -> None:
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


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _event(session: Session, *, uid: str, start: datetime, now: datetime) -> Event:
    f = session.fields
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", now.astimezone(UTC))
    ev.add("sequence", max(session.version - 1, 0))
    ev.add("summary", f.title)
    ev.add("dtstart", _local(start, f.tz))
    ev.add("dtend", _local(start + session.duration, f.tz))
    if f.place:
        ev.add("location", f.place)
        if f.place.startswith(("https://", "http://")):
            ev.add("url", f.place)
    if f.description:
        ev.add("description", f.description)
    return ev


def session_events(
    session: Session, changes: Sequence[OccurrenceChange], *, now: datetime
) -> list[Event]:
    """The master VEVENT and one override per moved occurrence."""
    f = session.fields
    master = _event(session, uid=session.uid, start=f.start, now=now)
    if not f.rrule:
        return [master]
    master.add("rrule", vRecur.from_ical(f.rrule))
    out = [master]
    cancelled = sorted(c.original_start for c in changes if c.cancelled)
    for when in cancelled:
        master.add("exdate", _local(when, f.tz))
    for change in changes:
        if change.cancelled or change.new_start is None:
            continue
        override = _event(session, uid=session.uid, start=change.new_start, now=now)
        override.add("recurrence-id", _local(change.original_start, f.tz))
        out.append(override)
    return out


def channel_calendar(
    sessions: Sequence[tuple[Session, Sequence[OccurrenceChange]]],
    *,
    name: str,
    now: datetime,
    empty_tz: str = "UTC",
) -> bytes:
    """One channel's sessions; `empty_tz` is the zone the calendar describes
    when it has no session (it still needs a component)."""
    cal = _calendar(name)
    for session, changes in sessions:
        for ev in session_events(session, changes, now=now):
            cal.add_component(ev)
    _add_timezones(cal, now, empty_tz)
    return bytes(cal.to_ical())


def occurrence_uid(session: Session, occurrence: Occurrence) -> str:
    """A member-feed UID: stable per session and occurrence (RECURRENCE-ID)."""
    stamp = occurrence.original_start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    local, _, domain = session.uid.partition("@")
    return f"{local}-{stamp}@{domain or 'ippo'}"


def member_calendar(
    items: Sequence[tuple[Session, Occurrence]],
    *,
    name: str,
    now: datetime,
    empty_tz: str = "UTC",
) -> bytes:
    """One member's answered occurrences; `empty_tz` as in `channel_calendar`."""
    cal = _calendar(name)
    for session, occ in items:
        cal.add_component(
            _event(session, uid=occurrence_uid(session, occ), start=occ.start, now=now)
        )
    _add_timezones(cal, now, empty_tz)
    return bytes(cal.to_ical())


# --------------------------------------------------------------------------- import


@dataclass(frozen=True, slots=True)
class ImportedEvent:
    uid: str
    fields: SessionFields
    changes: tuple[tuple[datetime, datetime | None], ...] = ()  # (original, new or None)


@dataclass(frozen=True, slots=True)
class ParsedCalendar:
    events: tuple[ImportedEvent, ...]
    skipped: tuple[str, ...] = field(default=())
    """What was not imported, or not wholly: a UID (or a summary) for an event;
    ``"<uid> RECURRENCE-ID=<UTC>"`` for one occurrence's override, ``"<uid>
    RDATE=<UTC>"`` for an extra date."""


OVERRIDABLE = ("summary", "location", "url", "description")
"""Properties an override may not change: a session's occurrences share them."""


def _tz_name(when: datetime, default_tz: str) -> str:
    tz = when.tzinfo
    if isinstance(tz, ZoneInfo):
        return tz.key
    if tz is not None and when.utcoffset() == timedelta(0):
        return "UTC"
    return default_tz


def _aware(value: object, tz: str) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(tz))
    return None  # a date: all-day


def _stamp(value: object, tz: str) -> str:
    """An instant as iCalendar UTC text, or a date as it was given."""
    when = _aware(value, tz)
    if when is not None:
        return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d") if isinstance(value, date) else str(value)


def parse_calendar(data: bytes, *, default_tz: str) -> ParsedCalendar:
    """Sessions in an .ics file. Raises ValueError when it is not iCalendar."""
    cal = Calendar.from_ical(data)
    masters: dict[str, Component] = {}
    overrides: dict[str, list[Component]] = {}
    skipped: list[str] = []
    for ev in cal.walk("VEVENT"):
        uid = str(ev.get("uid") or "")
        if not uid:
            skipped.append(str(ev.get("summary") or "?"))
        elif ev.get("recurrence-id") is not None:
            overrides.setdefault(uid, []).append(ev)
        else:
            masters[uid] = ev
    events: list[ImportedEvent] = []
    for uid, ev in masters.items():
        imported = _imported(uid, ev, overrides.pop(uid, []), default_tz, skipped)
        if imported is None:
            skipped.append(uid)  # its overrides go with it
        else:
            events.append(imported)
    for uid, orphans in overrides.items():  # their series is not in the file
        skipped.extend(
            f"{uid} RECURRENCE-ID={_stamp(o.decoded('recurrence-id'), default_tz)}" for o in orphans
        )
    return ParsedCalendar(tuple(events), tuple(skipped))


def _length(ev: Component, start: datetime, tz: str) -> timedelta | None:
    end = _aware(ev.decoded("dtend", None), tz)
    if end is not None:
        return end - start
    duration = ev.decoded("duration", None)
    return duration if isinstance(duration, timedelta) else None


def _imported(
    uid: str, ev: Component, overrides: list[Component], default_tz: str, skipped: list[str]
) -> ImportedEvent | None:
    """The session of one master VEVENT, or None when it cannot be one. What
    only partly fits (see the module docstring) is appended to `skipped`."""
    raw_start = ev.decoded("dtstart", None)
    if not isinstance(raw_start, datetime) or str(ev.get("status", "")).upper() == "CANCELLED":
        return None
    tz = _tz_name(raw_start, default_tz) if raw_start.tzinfo else default_tz
    start = _aware(raw_start, tz)
    assert start is not None
    length = _length(ev, start, tz)
    minutes = int(length.total_seconds() // 60) if length else 60
    if not 0 < minutes <= 24 * 60:
        return None
    rrule = ev.get("rrule")
    fields = SessionFields(
        title=str(ev.get("summary") or uid)[:MAX_TITLE],
        start=start.astimezone(UTC),
        duration_min=minutes,
        tz=tz,
        place=str(ev.get("location") or ev.get("url") or ""),
        description=str(ev.get("description") or ""),
        rrule=rrule.to_ical().decode() if rrule is not None else None,
    )
    if fields.rrule is not None:
        try:  # the organizer's own check: at most daily, can match, DTSTART is the first
            parse_repeat(fields.rrule, fields.start, tz)
        except BadRepeat:
            return None
    changes: list[tuple[datetime, datetime | None]] = []
    exdates = ev.get("exdate")
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        for item in group.dts:
            when = _aware(item.dt, tz)
            if when is not None:
                changes.append((when.astimezone(UTC), None))
    rdates = ev.get("rdate")
    for group in rdates if isinstance(rdates, list) else [rdates] if rdates else []:
        skipped.extend(f"{uid} RDATE={_stamp(item.dt, tz)}" for item in group.dts)
    for override in overrides:
        change, whole = _override(override, ev, fields, tz)
        if change is not None:
            changes.append(change)
        if not whole:
            skipped.append(f"{uid} RECURRENCE-ID={_stamp(override.decoded('recurrence-id'), tz)}")
    return ImportedEvent(uid, fields, tuple(changes))


def _override(
    override: Component, master: Component, fields: SessionFields, tz: str
) -> tuple[tuple[datetime, datetime | None] | None, bool]:
    """What a session keeps of one override: the (original, new start or None
    for cancelled) change if any, and whether that is all the override says.

    A session's occurrences can move or be cancelled but share one title,
    place, description and length, so an override that changes those keeps its
    move and is reported for the rest; one whose RECURRENCE-ID is all-day, not
    a date of the series, or has RANGE=THISANDFUTURE (a change to the rest of
    the series) is reported whole."""
    prop = override.get("recurrence-id")
    original = _aware(override.decoded("recurrence-id"), tz)
    if (
        original is None
        or str(prop.params.get("RANGE", "")).upper() == "THISANDFUTURE"
        or not is_original(fields, original.astimezone(UTC))
    ):
        return None, False
    original = original.astimezone(UTC)
    if str(override.get("status", "")).upper() == "CANCELLED":
        return (original, None), True
    raw_start = override.decoded("dtstart", None)
    new = _aware(raw_start, tz) if raw_start is not None else original
    if new is None:  # moved to an all-day date
        return None, False
    new = new.astimezone(UTC)
    length = _length(override, new, tz)
    own = any(
        override.get(name) is not None and str(override.get(name)) != str(master.get(name) or "")
        for name in OVERRIDABLE
    ) or (length is not None and length != timedelta(minutes=fields.duration_min))
    return ((original, new) if new != original else None), not own
