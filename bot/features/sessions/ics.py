"""iCalendar (RFC 5545) export and import, with the `icalendar` library.

Export: one VEVENT per session with a stable UID, DTSTART/DTEND in the
session's own timezone (TZID + a rule-based VTIMEZONE built from the tz
data, see `ics_zones`), RRULE for recurring sessions, EXDATE for cancelled
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

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Component,
    Event,
    vRecur,
)

from bot.features.sessions.ics_zones import add_timezones
from bot.features.sessions.model import Occurrence, OccurrenceChange, Session, SessionFields
from bot.features.sessions.recurrence import BadRepeat, is_original, parse_repeat

PRODID = "-//ippo//sessions//EN"
MAX_TITLE = 200


def _local(when: datetime, tz: str) -> datetime:
    return when.astimezone(ZoneInfo(tz))


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
    add_timezones(cal, now, empty_tz)
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
    add_timezones(cal, now, empty_tz)
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
