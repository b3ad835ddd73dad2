"""The calendar files ippo exports, read by clients other than `icalendar`.

Two independent readers, each given only the file (its own VTIMEZONEs, no zone
database of its own): vobject, with dateutil's `tzical` underneath (Radicale
and other Python servers), and ical.js (Thunderbird's and many web calendars'
parser) run by node from `tests/js/`. Every occurrence they expand, through
2038 (past 2036, where the old list of transitions ended), must start at the
instant zoneinfo gives for its local date and time. A Sunday session at 03:30
local puts one occurrence right after every daylight-saving change of these
zones (all on Sundays, or late on Saturday), so a change read an hour off
moves an occurrence and fails the test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, time, timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import icalendar
import pytest
import vobject
from dateutil.rrule import rrulestr
from dateutil.tz import tzical
from vobject import icalendar as vobject_ical

from bot.features.sessions.ics import channel_calendar, member_calendar, parse_calendar
from bot.features.sessions.ics_zones import vtimezone
from bot.features.sessions.model import Occurrence, OccurrenceChange, Session, SessionFields
from bot.model import ChannelRef

NOW = datetime(2026, 12, 1, tzinfo=UTC)
UNTIL = datetime(2039, 1, 1, tzinfo=UTC)
ZONES = ("Asia/Tokyo", "America/New_York", "Europe/Berlin", "Australia/Sydney")
ODD_ZONES = (
    "America/Santiago",  # Sunday on or after the 2nd, at midnight: BYMONTHDAY=2,...,8;BYDAY=SU
    "America/Nuuk",  # summer time starts at 23:00 on the Saturday before the last Sunday
    "Africa/Casablanca",  # Ramadan changes, no yearly rule: one sub-component per change
)
JS = Path(__file__).resolve().parent / "js"
Instant = tuple[str, int, int, int]  # UID, original start, start, end (Unix seconds)

# ------------------------------------------------------------------ the sessions


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _session(number: int, tz: str, local: datetime, rule: str | None) -> Session:
    fields = SessionFields(
        title=f"Session {number} ({tz})",
        start=local.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC),
        duration_min=60,
        tz=tz,
        rrule=rule,
    )
    return Session(number, f"s{number}@ippo", ChannelRef("console", "console", "C"), None, "en",
                   fields)  # fmt: skip


def _first(weekday: int, year: int, month: int, at: time) -> datetime:
    """The first `weekday` (0 = Monday) of a month, naive local."""
    day = datetime.combine(datetime(year, month, 1).date(), at)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _sessions(zones: Sequence[str]) -> list[tuple[Session, list[OccurrenceChange]]]:
    """Per zone: Sundays at 03:30 local, and Thursdays at 19:00 with one
    cancelled in summer 2031 and one moved in winter 2033 to Friday 20:00."""
    out: list[tuple[Session, list[OccurrenceChange]]] = []
    for i, tz in enumerate(zones):
        zone = ZoneInfo(tz)
        early = _session(2 * i + 1, tz, datetime(2026, 12, 6, 3, 30), "FREQ=WEEKLY;BYDAY=SU")
        weekly = _session(2 * i + 2, tz, datetime(2026, 12, 3, 19), "FREQ=WEEKLY;BYDAY=TH")
        cancelled = _first(3, 2031, 7, time(19)).replace(tzinfo=zone).astimezone(UTC)
        moved = _first(3, 2033, 1, time(19)).replace(tzinfo=zone)
        to = (moved + timedelta(days=1, hours=1)).astimezone(UTC)
        changes = [
            OccurrenceChange(weekly.id, cancelled, None, cancelled=True),
            OccurrenceChange(weekly.id, moved.astimezone(UTC), to),
        ]
        out += [(early, []), (weekly, changes)]
    return out


def _expected(pairs: Sequence[tuple[Session, Sequence[OccurrenceChange]]]) -> set[Instant]:
    """What zoneinfo says: the rule expanded over naive local times (dateutil,
    no VTIMEZONE involved), each read in the session's zone."""
    out: set[Instant] = set()
    for session, changes in pairs:
        f = session.fields
        zone = ZoneInfo(f.tz)
        by_original = {c.original_start: c for c in changes}
        local_start = f.start.astimezone(zone).replace(tzinfo=None)
        rule = rrulestr(f.rrule or "FREQ=DAILY;COUNT=1", dtstart=local_start)
        for local in rule:
            original = local.replace(tzinfo=zone).astimezone(UTC)
            if original >= UNTIL:
                break
            change = by_original.get(original)
            if change is not None and change.cancelled:
                continue
            start = change.new_start if change and change.new_start else original
            out.add(_instant(session.uid, original, start, start + session.duration))
    return out


