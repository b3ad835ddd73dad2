"""Ten weeks across the year-end break with hourly-or-faster ticks and a
week of downtime: every promise of the weekly nudge holds (tests/yearsim.py).
The whole year runs as `python -m bench.simulate_year`."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.working_days import WorkingDays
from storage import SqlStore
from tests.yearsim import Plan, check, simulate

PLAN = Plan(
    start=datetime(2026, 12, 7, 15, 0, tzinfo=UTC),  # Tuesday 8 December in Tokyo
    end=datetime(2027, 2, 16, 0, 0, tzinfo=UTC),
    members=40,
    downtime=(datetime(2027, 1, 25, 3, 0, tzinfo=UTC), datetime(2027, 2, 1, 3, 0, tzinfo=UTC)),
)


async def test_ten_weeks_keep_every_promise(sqlite_store: SqlStore) -> None:
    sim = await simulate(sqlite_store, PLAN)
    found = check(sim, PLAN, WorkingDays("JP"))
    assert found.problems == []
    assert found.messages > PLAN.members * 3  # the simulation did send
    assert found.late_minutes_max <= 60
