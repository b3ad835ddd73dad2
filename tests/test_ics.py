"""Calendar export and import: valid iCalendar that standard libraries read
back into exactly the occurrences ippo announces."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import recurring_ical_events
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.sessions_cli import export_ics, ics_feed_routes, import_ics
from bot.features.sessions.ics import parse_calendar
from bot.features.sessions.recurrence import occurrences_between
from bot.model import ChannelRef
from storage import SqlStore
from tests.sessionkit import CHANNEL, add_session, make_world, organizer, post_buttons, rsvp_id

WINDOW = (datetime(2026, 11, 24, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC))
LEADS = (timedelta(days=7), timedelta(days=1), timedelta(0))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def expand(data: bytes) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return list(recurring_ical_events.of(cal).between(*WINDOW))


def uids(data: bytes) -> list[str]:
    return sorted(str(e["uid"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT"))


def utc_of(value: datetime) -> datetime:
    return value.astimezone(UTC)


async def test_channel_export_matches_what_is_announced(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    org = organizer(w, lang="en")
    await org.say("/ippo session lang en")  # the channel's posts: English dates
    study = await add_session(
        org,
        {
            "title": "Study",
            "start": "2026-12-03 19:00",
            "repeat": "every 2 weeks",
            "place": "https://meet.example.org/s",
        },
    )
    await add_session(org, {"title": "LT night", "start": "2026-12-19 18:30", "duration": "2h"})
    await org.press(await org.say(f"/ippo session cancel {study} 2026-12-17"), "session:drop-one:")
    await org.say(f'/ippo session move {study} 2026-12-31 "2027-01-01 19:00"')

    data = await export_ics(
        sqlite_store,
        channel=ChannelRef("console", "console", CHANNEL),
        member_user=None,
        now=w.clock.now(),
    )
    cal = icalendar.Calendar.from_ical(data)
    tzids = {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")}
    assert tzids == {"Asia/Tokyo"}
    masters = [e for e in cal.walk("VEVENT") if e.get("recurrence-id") is None]
    assert len(masters) == 2
    master = next(e for e in masters if e.get("rrule"))
    assert master["rrule"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
    assert master["dtstart"].params["TZID"] == "Asia/Tokyo"
    assert utc_of(master["exdate"].dts[0].dt) == utc(2026, 12, 17, 10)
    again = await export_ics(
        sqlite_store,
        channel=ChannelRef("console", "console", CHANNEL),
        member_user=None,
        now=w.clock.now() + timedelta(hours=1),
    )
    assert uids(data) == uids(again)  # stable UIDs

    # every occurrence the standard expansion yields is announced, and nothing else
    expanded = expand(data)
    starts = sorted({utc_of(e["dtstart"].dt) for e in expanded})
    for at in sorted({s - lead for s in starts for lead in LEADS}):
        await w.tick(at)
    announced = {
        s.delivery_key.split(":")[2]
        for s in w.messenger.to_channel(CHANNEL)
        if s.delivery_key and s.delivery_key.startswith("announce:")
    }
    by_ical = {
        utc_of(e["recurrence-id"].dt if e.get("recurrence-id") else e["dtstart"].dt).strftime(
            "%Y%m%dT%H%M%SZ"
        )
        for e in expanded
    }
    assert announced == by_ical
    assert len(w.posts()) == 3 * len(by_ical)
    posts = "\n".join(w.posts())
    for event in expanded:
        local = event["dtstart"].dt.strftime("%Y-%m-%d %H:%M")
        assert local in posts
    assert "2026-12-17" not in posts and "2026-12-31" not in posts


async def test_member_feed_lists_their_answers_only(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    await add_session(
        organizer(w), {"title": "勉強会", "start": "2026-12-03 19:00", "repeat": "毎週"}
    )
    aki = w.harness.member("aki", channel=CHANNEL)
    await w.tick(utc(2026, 11, 26, 10))
    await aki.press(rsvp_id(post_buttons(w), "going"))
    await w.tick(utc(2026, 12, 3, 10))
    await aki.press(rsvp_id(post_buttons(w), "cant"))
    await w.tick(utc(2026, 12, 10, 10))  # 12-03 is over, 12-17 is announced
    await aki.press(rsvp_id(post_buttons(w), "watching"))
    data = await export_ics(
        sqlite_store, channel=None, member_user=aki.actor.user, now=w.clock.now()
    )
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    starts = sorted(utc_of(e["dtstart"].dt) for e in events)
    assert starts == [utc(2026, 12, 3, 10), utc(2026, 12, 17, 10)]
    assert len({str(e["uid"]) for e in events}) == 2
    assert all(str(e["uid"]).endswith("@ippo") for e in events)


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Calendar//EN
BEGIN:VTIMEZONE
TZID:Asia/Tokyo
BEGIN:STANDARD
DTSTART:19700101T000000
TZOFFSETFROM:+0900
TZOFFSETTO:+0900
TZNAME:JST
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:lt-night-2026@example.org
DTSTAMP:20261101T000000Z
SUMMARY:{summary}
DTSTART;TZID=Asia/Tokyo:20261210T190000
DTEND;TZID=Asia/Tokyo:20261210T203000
RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=6
EXDATE;TZID=Asia/Tokyo:20261224T190000
LOCATION:Room 3A
END:VEVENT
BEGIN:VEVENT
UID:lt-night-2026@example.org
DTSTAMP:20261101T000000Z
RECURRENCE-ID;TZID=Asia/Tokyo:20261231T190000
SUMMARY:{summary}
DTSTART;TZID=Asia/Tokyo:20261230T190000
DTEND;TZID=Asia/Tokyo:20261230T203000
END:VEVENT
BEGIN:VEVENT
UID:holiday@example.org
DTSTAMP:20261101T000000Z
SUMMARY:All-day event
DTSTART;VALUE=DATE:20261225
END:VEVENT
END:VCALENDAR
"""


