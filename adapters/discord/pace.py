"""Discord's global limit, kept for every request discord.py sends.

Discord lets a bot make `GLOBAL_LIMIT` (50) requests in any second, across
all routes; interaction endpoints (callbacks and the follow-up webhooks) are
exempt. Per-route buckets come on top: discord.py keeps those itself from
each answer's `X-RateLimit-Limit`, `-Remaining`, `-Reset-After` and
`-Bucket`. The global limit is announced by no header until it has been
exceeded (a 429 with `X-RateLimit-Global: true`, `X-RateLimit-Scope:
global`), so a client that means never to see that 429 must count its
requests itself.

`GlobalPace` counts them where discord.py makes them: an
`aiohttp.TraceConfig` given to `discord.Client(http_trace=...)` (the
library's documented hook for "the HTTP requests the library does"), whose
request-start signal aiohttp awaits before it sends anything. So every
request through the client's session takes a slot in one
`adapters.pace.SlidingWindow` first: the messenger's posts, the login's
`GET /users/@me`, `GET /gateway/bot`, and the retries discord.py makes on its
own after a 429 or a 5xx, which no caller of discord.py sees. aiohttp sends
a request-end or request-exception signal for every request whose start
signal completed (cancellation included), and that frees the slot.

Because nothing goes uncounted, no reserve is needed for what the window
cannot see; `GLOBAL_RESERVE` (1) is left for clock granularity only. A 429
that says it is global holds every start until its `Retry-After` has passed
(discord.py holds its own requests likewise, but requests already past its
check would otherwise go on).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace

import aiohttp
import yarl

from adapters.pace import SlidingWindow

GLOBAL_LIMIT = 50
"""Requests per bot in any second (larger bots may be granted more)."""
GLOBAL_PERIOD_S = 1.0
GLOBAL_RESERVE = 1
"""Kept below the limit: every request is counted, so only against clock granularity."""
EXEMPT = frozenset({"interactions", "webhooks"})
"""Path segments of the interaction endpoints, which the global limit exempts."""


def is_paced(url: yarl.URL) -> bool:
    """Whether the global limit counts a request to `url`: REST calls over
    HTTP(S), except interaction callbacks and follow-up webhooks (and not the
    gateway's websocket)."""
    if url.scheme not in ("http", "https"):
        return False
    return EXEMPT.isdisjoint(url.path.split("/"))


class GlobalPace:
    """One bot's global window; `trace_config()` goes to `discord.Client`."""

    def __init__(
        self,
        limit: int = GLOBAL_LIMIT,
        *,
        reserve: int = GLOBAL_RESERVE,
        period: float = GLOBAL_PERIOD_S,
    ) -> None:
        self.window = SlidingWindow(max(1, limit - reserve), period)

    def trace_config(self) -> aiohttp.TraceConfig:
        """Signals that pace every request of the session they are given to."""
        trace = aiohttp.TraceConfig()
        trace.on_request_start.append(self._started)
        trace.on_request_end.append(self._ended)
        trace.on_request_exception.append(self._failed)
        return trace

    async def _started(
        self,
        session: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        ctx.paced = is_paced(params.url)
        if ctx.paced:
            await self.window.acquire()

    async def _ended(
        self,
        session: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        if not getattr(ctx, "paced", False):
            return
        self.window.release()
        ctx.paced = False
        response = params.response
        if response.status == 429 and _is_global(response.headers):
            self.window.hold(_retry_after(response.headers))

    async def _failed(
        self,
        session: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        params: aiohttp.TraceRequestExceptionParams,
    ) -> None:
        if getattr(ctx, "paced", False):
            self.window.release()
            ctx.paced = False


def _is_global(headers: Mapping[str, str]) -> bool:
    return (
        headers.get("X-RateLimit-Global", "").lower() == "true"
        or headers.get("X-RateLimit-Scope", "").lower() == "global"
    )


def _retry_after(headers: Mapping[str, str]) -> float:
    """The 429's wait in seconds (`Retry-After`; a second if it is unreadable)."""
    try:
        return max(0.0, float(headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0
