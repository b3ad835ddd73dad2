"""`bot.ports.RequestLedger` on the store's database: at most once, across instances.

`SqlSeenRequestRepo` works on one connection (one transaction), like the
other repositories; `SqlRequestLedger` is what the adapters are given: each
`first_time` is its own short transaction, so a request is remembered the
moment it is taken, whatever happens to its handling afterwards.

Insert-if-absent is one statement on both databases::

    INSERT INTO seen_requests (key, expires_at) VALUES (:key, :until)
    ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at
        WHERE seen_requests.expires_at <= :now
    RETURNING key

A row comes back when the key was absent, or present but expired (not purged
yet): that caller is first. When two instances insert the same key at once,
PostgreSQL makes the second wait for the first's commit and then finds the
conflict, so exactly one sees a row; SQLite serialises writers with
``BEGIN IMMEDIATE`` (storage.db). Expired rows are purged by one indexed
``DELETE`` at most once per `purge_every` per ledger, after a `first_time`,
and by `purge()` whenever a caller wants.

On a SQLite file the ledger keeps its table in a file of its own beside the
database (`ledger_path`: ``ippo.db`` -> ``ippo.requests.db``), created on
first use. SQLite has one writer per file, and every acknowledgement in Slack
HTTP mode writes here before answering: in the main file it would wait for
whatever transaction holds the write lock (a planning batch, a fan-out's
claims, another interaction's unit), up to the busy timeout; in its own file
it waits only for other ledger writes, which take microseconds. Every
instance on the same SQLite file uses the same ledger file, so "at most
once" still holds across them. The ledger is a short-lived memory (rows
expire within a day): losing that file forgets nothing else. On PostgreSQL
(row locks, no file lock) and in-memory SQLite the ledger stays in the
database's own ``seen_requests`` table (migration 0006).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import Table, delete
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.ports import Clock
from storage.db import is_sqlite_memory, make_engine, upsert_insert
from storage.seen_tables import SEEN_KEY_MAX, SeenRequestRow

if TYPE_CHECKING:
    from bot.ports import RequestLedger

__all__ = ["PURGE_EVERY", "SqlRequestLedger", "SqlSeenRequestRepo", "ledger_path", "stored_key"]

log = logging.getLogger(__name__)

PURGE_EVERY = timedelta(minutes=1)
BATCH_MAX = 500  # keys per ledger transaction on SQLite (two parameters each)

_seen = cast(Table, SeenRequestRow.__table__)


def stored_key(key: str) -> str:
    """The key as stored: as given when it fits, else ``sha256:<hex>``."""
    if not key:
        raise ValueError("an empty request key")
    if len(key) <= SEEN_KEY_MAX:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


class SqlSeenRequestRepo:
    """The `seen_requests` table on one unit's connection."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def remember(self, key: str, *, now: datetime, until: datetime) -> bool:
        """Remember `key` until `until`; True if it was absent (or expired)."""
        values = upsert_insert(self._conn, _seen).values(key=stored_key(key), expires_at=until)
        stmt = values.on_conflict_do_update(
            index_elements=[_seen.c.key],
            set_={"expires_at": values.excluded.expires_at},
            where=_seen.c.expires_at <= now,
        ).returning(_seen.c.key)
        return (await self._conn.execute(stmt)).first() is not None

    async def remember_many(self, until: Mapping[str, datetime], *, now: datetime) -> set[str]:
        """`remember` for several keys in one statement; the keys that were
        absent (or expired)."""
        stored = {stored_key(key): key for key in until}
        values = upsert_insert(self._conn, _seen).values(
            [{"key": stored_key(key), "expires_at": at} for key, at in until.items()]
        )
        stmt = values.on_conflict_do_update(
            index_elements=[_seen.c.key],
            set_={"expires_at": values.excluded.expires_at},
            where=_seen.c.expires_at <= now,
        ).returning(_seen.c.key)
        return {stored[key] for key in (await self._conn.execute(stmt)).scalars()}

    async def purge(self, now: datetime) -> int:
        """Forget every key expired by `now`; how many were forgotten."""
        result = await self._conn.execute(delete(_seen).where(_seen.c.expires_at <= now))
        return int(result.rowcount)


