"""The configured platforms, opened and closed in one place for `ippo run` and `ippo tick`.

`open_platforms(runtime, serving=...)` builds the adapter of every platform
the settings configure — Slack (one workspace with `SLACK_BOT_TOKEN`, or
several with the OAuth install and `InstalledTokens`), Discord — and yields
them with their messengers. Both commands send through these messengers, so a
cron deployment (`ippo tick`) paces, authenticates and dedupes exactly like a
long-running one (`ippo run`): there is one construction, not two that drift.

- `serving=True` (`ippo run`): each adapter is started — Slack's Socket Mode
  connection, the Discord gateway. The caller serves Slack's HTTP mode
  through `Platforms.slack.web_app()` on its own server.
- `serving=False` (`ippo tick`): only what sending needs. Discord logs in
  over REST (the client's HTTP session; no gateway connection); Slack needs
  one HTTP session whose connections every Web API call reuses.

The adapters share one `storage.seen_requests.SqlRequestLedger` on the
runtime's database: each Slack request and event and each Discord interaction
is handled at most once, however many instances run.

Leaving the context stops every adapter, newest first, each within
`stop_timeout_s`, so the Discord client's HTTP session is always closed (no
"Unclosed client session" at exit), even when opening failed half-way.

slack_bolt and discord are imported only when their platform is configured:
`ippo --help` and the console deployment never load them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from adapters.base import Adapter
from adapters.runtime.clock import SystemClock
from adapters.runtime.health import HealthCheck
from bot.model import Platform
from bot.ports import Messenger, RequestLedger
from storage.seen_requests import SqlRequestLedger

if TYPE_CHECKING:
    from adapters.main import Runtime
    from adapters.slack.app import SlackAdapter

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 2.0

Opener = Callable[[], Awaitable[None]]


class PlatformSetupError(ValueError):
    """A configured platform cannot be set up from the settings (e.g. Slack
    with a bot token but neither an app token nor a signing secret)."""


@dataclass(frozen=True, slots=True)
class Platforms:
    """The adapters of the configured platforms, open for the context's life."""

    adapters: tuple[Adapter, ...]
    slack: SlackAdapter | None = None

    @property
    def messengers(self) -> dict[Platform, Messenger]:
        """One messenger per platform: the one its adapter answers with."""
        return {adapter.platform: adapter.messenger for adapter in self.adapters}

    @property
    def names(self) -> list[Platform]:
        return [adapter.platform for adapter in self.adapters]


def _slack_adapter(
    runtime: Runtime, healthy: HealthCheck | None, ledger: RequestLedger
) -> SlackAdapter:
    from adapters.slack.app import SlackAdapter
    from adapters.slack.oauth import InstalledTokens, installation_store, oauth_settings

    settings = runtime.settings
    oauth, tokens = None, None
    if settings.slack_oauth_enabled:  # several workspaces: tokens in the database
        engine = runtime.store.engine
        installations = installation_store(settings, engine)
        oauth = oauth_settings(settings, engine, installations)
        tokens = InstalledTokens(installations)
    return SlackAdapter(
        core=runtime.core,
        store=runtime.store,
        settings=settings,
        serve_http=False,  # the caller's server carries Slack's routes
        healthy=healthy,
        oauth=oauth,
        tokens=tokens,
        ledger=ledger,
    )


def _discord_adapter(runtime: Runtime, ledger: RequestLedger) -> tuple[Adapter, Opener]:
    """The Discord adapter, and how to open it for sending only: log in over
    REST (the client's HTTP session), with no gateway connection."""
    from adapters.discord.client import DiscordAdapter

    adapter = DiscordAdapter(
        core=runtime.core, store=runtime.store, settings=runtime.settings, ledger=ledger
    )
    return adapter, adapter.login


async def _stop(adapter: Adapter, timeout_s: float) -> None:
    """Stop one adapter within `timeout_s`; a failure is logged, not raised,
    so the other adapters are still stopped."""
    try:
        await asyncio.wait_for(adapter.stop(), timeout_s)
    except Exception as err:  # closing must go on for the other adapters
        log.warning(
            "adapter did not stop cleanly",
            extra={"platform": adapter.platform, "error": type(err).__name__},
        )


@asynccontextmanager
async def open_platforms(
    runtime: Runtime,
    *,
    serving: bool,
    healthy: HealthCheck | None = None,
    stop_timeout_s: float = STOP_TIMEOUT_S,
) -> AsyncIterator[Platforms]:
    """Every configured platform's adapter, opened (see the module docstring)
    and stopped on exit. No platform configured: no adapters."""
    settings = runtime.settings
    async with AsyncExitStack() as stack:
        built: list[tuple[Adapter, Opener]] = []
        slack: SlackAdapter | None = None
        # Requests taken are remembered in the database, by every instance on
        # it, against the wall clock (platform windows are real time).
        ledger = SqlRequestLedger(runtime.store.engine, clock=SystemClock())
        stack.push_async_callback(ledger.close)  # closed after every adapter stopped
        try:
            if settings.slack_enabled:
                slack = _slack_adapter(runtime, healthy, ledger)
                built.append((slack, slack.open_connections))
            if settings.discord_enabled:
                built.append(_discord_adapter(runtime, ledger))
        except ValueError as err:
            raise PlatformSetupError(str(err)) from err
        for adapter, open_for_sending in built:
            # Registered before opening: a half-open adapter is closed too.
            stack.push_async_callback(_stop, adapter, stop_timeout_s)
            await (adapter.start() if serving else open_for_sending())
        yield Platforms(tuple(adapter for adapter, _ in built), slack)
