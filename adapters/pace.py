"""Client-side pacing shared by the Slack and Discord messengers.

`SlidingWindow` keeps a client within "at most `limit` requests in any
`period` seconds", the way both platforms state their limits (Discord's
global 50 a second; a Slack workspace's chat.postMessage budget a minute).
Unlike an evenly spaced bucket it lets a client go as fast as the window
allows, so N requests take no longer than the limit itself requires; an
optional `spacing` keeps starts at least that far apart, so a window's
allowance is spread over part of the window instead of sent in one burst.

A request holds its slot from start to finish and is counted in the window
from the moment its answer arrived. The server counts it from its arrival,
which is earlier, so the client's window always lies behind the server's:
no 429 from clock skew or network jitter, at the cost of about one round
trip per window.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager


class WindowFull(Exception):
    """The next slot is further away than the caller is willing to wait."""

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"next slot in {wait_s:.3f} s")
        self.wait_s = wait_s


class SlidingWindow:
    """At most `limit` requests in any `period` seconds, started at least
    `spacing` seconds apart. `clock` and `sleep` are injectable so tests can
    run it on a fake clock."""

    def __init__(
        self,
        limit: int,
        period: float,
        *,
        spacing: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("a window needs limit >= 1 and period > 0")
        self.limit = limit
        self.period = period
        self.spacing = max(0.0, spacing)
        self._clock = clock
        self._sleep = sleep
        self._finished: deque[float] = deque()  # when each answer arrived, oldest first
        self._in_flight = 0
        self._last_start: float | None = None
        self._held_until = float("-inf")
        self._turn = asyncio.Lock()  # first come, first served
        self._freed = asyncio.Event()

    def delay(self) -> float:
        """Seconds until one more request may start; `math.inf` while the
        window is full of requests still in flight (a finish frees one)."""
        now = self._clock()
        while self._finished and self._finished[0] + self.period <= now:
            self._finished.popleft()
        if self._held_until > now:
            return self._held_until - now
        if len(self._finished) + self._in_flight >= self.limit:
            return self._finished[0] + self.period - now if self._finished else float("inf")
        if self._last_start is None:
            return 0.0
        return max(0.0, self._last_start + self.spacing - now)

    async def acquire(self, max_wait_s: float | None = None) -> None:
        """Wait for a slot and take it. With `max_wait_s`, raise `WindowFull`
        instead of waiting longer than that (the slot is not taken)."""
        async with self._turn:
            while (wait := self.delay()) > 0:
                if wait == float("inf"):  # all in flight: the next answer frees one
                    self._freed.clear()
                    await self._freed.wait()
                elif max_wait_s is not None and wait > max_wait_s:
                    raise WindowFull(wait)
                else:
                    await self._sleep(wait)
            self._in_flight += 1
            self._last_start = self._clock()

    def hold(self, seconds: float) -> None:
        """The server said to stop for `seconds` (a 429 that spans the whole
        window, such as Discord's global one): no request starts before then."""
        self._held_until = max(self._held_until, self._clock() + seconds)

    def release(self) -> None:
        """The request's answer arrived (or it failed): count it from now."""
        self._in_flight -= 1
        self._finished.append(self._clock())
        self._freed.set()

    @asynccontextmanager
    async def slot(self, max_wait_s: float | None = None) -> AsyncIterator[None]:
        """`acquire` ... `release` around one request."""
        await self.acquire(max_wait_s)
        try:
            yield
        finally:
            self.release()
