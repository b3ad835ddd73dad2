"""`bot.ports.Store` on SQLAlchemy Core: SQLite and PostgreSQL; the unit of work.

A unit is one connection in one transaction; the repositories of a unit share
it. Statements are Core `select`/`insert`/`update`/`delete` built on the tables
of `storage.tables`, and rows are converted to the core's dataclasses before
they leave storage: no ORM identity map, no lazy loads, no N+1. Each
repository method is one round trip (two for `MemberRepo.create` when the
member already exists).

Batches: a round trip costs about half a millisecond to a millisecond, so a
planner calling `add` and `save` per member spends ~2 s per 1000 members.
`SqlDeliveryRepo.add_many` and `SqlMemberRepo.save_many` do a batch in one
statement each (~30-45 ms per 1000 on either database); they are not in
`bot.ports` yet.

Concurrency:
- PostgreSQL: `claim`, `take_expired` and `due_for_nudge` lock the rows they
  pick with ``FOR UPDATE SKIP LOCKED``, so instances working at the same time
  take disjoint sets; the locks last until the unit ends. A claimed delivery
  then stays its claimer's through a lease (`SqlDeliveryRepo`).
- SQLite: every unit starts with ``BEGIN IMMEDIATE`` (see `storage.db`), so
  units that write are serialised by the database itself.

One module per repository: `storage.members`, `storage.journey`,
`storage.deliveries` (with `storage.delivery_rows`), `storage.session_repository`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, cast

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.ports import DeliveryRepo, JourneyRepo, MemberRepo
from storage.coffee import SqlCoffeeRepo
from storage.db import make_engine
from storage.deliveries import SqlDeliveryRepo
from storage.journey import SqlJourneyRepo
from storage.members import SqlMemberRepo
from storage.session_repository import SqlSessionRepo

if TYPE_CHECKING:
    from bot.features.coffee.ports import CoffeeRepo
    from bot.features.sessions.ports import SessionRepo
    from bot.ports import Store, Unit

__all__ = ["SqlStore", "SqlUnit", "open_store"]


class SqlUnit:
    """One transaction: the repositories share `connection`.

    Storage code that adds tables (e.g. a sessions repository) can build its
    repository on `connection` to take part in the same transaction.
    """

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        # Typed as the Protocols: bot.ports.Unit declares plain (settable)
        # attributes, which mypy matches invariantly.
        self.members: MemberRepo = SqlMemberRepo(connection)
        self.journey: JourneyRepo = SqlJourneyRepo(connection)
        self.deliveries: DeliveryRepo = SqlDeliveryRepo(connection)
        self.sessions: SessionRepo = SqlSessionRepo(connection)
        self.coffee: CoffeeRepo = SqlCoffeeRepo(connection)


class SqlStore:
    """`bot.ports.Store` on an AsyncEngine (SQLite or PostgreSQL).

    The store does not create or upgrade the schema: call
    `storage.upgrade_database(url)` first.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # SQLite lets one transaction write at a time, and every unit here
        # begins IMMEDIATE (storage.db). Units of this process queue for their
        # turn on the event loop, first come first served, instead of in
        # SQLite's busy handler, which sleeps and retries and under load let
        # some wait past its timeout ("database is locked") while the file
        # was free. Other processes on the file still meet the busy timeout.
        self._turn = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[SqlUnit]:
        """One connection, one transaction: committed when the block ends
        normally, rolled back when it raises (cancellation included)."""
        if self._turn is None:
            async with self.engine.begin() as conn:
                yield SqlUnit(conn)
            return
        async with self._turn, self.engine.begin() as conn:
            yield SqlUnit(conn)

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def open_store(url: str) -> SqlStore:
    """A store on `url` (sync-style URLs are fine; see `storage.db`)."""
    return SqlStore(make_engine(url))


if TYPE_CHECKING:  # the implementations satisfy the core's Protocols
    _store: Store = SqlStore(cast(AsyncEngine, None))
    _unit: Unit = SqlUnit(cast(AsyncConnection, None))
    _members_repo: MemberRepo = SqlMemberRepo(cast(AsyncConnection, None))
    _journey_repo: JourneyRepo = SqlJourneyRepo(cast(AsyncConnection, None))
    _deliveries_repo: DeliveryRepo = SqlDeliveryRepo(cast(AsyncConnection, None))
