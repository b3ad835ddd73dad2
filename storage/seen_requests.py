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
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from sqlalchemy import Table, delete
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.ports import Clock
from storage.db import upsert_insert
from storage.seen_tables import SEEN_KEY_MAX, SeenRequestRow

if TYPE_CHECKING:
    from bot.ports import RequestLedger

__all__ = ["PURGE_EVERY", "SqlRequestLedger", "SqlSeenRequestRepo", "stored_key"]

log = logging.getLogger(__name__)

PURGE_EVERY = timedelta(minutes=1)

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

    async def purge(self, now: datetime) -> int:
        """Forget every key expired by `now`; how many were forgotten."""
        result = await self._conn.execute(delete(_seen).where(_seen.c.expires_at <= now))
        return int(result.rowcount)


class SqlRequestLedger:
    """`bot.ports.RequestLedger` shared by every instance on one database."""

    def __init__(
        self, engine: AsyncEngine, *, clock: Clock, purge_every: timedelta = PURGE_EVERY
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._purge_every = purge_every
        self._next_purge: datetime | None = None

    async def first_time(self, key: str, *, keep: timedelta) -> bool:
        now = self._clock.now()
        async with self._engine.begin() as conn:
            first = await SqlSeenRequestRepo(conn).remember(key, now=now, until=now + keep)
        if self._next_purge is None or now >= self._next_purge:
            self._next_purge = now + self._purge_every
            try:
                await self.purge()
            except Exception as err:  # purging is housekeeping: never fail a request
                log.warning("seen requests not purged", extra={"error": type(err).__name__})
        return first

    async def purge(self) -> int:
        async with self._engine.begin() as conn:
            return await SqlSeenRequestRepo(conn).purge(self._clock.now())


if TYPE_CHECKING:  # the implementation satisfies the port
    _ledger: RequestLedger = SqlRequestLedger(cast(AsyncEngine, None), clock=cast(Clock, None))
