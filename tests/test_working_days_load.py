"""The holiday table loads on the first question, or ahead of it in a worker
thread (`WorkingDays.load`, which `ippo run` calls while starting); both
answer alike."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from bot.working_days import WorkingDays

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
    assert await loaded.load() is loaded  # once


def test_building_a_calendar_loads_no_holiday_table() -> None:
    script = (
        "import sys\n"
        "from bot.working_days import WorkingDays\n"
        "WorkingDays('JP')\n"
        "print('holidays' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "False", done.stderr
