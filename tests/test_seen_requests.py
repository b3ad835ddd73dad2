"""The replay ledger on SQLite and PostgreSQL (storage.seen_requests): a key is
"first" for exactly one caller, across instances, until it expires; expired
keys are purged; the in-process ledger behaves the same in one process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from adapters.runtime.ledger import ProcessLedger
from bot.testing import FixedClock
from storage import SqlStore
from storage.db import make_engine
from storage.seen_requests import SqlRequestLedger, SqlSeenRequestRepo, ledger_path, stored_key
from storage.seen_tables import SeenRequestRow
from tests.conftest import migrated_store, postgres_base_url, postgres_schema

T0 = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)
KEEP = timedelta(minutes=11)


async def stored_keys(store: SqlStore) -> set[str]:
    """The keys the store's ledger holds: in the ledger's own file beside a
    SQLite file, else in the database."""
    path = ledger_path(store.engine.url)
    engine = store.engine if path is None else make_engine(store.engine.url.set(database=str(path)))
    try:
        async with engine.connect() as conn:
            return set((await conn.execute(select(SeenRequestRow.key))).scalars())
    finally:
        if engine is not store.engine:
            await engine.dispose()


async def test_a_key_is_first_once_until_it_expires(store: SqlStore) -> None:
    clock = FixedClock(T0)
    ledger = SqlRequestLedger(store.engine, clock=clock)
    assert await ledger.first_time("slack:request:abc", keep=KEEP) is True
    assert await ledger.first_time("slack:request:abc", keep=KEEP) is False
    assert await ledger.first_time("discord:interaction:1", keep=KEEP) is True
    clock.advance(minutes=10)
    assert await ledger.first_time("slack:request:abc", keep=KEEP) is False
    clock.advance(minutes=1)  # 11 minutes: expired, even before a purge
    assert await ledger.first_time("slack:request:abc", keep=KEEP) is True
    assert await ledger.first_time("slack:request:abc", keep=KEEP) is False


async def test_expired_keys_are_purged(store: SqlStore) -> None:
    clock = FixedClock(T0)
    ledger = SqlRequestLedger(store.engine, clock=clock, purge_every=timedelta(minutes=5))
    for n in range(5):
        assert await ledger.first_time(f"old:{n}", keep=timedelta(minutes=1))
    assert await ledger.first_time("young", keep=timedelta(hours=1))
    assert len(await stored_keys(store)) == 6
    clock.advance(minutes=2)
    assert await ledger.purge() == 5
    assert await stored_keys(store) == {"young"}

    # and opportunistically: the first `first_time` after `purge_every`
    assert await ledger.first_time("later:1", keep=timedelta(minutes=1))
    clock.advance(minutes=6)
    assert await ledger.first_time("later:2", keep=timedelta(minutes=1))
    assert await stored_keys(store) == {"young", "later:2"}


async def test_long_keys_are_stored_as_their_digest(store: SqlStore) -> None:
    ledger = SqlRequestLedger(store.engine, clock=FixedClock(T0))
    long_key = "slack:event:" + "E" * 300
    assert await ledger.first_time(long_key, keep=KEEP)
    assert await ledger.first_time(long_key, keep=KEEP) is False
    assert await ledger.first_time(long_key[:-1] + "F", keep=KEEP)
    assert stored_key(long_key) in await stored_keys(store)
    with pytest.raises(ValueError):
        stored_key("")


async def test_concurrent_callers_on_one_store_see_one_first(store: SqlStore) -> None:
    ledger = SqlRequestLedger(store.engine, clock=FixedClock(T0))
    answers = await asyncio.gather(*(ledger.first_time("same", keep=KEEP) for _ in range(20)))
    assert answers.count(True) == 1


async def test_on_a_sqlite_file_two_instances_share_the_ledgers_own_file(
    sqlite_store: SqlStore,
) -> None:
    """Two engines on one SQLite file (two instances): every key is first for
    exactly one of them, and the rows live beside the database, not in it."""
    other = SqlStore(make_engine(sqlite_store.engine.url))
    ledgers = [
        SqlRequestLedger(sqlite_store.engine, clock=FixedClock(T0)),
        SqlRequestLedger(other.engine, clock=FixedClock(T0)),
    ]
    try:
        keys = [f"slack:request:{n}" for n in range(30)]
        answers = await asyncio.gather(
            *(ledger.first_time(key, keep=KEEP) for key in keys for ledger in ledgers)
        )
        assert answers.count(True) == len(keys)
        assert await stored_keys(sqlite_store) == set(keys)
        async with sqlite_store.engine.connect() as conn:
            in_main = await conn.execute(select(func.count()).select_from(SeenRequestRow))
            assert in_main.scalar_one() == 0
        path = ledger_path(sqlite_store.engine.url)
        assert path is not None and path.name == "ippo.requests.db" and path.exists()
    finally:
        for ledger in ledgers:
            await ledger.close()
        await other.close()


async def test_on_a_sqlite_file_the_ledger_does_not_wait_for_the_databases_writer(
    sqlite_store: SqlStore,
) -> None:
    """A planning batch holding the database's write lock does not hold up an
    acknowledgement's ledger write."""
    ledger = SqlRequestLedger(sqlite_store.engine, clock=FixedClock(T0))
    try:
        async with sqlite_store.engine.begin() as writer:  # BEGIN IMMEDIATE: the write lock
            await writer.exec_driver_sql("UPDATE members SET rung = rung")
            assert await ledger.first_time("slack:request:during-a-plan", keep=KEEP) is True
    finally:
        await ledger.close()


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    base = postgres_base_url()
    if base is None:
        pytest.skip("TEST_DATABASE_URL not set")
    async with postgres_schema(base) as url:
        yield url