async def test_import_is_idempotent_on_uid_and_keeps_the_rule(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    w = make_world(sqlite_store)
    path = tmp_path / "events.ics"
    path.write_text(ICS.format(summary="LT night"), encoding="utf-8")
    target = ChannelRef("console", "console", "C-lt")
    first = await import_ics(sqlite_store, path, target, now=w.clock.now())
    assert (first.created, first.updated, first.skipped) == (1, 0, ("holiday@example.org",))
    second = await import_ics(sqlite_store, path, target, now=w.clock.now())
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
    path.write_text(ICS.format(summary="LT night vol.2"), encoding="utf-8")
    third = await import_ics(sqlite_store, path, target, now=w.clock.now())
    assert (third.created, third.updated) == (0, 1)

    async with sqlite_store.unit() as uow:
        [session] = await uow.sessions.in_workspace("console", "console", channel_id="C-lt")
        changes = await uow.sessions.changes(session.id)
    assert session.title == "LT night vol.2" and session.fields.rrule is not None
    assert sorted(session.fields.rrule.split(";")) == ["BYDAY=TH", "COUNT=6", "FREQ=WEEKLY"]
    ours = [o.start for o in occurrences_between(session, changes, *WINDOW)]
    timed = [e for e in expand(path.read_bytes()) if isinstance(e["dtstart"].dt, datetime)]
    theirs = sorted(utc_of(e["dtstart"].dt) for e in timed)  # the all-day one was skipped
    assert ours == theirs and len(ours) == 5  # 6 minus the EXDATE; the move kept

    data = await export_ics(sqlite_store, channel=target, member_user=None, now=w.clock.now())
    assert sorted(utc_of(e["dtstart"].dt) for e in expand(data)) == theirs


async def test_feed_served_at_the_members_secret_url(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    await add_session(organizer(w), {"title": "勉強会", "start": "2026-12-12 14:00"})
    await w.tick(utc(2026, 12, 5, 5))
    aki = w.harness.member("aki", locale="en", channel=CHANNEL)
    await aki.press(rsvp_id(post_buttons(w), "going"))
    told = "\n".join(r.message.text for r in await aki.say("/ippo sessions feed"))
    path = "/ics/" + told.split("/ics/")[1].split(".ics")[0] + ".ics"
    app = web.Application()
    app.add_routes(ics_feed_routes(sqlite_store, clock=w.clock))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        ok = await client.get(path)
        assert ok.status == 200 and ok.content_type == "text/calendar"
        events = icalendar.Calendar.from_ical(await ok.read()).walk("VEVENT")
        assert [str(e["summary"]) for e in events] == ["勉強会"]
        assert (await client.get("/ics/" + "x" * 32 + ".ics")).status == 404
        assert (await client.get("/ics/short.ics")).status == 404


OVERRIDES = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Calendar//EN
BEGIN:VEVENT
UID:club@example.org
DTSTAMP:20261101T000000Z
SUMMARY:Book club
LOCATION:Room 3A
DTSTART;TZID=Asia/Tokyo:20261203T190000
DTEND;TZID=Asia/Tokyo:20261203T200000
RRULE:FREQ=WEEKLY;BYDAY=TH
RDATE;TZID=Asia/Tokyo:20261205T190000
END:VEVENT
BEGIN:VEVENT
UID:club@example.org
DTSTAMP:20261101T000000Z
RECURRENCE-ID;TZID=Asia/Tokyo:20261210T190000
SUMMARY:Book club: author talk
LOCATION:Room 3A
DTSTART;TZID=Asia/Tokyo:20261211T190000
DTEND;TZID=Asia/Tokyo:20261211T200000
END:VEVENT
BEGIN:VEVENT
UID:club@example.org
DTSTAMP:20261101T000000Z
RECURRENCE-ID;TZID=Asia/Tokyo:20261217T190000
SUMMARY:Book club
LOCATION:Library
DTSTART;TZID=Asia/Tokyo:20261217T190000
DTEND;TZID=Asia/Tokyo:20261217T200000
END:VEVENT
BEGIN:VEVENT
UID:club@example.org
DTSTAMP:20261101T000000Z
RECURRENCE-ID;TZID=Asia/Tokyo:20261224T190000
STATUS:CANCELLED
SUMMARY:Book club
DTSTART;TZID=Asia/Tokyo:20261224T190000
END:VEVENT
BEGIN:VEVENT
UID:club@example.org
DTSTAMP:20261101T000000Z
RECURRENCE-ID;TZID=Asia/Tokyo:20261231T190000
SUMMARY:Book club
DTSTART;TZID=Asia/Tokyo:20261230T180000
DTEND;TZID=Asia/Tokyo:20261230T190000
END:VEVENT
BEGIN:VEVENT
UID:club@example.org
DTSTAMP:20261101T000000Z
RECURRENCE-ID;TZID=Asia/Tokyo:20261226T190000
SUMMARY:Book club
DTSTART;TZID=Asia/Tokyo:20261226T190000
DTEND;TZID=Asia/Tokyo:20261226T200000
END:VEVENT
BEGIN:VEVENT
UID:gone@example.org
DTSTAMP:20261101T000000Z
RECURRENCE-ID;TZID=Asia/Tokyo:20261208T120000
SUMMARY:Lunch
DTSTART;TZID=Asia/Tokyo:20261208T120000
END:VEVENT
BEGIN:VEVENT
UID:every-hour@example.org
DTSTAMP:20261101T000000Z
SUMMARY:Too often
DTSTART;TZID=Asia/Tokyo:20261208T120000
RRULE:FREQ=HOURLY
END:VEVENT
END:VCALENDAR
"""


def test_import_keeps_what_a_session_can_hold_and_reports_the_rest() -> None:
    parsed = parse_calendar(OVERRIDES.encode(), default_tz="Asia/Tokyo")
    [club] = parsed.events
    assert club.fields.title == "Book club" and club.fields.place == "Room 3A"
    assert sorted(club.changes, key=lambda c: c[0]) == [
        (utc(2026, 12, 10, 10), utc(2026, 12, 11, 10)),  # its own title: moved, and reported
        (utc(2026, 12, 24, 10), None),  # cancelled
        (utc(2026, 12, 31, 10), utc(2026, 12, 30, 9)),  # moved, the same hour long
    ]
    assert sorted(parsed.skipped) == [
        "club@example.org RDATE=20261205T100000Z",  # a session has no extra dates
        "club@example.org RECURRENCE-ID=20261210T100000Z",  # own title
        "club@example.org RECURRENCE-ID=20261217T100000Z",  # own place
        "club@example.org RECURRENCE-ID=20261226T100000Z",  # a Saturday: not in the series
        "every-hour@example.org",  # more than once a day
        "gone@example.org RECURRENCE-ID=20261208T030000Z",  # its series is not in the file
    ]


async def test_import_reports_an_override_it_cannot_hold(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    w = make_world(sqlite_store)
    path = tmp_path / "club.ics"
    path.write_text(OVERRIDES, encoding="utf-8")
    target = ChannelRef("console", "console", "C-club")
    report = await import_ics(sqlite_store, path, target, now=w.clock.now())
    assert report.created == 1
    assert "club@example.org RECURRENCE-ID=20261210T100000Z" in report.skipped
    async with sqlite_store.unit() as uow:
        [session] = await uow.sessions.in_workspace("console", "console", channel_id="C-club")
        changes = await uow.sessions.changes(session.id)
    starts = [o.start for o in occurrences_between(session, changes, *WINDOW)][:5]
    assert starts == [
        utc(2026, 12, 3, 10),
        utc(2026, 12, 11, 10),  # the author talk's day and time are kept
        utc(2026, 12, 17, 10),
        utc(2026, 12, 30, 9),
        utc(2027, 1, 7, 10),
    ]
