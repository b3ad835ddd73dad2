"""Working days and local dates, shared by every feature that sends on its own.

Days off are the public holidays of the deployment's country (the maintained
`holidays` library, never a hand-written list) and the year-end break, 29
December to 3 January. A message moved off a day off goes to the next working
day (Monday to Friday, not a day off). Nudges (bot.features.nudges.timing) and
coffee introductions place their messages with these rules.

A *period* is the ISO week of a local date ("2026-W48"): delivery keys carry
it, so a member gets at most one message of a kind per ISO week.
"""

from __future__ import annotations

import asyncio
from collections.abc import Container, Set
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_DAYS_AHEAD = 60  # a guard: no real calendar has this many days off in a row


class WorkingDays:
    """Days off for one country: its public holidays and 29 Dec - 3 Jan.

    Holds one `holidays` table (it fills in years lazily as they are asked
    about); build one per planner, not one per member. The table (and the
    library: 17 MB and 0.3 s together) is loaded on the first question, not
    when the calendar is built: a plan pass with nobody to place never loads
    it. An async caller about to place many members can `await load()` first,
    so the loading happens in a worker thread instead of on its event loop.
    """

    def __init__(self, country: str) -> None:
        self.country = country
        self._table: Container[date] | None = None

    async def load(self) -> WorkingDays:
        """Load the holiday table in a worker thread (once); returns self."""
        if self._table is None:
            await asyncio.to_thread(self._load)
        return self

    def _load(self) -> Container[date]:
        if self._table is None:
            import holidays  # loaded by the first question, never at start

            table = holidays.country_holidays(self.country)
            _ = date.today() in table  # fills in this year: the slow part
            self._table = table
        return self._table

    def is_day_off(self, day: date) -> bool:
        if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
            return True
        return day in (self._table if self._table is not None else self._load())

    def working_day_on_or_after(self, day: date) -> date:
        """`day` itself unless it is a day off; else the next weekday that is not."""
        if not self.is_day_off(day):
            return day
        for _ in range(MAX_DAYS_AHEAD):
            day += timedelta(days=1)
            if day.weekday() < 5 and not self.is_day_off(day):
                return day
        raise ValueError(f"no working day within {MAX_DAYS_AHEAD} days of {day}")


def free_working_day(
    day: date,
    calendar: WorkingDays,
    *,
    busy_days: Set[date] = frozenset(),
    full_weeks: Set[str] = frozenset(),
) -> date:
    """The one rule for placing an unsolicited message that has no slot of its
    own (a follow-up, and any later kind): the first working day on or after
    `day` (`WorkingDays`, as for nudges) that is not in `busy_days` (a
    member's days that already carry an unsolicited message: one a day at
    most) and whose ISO week (`period_of`) is not in `full_weeks` (weeks whose
    budget for this kind of message is spent)."""
    for _ in range(MAX_DAYS_AHEAD):
        day = calendar.working_day_on_or_after(day)
        if day not in busy_days and period_of(day) not in full_weeks:
            return day
        day += timedelta(days=1)
    raise ValueError(f"no free working day within {MAX_DAYS_AHEAD} days of {day}")


# --------------------------------------------------------------------------- local time


def clock_time(hhmm: str) -> time:
    hour, minute = hhmm.split(":")
    return time(int(hour), int(minute))


def local_date(instant: datetime, tz: str) -> date:
    return instant.astimezone(ZoneInfo(tz)).date()


def at_local(day: date, hhmm: str, tz: str) -> datetime:
    """`day` at `hhmm` in `tz`, as an aware UTC datetime. A wall time that a DST
    change skips resolves forward, as zoneinfo does (fold=0)."""
    local = datetime.combine(day, clock_time(hhmm), tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def end_of_local_day(instant: datetime, tz: str) -> datetime:
    """The next local midnight after `instant`, in UTC: a nudge's `expires_at`."""
    zone = ZoneInfo(tz)
    tomorrow = instant.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=zone).astimezone(UTC)


def period_of(day: date) -> str:
    """The ISO week of a local date: "2026-W48"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