def _instant(uid: str, original: datetime, start: datetime, end: datetime) -> Instant:
    return (uid, int(original.timestamp()), int(start.timestamp()), int(end.timestamp()))


# ------------------------------------------------------------------ the readers


def _vobject_calendar(data: bytes) -> Any:
    """The calendar as vobject reads it, its TZIDs bound to this file's own
    VTIMEZONEs. vobject keeps one process-wide TZID map and never replaces an
    entry (and would fall back to pytz for an unknown one), so the file is
    read once to build its zones, they are bound, and it is read again."""
    text = data.decode()
    for vtz in getattr(vobject.readOne(text), "vtimezone_list", []):
        vobject_ical.registerTzid(vtz.tzid.value, vtz.gettzinfo())
    return vobject.readOne(text)


def by_vobject(data: bytes) -> set[Instant]:
    cal = _vobject_calendar(data)
    out: set[Instant] = set()
    overrides: dict[str, dict[datetime, tuple[datetime, datetime]]] = {}
    masters = []
    for ev in getattr(cal, "vevent_list", []):
        tzinfo = ev.dtstart.value.tzinfo
        assert type(tzinfo).__name__ == "_tzicalvtz", "vobject did not use the file's VTIMEZONE"
        if hasattr(ev, "recurrence_id"):
            overrides.setdefault(ev.uid.value, {})[ev.recurrence_id.value] = (
                ev.dtstart.value,
                ev.dtend.value,
            )
        else:
            masters.append(ev)
    for ev in masters:
        uid, start = ev.uid.value, ev.dtstart.value
        length = ev.dtend.value - start
        rules = ev.getrruleset(addRDate=True)
        moved = overrides.get(uid, {})
        for original in rules if rules is not None else [start]:
            if original >= UNTIL:
                break
            begin, end = moved.get(original, (original, original + length))
            out.add(_instant(uid, original, begin, end))
    return out


