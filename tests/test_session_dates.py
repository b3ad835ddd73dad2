"""Typed dates, lengths and repeats, in Japanese and English: a table each."""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from bot.features.sessions import cards as session_cards
from bot.features.sessions.cards import lead_line
from bot.features.sessions.dates import parse_day, parse_duration, parse_start
from bot.features.sessions.model import OccurrenceChange, Session, SessionFields
from bot.features.sessions.planning import plan
from bot.features.sessions.recurrence import (
    HORIZON,
    MAX_OCCURRENCES,
    BadRepeat,
    TooOften,
    first_starts,
    iter_occurrences,
    occurrences_between,
    parse_repeat,
    too_often,
)
from bot.i18n import Messages
from bot.model import ChannelRef

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
        ("next sat 2pm", "2026-12-05 14:00"),  # as 来週土曜: Saturday of next week
        ("ｎｅｘｔ ｓａｔ ２ｐｍ", "2026-12-05 14:00"),
        ("this sat 2pm", "2026-11-28 14:00"),
        ("saturday 2:30 pm", "2026-11-28 14:30"),
        ("tomorrow 7pm", "2026-11-25 19:00"),
        ("next friday 18:30", "2026-12-04 18:30"),
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


# --------------------------------------------------------------------------- bounded expansion

_RULES = (
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=DAILY;BYDAY=MO,WE,FR",
    "FREQ=DAILY;BYMONTHDAY=1,15;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=WEEKLY",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,FR;WKST=SU",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE;BYSETPOS=-1",
    "FREQ=MONTHLY",
    "FREQ=MONTHLY;INTERVAL=2",
    "FREQ=MONTHLY;BYDAY=2SA",
    "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FREQ=YEARLY",
    "FREQ=YEARLY;INTERVAL=2",
    "FREQ=YEARLY;BYMONTH=3",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=YEARLY;BYDAY=20MO",
    "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO",
    "FREQ=WEEKLY;BYDAY=SA;UNTIL=20280101T000000Z",
    "FREQ=DAILY;COUNT=900",
)


def _reference(fields: SessionFields, after: datetime) -> list[datetime]:
    """The plain walk from the real DTSTART: what a bounded expansion must equal."""
    tz = ZoneInfo(fields.tz)
    assert fields.rrule is not None
    rule = rrulestr(fields.rrule, dtstart=fields.start.astimezone(tz))
    end = max(after, fields.start) + HORIZON
    out = []
    for local in rule:
        if local > end:
            break
        if local >= after:
            out.append(local.astimezone(UTC))
            if len(out) == MAX_OCCURRENCES:
                break
    return out


def test_expansion_from_a_moved_start_equals_the_walk_from_the_first() -> None:
    """Expansions start near their window (history costs nothing): for many
    rules, first starts (a 31st, Feb 29, a DST night) and windows, they give
    exactly the occurrences of the plain walk from the first start."""
    rng = random.Random(11)
    starts = (
        ("Asia/Tokyo", datetime(2024, 1, 31, 19, 0)),
        ("Asia/Tokyo", datetime(2024, 2, 29, 10, 0)),
        ("Europe/London", datetime(2023, 3, 26, 1, 30)),  # the night clocks go forward
        ("Europe/London", datetime(2022, 10, 30, 1, 30)),  # and back
        ("America/New_York", datetime(2021, 12, 31, 23, 0)),
    )
    checked = 0
    length = timedelta(minutes=90)  # as _session makes them
    for rule in _RULES:
        for tz, naive in starts:
            start = naive.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)
            session = _session(rule, start, tz)
            for _ in range(4):
                after = start + timedelta(minutes=rng.randrange(-60 * 24 * 30, 60 * 24 * 1500))
                got = islice(iter_occurrences(session, [], ending_after=after), 50)
                want = [s for s in _reference(session.fields, after - length) if s + length > after]
                assert [o.start for o in got] == want[:50], (rule, tz, naive, after)
                checked += 1
    assert checked == len(_RULES) * len(starts) * 4


def test_an_hourly_rule_from_before_the_refusal_is_bounded() -> None:
    session = _session("FREQ=HOURLY", NOW)
    occs = list(iter_occurrences(session, [], ending_after=NOW))
    assert len(occs) == MAX_OCCURRENCES and occs[-1].start - NOW < HORIZON


