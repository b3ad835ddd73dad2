"""Each Discord interaction id is handled at most once, across instances: a
repeated INTERACTION_CREATE (a gateway replay, or a second instance given
the same event) gets no second answer and changes nothing. The adapters are
given the store's `SqlRequestLedger`, as `ippo run` does."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from pydantic import SecretStr

from adapters.discord.client import DiscordAdapter
from adapters.runtime.clock import SystemClock
from bot.model import EntryKind, UserRef
from config.settings import Settings
from storage import SqlStore
from storage.seen_requests import SqlRequestLedger
from tests.corekit import build_core
from tests.discordkit import GUILD
from tests.fakes.discord_api import FakeDiscordApi
from tests.fakes.discord_gateway import FakeDiscordGateway
from tests.fakes.discord_payloads import DiscordPerson

CHANNEL_MESSAGE = 4
SETTLE_S = 0.5  # long enough for a repeated interaction to have been answered, were it


def adapter_for(store: SqlStore, api: FakeDiscordApi, gateway_url: str | None) -> DiscordAdapter:
    settings = Settings(
        discord_token=SecretStr("test-token"),
        discord_api_url=api.base_url,
        discord_gateway_url=gateway_url,
    )
    return DiscordAdapter(
        core=build_core(store),
        store=store,
        settings=settings,
        ledger=SqlRequestLedger(store.engine, clock=SystemClock()),
    )


@asynccontextmanager
async def logged_in(store: SqlStore, api: FakeDiscordApi) -> AsyncIterator[DiscordAdapter]:
    adapter = adapter_for(store, api, None)
    await adapter.login()
    try:
        yield adapter
    finally:
        await adapter.stop()


def feed(adapter: DiscordAdapter, payload: dict[str, Any]) -> None:
    """Deliver one INTERACTION_CREATE as the gateway would (a fresh copy:
    discord.py may keep what it is given)."""
    adapter.client._connection.parsers["INTERACTION_CREATE"](copy.deepcopy(payload))


async def done_entries(store: SqlStore, user_id: str) -> int:
    async with store.unit() as uow:
        member = await uow.members.get(UserRef("discord", GUILD, user_id))
        if member is None:
            return 0
        entries = await uow.journey.list(member.id)
    return sum(1 for e in entries if e.kind is EntryKind.DONE)


async def test_a_repeated_interaction_is_answered_once(sqlite_store: SqlStore) -> None:
    async with FakeDiscordApi() as api, logged_in(sqlite_store, api) as adapter:
        aki = DiscordPerson("100000000000000301", locale="en-US")
        payload = aki.slash("done", what="Lunch with the planning team")
        feed(adapter, payload)
        await api.wait_for(lambda a: len(a.interaction_responses) == 1)
        assert await done_entries(sqlite_store, aki.user_id) == 1

        feed(adapter, payload)
        await asyncio.sleep(SETTLE_S)
        assert len(api.interaction_responses) == 1
        assert await done_entries(sqlite_store, aki.user_id) == 1

        # a new interaction (a new id) saying the same is a new request
        feed(adapter, aki.slash("done", what="Lunch with the planning team"))
        await api.wait_for(lambda a: len(a.interaction_responses) == 2)
        assert await done_entries(sqlite_store, aki.user_id) == 2


async def test_a_repeated_modal_submission_changes_nothing(sqlite_store: SqlStore) -> None:
    async with FakeDiscordApi() as api, logged_in(sqlite_store, api) as adapter:
        aki = DiscordPerson("100000000000000302", locale="en-US")
        payload = aki.submit("journey:done", {"what": "Coffee with IT", "note": ""})
        feed(adapter, payload)
        await api.wait_for(lambda a: len(a.interaction_responses) == 1)
        feed(adapter, payload)
        await asyncio.sleep(SETTLE_S)
        assert len(api.interaction_responses) == 1
        assert await done_entries(sqlite_store, aki.user_id) == 1


async def test_one_interaction_reaching_two_instances_is_answered_once(
    sqlite_store: SqlStore,
) -> None:
    """Two adapters (two instances on one database), each on its own gateway
    connection, both handed the same interaction: one answers it."""
    async with (
        FakeDiscordApi() as api,
        FakeDiscordGateway() as gate_one,
        FakeDiscordGateway() as gate_two,
    ):
        one = adapter_for(sqlite_store, api, gate_one.url)
        two = adapter_for(sqlite_store, api, gate_two.url)
        await one.start()
        await two.start()
        try:
            await gate_one.wait_identified()
            await gate_two.wait_identified()
            aki = DiscordPerson("100000000000000303", locale="en-US")
            payload = aki.slash("done", what="Lunch with the planning team")
            await gate_one.dispatch("INTERACTION_CREATE", payload)
            await gate_two.dispatch("INTERACTION_CREATE", payload)
            await gate_one.dispatch("INTERACTION_CREATE", payload)  # and a replay
            await api.wait_for(lambda a: bool(a.interaction_responses))
            await asyncio.sleep(SETTLE_S)
            (answer,) = api.interaction_responses
            assert answer["interaction_id"] == payload["id"]
            assert answer["type"] == CHANNEL_MESSAGE
            assert await done_entries(sqlite_store, aki.user_id) == 1
        finally:
            await one.stop()
            await two.stop()
