"""storage/: the SQL store on SQLite and PostgreSQL, its schema and migrations.

Every test taking `store` or `db_url` runs on both databases; PostgreSQL ones
are skipped unless TEST_DATABASE_URL is set (see conftest.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import IntegrityError

from bot.model import Cadence, ChannelRef, EntryKind, Member, NudgePrefs, UserRef
from bot.ports import Delivery, DeliveryStatus, NewDelivery
from storage import SqlStore, open_store, upgrade_database
from storage.db import async_url, make_engine, redact_url
from storage.migrate import alembic_config, current_revision, head_revision, upgrade_engine
from storage.store import SqlUnit
from storage.tables import Base
from tests.conftest import migrated_store, postgres_base_url, postgres_schema, sqlite_url

R = TypeVar("R")

T0 = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # Monday 09:30 in Tokyo
JST = timezone(timedelta(hours=9))


def alice(n: int = 1) -> UserRef:
    return UserRef(platform="slack", workspace="T1", id=f"U{n:05d}")


async def new_member(store: SqlStore, user: UserRef, **changes: Any) -> Member:
    async with store.unit() as uow:
        member = await uow.members.create(user, lang="ja", tz="Asia/Tokyo", display_name="", now=T0)
        if changes:
            member = await uow.members.save(replace(member, **changes))
    return member


def nudge(key: str, to: UserRef | ChannelRef, at: datetime, **kw: Any) -> NewDelivery:
    return NewDelivery(key=key, kind="nudge", to=to, not_before=at, **kw)


def enabled(at: datetime | None) -> dict[str, Any]:
    return {"nudge": NudgePrefs(enabled=True), "next_nudge_at": at}


# --------------------------------------------------------------------------- members


async def test_member_create_get_save_round_trip(store: SqlStore) -> None:
    user = UserRef(platform="discord", workspace="G1", id="123456789012345678")
    async with store.unit() as uow:
        created = await uow.members.create(
            user, lang="en", tz="Europe/Paris", display_name="Ana", now=T0.astimezone(JST)
        )
    assert created.id > 0
    assert created.user == user
    assert (created.lang, created.tz, created.display_name) == ("en", "Europe/Paris", "Ana")
    assert created.nudge == NudgePrefs()
    assert created.reasons == () and created.rung == 1
    assert created.next_nudge_at is None and not created.unreachable
    assert created.dm_channel_id is None
    assert created.created_at == T0 and created.created_at.tzinfo is UTC

    changed = replace(
        created,
        lang="ja",
        tz="Asia/Tokyo",
        display_name="アナ",
        reasons=("learn", "friends"),
        rung=3,
        nudge=NudgePrefs(
            enabled=True,
            weekday=4,
            time="18:05",
            paused_until=date(2026, 4, 1),
            cadence=Cadence.FORTNIGHTLY,
            unanswered=2,
        ),
        next_nudge_at=datetime(2026, 3, 6, 18, 5, 30, 123456, tzinfo=JST),
        unreachable=True,
        dm_channel_id="D42",
    )
    async with store.unit() as uow:
        assert await uow.members.save(changed) == changed
    async with store.unit() as uow:
        by_user = await uow.members.get(user)
        by_id = await uow.members.get_by_id(created.id)
        assert await uow.members.count() == 1
        assert await uow.members.get(UserRef("discord", "G2", user.id)) is None
        assert await uow.members.get_by_id(created.id + 1) is None
    assert by_user == by_id == changed
    assert by_user is not None and by_user.next_nudge_at is not None
    assert by_user.next_nudge_at.tzinfo is UTC
    assert by_user.next_nudge_at == datetime(2026, 3, 6, 9, 5, 30, 123456, tzinfo=UTC)
    assert by_user.created_at is not None and by_user.created_at.tzinfo is UTC


async def test_unique_member_per_platform_workspace_user(store: SqlStore) -> None:
    first = await new_member(store, alice())
    # create() for a user who already has a member returns that member unchanged
    async with store.unit() as uow:
        again = await uow.members.create(alice(), lang="en", tz="UTC", display_name="x", now=T0)
        assert await uow.members.count() == 1
    assert again == first
    # the same id on another workspace or platform is another person
    await new_member(store, UserRef("slack", "T2", alice().id))
    await new_member(store, UserRef("discord", "T1", alice().id))
    # the database itself refuses a duplicate
    with pytest.raises(IntegrityError):
        async with store.unit() as uow:
            await uow.connection.execute(
                text(
                    "INSERT INTO members (platform, workspace, user_id, display_name, lang, tz,"
                    " reasons, rung, nudge_enabled, nudge_weekday, nudge_time, nudge_cadence,"
                    " nudge_unanswered, unreachable, created_at) VALUES ('slack', 'T1', :u, '',"
                    " 'ja', 'UTC', '[]', 1, false, 0, '09:30', 'weekly', 0, false, :now)"
                ),
                {"u": alice().id, "now": T0},
            )
    async with store.unit() as uow:
        assert await uow.members.count() == 3


async def test_save_unknown_member_raises(store: SqlStore) -> None:
    member = await new_member(store, alice())
    with pytest.raises(LookupError):
        async with store.unit() as uow:
            await uow.members.save(replace(member, id=member.id + 100))


async def test_naive_datetimes_are_refused(store: SqlStore) -> None:
    member = await new_member(store, alice())
    with pytest.raises(Exception, match="naive datetime"):
        async with store.unit() as uow:
            await uow.members.save(replace(member, next_nudge_at=datetime(2026, 1, 1)))


# --------------------------------------------------------------------------- journey


async def test_journey_add_list_and_delete_only_own_entries(store: SqlStore) -> None:
    ana = await new_member(store, alice(1))
    ben = await new_member(store, alice(2))
    async with store.unit() as uow:
        later = await uow.journey.add(
            ana.id, EntryKind.DONE, T0 + timedelta(days=2), step_id="lunch", note="nice"
        )
        first = await uow.journey.add(ana.id, EntryKind.SUGGESTED, T0, step_id="watch")
        free = await uow.journey.add(
            ana.id, EntryKind.TRYING, (T0 + timedelta(days=1)).astimezone(JST), text="a walk"
        )
        other = await uow.journey.add(ben.id, EntryKind.DONE, T0)
    assert later.kind is EntryKind.DONE and later.member_id == ana.id
    assert (later.step_id, later.text, later.note) == ("lunch", None, "nice")
    assert free.at == T0 + timedelta(days=1) and free.at.tzinfo is UTC

    async with store.unit() as uow:
        assert await uow.journey.list(ana.id) == [first, free, later]
        assert await uow.journey.list(ana.id, since=T0 + timedelta(days=1)) == [free, later]
        assert await uow.journey.list(ben.id) == [other]
        # an entry can only be deleted by its owner
        assert await uow.journey.delete_entry(ben.id, first.id) is False
        assert await uow.journey.delete_entry(ana.id, first.id) is True
        assert await uow.journey.delete_entry(ana.id, first.id) is False
    async with store.unit() as uow:
        assert await uow.journey.list(ana.id) == [free, later]
        assert await uow.journey.list(ben.id) == [other]


async def test_delete_member_cascades_to_journey_and_deliveries(store: SqlStore) -> None:
    ana = await new_member(store, alice(1))
    ben = await new_member(store, alice(2))
    channel = ChannelRef("slack", "T1", "C1")
    async with store.unit() as uow:
        await uow.journey.add(ana.id, EntryKind.DONE, T0)
        await uow.journey.add(ben.id, EntryKind.DONE, T0)
        await uow.deliveries.add(nudge("n:ana", ana.user, T0, member_id=ana.id))
        # a DM added without member_id is linked to the member it is addressed to
        await uow.deliveries.add(nudge("f:ana", ana.user, T0))
        await uow.deliveries.add(nudge("n:ben", ben.user, T0, member_id=ben.id))
        await uow.deliveries.add(nudge("announce", channel, T0))
        assert len(await uow.deliveries.for_member(ana.id)) == 2

    async with store.unit() as uow:
        await uow.members.delete(ana.id)
        await uow.members.delete(ana.id)  # deleting twice is harmless

    async with store.unit() as uow:
        assert await uow.members.get(ana.user) is None
        assert await uow.journey.list(ana.id) == []
        assert await uow.deliveries.for_member(ana.id) == []
        assert await uow.deliveries.get("n:ana") is None
        assert await uow.deliveries.get("f:ana") is None
        # nobody else's data is touched
        assert len(await uow.journey.list(ben.id)) == 1
        assert await uow.deliveries.get("n:ben") is not None
        assert await uow.deliveries.get("announce") is not None
        assert await uow.members.count() == 1


# --------------------------------------------------------------------------- deliveries


async def test_delivery_add_is_idempotent_by_key(store: SqlStore) -> None:
    member = await new_member(store, alice())
    new = nudge(
        "nudge:1:2026-W10",
        member.user,
        T0,
        expires_at=T0 + timedelta(hours=6),
        member_id=member.id,
        payload={"step": "lunch", "lang": "ja"},
    )
    async with store.unit() as uow:
        assert await uow.deliveries.add(new) is True
        # a second add of the key inserts nothing, raises nothing, and leaves the
        # transaction usable (on PostgreSQL a failed INSERT would abort it)
        again = replace(new, kind="other", not_before=T0 + timedelta(days=1))
        assert await uow.deliveries.add(again) is False
        await uow.journey.add(member.id, EntryKind.SUGGESTED, T0)
    async with store.unit() as uow:
        assert await uow.deliveries.add(new) is False
        got = await uow.deliveries.get(new.key)
        assert len(await uow.journey.list(member.id)) == 1  # the first unit committed
    assert got == Delivery(
        id=got.id if got else 0,
        key=new.key,
        kind="nudge",
        to=member.user,
        status=DeliveryStatus.PENDING,
        not_before=T0,
        expires_at=T0 + timedelta(hours=6),
        member_id=member.id,
        payload={"step": "lunch", "lang": "ja"},
    )


async def test_delivery_add_result_in_same_unit(store: SqlStore) -> None:
    async with store.unit() as uow:
        first = await uow.deliveries.add(nudge("k", ChannelRef("discord", "G", "C"), T0))
        second = await uow.deliveries.add(nudge("k", ChannelRef("discord", "G", "C"), T0))
    assert (first, second) == (True, False)
    async with store.unit() as uow:
        got = await uow.deliveries.get("k")
    assert got is not None and got.to == ChannelRef("discord", "G", "C")
    assert got.member_id is None and got.payload == {}


async def test_add_many_inserts_new_keys_only(store: SqlStore) -> None:
    ana = await new_member(store, alice(1))
    channel = ChannelRef("discord", "G", "C")
    async with store.unit() as uow:
        assert await uow.deliveries.add(nudge("old", channel, T0)) is True
        assert await uow.deliveries.add_many([]) == set()
        inserted = await uow.deliveries.add_many(
            [
                nudge("old", channel, T0),
                nudge("dm", ana.user, T0, payload={"a": "b"}),  # member_id resolved
                nudge("dm2", ana.user, T0, member_id=ana.id),
                nudge("stranger", alice(9), T0),  # no such member: member_id stays None
                nudge("dm", ana.user, T0 + timedelta(days=1)),  # duplicate within the batch
            ]
        )
        await uow.journey.add(ana.id, EntryKind.DONE, T0)  # the unit is still usable
    assert inserted == {"dm", "dm2", "stranger"}
    async with store.unit() as uow:
        dm = await uow.deliveries.get("dm")
        stranger = await uow.deliveries.get("stranger")
        assert len(await uow.journey.list(ana.id)) == 1
    assert dm is not None and dm.member_id == ana.id and dm.not_before == T0
    assert dm.payload == {"a": "b"} and dm.to == ana.user
    assert stranger is not None and stranger.member_id is None


async def test_save_many_writes_every_member(store: SqlStore) -> None:
    members = [await new_member(store, alice(n)) for n in range(3)]
    changed = [
        replace(m, rung=n + 2, next_nudge_at=T0 + timedelta(hours=n), nudge=NudgePrefs(True))
        for n, m in enumerate(members)
    ]
    async with store.unit() as uow:
        await uow.members.save_many(changed)
        await uow.members.save_many([])
    async with store.unit() as uow:
        assert [await uow.members.get_by_id(m.id) for m in members] == changed


async def test_claim_takes_due_pending_deliveries_in_order(store: SqlStore) -> None:
    channel = ChannelRef("slack", "T1", "C1")
    async with store.unit() as uow:
        for i, minutes in enumerate([5, -10, 0, -20, 60]):
            await uow.deliveries.add(nudge(f"d{i}", channel, T0 + timedelta(minutes=minutes)))
    async with store.unit() as uow:
        claimed = await uow.deliveries.claim(T0, limit=2)
    assert [d.key for d in claimed] == ["d3", "d1"]  # oldest first, limited
    for d in claimed:
        assert d.status is DeliveryStatus.SENDING
        assert d.attempts == 1 and d.claimed_at == T0
    async with store.unit() as uow:
        rest = await uow.deliveries.claim(T0.astimezone(JST), limit=10)
        assert [d.key for d in rest] == ["d2"]  # not_before == now is due; the future is not
        assert await uow.deliveries.claim(T0, limit=10) == []
        assert [d.key for d in await uow.deliveries.claim(T0 + timedelta(hours=2), 10)] == [
            "d0",
            "d4",
        ]
        stored = await uow.deliveries.get("d3")
    assert stored == claimed[0]


async def test_delivery_lifecycle(store: SqlStore) -> None:
    member = await new_member(store, alice())
    async with store.unit() as uow:
        await uow.deliveries.add(nudge("a", member.user, T0, member_id=member.id))
        await uow.deliveries.add(nudge("b", member.user, T0, member_id=member.id))
        await uow.deliveries.add(nudge("c", member.user, T0, member_id=member.id))
    async with store.unit() as uow:
        a, b, c = await uow.deliveries.claim(T0, 10)

    retry_at = T0 + timedelta(minutes=5)
    async with store.unit() as uow:
        await uow.deliveries.mark_sent(a.id, at=T0, message_id="1700.01", channel_id="D42")
        await uow.deliveries.reschedule(b.id, not_before=retry_at, error="429")
        await uow.deliveries.finish(c.id, DeliveryStatus.FAILED, error="user gone")
    async with store.unit() as uow:
        sent, again, failed = [await uow.deliveries.get(k) for k in "abc"]
        # a transient failure makes it pending again, claimable once due
        assert await uow.deliveries.claim(T0 + timedelta(minutes=4), 10) == []
        (retried,) = await uow.deliveries.claim(retry_at, 10)

    assert sent is not None and sent.status is DeliveryStatus.SENT
    assert (sent.sent_at, sent.message_id, sent.channel_id) == (T0, "1700.01", "D42")
    assert again is not None and again.status is DeliveryStatus.PENDING
    assert (again.not_before, again.error, again.attempts) == (retry_at, "429", 1)
    assert failed is not None and failed.status is DeliveryStatus.FAILED
    assert failed.error == "user gone"
    assert retried.id == b.id and retried.attempts == 2 and retried.claimed_at == retry_at

    async with store.unit() as uow:
        with pytest.raises(ValueError):
            await uow.deliveries.finish(a.id, DeliveryStatus.SENT, error="")
        with pytest.raises(LookupError):
            await uow.deliveries.mark_sent(10_000, at=T0, message_id="x", channel_id="y")
        await uow.deliveries.finish(b.id, DeliveryStatus.SKIPPED, error="expired")
        skipped = await uow.deliveries.get("b")
    assert skipped is not None and skipped.status is DeliveryStatus.SKIPPED


async def test_stuck_finds_old_sending_deliveries(store: SqlStore) -> None:
    channel = ChannelRef("slack", "T1", "C1")
    async with store.unit() as uow:
        for key in ("old", "older", "fresh", "pending"):
            await uow.deliveries.add(nudge(key, channel, T0))
    # equal not_before: ties break by id, so claims come in insertion order
    async with store.unit() as uow:
        assert [d.key for d in await uow.deliveries.claim(T0, 1)] == ["old"]
    async with store.unit() as uow:
        assert [d.key for d in await uow.deliveries.claim(T0, 1)] == ["older"]
    async with store.unit() as uow:
        assert [d.key for d in await uow.deliveries.claim(T0 + timedelta(minutes=30), 1)] == [
            "fresh"
        ]
    async with store.unit() as uow:
        stuck = await uow.deliveries.stuck(T0 + timedelta(minutes=10), limit=10)
        limited = await uow.deliveries.stuck(T0 + timedelta(minutes=10), limit=1)
        none = await uow.deliveries.stuck(T0, limit=10)
    assert sorted(d.key for d in stuck) == ["old", "older"]
    assert all(d.status is DeliveryStatus.SENDING for d in stuck)
    assert len(limited) == 1 and none == []


async def test_cancel_pending_by_key_prefix(store: SqlStore) -> None:
    channel = ChannelRef("slack", "T1", "C1")
    keys = ["remind:7:a", "remind:7:b", "remind:7:c", "remind:70:a", "remind_7:a", "nudge:7"]
    async with store.unit() as uow:
        for key in keys:
            await uow.deliveries.add(nudge(key, channel, T0 + timedelta(minutes=len(key))))
        await uow.deliveries.add(nudge("remind%7:x", channel, T0 + timedelta(hours=1)))
    async with store.unit() as uow:
        (sending,) = await uow.deliveries.claim(T0 + timedelta(minutes=10), 1)
        assert sending.key == "nudge:7"
    async with store.unit() as uow:
        assert await uow.deliveries.cancel_pending(key_prefix="remind:7:") == 3
        # "_" and "%" are not wildcards
        assert await uow.deliveries.cancel_pending(key_prefix="remind_") == 1
        assert await uow.deliveries.cancel_pending(key_prefix="remind%") == 1
        assert await uow.deliveries.cancel_pending(key_prefix="remind:7:") == 0
        assert await uow.deliveries.cancel_pending(key_prefix="nudge:") == 0  # sending stays
        statuses = {k: (await uow.deliveries.get(k)) for k in keys}
    assert {k: d.status.value for k, d in statuses.items() if d} == {
        "remind:7:a": "skipped",
        "remind:7:b": "skipped",
        "remind:7:c": "skipped",
        "remind:70:a": "pending",
        "remind_7:a": "skipped",
        "nudge:7": "sending",
    }


# --------------------------------------------------------------------------- nudges


async def test_due_for_nudge_filters_and_orders(store: SqlStore) -> None:
    due_late = await new_member(store, alice(1), **enabled(T0 - timedelta(hours=1)))
    due_early = await new_member(store, alice(2), **enabled(T0 - timedelta(days=1)))
    due_now = await new_member(store, alice(3), **enabled(T0))
    await new_member(store, alice(4), **enabled(T0 + timedelta(seconds=1)))  # future
    await new_member(store, alice(5), next_nudge_at=T0 - timedelta(days=2))  # disabled
    await new_member(store, alice(6), unreachable=True, **enabled(T0 - timedelta(days=3)))
    await new_member(store, alice(7), **enabled(None))  # enabled, never scheduled

    async with store.unit() as uow:
        due = await uow.members.due_for_nudge(T0, limit=10)
        first_two = await uow.members.due_for_nudge(T0.astimezone(JST), limit=2)
    assert [m.id for m in due] == [due_early.id, due_late.id, due_now.id]
    assert due[0] == due_early
    assert [m.id for m in first_two] == [due_early.id, due_late.id]


async def test_due_for_nudge_uses_the_partial_index(store: SqlStore) -> None:
    for n in range(50):
        await new_member(store, alice(n), **enabled(T0 - timedelta(minutes=n)))
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *args: Any) -> None:
        if "FROM members" in statement and "next_nudge_at <=" in statement:
            captured.append((statement, params))

    event.listen(store.engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with store.unit() as uow:
            await uow.members.due_for_nudge(T0, limit=5)
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", capture)
    ((statement, params),) = captured

    async with store.unit() as uow:
        conn = uow.connection
        if conn.dialect.name == "sqlite":
            rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
            plan = " ".join(str(r[-1]) for r in rows)
            assert "ix_members_due_nudge" in plan
            assert "TEMP B-TREE" not in plan  # rows come in index order, no sort
        else:
            # 50 rows are too few for the planner to prefer the index on its own:
            # show that an ordered scan of the partial index answers the query
            await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            await conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
            rows = await conn.exec_driver_sql(f"EXPLAIN {statement}", params)
            plan = " ".join(str(r[0]) for r in rows)
            assert "Index Scan using ix_members_due_nudge" in plan
            assert "Sort" not in plan


# --------------------------------------------------------------------------- units


async def test_unit_that_raises_rolls_everything_back(store: SqlStore) -> None:
    member = await new_member(store, alice())

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with store.unit() as uow:
            await uow.members.save(replace(member, rung=5))
            await uow.journey.add(member.id, EntryKind.DONE, T0)
            await uow.deliveries.add(nudge("k", member.user, T0))
            await new_member_in(uow, alice(2))
            raise Boom
    async with store.unit() as uow:
        after = await uow.members.get_by_id(member.id)
        assert await uow.journey.list(member.id) == []
        assert await uow.deliveries.get("k") is None
        assert await uow.members.count() == 1
    assert after == member


async def new_member_in(uow: Any, user: UserRef) -> Member:
    member: Member = await uow.members.create(user, lang="en", tz="UTC", display_name="", now=T0)
    return member


async def test_cancelled_unit_rolls_back(store: SqlStore) -> None:
    started = asyncio.Event()

    async def slow() -> None:
        async with store.unit() as uow:
            await new_member_in(uow, alice())
            started.set()
            await asyncio.sleep(10)

    task = asyncio.create_task(slow())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with store.unit() as uow:
        assert await uow.members.count() == 0


# --------------------------------------------------------------------------- schema


def _schema_diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_migrations_produce_the_metadata_schema(db_url: str) -> None:
    assert await current_revision(db_url) is None
    await upgrade_database(db_url)
    await upgrade_database(db_url)  # a second upgrade is a no-op
    assert await current_revision(db_url) == head_revision() is not None
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_diff) == []
            indexes = await conn.run_sync(_index_definitions)
    finally:
        await engine.dispose()
    # compare_metadata does not look at partial index predicates: check them
    # against what create_all() makes of the metadata.
    assert indexes == await _create_all_index_definitions(db_url)


def _index_definitions(connection: Connection) -> set[str]:
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
        return {r[0] for r in rows}
    rows = connection.exec_driver_sql(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        " AND tablename <> 'alembic_version'"
    )
    schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    return {r[0].replace(f" {schema}.", " ") for r in rows}


async def _create_all_index_definitions(db_url: str) -> set[str]:
    async def collect(url: str) -> set[str]:
        engine = make_engine(url)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
                return await conn.run_sync(_index_definitions)
        finally:
            await engine.dispose()

    if async_url(db_url).get_backend_name() == "sqlite":
        directory = Path(str(async_url(db_url).database)).parent / "create_all"
        directory.mkdir()
        return await collect(sqlite_url(directory))
    base = postgres_base_url()
    assert base is not None
    async with postgres_schema(base) as url:
        return await collect(url)


async def test_migrations_downgrade_and_upgrade_again(db_url: str) -> None:
    await upgrade_database(db_url)
    engine = make_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "base"))
        assert await current_revision(db_url) is None
        await upgrade_engine(engine)
    finally:
        await engine.dispose()
    assert await current_revision(db_url) == head_revision()


async def test_in_memory_sqlite_store(tmp_path: Path) -> None:
    store = open_store("sqlite:///:memory:")
    try:
        await upgrade_engine(store.engine)
        await new_member(store, alice())
        async with store.unit() as uow:
            assert await uow.members.count() == 1
            fk = (await uow.connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
        assert fk == 1  # switched off for the migration only
    finally:
        await store.close()


# --------------------------------------------------------------------------- SQLite specifics


async def test_sqlite_connection_pragmas(sqlite_store: SqlStore) -> None:
    async with sqlite_store.unit() as uow:
        conn = uow.connection
        values = {
            name: (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    assert values == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 5000,
        "synchronous": 1,
    }


async def test_sqlite_units_begin_immediate(sqlite_store: SqlStore) -> None:
    statements: list[str] = []

    def capture(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(sqlite_store.engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with sqlite_store.unit() as uow:
            await uow.members.count()
    finally:
        event.remove(sqlite_store.engine.sync_engine, "before_cursor_execute", capture)
    assert statements[0] == "BEGIN IMMEDIATE"


async def test_two_sqlite_stores_write_concurrently(tmp_path: Path) -> None:
    """Two engines on one file, many overlapping read-then-write units: WAL,
    busy_timeout and BEGIN IMMEDIATE make them queue instead of failing
    (SQLITE_BUSY / BUSY_SNAPSHOT) or losing updates."""
    url = sqlite_url(tmp_path)
    async with migrated_store(url) as one, migrated_store(url) as two:
        member = await new_member(one, alice())

        async def bump(store: SqlStore, n: int) -> None:
            async with store.unit() as uow:
                current = await uow.members.get_by_id(member.id)
                assert current is not None
                await asyncio.sleep(0.001)
                await uow.members.save(replace(current, rung=current.rung + 1))
                await uow.journey.add(member.id, EntryKind.DONE, T0 + timedelta(seconds=n))

        await asyncio.gather(*(bump(one if n % 2 else two, n) for n in range(40)))
        async with two.unit() as uow:
            final = await uow.members.get_by_id(member.id)
            entries = await uow.journey.list(member.id)
    assert final is not None and final.rung == 41
    assert len(entries) == 40


# --------------------------------------------------------------------------- PostgreSQL concurrency


@asynccontextmanager
async def held_unit(store: SqlStore, work: Callable[[SqlUnit], Awaitable[R]]) -> AsyncIterator[R]:
    """Run `work` in a unit of `store` in another task and keep that unit's
    transaction, and the row locks it took, open while the block runs."""
    done, release = asyncio.Event(), asyncio.Event()
    results: list[R] = []

    async def run() -> None:
        async with store.unit() as uow:
            results.append(await work(uow))
            done.set()
            await release.wait()

    task = asyncio.create_task(run())
    waiter = asyncio.create_task(done.wait())
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # work failed: raise its error
        yield results[0]
    finally:
        release.set()
        waiter.cancel()
        await task


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    base = postgres_base_url()
    if base is None:
        pytest.skip("TEST_DATABASE_URL not set")
    async with postgres_schema(base) as url:
        yield url


async def test_concurrent_claimers_get_disjoint_deliveries(pg_url: str) -> None:
    async with migrated_store(pg_url) as one, migrated_store(pg_url) as two:
        channel = ChannelRef("slack", "T1", "C1")
        async with one.unit() as uow:
            for i in range(300):
                await uow.deliveries.add(nudge(f"d{i}", channel, T0 - timedelta(seconds=i % 7)))

        # 1. A claim holds its rows until its unit ends; a concurrent claim
        #    skips them instead of waiting for them or taking them too.
        claim = held_unit(one, lambda uow: uow.deliveries.claim(T0, 20))
        async with claim as first, two.unit() as uow:
            other = await asyncio.wait_for(uow.deliveries.claim(T0, 20), timeout=5)
        assert len(first) == len(other) == 20
        assert not {d.id for d in first} & {d.id for d in other}

        # 2. Many claimers racing until nothing is left.
        async def drain(store: SqlStore) -> list[int]:
            ids: list[int] = []
            while True:
                async with store.unit() as uow:
                    batch = await uow.deliveries.claim(T0, 7)
                    await asyncio.sleep(0)
                if not batch:
                    return ids
                ids.extend(d.id for d in batch)

        results = await asyncio.gather(*(drain(s) for s in (one, two, one, two)))
    claimed = [i for ids in results for i in ids] + [d.id for d in (*first, *other)]
    assert len(claimed) == len(set(claimed)) == 300


async def test_concurrent_planners_get_disjoint_members(pg_url: str) -> None:
    async with migrated_store(pg_url) as one, migrated_store(pg_url) as two:
        for n in range(30):
            await new_member(one, alice(n), **enabled(T0 - timedelta(minutes=n)))

        plan = held_unit(one, lambda uow: uow.members.due_for_nudge(T0, 10))
        async with plan as first, two.unit() as uow:
            other = await asyncio.wait_for(uow.members.due_for_nudge(T0, 100), timeout=5)
    assert len(first) == 10 and len(other) == 20
    assert not {m.id for m in first} & {m.id for m in other}
    # the first planner got the oldest, the second the rest, oldest first
    assert [m.user for m in first] == [alice(n) for n in range(29, 19, -1)]
    assert [m.user for m in other] == [alice(n) for n in range(19, -1, -1)]


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("url", "driver", "database"),
    [
        ("sqlite:///ippo.db", "sqlite+aiosqlite", "ippo.db"),
        ("sqlite+pysqlite:////data/ippo.db", "sqlite+aiosqlite", "/data/ippo.db"),
        ("sqlite+aiosqlite:///:memory:", "sqlite+aiosqlite", ":memory:"),
        ("postgresql://u:p@h/db", "postgresql+psycopg", "db"),
        ("postgres://u@h:5433/db", "postgresql+psycopg", "db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg", "db"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg", "db"),
    ],
)
def test_urls_map_to_async_drivers(url: str, driver: str, database: str) -> None:
    mapped = async_url(url)
    assert (mapped.drivername, mapped.database) == (driver, database)
    assert mapped.set(drivername="x") == make_url(url).set(drivername="x")  # nothing else changes


def test_unsupported_url_is_refused_without_leaking_the_password() -> None:
    with pytest.raises(ValueError, match="unsupported") as err:
        async_url("mysql://root:hunter2@h/db")
    assert "hunter2" not in str(err.value)


def test_redact_url() -> None:
    assert (
        redact_url("postgresql://ippo:s3cret@db:5432/ippo") == "postgresql://ippo:***@db:5432/ippo"
    )
    assert redact_url("sqlite:///x.db") == "sqlite:///x.db"
    assert redact_url("not a url") == "<unparseable database URL>"
