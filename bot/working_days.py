"""Working days and local dates, shared by every feature that sends on its own.

Days off are the public holidays of the deployment's country (the maintained
`holidays` library, never a hand-written list) and the year-end break, 29
December to 3 January. A message moved off a day off goes to the next working
day (Monday to Friday, not a day off). Nudges (bot.features.nudges.timing) and
coffee introductions place their messages with these rules. The library is
asked in a short child process (`public_holidays`), and this process keeps
only the dates it prints: loading it here would cost ~10 MB for good.

A *period* is the ISO week of a local date ("2026-W48"): delivery keys carry
it, so a member gets at most one message of a kind per ISO week.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Set
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

MAX_DAYS_AHEAD = 60  # a guard: no real calendar has this many days off in a row
SPAN_YEARS = 10  # one load asks for a decade of public holidays
LOAD_TIMEOUT_S = 60.0
UNKNOWN_COUNTRY = 2  # the child's exit status when the library does not know the country
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # where `bot` is importable from
CHILD = (  # `bot` from where this process found it, last on the path: it shadows nothing
    "import sys; sys.path.append(sys.argv.pop(1));"
    " from bot.working_days import print_public_holidays;"
    " raise SystemExit(print_public_holidays(sys.argv[1:]))"
)


class HolidaysUnavailable(RuntimeError):
    """The holidays library gave no days off for a country (an unknown code,
    or the child process asking it failed)."""


class WorkingDays:
    """Days off for one country: its public holidays and 29 Dec - 3 Jan.

    The public holidays come from the `holidays` library, asked in a short
    child process (`public_holidays`) a decade at a time; this process keeps
    only the dates. A decade is asked on the first question about one of its
    days (by any calendar of the process), not when the calendar is built. An
    async caller can `await load()` first, so that the child runs while its
    event loop carries on: `ippo run` does while starting.
    """

    def __init__(self, country: str) -> None:
        self.country = country
        self._spans: dict[int, frozenset[date]] = {}

    async def load(self) -> WorkingDays:
        """Get this year's decade of public holidays (and the next one when a
        year from now is in it) without blocking the loop; returns self."""
        today = date.today()
        for year in dict.fromkeys((today.year, (today + timedelta(days=366)).year)):
            span = span_of(year)
            if span not in self._spans:
                self._spans[span] = await asyncio.to_thread(public_holidays, self.country, span)
        return self

    def _holidays_in(self, year: int) -> frozenset[date]:
        span = span_of(year)
        found = self._spans.get(span)
        if found is None:
            found = self._spans[span] = public_holidays(self.country, span)
        return found

    def is_day_off(self, day: date) -> bool:
        if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
            return True
        return day in self._holidays_in(day.year)

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


# --------------------------------------------------------------------------- public holidays


def span_of(year: int) -> int:
    """The first year of the decade `year` is in: one load's span."""
    return year - year % SPAN_YEARS


def public_holidays(country: str, first_year: int) -> frozenset[date]:
    """The public holidays of `country` from `first_year` for `SPAN_YEARS`
    years, as the `holidays` library gives them, asked in a child process
    (`CHILD`: `print_public_holidays`) that prints them and exits.

    Why a child: to give one country's table the library imports every
    country it knows (~280 modules) and its lunisolar calendars, about 10 MB
    that would stay resident in a long-running process for the sake of a
    few hundred dates; the child spends 0.3 s of CPU once per country and
    decade. The answer is remembered for the process's life (`_ask_library`),
    so every calendar of the country shares it and no later question starts
    a child; so is a country the library does not know (every plan pass
    would ask again), but not a child that failed otherwise.
    """
    answer = _ask_library(country, first_year)
    if isinstance(answer, str):
        raise HolidaysUnavailable(answer)
    return answer


@cache
def _ask_library(country: str, first_year: int) -> frozenset[date] | str:
    """The dates, or why the library has none for `country` (exit status 2)."""
    command = [sys.executable, "-c", CHILD, str(PACKAGE_ROOT), country, str(first_year)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=LOAD_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise HolidaysUnavailable(f"holidays for {country}: {err}") from err
    reason = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
    if done.returncode == UNKNOWN_COUNTRY:
        return f"holidays for {country}: {reason[0]}"
    if done.returncode != 0:
        raise HolidaysUnavailable(f"holidays for {country}: {reason[0]}")
    return frozenset(date.fromisoformat(line) for line in done.stdout.split())


def print_public_holidays(argv: list[str]) -> int:
    """The child's side: `COUNTRY FIRST_YEAR` -> one ISO date a line."""
    import holidays  # only ever in the child process

    country, first_year = argv[0], int(argv[1])
    try:
        table = holidays.country_holidays(country, years=range(first_year, first_year + SPAN_YEARS))
    except NotImplementedError as err:
        print(err, file=sys.stderr)
        return UNKNOWN_COUNTRY
    sys.stdout.write("".join(f"{day.isoformat()}\n" for day in sorted(table)))
    return 0


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
