"""The Discord adapter as `ippo run` starts it: it logs in over REST, connects
to the gateway named by IPPO_DISCORD_GATEWAY_URL (not Discord's default),
identifies with the configured token and no privileged intents, and answers
an interaction that arrives over that connection."""

from __future__ import annotations

from pydantic import SecretStr

from adapters.discord.client import DiscordAdapter
from config.settings import Settings
from storage import SqlStore
from tests.corekit import build_core
from tests.fakes.discord_api import FakeDiscordApi
from tests.fakes.discord_gateway import FakeDiscordGateway
from tests.fakes.discord_payloads import DiscordPerson, custom_ids

CHANNEL_MESSAGE = 4


async def test_interactions_arrive_through_the_configured_gateway(sqlite_store: SqlStore) -> None:
    async with FakeDiscordApi() as api, FakeDiscordGateway() as gateway:
        settings = Settings(
            discord_token=SecretStr("gateway-test-token"),
            discord_api_url=api.base_url,
            discord_gateway_url=gateway.url,
        )
        adapter = DiscordAdapter(
            core=build_core(sqlite_store), store=sqlite_store, settings=settings
        )
        await adapter.start()
        try:
            identify = await gateway.wait_identified()
            assert identify["token"] == "gateway-test-token"
            assert identify["intents"] == 0  # interactions need no intents

            aki = DiscordPerson("100000000000000201", locale="en-US")
            payload = aki.slash("why")
            await gateway.dispatch("INTERACTION_CREATE", payload)
            await api.wait_for(lambda a: bool(a.interaction_responses))
            (answer,) = api.interaction_responses
            assert answer["interaction_id"] == payload["id"]
            assert answer["type"] == CHANNEL_MESSAGE
            assert "why:done" in custom_ids(answer)
        finally:
            await adapter.stop()
