"""Benchmark: a whole year of weekly nudges, checked against every promise.

    python -m bench.simulate_year --members 300

The simulation in `tests/yearsim.py` (the same one `tests/test_year.py`
runs for ten weeks in `make test`): members in five timezones with five
habits (silent, skips, tries, logs steps, stops), ticks at irregular
intervals of up to an hour, a week of downtime in the summer, the year-end
break and every Japanese public holiday. Prints one JSON line: members,
ticks, messages, broken promises (must be 0), the latest delivery after its
slot in minutes, seconds and peak memory. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bot.working_days import WorkingDays
from storage import open_store, upgrade_database
from tests.yearsim import Plan, check, simulate

YEAR = Plan(
    start=datetime(2026, 12, 1, 15, 0, tzinfo=UTC),
    end=datetime(2027, 12, 1, 15, 0, tzinfo=UTC),
    members=300,
    downtime=(datetime(2027, 7, 12, 3, 0, tzinfo=UTC), datetime(2027, 7, 19, 3, 0, tzinfo=UTC)),
)


async def run(members: int) -> dict[str, object]:
    plan = Plan(YEAR.start, YEAR.end, members, downtime=YEAR.downtime)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'year.db'}"
        await upgrade_database(url)
        store = open_store(url)
        try:
            sim = await simulate(store, plan)
        finally:
            await store.close()
    found = check(sim, plan, WorkingDays("JP"))
    for line in found.problems:
        print(line, file=sys.stderr)
    return {
        "benchmark": "simulate_year",
        "members": members,
        "ticks": len(sim.ticks),
        "messages": found.messages,
        "broken_promises": len(found.problems),
        "latest_after_slot_min": round(found.late_minutes_max, 1),
        "seconds": round(sim.seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.simulate_year")
    parser.add_argument("--members", type=int, default=YEAR.members)
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.members))
    print(json.dumps(result))
    return 0 if result["broken_promises"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