@pytest.mark.parametrize(
    "typed",
    [
        "FREQ=HOURLY",
        "rrule:freq=minutely",
        "FREQ=SECONDLY",
        "FREQ=DAILY;BYHOUR=9,21",
        "FREQ=WEEKLY;BYDAY=TH;BYMINUTE=0,30",
    ],
)
def test_repeats_more_than_daily_are_refused_as_too_often(typed: str) -> None:
    assert too_often(typed)
    with pytest.raises(TooOften):
        parse_repeat(typed, THURSDAY, "Asia/Tokyo")


@pytest.mark.parametrize(
    "typed",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=WEEKLY;BYMONTH=4,6;BYMONTHDAY=31",
        "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=40",
        "FREQ=MONTHLY;BYMONTH=2;BYDAY=MO;BYSETPOS=6",
        "FREQ=DAILY;BYYEARDAY=366;BYMONTH=1",
        "FREQ=DAILY;BYWEEKNO=53;BYMONTH=6",
    ],
)
def test_rules_that_never_match_are_refused_without_a_search(typed: str) -> None:
    began = time.perf_counter()
    with pytest.raises(BadRepeat):
        parse_repeat(typed, THURSDAY, "Asia/Tokyo")
    assert time.perf_counter() - began < 0.05  # dateutil would look until the year 9999


def test_the_preview_shows_the_first_starts() -> None:
    fields = SessionFields("x", THURSDAY, 60, "Asia/Tokyo", rrule="FREQ=DAILY")
    assert [s.day for s in first_starts(fields, 3)] == [3, 4, 5]


# --------------------------------------------------------------------------- how soon, when sent

SAT_14 = datetime(2026, 12, 12, 5, 0, tzinfo=UTC)  # Saturday 14:00 in Tokyo


@pytest.mark.parametrize(
    ("before", "en", "ja"),
    [
        (timedelta(days=7), "In 7 days.", "7日後です。"),
        (timedelta(days=2), "In 2 days.", "2日後です。"),
        (timedelta(days=1, hours=20), "In 2 days.", "2日後です。"),  # Thu 18:00: Saturday
        (timedelta(hours=30), "Tomorrow at 14:00.", "明日の14:00からです。"),
        (timedelta(hours=3), "Today at 14:00.", "今日の14:00からです。"),
        (timedelta(minutes=59), "Starting in 59 minutes, at 14:00.",
         "あと59分、14:00から始まります。"),
        (timedelta(minutes=5, seconds=30), "Starting in 6 minutes, at 14:00.",
         "あと6分、14:00から始まります。"),
        (timedelta(minutes=1), "Starting now.", "まもなく始まります。"),
        (timedelta(0), "Starting now.", "まもなく始まります。"),
        (-timedelta(minutes=4), "Starting now.", "まもなく始まります。"),
        (-timedelta(minutes=20), "Under way since 14:00. Joining partway through is fine too.",
         "14:00から開催中です。途中からの参加も歓迎です。"),
    ],
)  # fmt: skip
def test_announcements_say_how_soon_as_of_sending(before: timedelta, en: str, ja: str) -> None:
    messages = Messages.load()
    now = SAT_14 - before
    assert lead_line(messages.for_lang("en"), SAT_14, now, "Asia/Tokyo") == en
    assert lead_line(messages.for_lang("ja"), SAT_14, now, "Asia/Tokyo") == ja


def test_one_minute_is_singular_and_days_follow_the_sessions_calendar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    t = Messages.load().for_lang("en")
    monkeypatch.setattr(session_cards, "STARTING_NOW", timedelta(0))
    soon = SAT_14 - timedelta(seconds=40)
    assert lead_line(t, SAT_14, soon, "Asia/Tokyo") == "Starting in 1 minute, at 14:00."
    monkeypatch.undo()
    # Thursday 20:00 UTC is Friday 05:00 in Tokyo: the session is tomorrow there
    thursday_night = datetime(2026, 12, 10, 20, 0, tzinfo=UTC)
    assert lead_line(t, SAT_14, thursday_night, "Asia/Tokyo") == "Tomorrow at 14:00."
    assert lead_line(t, SAT_14, thursday_night, "UTC") == "In 2 days."
