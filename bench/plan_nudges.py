"""Benchmark: plan the weekly nudge for N due members, on SQLite or PostgreSQL.

    python -m bench.plan_nudges --members 10000 100000 1000000
    python -m bench.plan_nudges --members 100000 \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/test

For each size: a fresh database (a temporary SQLite file, or a fresh schema
in the PostgreSQL database of `--database`, dropped afterwards) is migrated
and filled through storage's own table (one executemany per chunk), all
members opted in and due at the same instant across a few timezones. The
timed part, in a fresh process so its peak RSS is planning's own, is
`Dispatcher.plan`: selecting due members by the indexed `next_nudge_at`,
writing one delivery each and advancing each member, in batches of short
units. Prints one JSON line per size: members, database, seconds,
members_per_second, cpu_seconds, peak_rss_mb, worst_loop_lag_ms (the
longest the event loop was held: planning yields between batches) and
floor_s: the same database's own time for the same rows written the
plainest way, one ``INSERT ... SELECT`` of N deliveries and one ``UPDATE`` of
N members in one transaction, with no planning in it (measured after the
plan, so into a table that already holds N deliveries). Planning cannot be
faster than its writes; floor_s says how much of `seconds` they are. Not
part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.runtime.loop_lag import LoopLagMonitor
from bot.assembly import build_core
from bot.features.nudges.routes import NUDGE_KIND
from config.catalog_loader import default_catalog_path, load_catalog
from storage import open_store, upgrade_database
from storage.tables import DeliveryRow, MemberRow

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
                "nudge_unanswered": i % 4,  # some slow down after this nudge
                # due now, on each member's local Monday (Tokyo's 09:30 is
                # still Monday in London and New York)
                "next_nudge_at": DUE - timedelta(minutes=i % 30),
                "unreachable": False,
                "created_at": DUE - timedelta(days=30),
            }
        )
    return rows


async def populate(url: str, members: int) -> None:
    """Insert the members, then settle the database as a running one is:
    SQLite's write-ahead log checkpointed (else the first timed commits copy
    the fill's pages), PostgreSQL's statistics gathered."""
    store = open_store(url)
    table = cast(Table, MemberRow.__table__)
    try:
        for start in range(0, members, CHUNK):
            async with store.engine.begin() as conn:
                await conn.execute(insert(table), _rows(start, min(members, start + CHUNK)))
        if store.engine.dialect.name == "postgresql":
            async with store.engine.begin() as conn:
                await conn.exec_driver_sql("ANALYZE members")
    finally:
        await store.close()
    if url.startswith("sqlite"):
        with closing(sqlite3.connect(str(make_url(url).database))) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def plan(url: str, members: int) -> dict[str, Any]:
    """The timed part, on a database `prepare` filled: one `Dispatcher.plan`."""
    store = open_store(url)
    try:
        core = build_core(store, _Pinned(DUE), catalog=load_catalog(default_catalog_path()))
        dispatcher = core.dispatcher({})
        # Warm up as a running server is: a plan tick before anything is due
        # has loaded the holiday tables (a 0.2 s import) and the statements.
        await dispatcher.plan(DUE - timedelta(days=7))
        monitor = LoopLagMonitor(interval=0.01)
        monitor.start()
        cpu, began = cpu_seconds(), time.perf_counter()
        handled = await dispatcher.plan(DUE)
        seconds, cpu = time.perf_counter() - began, cpu_seconds() - cpu
        await monitor.stop()
        deliveries = cast(Table, DeliveryRow.__table__)
        async with store.engine.connect() as conn:
            count = select(func.count()).where(deliveries.c.kind == NUDGE_KIND)
            planned = (await conn.execute(count)).scalar_one()
        floor = await write_floor(store.engine)
    finally:
        await store.close()
    if handled != members or planned != members:
        raise SystemExit(f"planned {handled} members and {planned} nudges of {members}")
    return {
        "members": members,
        "seconds": round(seconds, 3),
        "members_per_second": round(members / seconds, 1),
        "cpu_seconds": round(cpu, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "worst_loop_lag_ms": round(monitor.worst_ms, 1),
        "floor_s": round(floor, 3),
    }


_FLOOR_INSERT = """
    INSERT INTO deliveries (key, kind, to_platform, to_workspace, to_kind, to_id, to_channel,
                            member_id, payload, status, not_before, expires_at, attempts)
    SELECT 'floor-' || m.id, 'floor', m.platform, m.workspace, 'user', m.user_id, NULL, m.id,
           {empty}, 'pending', m.next_nudge_at, m.next_nudge_at, 0
    FROM members AS m
"""
_FLOOR_UPDATE = """
    UPDATE members SET next_nudge_at = {later}, nudge_unanswered = nudge_unanswered + 1
"""
_FLOOR = {
    "sqlite": (
        _FLOOR_INSERT.format(empty="'{}'"),
        _FLOOR_UPDATE.format(later="datetime(next_nudge_at, '+7 days') || '.000000'"),
    ),
    "postgresql": (
        _FLOOR_INSERT.format(empty="CAST('{}' AS json)"),
        _FLOOR_UPDATE.format(later="next_nudge_at + interval '7 days'"),
    ),
}


async def write_floor(engine: AsyncEngine) -> float:
    """Seconds the database takes to insert one delivery per member and
    advance every member (the due index moves too), as two plain statements
    in one transaction."""
    began = time.perf_counter()
    async with engine.begin() as conn:
        for statement in _FLOOR[engine.dialect.name]:
            await conn.exec_driver_sql(statement)
    return time.perf_counter() - began


@asynccontextmanager
async def fresh_database(base: str | None) -> AsyncIterator[str]:
    """A temporary SQLite file, or a fresh schema in `base` (PostgreSQL)."""
    if base is None or base.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        return
    from tests.conftest import postgres_schema  # the tests' own fresh-schema helper

    async with postgres_schema(base) as url:
        yield url


def measure(members: int, base: str | None) -> dict[str, Any]:
    """Fill a fresh database, then plan it in a child process."""

    async def prepare_and_plan() -> dict[str, Any]:
        async with fresh_database(base) as url:
            await upgrade_database(url)
            await populate(url, members)
            child = [sys.executable, "-m", "bench.plan_nudges", "--plan", url, "--members"]
            out = await asyncio.to_thread(
                subprocess.run,
                [*child, str(members)],
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            )
            return cast(dict[str, Any], json.loads(out.stdout.splitlines()[-1]))

    figures = asyncio.run(prepare_and_plan())
    return {**figures, "database": "postgresql" if base and "postgres" in base else "sqlite"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[100_000])
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--plan", metavar="URL", help=argparse.SUPPRESS)  # the child's part
    args = parser.parse_args(argv)
    if args.plan:
        print(json.dumps(asyncio.run(plan(args.plan, args.members[0]))))
        return
    for members in args.members:
        print(json.dumps(measure(members, args.database)), flush=True)


if __name__ == "__main__":
    main()
