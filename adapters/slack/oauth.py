"""Which bot token speaks for which workspace.

- One workspace (`SLACK_BOT_TOKEN`): `SingleToken`, the same token for every
  call.
- Many workspaces (`SLACK_CLIENT_ID` + `SLACK_CLIENT_SECRET`, HTTP mode):
  Slack's OAuth v2 install flow through Bolt (`/slack/install`,
  `/slack/oauth_redirect`), with slack_sdk's SQLAlchemy installation and state
  stores on ippo's own database (tables from migration 0003). `InstalledTokens`
  finds each workspace's bot token there; Bolt authorizes every incoming
  request the same way, and deletes a workspace's tokens when the app is
  uninstalled or its tokens are revoked.

Every row ippo stores carries its workspace (the Slack team id), so
workspaces never see each other's members, journeys or sessions.
"""

from __future__ import annotations

import time
from importlib import resources
from typing import Protocol

import yaml
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_EXPIRY_S = 600
TOKEN_CACHE_S = 60.0


class TokenSource(Protocol):
    """The bot token for a workspace, or None when ippo is not installed there."""

    async def token(self, team_id: str) -> str | None: ...


class SingleToken:
    def __init__(self, token: str) -> None:
        self._token = token

    async def token(self, team_id: str) -> str | None:
        return self._token


class InstalledTokens:
    """Bot tokens from the installation store, cached briefly (every API call
    asks; an uninstall is noticed within `TOKEN_CACHE_S`)."""

    def __init__(self, store: AsyncInstallationStore, *, ttl_s: float = TOKEN_CACHE_S) -> None:
        self._store = store
        self._ttl_s = ttl_s
        self._cache: dict[str, tuple[float, str | None]] = {}

    async def token(self, team_id: str) -> str | None:
        now = time.monotonic()
        cached = self._cache.get(team_id)
        if cached is not None and now - cached[0] < self._ttl_s:
            return cached[1]
        bot = await self._store.async_find_bot(enterprise_id=None, team_id=team_id)
        found = bot.bot_token if bot is not None else None
        self._cache[team_id] = (now, found)
        return found


def bot_scopes() -> list[str]:
    """The bot scopes the shipped manifest asks for: one list for both the
    manifest install and the OAuth install."""
    text = resources.files("adapters.slack").joinpath("manifest.yaml").read_text("utf-8")
    manifest = yaml.safe_load(text)
    return [str(s) for s in manifest["oauth_config"]["scopes"]["bot"]]


def installation_store(settings: Settings, engine: AsyncEngine) -> AsyncSQLAlchemyInstallationStore:
    if settings.slack_client_id is None:
        raise ValueError("multi-workspace install needs SLACK_CLIENT_ID")
    return AsyncSQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=engine)


def oauth_settings(
    settings: Settings, engine: AsyncEngine, installations: AsyncInstallationStore
) -> AsyncOAuthSettings:
    """Bolt's OAuth flow for distributing ippo to several workspaces."""
    secret = settings.slack_client_secret
    if settings.slack_client_id is None or secret is None:
        raise ValueError("multi-workspace install needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    base = settings.public_base_url.rstrip("/")
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=secret.get_secret_value(),
        scopes=bot_scopes(),
        redirect_uri=f"{base}{REDIRECT_PATH}" if base else None,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=installations,
        state_store=AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_EXPIRY_S, engine=engine
        ),
    )