def _icaljs_ready() -> str | None:
    """Why the ical.js reader cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed: the ical.js reader needs it"
    if not (JS / "node_modules" / "ical.js").is_dir():
        return "ical.js is not installed: `make test` runs `npm ci --prefix tests/js`"
    return None


def by_icaljs(data: bytes) -> set[Instant]:
    done = subprocess.run(
        ["node", str(JS / "occurrences.mjs"), str(int(UNTIL.timestamp()))],
        input=data,
        capture_output=True,
        check=True,
        timeout=120,
    )
    parsed = json.loads(done.stdout)
    return {(o["uid"], o["original"], o["start"], o["end"]) for o in parsed["occurrences"]}


READERS = [
    pytest.param(by_vobject, id="vobject"),
    pytest.param(
        by_icaljs,
        id="ical.js",
        marks=pytest.mark.skipif(_icaljs_ready() is not None, reason=str(_icaljs_ready())),
    ),
]


def _show(instants: set[Instant]) -> list[str]:
    return sorted(
        f"{uid} {datetime.fromtimestamp(start, UTC):%Y-%m-%d %H:%M}Z"
        for uid, _, start, _ in instants
    )


# ------------------------------------------------------------------ the tests


@pytest.mark.parametrize("read", READERS)
@pytest.mark.parametrize(
    "zones", [pytest.param(ZONES, id="main-zones"), pytest.param(ODD_ZONES, id="odd-zones")]
)
def test_every_occurrence_to_2039_is_at_the_instant_zoneinfo_gives(
    read: Any, zones: tuple[str, ...]
) -> None:
    pairs = _sessions(zones)
    data = channel_calendar(pairs, name="test", now=NOW)
    expected = _expected(pairs)
    assert len(expected) > 2 * 52 * 12 * len(zones)
    got = read(data)
    assert _show(got - expected) == [] and _show(expected - got) == []


@pytest.mark.parametrize("read", READERS)
def test_member_feed_single_events_in_summer_and_winter(read: Any) -> None:
    items: list[tuple[Session, Occurrence]] = []
    for i, tz in enumerate(ZONES):
        session = _session(100 + i, tz, datetime(2027, 1, 7, 19), None)
        for year in range(2027, 2039):
            for month in (1, 7):
                local = _first(3, year, month, time(19)).replace(tzinfo=ZoneInfo(tz))
                start = local.astimezone(UTC)
                items.append(
                    (session, Occurrence(session.id, start, start, start + timedelta(hours=1)))
                )
    data = member_calendar(items, name="aki", now=NOW)
    expected = {
        (f"s{s.id}-{o.start:%Y%m%dT%H%M%SZ}@ippo", *_instant("", o.start, o.start, o.end)[1:])
        for s, o in items
    }
    assert read(data) == expected


@pytest.mark.parametrize("read", READERS)
def test_an_empty_feed_is_a_calendar_with_one_component(read: Any) -> None:
    data = member_calendar([], name="nobody", now=NOW, empty_tz="Asia/Tokyo")
    cal = icalendar.Calendar.from_ical(data)
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE"]
    assert read(data) == set()
    assert channel_calendar([], name="none", now=NOW).count(b"BEGIN:VTIMEZONE") == 1


def _subcomponents(key: str, from_year: int = 2025) -> list[icalendar.cal.Component]:
    return list(vtimezone(key, from_year=from_year).subcomponents)


@pytest.mark.parametrize(
    ("key", "daylight_utc", "standard_utc"),
    [
        ("America/New_York", utc(2027, 3, 14, 7), utc(2027, 11, 7, 6)),  # 02:00 -05, 02:00 -04
        ("Europe/Berlin", utc(2027, 3, 28, 1), utc(2027, 10, 31, 1)),  # 02:00 +01, 03:00 +02
        ("Australia/Sydney", utc(2027, 10, 2, 16), utc(2027, 4, 3, 16)),  # 02:00 +10, 03:00 +11
    ],
)
def test_daylight_zones_have_one_yearly_rule_per_change_read_in_the_old_offset(
    key: str, daylight_utc: datetime, standard_utc: datetime
) -> None:
    parts = _subcomponents(key)
    assert sorted(p.name for p in parts) == ["DAYLIGHT", "STANDARD"]
    for part, instant in zip(
        sorted(parts, key=lambda p: p.name), (daylight_utc, standard_utc), strict=True
    ):
        assert "RDATE" not in part
        rule = part["RRULE"]
        assert rule["FREQ"] == ["YEARLY"] and "UNTIL" not in rule and "COUNT" not in rule
        onsets = rrulestr(rule.to_ical().decode(), dtstart=part.decoded("DTSTART"))
        local_2027 = next(d for d in onsets if d.year == 2027)
        # DTSTART is local time in TZOFFSETFROM (RFC 5545 3.6.5)
        assert local_2027 - part.decoded("TZOFFSETFROM") == instant.replace(tzinfo=None)
        zone = ZoneInfo(key)
        before, at = (instant - timedelta(seconds=1)).astimezone(zone), instant.astimezone(zone)
        assert before.utcoffset() == part.decoded("TZOFFSETFROM")
        assert at.utcoffset() == part.decoded("TZOFFSETTO")


def test_a_zone_without_daylight_saving_is_one_standard_component() -> None:
    [part] = _subcomponents("Asia/Tokyo")
    assert part.name == "STANDARD" and "RRULE" not in part and "RDATE" not in part
    assert part.decoded("TZOFFSETTO") == part.decoded("TZOFFSETFROM") == timedelta(hours=9)
    assert str(part["TZNAME"]) == "JST"


def test_a_zone_without_a_yearly_rule_lists_each_change_on_its_own() -> None:
    parts = _subcomponents("Africa/Casablanca", 2026)
    assert all("RRULE" not in p and "RDATE" not in p for p in parts)
    years = [p.decoded("DTSTART").year for p in parts]
    assert years == sorted(years) and years[0] == 2026 and years[-1] == 2087
    # after its last listed change Morocco stays at +01 for good, as the tz data says
    assert parts[-1].decoded("TZOFFSETTO") == timedelta(hours=1)
    assert datetime(2095, 4, 1, tzinfo=ZoneInfo("Africa/Casablanca")).utcoffset() == timedelta(
        hours=1
    )


def _sampled_daylight_zones() -> list[str]:
    """Every sixth zone observing daylight saving in 2027, plus the odd ones."""

    def shifts(key: str) -> bool:
        zone = ZoneInfo(key)
        return (
            datetime(2027, 1, 15, tzinfo=zone).utcoffset()
            != datetime(2027, 7, 15, tzinfo=zone).utcoffset()
        )

    keys = sorted(k for k in available_timezones() if shifts(k))
    return sorted({*keys[::6], *ODD_ZONES, "Europe/Dublin", "Pacific/Chatham"})


def _zoneinfo_changes(
    key: str, first: datetime, last: datetime
) -> Iterator[tuple[datetime, timedelta, timedelta]]:
    """zoneinfo's offset changes, every three hours then to the minute (no ippo
    code; no zone changes twice within three hours)."""
    zone = ZoneInfo(key)
    at, offset = first, first.astimezone(zone).utcoffset()
    while at < last:
        step = at + timedelta(hours=3)
        new = step.astimezone(zone).utcoffset()
        if new != offset:
            exact = next(
                at + timedelta(minutes=m)
                for m in range(1, 181)
                if (at + timedelta(minutes=m)).astimezone(zone).utcoffset() == new
            )
            assert offset is not None and new is not None
            yield exact, offset, new
            offset = new
        at = step


def test_dateutil_tzical_reads_every_change_of_many_zones_where_zoneinfo_has_it() -> None:
    """vobject's engine, dateutil's `tzical`, given only the VTIMEZONE: half an
    hour before each change (2027-2040) it gives the old offset, half an hour
    after it the new one, in local time on both sides of any gap or overlap."""
    wrong: list[str] = []
    for key in _sampled_daylight_zones():
        zone = tzical(StringIO(vtimezone(key, from_year=2026).to_ical().decode())).get()
        changes = _zoneinfo_changes(
            key, datetime(2027, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC)
        )
        late = _zoneinfo_changes(
            key, datetime(2040, 1, 1, tzinfo=UTC), datetime(2041, 1, 1, tzinfo=UTC)
        )
        for at, before, after in [*changes, *late]:
            earlier = (at + min(before, after) - timedelta(minutes=30)).replace(tzinfo=None)
            later = (at + max(before, after) + timedelta(minutes=30)).replace(tzinfo=None)
            for local, offset in ((earlier, before), (later, after)):
                got = local.replace(tzinfo=zone).utcoffset()
                if got != offset:
                    wrong.append(f"{key} {local}: {got} != {offset}")
    assert wrong == []


def test_our_own_import_reads_the_export_back_in_every_zone() -> None:
    pairs = _sessions([*ZONES, *ODD_ZONES])
    parsed = parse_calendar(channel_calendar(pairs, name="x", now=NOW), default_tz="UTC")
    assert parsed.skipped == ()
    assert [
        (e.uid, e.fields.tz, e.fields.start, e.fields.rrule, sorted(e.changes))
        for e in parsed.events
    ] == [
        (s.uid, s.fields.tz, s.fields.start, s.fields.rrule,
         sorted((c.original_start, c.new_start) for c in changes))
        for s, changes in pairs
    ]  # fmt: skip
