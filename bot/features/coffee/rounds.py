"""When coffee rounds happen: pure date arithmetic, no store.

A round falls every `CoffeeConfig.every_weeks` weeks (counted from
`EPOCH`, so every instance agrees) on `weekday`, moved to the next working
day like nudges (`bot.schedule.WorkingDays`). A round is planned from the day
before it (UTC), so its introductions are in the ledger before anyone's
morning, and is skipped, not caught up, once `CLOSE_AFTER` has passed.
Introductions go at `time` in each member's timezone; a group message goes
at the moment that is daytime for most of its members.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import CoffeeConfig
from bot.working_days import WorkingDays, at_local, local_date, period_of

EPOCH = date(2024, 1, 1)  # a Monday: round numbers count weeks from here
OPEN_BEFORE = timedelta(days=1)
CLOSE_AFTER = timedelta(days=2)
DAYTIME = range(8, 21)  # local hours a group message may arrive in


@dataclass(frozen=True, slots=True)
class Round:
    seq: int  # rounds since EPOCH
    period: str  # the ISO week of the round's planned weekday: "2026-W49"
    day: date  # the working day it falls on

    def opens(self) -> datetime:
        return datetime.combine(self.day, datetime.min.time(), tzinfo=UTC) - OPEN_BEFORE

    def closes(self) -> datetime:
        return datetime.combine(self.day, datetime.min.time(), tzinfo=UTC) + CLOSE_AFTER


def round_of_week(monday: date, config: CoffeeConfig, calendar: WorkingDays) -> Round | None:
    """The round of the week starting `monday`, if that week has one."""
    weeks = (monday - EPOCH).days // 7
    if weeks % config.every_weeks:
        return None
    planned = monday + timedelta(days=config.weekday)
    day = calendar.working_day_on_or_after(planned)
    moved_weeks = (day - monday).days // 7
    if moved_weeks and moved_weeks % config.every_weeks == 0:
        return None  # moved into the week of the next round: that one is the round
    return Round(weeks // config.every_weeks, period_of(planned), day)


def _mondays(now: datetime, before: int, after: int) -> Iterable[date]:
    today = now.astimezone(UTC).date()
    monday = today - timedelta(days=today.weekday())
    for offset in range(-before, after + 1):
        yield monday + timedelta(weeks=offset)


def open_rounds(now: datetime, config: CoffeeConfig, calendar: WorkingDays) -> list[Round]:
    """Rounds that may be planned at `now` (opened, not yet closed)."""
    out: list[Round] = []
    for monday in _mondays(now, 2, 1):
        found = round_of_week(monday, config, calendar)
        if found is not None and found.opens() <= now < found.closes():
            out.append(found)
    return out


def upcoming_rounds(
    now: datetime, config: CoffeeConfig, calendar: WorkingDays, count: int = 2
) -> list[Round]:
    """The next `count` rounds not yet closed at `now`, soonest first."""
    out: list[Round] = []
    for monday in _mondays(now, 2, 8 * config.every_weeks + 2):
        found = round_of_week(monday, config, calendar)
        if found is not None and found.closes() > now:
            out.append(found)
        if len(out) == count:
            break
    return out


def utc_offset(tz: str, at: datetime) -> float:
    offset = at.astimezone(ZoneInfo(tz)).utcoffset()
    return 0.0 if offset is None else offset.total_seconds() / 3600


def member_time(day: date, config: CoffeeConfig, tz: str) -> datetime:
    return at_local(day, config.time, tz)


def group_time(day: date, config: CoffeeConfig, zones: Sequence[str]) -> datetime:
    """One moment for a group message: each member's own coffee time on the
    round's day is a candidate, and the one that is daytime for the most
    members wins (the earliest of equals)."""
    candidates = sorted({member_time(day, config, tz) for tz in zones})

    def awake(at: datetime) -> int:
        return sum(1 for tz in zones if at.astimezone(ZoneInfo(tz)).hour in DAYTIME)

    return max(candidates, key=lambda at: (awake(at), -at.timestamp()))


def intro_days(
    now: datetime, config: CoffeeConfig, calendar: WorkingDays, tz: str, count: int = 3
) -> set[date]:
    """The local dates of a member's next introductions, for everything else
    unsolicited to keep off (one such message a day)."""
    return {
        local_date(member_time(r.day, config, tz), tz)
        for r in upcoming_rounds(now, config, calendar, count)
    }