async def test_two_instances_on_postgresql_only_one_sees_first(pg_url: str) -> None:
    """Two stores (two engines, as two instances would have) racing on the same
    keys: every key is first for exactly one of them."""
    async with migrated_store(pg_url) as one, migrated_store(pg_url) as two:
        ledgers = [
            SqlRequestLedger(one.engine, clock=FixedClock(T0)),
            SqlRequestLedger(two.engine, clock=FixedClock(T0)),
        ]
        keys = [f"slack:request:{n}" for n in range(50)]
        calls = [ledger.first_time(key, keep=KEEP) for key in keys for ledger in ledgers * 2]
        answers = await asyncio.gather(*calls)
        firsts = [
            key
            for key, first in zip([k for k in keys for _ in range(4)], answers, strict=True)
            if first
        ]
        assert sorted(firsts) == sorted(keys)


async def test_postgresql_insert_waits_for_the_other_instance_and_loses(pg_url: str) -> None:
    """Instance one has inserted the key but not committed; instance two's
    insert waits for it, and once one commits, two is told "seen"."""
    async with migrated_store(pg_url) as one, migrated_store(pg_url) as two:
        second = SqlRequestLedger(two.engine, clock=FixedClock(T0))
        async with one.engine.begin() as conn:
            mine = await SqlSeenRequestRepo(conn).remember("k", now=T0, until=T0 + KEEP)
            assert mine is True
            racing = asyncio.create_task(second.first_time("k", keep=KEEP))
            await asyncio.sleep(0.3)
            assert not racing.done()  # blocked on the uncommitted row
        assert await racing is False
        async with two.engine.connect() as conn:
            count = await conn.execute(select(func.count()).select_from(SeenRequestRow))
            assert count.scalar_one() == 1


async def test_process_ledger_is_first_once_until_expiry_and_bounded() -> None:
    clock = FixedClock(T0)
    ledger = ProcessLedger(clock=clock, max_keys=3)
    assert await ledger.first_time("a", keep=KEEP)
    assert not await ledger.first_time("a", keep=KEEP)
    clock.advance(minutes=11)
    assert await ledger.first_time("a", keep=KEEP)
    for key in "bcd":
        assert await ledger.first_time(key, keep=KEEP)
    assert await ledger.first_time("a", keep=KEEP)  # the oldest was forgotten
