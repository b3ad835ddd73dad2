"""Dates and times as organizers type them, in Japanese or English.

`parse_start("来週土曜 14:00", now=..., tz="Asia/Tokyo")` -> aware UTC datetime.
A small grammar of our own handles the everyday forms first (absolute dates,
今日/明日/tomorrow, weekdays with 来週/今週/next/this, 14:00 / 14時 / 午後2時 /
2pm); anything else goes to `dateparser` (ja + en, future preferred). Both
paths must find an explicit time of day and give a time in the future:
otherwise the answer is None and the member is shown an example — never a
silent guess.

Week words, as people use them: "来週土曜" and "next sat" are Saturday of
next week (weeks start on Monday), the same day in either language;
"今週土曜" / "this sat" / "土曜" / "sat" is the coming Saturday (today if the
time is still ahead); "次の土曜" is the first Saturday after today. The
preview shows the exact date before anything is saved.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_YEARS_AHEAD = 2

_WEEKDAYS_EN = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_WEEKDAYS_JA = {"月": 0, "火": 1, "水": 2, "木": 3, "金": 4, "土": 5, "日": 6}

_TIME_PATTERNS = (
    # 午後2時30分 / 午前10時
    re.compile(
        r"(?P<ampm>午前|午後)\s*(?P<h>\d{1,2})\s*時(?:\s*(?P<m>\d{1,2})\s*分|(?P<half>半))?"
    ),
    # 14:00, 2:30pm, 2:30 pm
    re.compile(r"(?<![\d/])(?P<h>\d{1,2}):(?P<m>\d{2})\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?"),
    # 2pm
    re.compile(r"(?<![\d/:])(?P<h>\d{1,2})\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)"),
    # 14時 / 14時30分 / 14時半
    re.compile(r"(?P<h>\d{1,2})\s*時(?:\s*(?P<m>\d{1,2})\s*分|(?P<half>半))?"),
)

_ISO_DATE = re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?")
_MONTH_DAY = re.compile(r"(?<![\d:])(?P<mo>\d{1,2})\s*(?:/|月)\s*(?P<d>\d{1,2})\s*日?(?![\d:])")
_REL_DAYS = {"今日": 0, "本日": 0, "today": 0, "明日": 1, "あした": 1, "tomorrow": 1,
             "明後日": 2, "あさって": 2}  # fmt: skip
_WEEKDAY_JA = re.compile(
    r"(?P<rel>来週|今週|次の|再来週)?\s*の?\s*(?P<wd>[月火水木金土日])曜(?:日)?"
)
_WEEKDAY_EN = re.compile(r"\b(?P<rel>next|this|coming)?\s*(?P<wd>[a-z]+)\b")


def normalize(text: str) -> str:
    """Full-width digits and colons to ASCII, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def find_time(text: str) -> tuple[time, str] | None:
    """The time of day in `text` and the text without it, or None."""
    for pattern in _TIME_PATTERNS:
        found = pattern.search(text)
        if not found:
            continue
        hour = int(found["h"])
        minute = int(found.groupdict().get("m") or 0)
        if found.groupdict().get("half"):
            minute = 30
        ampm = found.groupdict().get("ampm")
        if ampm in ("午後", "pm", "p.m.") and hour < 12:
            hour += 12
        elif ampm in ("午前", "am", "a.m.") and hour == 12:
            hour = 0
        if ampm and int(found["h"]) > 12:
            return None
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            return None
        rest = (text[: found.start()] + " " + text[found.end() :]).strip()
        return time(hour, minute), rest
    return None


