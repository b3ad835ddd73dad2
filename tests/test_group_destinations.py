"""Group destinations (`bot.model.GroupRef`) in the delivery ledger and the
console inbox, and migration 0009 that makes room for them.

Every test taking `store` or `db_url` runs on SQLite and on PostgreSQL (the
latter skipped unless TEST_DATABASE_URL is set; see conftest.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import text

from bot.model import ChannelRef, GroupRef, MessageRef, UserRef
from bot.ports import DeliveryStatus, NewDelivery
from storage import SqlStore, upgrade_database
from storage.console_inbox import CONSOLE_WORKSPACE, SqlConsoleInbox, forget_dms
from storage.db import make_engine
from storage.migrate import alembic_config, current_revision, head_revision
from tests.conftest import migrated_store

T0 = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
# Eight Discord snowflakes of 19 digits: the longest group `to_id` must hold.
SNOWFLAKES = tuple(str(1234567890123456780 + n) for n in range(8))


def intro(key: str, to: GroupRef) -> NewDelivery:
    return NewDelivery(key=key, kind="coffee", to=to, not_before=T0, payload={"round": "1"})


def test_a_group_has_two_or_more_distinct_members() -> None:
    assert GroupRef("slack", "T1", ("U1", "U2")).joined == "U1,U2"
    for members in [(), ("U1",), ("U1", "U1"), ("U1", ""), ("U1", "U2,U3")]:
        with pytest.raises(ValueError):
            GroupRef("slack", "T1", members)


async def test_group_deliveries_round_trip(store: SqlStore) -> None:
    slack = GroupRef("slack", "T1", ("U1", "U2", "U3"))
    thread = GroupRef("discord", "G1", SNOWFLAKES, channel_id="998877665544332211")
    async with store.unit() as uow:
        assert await uow.deliveries.add(intro("coffee:slack", slack)) is True
        inserted = await uow.deliveries.add_many(
            [intro("coffee:thread", thread), intro("coffee:slack", slack)]
        )
    assert inserted == {"coffee:thread"}
    async with store.unit() as uow:
        got_slack = await uow.deliveries.get("coffee:slack")
        got_thread = await uow.deliveries.get("coffee:thread")
        claimed = await uow.deliveries.claim(T0, 10)
    assert got_slack is not None and got_slack.to == slack and got_slack.member_id is None
    assert got_thread is not None and got_thread.to == thread
    assert got_thread.to.members == SNOWFLAKES  # the order the message names them
    assert {d.to for d in claimed} == {slack, thread}


async def test_a_group_message_names_no_single_recipient(store: SqlStore) -> None:
    """A press on a group message acts for whoever pressed it: `recipient_of`
    finds the member only for DMs, as before."""
    group = GroupRef("slack", "T1", ("U1", "U2"))
    async with store.unit() as uow:
        member = await uow.members.create(
            UserRef("slack", "T1", "U1"), lang="ja", tz="Asia/Tokyo", display_name="", now=T0
        )
        await uow.deliveries.add(intro("coffee:g", group))
        await uow.deliveries.add(NewDelivery(key="dm", kind="nudge", to=member.user, not_before=T0))
        for delivery in await uow.deliveries.claim(T0, 10):
            await uow.deliveries.mark_sent(
                delivery.id, at=T0, message_id="1.0", channel_id=f"C-{delivery.key}"
            )
    async with store.unit() as uow:
        on_group = await uow.deliveries.recipient_of(MessageRef("slack", "T1", "C-coffee:g", "1.0"))
        on_dm = await uow.deliveries.recipient_of(MessageRef("slack", "T1", "C-dm", "1.0"))
        sent = await uow.deliveries.get("coffee:g")
    assert (on_group, on_dm) == (None, member.id)
    assert sent is not None and sent.status is DeliveryStatus.SENT


async def test_console_group_posts_reach_each_member_once(store: SqlStore) -> None:
    inbox = SqlConsoleInbox(store.engine)
    group = GroupRef("console", CONSOLE_WORKSPACE, ("ana", "bo", "cy"))
    post = await inbox.post(group, "hello", ["a:1"], now=T0, delivery_key="coffee:1")
    assert await inbox.post(group, "hello", ["a:1"], now=T0, delivery_key="coffee:1") == post
    await inbox.post(GroupRef("console", CONSOLE_WORKSPACE, ("anabel", "bo")), "other", [], now=T0)
    ana = await inbox.take_unshown("ana", now=T0)
    assert [(i.id, i.to, i.text) for i in ana] == [(post, group, "hello")]
    assert await inbox.take_unshown("ana", now=T0) == []  # once
    assert [i.text for i in await inbox.take_unshown("bo", now=T0)] == ["hello", "other"]
    assert await inbox.take_unshown("dee", now=T0) == []  # not a member
    found = await inbox.find("coffee:1")
    assert found is not None and found.to == group


async def test_forgetting_a_member_removes_the_group_posts_naming_them(store: SqlStore) -> None:
    inbox = SqlConsoleInbox(store.engine)
    await inbox.post(GroupRef("console", CONSOLE_WORKSPACE, ("ana", "bo")), "ab", [], now=T0)
    kept = await inbox.post(
        GroupRef("console", CONSOLE_WORKSPACE, ("anabel", "bo")), "x", [], now=T0
    )
    await inbox.post(UserRef("console", CONSOLE_WORKSPACE, "ana"), "dm", [], now=T0)
    async with store.engine.begin() as conn:
        assert await forget_dms(conn, "ana") == 2
    assert await inbox.get(kept) is not None
    assert [i.text for i in await inbox.take_unshown("bo", now=T0 + timedelta(days=1))] == ["x"]


async def test_migration_0009_up_and_down_keeps_one_to_one_rows(db_url: str) -> None:
    """Rows from before 0009 survive it; a downgrade drops group rows (an older
    version could neither hold nor send them) and keeps the rest."""
    engine = make_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda c: command.upgrade(alembic_config(c), "0008_channel_langs"))
            await conn.execute(
                text(
                    "INSERT INTO deliveries (key, kind, to_platform, to_workspace, to_kind, to_id,"
                    " payload, status, not_before, attempts, lookup_failures)"
                    " VALUES ('old', 'nudge', 'slack', 'T1', 'channel', 'C1', '{}', 'pending',"
                    " :at, 0, 0)"
                ),
                {"at": T0},
            )
        await upgrade_database(db_url)
        assert await current_revision(db_url) == head_revision()
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO deliveries (key, kind, to_platform, to_workspace, to_kind, to_id,"
                    " to_channel, payload, status, not_before, attempts, lookup_failures)"
                    " VALUES ('group', 'coffee', 'discord', 'G1', 'group', :ids, 'C9', '{}',"
                    " 'pending', :at, 0, 0)"
                ),
                {"ids": ",".join(SNOWFLAKES), "at": T0},
            )
            await conn.execute(
                text(
                    "INSERT INTO console_inbox (to_kind, to_id, text, actions, posted_at, seen_by)"
                    " VALUES ('group', 'ana,bo', 'hi', '[]', :at, '[]')"
                ),
                {"at": T0},
            )
            await conn.run_sync(
                lambda c: command.downgrade(alembic_config(c), "0008_channel_langs")
            )
            keys = (await conn.execute(text("SELECT key FROM deliveries"))).scalars().all()
            posts = (await conn.execute(text("SELECT count(*) FROM console_inbox"))).scalar_one()
        assert (keys, posts) == (["old"], 0)
        await upgrade_database(db_url)
    finally:
        await engine.dispose()
    async with migrated_store(db_url) as store, store.unit() as uow:
        old = await uow.deliveries.get("old")
    assert old is not None and old.to == ChannelRef("slack", "T1", "C1")
