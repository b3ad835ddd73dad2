"""A logged-in Discord adapter on a real core and store, against the local fake
Discord REST API, for the Discord tests: interactions go in through
discord.py's own dispatch, callbacks are read back from the fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from adapters.discord.client import DiscordAdapter
from bot.config import CoreConfig
from bot.core import Core
from bot.delivery import Dispatcher
from bot.model import Member, UserRef
from bot.testing import FixedClock
from config.settings import Settings
from storage import SqlStore
from tests.corekit import START, build_core, build_dispatcher
from tests.fakes.discord_api import FakeDiscordApi

GUILD = "700000000000000001"


@dataclass
class DiscordWorld:
    api: FakeDiscordApi
    adapter: DiscordAdapter
    core: Core
    store: SqlStore
    clock: FixedClock

    async def send(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Deliver one interaction as the gateway would; return its callback."""
        before = len(self.api.interaction_responses)
        self.adapter.client._connection.parsers["INTERACTION_CREATE"](payload)
        await self.api.wait_for(lambda api: len(api.interaction_responses) > before)
        response: dict[str, Any] = self.api.interaction_responses[before]
        assert response["interaction_id"] == payload["id"]
        return response

    async def member(self, user_id: str) -> Member | None:
        async with self.store.unit() as uow:
            return await uow.members.get(UserRef("discord", GUILD, user_id))

    def dispatcher(self) -> Dispatcher:
        """The real delivery engine, sending through this world's messenger."""
        return build_dispatcher(self.core, {"discord": self.adapter.messenger})


def settings_for(api: FakeDiscordApi) -> Settings:
    return Settings(discord_token=SecretStr("test-token"), discord_api_url=api.base_url)


@asynccontextmanager
async def discord_world(
    store: SqlStore, *, config: CoreConfig | None = None
) -> AsyncIterator[DiscordWorld]:
    async with FakeDiscordApi() as api:
        clock = FixedClock(START)
        core = build_core(store, clock=clock, config=config)
        adapter = DiscordAdapter(core=core, store=store, settings=settings_for(api))
        await adapter.login()
        try:
            yield DiscordWorld(api, adapter, core, store, clock)
        finally:
            await adapter.stop()