def ledger_path(url: URL) -> Path | None:
    """The ledger's own file beside a SQLite database file; None when the
    ledger stays in the database (PostgreSQL, in-memory SQLite)."""
    if url.get_backend_name() != "sqlite" or is_sqlite_memory(url) or not url.database:
        return None
    path = Path(url.database)
    return path.with_name(f"{path.stem}.requests{path.suffix or '.db'}")


class SqlRequestLedger:
    """`bot.ports.RequestLedger` shared by every instance on one database."""

    def __init__(
        self, engine: AsyncEngine, *, clock: Clock, purge_every: timedelta = PURGE_EVERY
    ) -> None:
        path = ledger_path(engine.url)
        self._own = path is not None  # a file of its own: made and closed here
        self._engine = engine if path is None else make_engine(engine.url.set(database=str(path)))
        self._made = not self._own
        self._making = asyncio.Lock()
        # SQLite: this process writes the ledger from one task, a batch of
        # keys per transaction (`_write_batches`). Left to SQLite, concurrent
        # writers poll for the lock with sleeps of up to 100 ms each (its busy
        # handler): under a burst of acknowledgements some waited seconds
        # while the lock was free. One after the other, they queued.
        self._batched = engine.url.get_backend_name() == "sqlite"
        self._turn = asyncio.Lock()  # the batch writer and `purge`, one at a time
        self._waiting: dict[str, tuple[datetime, list[asyncio.Future[bool]]]] = {}
        self._writer: asyncio.Task[None] | None = None
        self._clock = clock
        self._purge_every = purge_every
        self._next_purge: datetime | None = None

    async def _ready(self) -> AsyncEngine:
        """The engine, with the ledger's table created in its own file."""
        if not self._made:
            async with self._making:
                if not self._made:
                    async with self._engine.begin() as conn:
                        await conn.run_sync(lambda sync: _seen.create(sync, checkfirst=True))
                    self._made = True
        return self._engine

    async def close(self) -> None:
        """Close the ledger's own file (nothing to do on a shared database)."""
        if self._own:
            await self._engine.dispose()

    async def first_time(self, key: str, *, keep: timedelta) -> bool:
        now = self._clock.now()
        if self._batched:
            first = await self._in_next_batch(key, now + keep)
        else:
            async with (await self._ready()).begin() as conn:
                first = await SqlSeenRequestRepo(conn).remember(key, now=now, until=now + keep)
        if self._next_purge is None or now >= self._next_purge:
            self._next_purge = now + self._purge_every
            try:
                await self.purge()
            except Exception as err:  # purging is housekeeping: never fail a request
                log.warning("seen requests not purged", extra={"error": type(err).__name__})
        return first

    async def purge(self) -> int:
        engine = await self._ready()
        async with self._turn, engine.begin() as conn:
            return await SqlSeenRequestRepo(conn).purge(self._clock.now())

    async def _in_next_batch(self, key: str, until: datetime) -> bool:
        """Whether `key` is new, written with the keys asked meanwhile. A key
        asked twice in one batch is first for its first asker only."""
        answer = asyncio.get_running_loop().create_future()
        if key in self._waiting:
            self._waiting[key][1].append(answer)
        else:
            self._waiting[key] = (until, [answer])
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_batches(), name="ippo-request-ledger")
        result: bool = await answer
        return result

    async def _write_batches(self) -> None:
        while self._waiting:
            batch = dict(list(self._waiting.items())[:BATCH_MAX])
            for key in batch:
                del self._waiting[key]
            try:
                engine = await self._ready()
                async with self._turn, engine.begin() as conn:
                    firsts = await SqlSeenRequestRepo(conn).remember_many(
                        {key: until for key, (until, _) in batch.items()}, now=self._clock.now()
                    )
            except Exception as err:  # each asker fails as a lone write would
                for _, answers in batch.values():
                    for answer in answers:
                        if not answer.done():
                            answer.set_exception(err)
                continue
            for key, (_, answers) in batch.items():
                for n, answer in enumerate(answers):
                    if not answer.done():
                        answer.set_result(n == 0 and key in firsts)


if TYPE_CHECKING:  # the implementation satisfies the port
    _ledger: RequestLedger = SqlRequestLedger(cast(AsyncEngine, None), clock=cast(Clock, None))
