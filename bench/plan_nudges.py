"""Benchmark: plan the weekly nudge for N due members on a temporary SQLite file.

    python -m bench.plan_nudges --members 100000

Members are bulk-inserted through storage's own table (one executemany per
chunk, not one unit per member), all opted in and due at the same instant
across a few timezones. The timed part is `Dispatcher.plan`: selecting due
members by the indexed `next_nudge_at`, writing one delivery each and
advancing each member, in batches of short units. Prints one JSON line:
members, seconds, members_per_second, peak_rss_mb. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert

from bot.assembly import build_core
from config.catalog_loader import default_catalog_path, load_catalog
from storage import open_store, upgrade_database
from storage.tables import MemberRow

DUE = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)  # Monday 09:30 in Tokyo
ZONES = ("Asia/Tokyo", "Asia/Tokyo", "Asia/Tokyo", "Europe/London", "America/New_York")
CHUNK = 5_000


class _Pinned:
    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at


def _rows(start: int, stop: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(start, stop):
        tz = ZONES[i % len(ZONES)]
        rows.append(
            {
                "platform": "slack",
                "workspace": f"T{i % 7}",
                "user_id": f"U{i:08d}",
                "display_name": "",
                "lang": "ja",
                "tz": tz,
                "reasons": [],
                "rung": 1,
                "nudge_enabled": True,
                "nudge_weekday": 0,
                "nudge_time": "09:30",
                "nudge_cadence": "weekly",
                "nudge_unanswered": 0,
                # due now, on each member's local Monday (Tokyo's 09:30 is
                # still Monday in London and New York)
                "next_nudge_at": DUE - timedelta(minutes=i % 30),
                "unreachable": False,
                "created_at": DUE - timedelta(days=30),
            }
        )
    return rows


async def populate(url: str, members: int) -> None:
    store = open_store(url)
    table = cast(Table, MemberRow.__table__)
    try:
        for start in range(0, members, CHUNK):
            async with store.engine.begin() as conn:
                await conn.execute(insert(table), _rows(start, min(members, start + CHUNK)))
    finally:
        await store.close()


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


async def run(members: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await upgrade_database(url)
        await populate(url, members)
        store = open_store(url)
        try:
            core = build_core(store, _Pinned(DUE), catalog=load_catalog(default_catalog_path()))
            dispatcher = core.dispatcher({})
            began = time.perf_counter()
            handled = await dispatcher.plan(DUE)
            seconds = time.perf_counter() - began
        finally:
            await store.close()
    if handled != members:
        raise SystemExit(f"planned {handled} of {members} members")
    return {
        "members": members,
        "seconds": round(seconds, 3),
        "members_per_second": round(members / seconds, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(run(args.members))))


if __name__ == "__main__":
    main()
