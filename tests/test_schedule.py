"""Nudge timing (bot.features.nudges.timing, .when) and working days
(bot.working_days): slots, days off, periods, cadence and parsing (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.features.nudges.timing import SlotRule, cadence_after_silence, next_nudge_time
from bot.features.nudges.when import parse_time, parse_weekday
from bot.model import Cadence
from bot.working_days import WorkingDays, end_of_local_day, local_date, period_of

JP = WorkingDays("JP")
TOKYO = "Asia/Tokyo"
MONDAY_0930 = SlotRule(0, "09:30", TOKYO)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(instant: datetime, tz: str = TOKYO) -> str:
    from zoneinfo import ZoneInfo

    return instant.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %a %H:%M")


def test_next_slot_is_the_members_weekday_and_local_time() -> None:
    # Tuesday 2026-11-24 10:00 Tokyo -> Monday 2026-11-30 09:30 Tokyo
    after = utc(2026, 11, 24, 1, 0)
    assert local(next_nudge_time(MONDAY_0930, after, JP)) == "2026-11-30 Mon 09:30"


def test_slot_later_the_same_day_counts_and_an_exact_slot_does_not() -> None:
    monday_9 = utc(2026, 11, 30, 0, 0)  # 09:00 Tokyo
    assert local(next_nudge_time(MONDAY_0930, monday_9, JP)) == "2026-11-30 Mon 09:30"
    exactly = utc(2026, 11, 30, 0, 30)
    assert local(next_nudge_time(MONDAY_0930, exactly, JP)) == "2026-12-07 Mon 09:30"


def test_public_holiday_moves_to_next_working_day() -> None:
    # 2026-11-23 is Labour Thanksgiving Day (Monday)
    after = utc(2026, 11, 20, 0, 0)
    assert local(next_nudge_time(MONDAY_0930, after, JP)) == "2026-11-24 Tue 09:30"


def test_holiday_run_moves_past_every_day_off() -> None:
    # 21, 22, 23 September 2026 are all holidays
    after = utc(2026, 9, 18, 0, 0)
    assert local(next_nudge_time(MONDAY_0930, after, JP)) == "2026-09-24 Thu 09:30"


def test_year_end_break_moves_to_january_and_keeps_one_per_week() -> None:
    wednesday = SlotRule(2, "12:00", TOKYO)
    after = utc(2026, 12, 25, 0, 0)
    first = next_nudge_time(wednesday, after, JP)
    # 30 Dec .. 3 Jan are off: the next working day is Monday 4 January 2027
    assert local(first) == "2027-01-04 Mon 12:00"
    # the regular Wednesday 6 January is in the same ISO week: skipped
    second = next_nudge_time(wednesday, first, JP, last_period_day=local_date(first, TOKYO))
    assert local(second) == "2027-01-13 Wed 12:00"


def test_year_end_days_are_off_even_without_a_holiday() -> None:
    for day in (date(2026, 12, 29), date(2026, 12, 31), date(2027, 1, 2), date(2027, 1, 3)):
        assert JP.is_day_off(day)
    assert not JP.is_day_off(date(2026, 12, 28))
    assert not JP.is_day_off(date(2027, 1, 4))


def test_cadence_counts_from_the_last_nudge() -> None:
    last = date(2026, 11, 30)
    after = utc(2026, 11, 30, 0, 30)
    weekly = next_nudge_time(MONDAY_0930, after, JP, last_period_day=last)
    fortnightly = next_nudge_time(
        SlotRule(0, "09:30", TOKYO, Cadence.FORTNIGHTLY), after, JP, last_period_day=last
    )
    monthly = next_nudge_time(
        SlotRule(0, "09:30", TOKYO, Cadence.MONTHLY), after, JP, last_period_day=last
    )
    assert local(weekly) == "2026-12-07 Mon 09:30"
    assert local(fortnightly) == "2026-12-14 Mon 09:30"
    assert local(monthly) == "2026-12-28 Mon 09:30"


def test_pause_until_a_date() -> None:
    rule = SlotRule(0, "09:30", TOKYO, paused_until=date(2026, 12, 14))
    after = utc(2026, 11, 24, 1, 0)
    assert local(next_nudge_time(rule, after, JP)) == "2026-12-14 Mon 09:30"


def test_other_timezones_and_countries() -> None:
    rule = SlotRule(4, "08:15", "Europe/London")
    after = utc(2026, 11, 24, 1, 0)
    nxt = next_nudge_time(rule, after, WorkingDays("GB"))
    assert local(nxt, "Europe/London") == "2026-11-27 Fri 08:15"
    assert nxt == utc(2026, 11, 27, 8, 15)


def test_period_is_the_iso_week_of_the_local_date() -> None:
    assert period_of(date(2026, 11, 30)) == "2026-W49"
    assert period_of(date(2027, 1, 1)) == "2026-W53"
    # Monday 00:30 in Tokyo is still Sunday in UTC: the local date decides
    assert period_of(local_date(utc(2026, 11, 29, 15, 30), TOKYO)) == "2026-W49"


def test_end_of_local_day() -> None:
    assert end_of_local_day(utc(2026, 11, 30, 0, 30), TOKYO) == utc(2026, 11, 30, 15, 0)
    assert end_of_local_day(utc(2026, 11, 30, 15, 0), TOKYO) == utc(2026, 12, 1, 15, 0)


def test_silence_slows_the_cadence() -> None:
    assert [cadence_after_silence(n) for n in range(5)] == [
        Cadence.WEEKLY,
        Cadence.WEEKLY,
        Cadence.FORTNIGHTLY,
        Cadence.MONTHLY,
        Cadence.MONTHLY,
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("mon", 0),
        ("Monday", 0),
        ("月", 0),
        ("月曜", 0),
        ("月曜日", 0),
        ("(水)", 2),
        ("thurs", 3),
        ("金曜日", 4),
        ("ＳＵＮ", 6),
        ("日", 6),
        ("moon", None),
        ("曜日", None),
        ("", None),
    ],
)
def test_parse_weekday(raw: str, expected: int | None) -> None:
    assert parse_weekday(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("09:30", "09:30"),
        ("9:30", "09:30"),
        ("０９：３０", "09:30"),
        ("9時", "09:00"),
        ("18時15分", "18:15"),
        ("9時半", "09:30"),
        ("24:00", None),
        ("9:75", None),
        ("930", None),
        ("noon", None),
    ],
)
def test_parse_time(raw: str, expected: str | None) -> None:
    assert parse_time(raw) == expected
