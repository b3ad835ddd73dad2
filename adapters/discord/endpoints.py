"""Where discord.py talks to: the REST base and the gateway, for tests and benchmarks.

REST: discord.py builds every request URL — bot routes, interaction
callbacks and webhook follow-ups alike — from the class attribute
`discord.http.Route.BASE` when a `Route` is created. There is no per-client
setting; the library's own `_set_api_version` changes the same attribute.
So `rest_base(url)` sets it, and restores the previous value when the
returned handle is closed. It is process-wide by nature: one Discord client
per process (which is how ippo runs), and the adapter holds it only between
`start()` and `stop()` (or for one `sync_commands` call).

Gateway: `Client.connect` opens `DiscordWebSocket.DEFAULT_GATEWAY`
(wss://gateway.discord.gg) and later the `resume_gateway_url` the server
sends in READY. `redirect_gateway(client, url)` is confined to one client:
it wraps that client's `http.ws_connect` so a connection to the default
gateway goes to `url` instead (keeping discord.py's query: v, encoding,
compress=zlib-stream); URLs the server itself hands out are left alone.
"""

from __future__ import annotations

import re
from typing import Any

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

API_VERSION_SUFFIX = re.compile(r"/api/v\d+/?$")


def api_base(url: str) -> str:
    """ "http://host:port" or ".../api/v10" -> the base Route URLs start with."""
    stripped = url.rstrip("/")
    return stripped if API_VERSION_SUFFIX.search(stripped) else f"{stripped}/api/v10"


class RestBase:
    """The REST base in force until `restore()`; see the module docstring."""

    def __init__(self, url: str | None) -> None:
        self._previous = Route.BASE
        if url:
            Route.BASE = api_base(url)

    def restore(self) -> None:
        Route.BASE = self._previous


def rest_base(url: str | None) -> RestBase:
    return RestBase(url)


class _RedirectingConnect:
    """`HTTPClient.ws_connect` with the default gateway replaced by `target`."""

    def __init__(self, connect: Any, target: yarl.URL) -> None:
        self._connect = connect
        self._target = target

    async def __call__(self, url: str, *, compress: int = 0) -> aiohttp.ClientWebSocketResponse:
        result: aiohttp.ClientWebSocketResponse = await self._connect(
            gateway_url_for(url, self._target), compress=compress
        )
        return result


def gateway_url_for(url: str, target: yarl.URL) -> str:
    requested = yarl.URL(url)
    if requested.host != DiscordWebSocket.DEFAULT_GATEWAY.host:
        return url
    return str(target.with_query(requested.query))


def redirect_gateway(client: discord.Client, url: str | None) -> None:
    if url:
        client.http.ws_connect = _RedirectingConnect(  # type: ignore[method-assign]
            client.http.ws_connect, yarl.URL(url)
        )
