"""What the fakes share: a server-side sliding window and a local aiohttp server."""

from __future__ import annotations

import math
from collections import deque

from aiohttp import web


class Window:
    """The requests a server accepted in the last `period` seconds, at most `limit`."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self._accepted: deque[float] = deque()

    def _forget(self, now: float) -> None:
        while self._accepted and self._accepted[0] + self.period <= now:
            self._accepted.popleft()

    def retry_after(self, now: float) -> float:
        """0 when one more request fits now, else seconds until one does."""
        self._forget(now)
        if len(self._accepted) < self.limit:
            return 0.0
        return self._accepted[0] + self.period - now

    def take(self, now: float) -> None:
        self._accepted.append(now)

    def remaining(self, now: float) -> int:
        self._forget(now)
        return self.limit - len(self._accepted)

    def reset_after(self, now: float) -> float:
        """Seconds until the oldest accepted request leaves the window."""
        self._forget(now)
        return self._accepted[0] + self.period - now if self._accepted else self.period


def whole_seconds(seconds: float) -> int:
    """Retry-After as Slack sends it (an integer; slack_sdk parses it with int())."""
    return max(1, math.ceil(seconds))


class LocalServer:
    """An aiohttp application on 127.0.0.1, on a free port."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.origin = ""

    async def start(self, app: web.Application) -> str:
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self.origin = f"http://127.0.0.1:{port}"
        return self.origin

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
