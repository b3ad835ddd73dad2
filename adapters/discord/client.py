"""The Discord adapter: a discord.py client wired to the core.

- `IppoClient` carries the `/ippo` command tree, registers the persistent
  component classes (so buttons work on messages sent before a restart) and
  routes modal submissions by their custom_id (the form's route), which
  works after a restart too — no per-message state lives in memory.
- `DiscordAdapter` implements `adapters.base.Adapter`: `start()` logs in and
  connects in a background task; `stop()` closes.
- `sync_commands()` registers the command group with Discord on demand
  (`ippo discord sync [--guild ID]`): a sync overwrites the whole set and
  guild creates are limited, so it never runs at start.

Gateway intents: none. Interactions arrive without any, and ippo reads no
messages or member lists.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

from adapters.discord.buckets import sweep_buckets_seldom
from adapters.discord.commands import CatalogTranslator, build_group
from adapters.discord.components import PickSelect, RouteButton
from adapters.discord.endpoints import RestBase, redirect_gateway, rest_base
from adapters.discord.messenger import DiscordMessenger
from adapters.discord.pace import GlobalPace
from adapters.discord.respond import InteractionRunner
from bot.catalog import Catalog
from bot.core import Core
from bot.feature import Feature
from bot.features import FEATURES
from bot.i18n import Messages
from bot.model import Platform
from bot.ports import Messenger, RequestLedger, Store
from config.catalog_loader import load_catalog
from config.settings import Settings

log = logging.getLogger(__name__)

MAX_RATELIMIT_WAIT = 30.0  # longer 429 waits surface as TransientFailure


class IppoClient(discord.Client):
    def __init__(
        self,
        *,
        catalog: Catalog,
        messages: Messages,
        gateway_url: str | None = None,
        features: Sequence[Feature] = FEATURES,
        pace: GlobalPace | None = None,
    ) -> None:
        """`/ippo` offers the commands of `features`: the core's, so Discord
        shows exactly what its router answers. Every request the client
        makes keeps within `pace`, Discord's global limit
        (adapters.discord.pace)."""
        self.pace = pace or GlobalPace()
        super().__init__(
            intents=discord.Intents.none(),
            allowed_mentions=discord.AllowedMentions.none(),
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
            http_trace=self.pace.trace_config(),
        )
        sweep_buckets_seldom(self.http)
        redirect_gateway(self, gateway_url)
        self.tree: app_commands.CommandTree[IppoClient] = app_commands.CommandTree(self)
        self._messages = messages
        self._runner: InteractionRunner | None = None
        self.tree.add_command(build_group(self, catalog, messages, features))

    def attach(self, runner: InteractionRunner) -> None:
        self._runner = runner

    @property
    def runner(self) -> InteractionRunner:
        if self._runner is None:
            raise RuntimeError("no InteractionRunner attached: this client only syncs commands")
        return self._runner

    async def setup_hook(self) -> None:
        self.add_dynamic_items(RouteButton, PickSelect)
        await self.tree.set_translator(CatalogTranslator(self._messages))

    # CommandSink
    async def command(
        self, interaction: discord.Interaction[Any], name: str, args: tuple[str, ...]
    ) -> None:
        await self.runner.command(interaction, name, args)

    # ComponentSink
    async def on_component(self, interaction: discord.Interaction[Any], action_id: str) -> None:
        await self.runner.component(interaction, action_id)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type is discord.InteractionType.modal_submit:
            await self.runner.modal(interaction)


class DiscordAdapter:
    """`adapters.base.Adapter` for Discord."""

    platform: Platform = "discord"

    def __init__(
        self,
        *,
        core: Core,
        store: Store,
        settings: Settings,
        ledger: RequestLedger | None = None,
    ) -> None:
        """`ledger` remembers the interaction ids taken; give every instance
        the store's (storage.seen_requests) — the default remembers in this
        process only."""
        if settings.discord_token is None:
            raise ValueError("DISCORD_TOKEN is not set")
        self._settings = settings
        self.client = IppoClient(
            catalog=core.catalog,
            messages=core.messages,
            gateway_url=settings.discord_gateway_url,
            features=core.features,
        )
        self._messenger = DiscordMessenger(
            client=self.client,
            store=store,
            messages=core.messages,
            default_lang=core.config.default_lang,
        )
        self.client.attach(InteractionRunner(core=core, messenger=self._messenger, ledger=ledger))
        self._rest: RestBase | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def messenger(self) -> Messenger:
        return self._messenger

    async def login(self) -> None:
        """Log in over REST only (no gateway): enough to send and to answer
        interactions fed in by tests or benchmarks."""
        token = self._settings.discord_token
        assert token is not None
        self._rest = rest_base(self._settings.discord_api_url)
        await self.client.login(token.get_secret_value())

    async def start(self) -> None:
        await self.login()
        self._task = asyncio.create_task(self._connect(), name="discord-gateway")

    async def _connect(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        except Exception:
            log.exception("Discord gateway connection ended")
            raise

    async def stop(self) -> None:
        await self.client.close()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._rest is not None:
            self._rest.restore()
            self._rest = None


async def sync_commands(settings: Settings, guild_id: int | None) -> int:
    """Register `/ippo` with Discord (globally, or in one guild for testing);
    returns how many top-level commands were synced."""
    token = settings.discord_token
    if token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    catalog = load_catalog(settings.catalog_file())
    client = IppoClient(catalog=catalog, messages=Messages.load())
    rest = rest_base(settings.discord_api_url)
    try:
        await client.login(token.get_secret_value())
        guild = discord.Object(id=guild_id) if guild_id is not None else None
        if guild is not None:
            client.tree.copy_global_to(guild=guild)
        synced = await client.tree.sync(guild=guild)
        return len(synced)
    finally:
        await client.close()
        rest.restore()
