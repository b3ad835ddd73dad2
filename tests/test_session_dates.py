"""Typed dates, lengths and repeats, in Japanese and English: a table each."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.model import ChannelRef
from bot.sessions.dates import parse_day, parse_duration, parse_start
from bot.sessions.model import OccurrenceChange, Session, SessionFields
from bot.sessions.planning import plan
from bot.sessions.recurrence import BadRepeat, occurrences_between, parse_repeat

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # Tuesday 10:00 in Tokyo
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("来週土曜 14:00", "2026-12-05 14:00"),
        ("来週の土曜日 午後2時", "2026-12-05 14:00"),
        ("来週の木曜 19時半", "2026-12-03 19:30"),
        ("土曜 14:00", "2026-11-28 14:00"),
        ("明日 19:00", "2026-11-25 19:00"),
        ("2026-12-12 14:00", "2026-12-12 14:00"),
        ("2026/12/12 14:00", "2026-12-12 14:00"),
        ("2026年12月12日 14:00", "2026-12-12 14:00"),
        ("12月12日 14時", "2026-12-12 14:00"),
        ("１２／１２　１４：００", "2026-12-12 14:00"),
        ("12/12 14:00", "2026-12-12 14:00"),
        ("next sat 2pm", "2026-11-28 14:00"),
        ("ｎｅｘｔ ｓａｔ ２ｐｍ", "2026-11-28 14:00"),
        ("saturday 2:30 pm", "2026-11-28 14:30"),
        ("tomorrow 7pm", "2026-11-25 19:00"),
        ("next friday 18:30", "2026-11-27 18:30"),
        ("tue 9:00", "2026-12-01 09:00"),  # today's 9:00 has passed: next week
        ("14:00", "2026-11-24 14:00"),
        ("December 12 2pm", "2026-12-12 14:00"),
        ("12 Dec 2026 14:00", "2026-12-12 14:00"),
        ("1/5 10:00", "2027-01-05 10:00"),  # a month-day already past is next year
    ],
)
def test_starts_that_are_read(typed: str, expected: str) -> None:
    got = parse_start(typed, now=NOW, tz="Asia/Tokyo")
    assert got is not None and got.tzinfo is not None
    assert got.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "someday",
        "来週",  # no day, no time
        "明日",  # no time: never guessed
        "next week",
        "2026-12-12",
        "2025-01-01 10:00",  # in the past
        "2026-02-30 10:00",  # no such day
        "13pm",
        "25:00",
        "2031-01-01 10:00",  # too far ahead
        "funday 2pm",
    ],
)
def test_starts_that_are_refused(typed: str) -> None:
    assert parse_start(typed, now=NOW, tz="Asia/Tokyo") is None


def test_start_in_another_timezone_and_dst_gap() -> None:
    got = parse_start("2026-12-12 14:00", now=NOW, tz="Europe/London")
    assert got == datetime(2026, 12, 12, 14, 0, tzinfo=UTC)
    # 01:30 on 2027-03-28 does not exist in London (clocks go forward)
    assert parse_start("2027-03-28 01:30", now=NOW, tz="Europe/London") is None


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("90", 90),
        ("90分", 90),
        ("90 min", 90),
        ("1h30", 90),
        ("2h", 120),
        ("1時間半", 90),
        ("1時間30分", 90),
        ("1.5h", 90),
        ("2 hours", 120),
        ("abc", None),
        ("0", None),
        ("25h", None),
    ],
)
def test_durations(typed: str, minutes: int | None) -> None:
    assert parse_duration(typed) == minutes


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-12-17", date(2026, 12, 17)),
        ("12/17", date(2026, 12, 17)),
        ("12月17日", date(2026, 12, 17)),
        ("来週木曜", date(2026, 12, 3)),
        ("nonsense", None),
    ],
)
def test_days_for_picking_an_occurrence(typed: str, day: date | None) -> None:
    assert parse_day(typed, now=NOW, tz="Asia/Tokyo") == day


THURSDAY = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # Thu 19:00 Tokyo, 1st Thursday


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("", None),
        ("なし", None),
        ("weekly", "FREQ=WEEKLY;BYDAY=TH"),
        ("毎週", "FREQ=WEEKLY;BYDAY=TH"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        ("隔週", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        ("2週間ごと", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        ("every 3 weeks", "FREQ=WEEKLY;INTERVAL=3;BYDAY=TH"),
        ("monthly", "FREQ=MONTHLY;BYDAY=1TH"),
        ("毎月第1木曜", "FREQ=MONTHLY;BYDAY=1TH"),
        ("1st thu", "FREQ=MONTHLY;BYDAY=1TH"),
        ("first thursday of the month", "FREQ=MONTHLY;BYDAY=1TH"),
        ("FREQ=WEEKLY;BYDAY=TH;COUNT=4", "FREQ=WEEKLY;BYDAY=TH;COUNT=4"),
    ],
)
def test_repeats(typed: str, rule: str | None) -> None:
    assert parse_repeat(typed, THURSDAY, "Asia/Tokyo") == rule


@pytest.mark.parametrize("typed", ["sometimes", "毎月第2土曜", "every 20 weeks", "FREQ=NEVER"])
def test_repeats_refused(typed: str) -> None:
    # 毎月第2土曜: the first start (a Thursday) is not one of its days
    with pytest.raises(BadRepeat):
        parse_repeat(typed, THURSDAY, "Asia/Tokyo")


def _session(rule: str | None, start: datetime = THURSDAY, tz: str = "Asia/Tokyo") -> Session:
    fields = SessionFields("x", start, 90, tz, rrule=rule)
    return Session(1, "x@ippo", ChannelRef("console", "console", "c"), None, "ja", fields)


def test_expansion_with_cancelled_and_moved_occurrences() -> None:
    session = _session("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH")
    cancelled = OccurrenceChange(1, datetime(2026, 12, 17, 10, tzinfo=UTC), None, True)
    moved = OccurrenceChange(
        1, datetime(2026, 12, 31, 10, tzinfo=UTC), datetime(2027, 1, 1, 10, tzinfo=UTC)
    )
    occs = occurrences_between(session, [cancelled, moved], NOW, datetime(2027, 2, 1, tzinfo=UTC))
    assert [o.start.date().isoformat() for o in occs] == [
        "2026-12-03",
        "2027-01-01",
        "2027-01-14",
        "2027-01-28",
    ]
    assert occs[1].moved and occs[1].original_start.day == 31


def test_expansion_keeps_wall_clock_time_across_dst() -> None:
    start = datetime(2027, 3, 11, 18, 0, tzinfo=UTC)  # Thu 18:00 London (GMT)
    session = _session("FREQ=WEEKLY;BYDAY=TH", start, "Europe/London")
    occs = occurrences_between(session, [], start, datetime(2027, 4, 10, tzinfo=UTC))
    local = {o.start.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") for o in occs}
    assert local == {"18:00"} and len(occs) == 5


def test_plan_posts_only_the_latest_passed_lead() -> None:
    session = _session(None, datetime(2026, 11, 26, 10, tzinfo=UTC))
    due, next_at = plan(session, [], now=NOW, leads=(10080, 1440, 0), reminder_lead_min=60)
    assert [(d.kind, d.lead_min) for d in due] == [("announce", 10080)]
    assert next_at == datetime(2026, 11, 25, 10, tzinfo=UTC)  # the day-before post
    _, after_all = plan(
        session, [], now=datetime(2026, 11, 27, tzinfo=UTC), leads=(0,), reminder_lead_min=60
    )
    assert after_all is None  # a one-off session that is over needs no more planning
