"""`/ippo forget` and a group's introduction: the forgotten person's user id
leaves the delivery ledger's group destinations (`deliveries.to_id`, and the
console's record of where a group post went), and the others still meet."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, select

from adapters.console.messenger import ConsoleMessenger
from bot.model import GroupRef, Reply
from bot.testing import texts
from storage import SqlStore
from storage.coffee_forget import FORGOTTEN
from storage.console_inbox import SqlConsoleInbox
from storage.tables import DeliveryRow
from tests.test_coffee import World, join, world

_deliveries = cast(Table, DeliveryRow.__table__)


async def intro_rows(store: SqlStore) -> list[dict[str, Any]]:
    """The group introductions' rows as stored (a finished row may name one
    member only, which no `GroupRef` can hold)."""
    query = select(_deliveries).where(_deliveries.c.to_kind == "group")
    async with store.engine.connect() as conn:
        return [dict(row) for row in (await conn.execute(query)).mappings()]


async def forget(w: World, name: str) -> None:
    person = w.harness.member(name)
    gone = await person.press(await person.say("/ippo forget"), "privacy:forget-yes")
    assert "削除" in texts(gone)


async def test_a_pending_trio_meets_without_the_forgotten_one(sqlite_store: SqlStore) -> None:
    w = world(sqlite_store)
    for i, name in enumerate(("aki", "ben", "cat")):
        await join(w, name, dept=i, zone=0)
    rnd = w.rounds(1)[0]
    w.clock.set(rnd.opens())
    await w.dispatcher.tick(w.clock.now(), budget_s=30)  # planned, not sent yet
    [row] = await intro_rows(sqlite_store)
    assert sorted(row["to_id"].split(",")) == ["aki", "ben", "cat"]
    await forget(w, "cat")
    [row] = await intro_rows(sqlite_store)
    assert (row["status"], sorted(row["to_id"].split(","))) == ("pending", ["aki", "ben"])
    w.clock.set(rnd.opens() + timedelta(days=2))
    await w.dispatcher.tick(w.clock.now(), budget_s=30)
    [sent] = w.messenger.sent
    assert isinstance(sent.to, GroupRef) and sorted(sent.to.members) == ["aki", "ben"]
    text = texts([Reply(sent.message)])
    assert "aki" in text and "ben" in text and "cat" not in text


async def test_a_pending_pair_is_skipped_when_one_is_forgotten(sqlite_store: SqlStore) -> None:
    w = world(sqlite_store)
    await join(w, "aki", dept=0, zone=0)
    await join(w, "ben", dept=1, zone=0)
    rnd = w.rounds(1)[0]
    w.clock.set(rnd.opens())
    await w.dispatcher.tick(w.clock.now(), budget_s=30)
    await forget(w, "ben")
    [row] = await intro_rows(sqlite_store)
    assert (row["status"], row["to_id"], row["error"]) == ("skipped", "aki", FORGOTTEN)
    w.clock.set(rnd.opens() + timedelta(days=2))
    await w.dispatcher.tick(w.clock.now(), budget_s=30)
    assert w.messenger.sent == []


async def test_a_sent_intro_keeps_only_the_others(sqlite_store: SqlStore) -> None:
    """On the console the post's channel is the members joined too: both go."""
    w = world(sqlite_store)
    console = ConsoleMessenger(inbox=SqlConsoleInbox(sqlite_store.engine), clock=w.clock)
    dispatcher = w.core.dispatcher({"console": console})
    for i, name in enumerate(("aki", "ben", "cat")):
        await join(w, name, dept=i, zone=0)
    rnd = w.rounds(1)[0]
    for at in (rnd.opens(), rnd.opens() + timedelta(days=2)):
        w.clock.set(at)
        await dispatcher.tick(at, budget_s=30)
    [row] = await intro_rows(sqlite_store)
    assert row["status"] == "sent" and "ben" in row["channel_id"].split(",")
    await forget(w, "ben")
    [row] = await intro_rows(sqlite_store)
    assert row["status"] == "sent"
    assert sorted(row["to_id"].split(",")) == sorted(row["channel_id"].split(",")) == ["aki", "cat"]
