"""Benchmark: what one `/metrics` scrape costs with N rows in the delivery ledger.

    python -m bench.metrics_scrape --rows 100000
    python -m bench.metrics_scrape --rows 100000 --database-url postgresql+psycopg://...

A temporary SQLite file (or an empty PostgreSQL database given by URL, whose
`deliveries` rows it adds) holds N deliveries of five kinds, mostly sent,
a tenth pending (half of them due) and a few failed: a ledger after some
weeks. Timed: `SqlDeliveryRepo.counts` (the one grouped query a scrape runs)
and a whole exposition (`PrometheusMetrics.exposition`: the query plus
rendering), each the median of `--repeat` runs. Prints one JSON line: rows,
database, counts_ms (median), counts_max_ms, scrape_ms (median). The query
runs on the database's side (aiosqlite's thread, PostgreSQL's server), not on
the event loop; rendering is on the loop. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from prometheus_client import CollectorRegistry
from sqlalchemy import Table, insert

from adapters.runtime.metrics import PrometheusMetrics, ledger_reader
from storage import SqlStore, open_store, upgrade_database
from storage.tables import DeliveryRow

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
KINDS = ("nudge", "followup", "announce", "reminder", "checkin")
CHUNK = 5_000


class _Pinned:
    def now(self) -> datetime:
        return NOW


def _row(i: int) -> dict[str, Any]:
    status = "pending" if i % 10 == 0 else "failed" if i % 97 == 0 else "sent"
    due = NOW - timedelta(minutes=5) if i % 20 == 0 else NOW + timedelta(days=1)
    return {
        "key": f"bench:{i}",
        "kind": KINDS[i % len(KINDS)],
        "to_platform": "slack",
        "to_workspace": "T1",
        "to_kind": "user",
        "to_id": f"U{i}",
        "payload": {},
        "status": status,
        "not_before": due if status == "pending" else NOW - timedelta(days=i % 30),
        "attempts": 1,
        "lookup_failures": 0,
    }


async def _fill(store: SqlStore, rows: int) -> None:
    table = cast(Table, DeliveryRow.__table__)
    for start in range(0, rows, CHUNK):
        async with store.engine.begin() as conn:
            await conn.execute(
                insert(table), [_row(i) for i in range(start, min(rows, start + CHUNK))]
            )


async def _timed(run: Any, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        await run()
        times.append((time.perf_counter() - began) * 1000)
    return times


async def run(rows: int, url: str | None, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ippo-metrics-") as tmp:
        url = url or f"sqlite+aiosqlite:///{Path(tmp) / 'metrics.db'}"
        await upgrade_database(url)
        store = open_store(url)
        try:
            await _fill(store, rows)
            read = ledger_reader(store.engine, _Pinned())
            metrics = PrometheusMetrics(registry=CollectorRegistry(), clock=_Pinned(), ledger=read)
            await read()  # warm the cache and the connection pool
            counts = await _timed(read, repeat)
            scrapes = await _timed(metrics.exposition, repeat)
            due = (await read()).due
        finally:
            await store.close()
    return {
        "benchmark": "metrics_scrape",
        "rows": rows,
        "database": url.split(":", 1)[0],
        "due": due,
        "counts_ms": round(statistics.median(counts), 1),
        "counts_max_ms": round(max(counts), 1),
        "scrape_ms": round(statistics.median(scrapes), 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--database-url", default=None, help="an empty database (default: SQLite)")
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(run(args.rows, args.database_url, args.repeat))))


if __name__ == "__main__":
    main()
