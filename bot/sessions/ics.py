"""iCalendar (RFC 5545) export and import, with the `icalendar` library.

Export: one VEVENT per session with a stable UID, DTSTART/DTEND in the
session's own timezone (TZID + a VTIMEZONE added by
`Calendar.add_missing_timezones`), RRULE for recurring sessions, EXDATE for
cancelled occurrences and an override VEVENT (same UID + RECURRENCE-ID) for
each moved one. A member's feed holds the occurrences they answered
going/watching/maybe/waitlisted, one VEVENT each.

Import reads the same shapes back, so export -> import is lossless for ippo's
own fields; events without a time of day (all-day) are skipped and reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component, Event, vRecur

from bot.sessions.model import Occurrence, OccurrenceChange, Session, SessionFields

PRODID = "-//ippo//sessions//EN"
MAX_TITLE = 200


def _local(when: datetime, tz: str) -> datetime:
    return when.astimezone(ZoneInfo(tz))


def _add_timezones(cal: Calendar, starts: Sequence[datetime], now: datetime) -> None:
    """VTIMEZONEs for every TZID used, with transitions covering the events
    (and a decade ahead for open-ended rules)."""
    first = min([*starts, now]).date() - timedelta(days=366)
    cal.add_missing_timezones(first_date=first, last_date=now.date() + timedelta(days=3660))


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
    sessions: Sequence[tuple[Session, Sequence[OccurrenceChange]]], *, name: str, now: datetime
) -> bytes:
    cal = _calendar(name)
    for session, changes in sessions:
        for ev in session_events(session, changes, now=now):
            cal.add_component(ev)
    _add_timezones(cal, [s.fields.start for s, _ in sessions], now)
    return bytes(cal.to_ical())


def occurrence_uid(session: Session, occurrence: Occurrence) -> str:
    """A member-feed UID: stable per session and occurrence (RECURRENCE-ID)."""
    stamp = occurrence.original_start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    local, _, domain = session.uid.partition("@")
    return f"{local}-{stamp}@{domain or 'ippo'}"


def member_calendar(
    items: Sequence[tuple[Session, Occurrence]], *, name: str, now: datetime
) -> bytes:
    cal = _calendar(name)
    for session, occ in items:
        cal.add_component(
            _event(session, uid=occurrence_uid(session, occ), start=occ.start, now=now)
        )
    _add_timezones(cal, [occ.start for _, occ in items], now)
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
    skipped: tuple[str, ...] = field(default=())  # UIDs (or summaries) not importable


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
        imported = _imported(uid, ev, overrides.get(uid, []), default_tz)
        if imported is None:
            skipped.append(uid)
        else:
            events.append(imported)
    return ParsedCalendar(tuple(events), tuple(skipped))


def _imported(
    uid: str, ev: Component, overrides: list[Component], default_tz: str
) -> ImportedEvent | None:
    raw_start = ev.decoded("dtstart", None)
    if not isinstance(raw_start, datetime) or str(ev.get("status", "")).upper() == "CANCELLED":
        return None
    tz = _tz_name(raw_start, default_tz) if raw_start.tzinfo else default_tz
    start = _aware(raw_start, tz)
    assert start is not None
    end = _aware(ev.decoded("dtend", None), tz)
    duration = ev.decoded("duration", None)
    length = (end - start) if end else duration if isinstance(duration, timedelta) else None
    minutes = int(length.total_seconds() // 60) if length else 60
    if not 0 < minutes <= 24 * 60:
        return None
    rrule = ev.get("rrule")
    rule = rrule.to_ical().decode() if rrule is not None else None
    changes: list[tuple[datetime, datetime | None]] = []
    exdates = ev.get("exdate")
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        for item in group.dts:
            when = _aware(item.dt, tz)
            if when is not None:
                changes.append((when.astimezone(UTC), None))
    for override in overrides:
        original = _aware(override.decoded("recurrence-id"), tz)
        new = _aware(override.decoded("dtstart", None), tz)
        if original is not None and new is not None:
            changes.append((original.astimezone(UTC), new.astimezone(UTC)))
    fields = SessionFields(
        title=str(ev.get("summary") or uid)[:MAX_TITLE],
        start=start.astimezone(UTC),
        duration_min=minutes,
        tz=tz,
        place=str(ev.get("location") or ev.get("url") or ""),
        description=str(ev.get("description") or ""),
        rrule=rule,
    )
    return ImportedEvent(uid, fields, tuple(changes))