def _date_part(rest: str, today: date) -> tuple[date, bool] | None:
    """The calendar date `rest` names and whether it named a weekday loosely
    (so "today" is allowed only if the time is still ahead). None: not ours."""
    rest = rest.strip(" ,、の")
    if not rest:
        return today, True
    if m := _ISO_DATE.fullmatch(rest):
        try:
            return date(int(m["y"]), int(m["mo"]), int(m["d"])), False
        except ValueError:
            return None
    if m := _MONTH_DAY.fullmatch(rest):
        try:
            day = date(today.year, int(m["mo"]), int(m["d"]))
        except ValueError:
            return None
        if day < today:
            day = day.replace(year=today.year + 1)
        return day, False
    if rest in _REL_DAYS:
        return today + timedelta(days=_REL_DAYS[rest]), False
    if m := _WEEKDAY_JA.fullmatch(rest):
        return _weekday(today, _WEEKDAYS_JA[m["wd"]], m["rel"] or "")
    if m := _WEEKDAY_EN.fullmatch(rest):
        wd = _WEEKDAYS_EN.get(m["wd"])
        if wd is None:
            return None
        return _weekday(today, wd, m["rel"] or "")
    return None


def _weekday(today: date, weekday: int, rel: str) -> tuple[date, bool]:
    ahead = (weekday - today.weekday()) % 7
    if rel in ("来週", "再来週", "next"):
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
        if rel == "再来週":
            monday += timedelta(weeks=1)
        return monday + timedelta(days=weekday), False
    if rel == "次の":
        return today + timedelta(days=ahead or 7), False
    # "this sat", "今週土曜", "土曜", "sat": the coming one, today included
    return today + timedelta(days=ahead), True


def parse_start(text: str, *, now: datetime, tz: str) -> datetime | None:
    """A future start time typed in ja or en, as aware UTC; None if unsure."""
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    cleaned = normalize(text)
    if not cleaned:
        return None
    found = find_time(cleaned)
    if found is None:
        return None  # a date without a time of day is never guessed
    at, rest = found
    ours = _date_part(rest, local_now.date())
    if ours is not None:
        day, loose = ours
        when = datetime.combine(day, at, zone)
        if loose and when <= local_now:
            when += timedelta(weeks=1) if rest.strip() else timedelta(days=1)
        return _checked(when, local_now)
    import dateparser  # 13 MB and 0.15 s: loaded by the first free-form date, not at start

    parsed = dateparser.parse(
        cleaned,
        languages=["ja", "en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": local_now.replace(tzinfo=None),
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DAY_OF_MONTH": "first",
        },
    )
    if parsed is None or parsed.time() != at:
        return None  # dateparser read a different time than the one typed
    return _checked(parsed.replace(tzinfo=zone), local_now)


def _checked(when: datetime, local_now: datetime) -> datetime | None:
    # a round trip through UTC rejects nonexistent local times (DST gaps)
    utc = when.astimezone(ZoneInfo("UTC"))
    if utc.astimezone(when.tzinfo).replace(tzinfo=None) != when.replace(tzinfo=None):
        return None
    if when <= local_now or when.year > local_now.year + MAX_YEARS_AHEAD:
        return None
    return utc


def parse_day(text: str, *, now: datetime, tz: str) -> date | None:
    """A calendar day ("2026-12-10", "12/10", "12月10日", "来週木曜", "next thu"),
    for picking one occurrence; past days are allowed within a year."""
    cleaned = normalize(text)
    if not cleaned:
        return None
    found = _date_part(cleaned, now.astimezone(ZoneInfo(tz)).date())
    return found[0] if found else None


_DURATION = re.compile(
    r"(?:(?P<h>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours|時間))?\s*"
    r"(?:(?P<half>半)|(?P<m>\d+)\s*(?:m|min|mins|minutes|分)?)?"
)


def parse_duration(text: str) -> int | None:
    """Minutes from "90", "90分", "90 min", "1h30", "2h", "1時間半", "1.5h"; None
    unless 5 minutes to 24 hours."""
    cleaned = normalize(text).replace(" ", "")
    if not cleaned:
        return None
    m = _DURATION.fullmatch(cleaned)
    if not m or not (m["h"] or m["m"]):
        return None
    minutes = round(float(m["h"] or 0) * 60) + int(m["m"] or 0) + (30 if m["half"] else 0)
    return minutes if 5 <= minutes <= 24 * 60 else None
