"""Public holidays come from the `holidays` library, asked in a child process
a decade at a time (`public_holidays`): this process never imports the
library, keeps only the dates, and answers as the library does, whether the
calendar was loaded ahead (`WorkingDays.load`, which `ippo run` calls while
starting) or asked on its first question."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.working_days import HolidaysUnavailable, WorkingDays, public_holidays, span_of

ROOT = Path(__file__).resolve().parent.parent
CULTURE_DAY = date(2026, 11, 3)  # a Japanese public holiday, a Tuesday
NEXT_DAY = date(2026, 11, 4)


async def test_a_loaded_calendar_answers_as_a_lazy_one() -> None:
    lazy = WorkingDays("JP")
    loaded = await WorkingDays("JP").load()
    for calendar in (lazy, loaded):
        assert calendar.is_day_off(CULTURE_DAY)
        assert not calendar.is_day_off(NEXT_DAY)
        assert calendar.working_day_on_or_after(CULTURE_DAY) == NEXT_DAY
    assert await loaded.load() is loaded


def test_the_dates_are_the_librarys_own() -> None:
    import holidays

    for country in ("JP", "GB"):
        first = span_of(2026)
        expected = holidays.country_holidays(country, years=range(first, first + 10))
        assert public_holidays(country, first) == frozenset(expected)


def children_started(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    started: list[list[str]] = []
    run = subprocess.run

    def recorded(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        started.append(command)
        return run(command, **kwargs)

    monkeypatch.setattr(subprocess, "run", recorded)
    return started


def test_a_decade_is_asked_once_per_country(monkeypatch: pytest.MonkeyPatch) -> None:
    started = children_started(monkeypatch)
    for _ in range(2):
        calendar = WorkingDays("JP")
        assert calendar.is_day_off(date(2031, 1, 13))  # Coming of Age Day
        assert not calendar.is_day_off(date(2039, 12, 1))
    assert len(started) <= 1  # none when another test asked first


def test_an_unknown_country_says_so_once(monkeypatch: pytest.MonkeyPatch) -> None:
    started = children_started(monkeypatch)
    for _ in range(2):
        with pytest.raises(HolidaysUnavailable, match="XX"):
            WorkingDays("XX").is_day_off(NEXT_DAY)
    assert len(started) == 1


def test_answering_never_imports_the_holidays_library() -> None:
    script = (
        "import sys\n"
        "from datetime import date\n"
        "from bot.working_days import WorkingDays\n"
        "calendar = WorkingDays('JP')\n"
        "print('holidays' in sys.modules)\n"
        "print(calendar.is_day_off(date(2026, 11, 3)), 'holidays' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.split() == ["False", "True", "False"], done.stderr
