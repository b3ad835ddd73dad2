"""Dates and times in a reader's language: one formatter for every feature.

A feature names the catalog messages it writes dates with (`DateWords`): a
session card says "Fri 2026-12-04 19:00" where a nudge says "Friday
2026-12-04 at 19:00", from the same year, month, day, weekday and time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import Translator


@dataclass(frozen=True, slots=True)
class DateWords:
    """Catalog keys: `date` ({year} {month} {day} {weekday}), `datetime`
    (the same and {time}) and `weekday`, the table of day names d0 (Monday)
    to d6."""

    date: str
    datetime: str
    weekday: str


def format_when(t: Translator, instant: datetime, tz: str, words: DateWords) -> str:
    """`instant` as a date and time in the timezone `tz`."""
    local = instant.astimezone(ZoneInfo(tz))
    return t(words.datetime, **_day(t, local.date(), words), time=local.strftime("%H:%M"))


def format_date(t: Translator, day: date, words: DateWords) -> str:
    return t(words.date, **_day(t, day, words))


def _day(t: Translator, day: date, words: DateWords) -> dict[str, object]:
    weekday = t(f"{words.weekday}.d{day.weekday()}")
    return {"year": day.year, "month": day.month, "day": day.day, "weekday": weekday}
