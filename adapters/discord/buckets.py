"""discord.py's per-route buckets, swept for idle ones at most every `SWEEP_EVERY_S`.

discord.py keeps a rate-limit bucket per route and major parameter; every
DM channel is a major parameter of its own, so a fan-out makes one bucket
per member. Once it holds 256 buckets, `HTTPClient` walks all of them for
ones idle for 5 minutes each time it makes a new one
(`HTTPClient._try_clear_expired_ratelimits`): within a fan-out that is every
send, and the walk grows with the fan-out (about 3 ms a send at 10,000
members on a 2-core machine, a quarter of a send's whole CPU work).

discord.py offers no setting or hook for this, so `sweep_buckets_seldom`
wraps that private method on one client's `HTTPClient` instance (not the
class) to sweep at most every `SWEEP_EVERY_S`: the same buckets go, up to
that much later. Should a discord.py release drop or rename the method,
the wrap is skipped and discord.py's own sweep stays as it is.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import discord

log = logging.getLogger(__name__)

SWEEP_EVERY_S = 30.0
PRIVATE_SWEEP = "_try_clear_expired_ratelimits"


class SeldomSweep:
    """The sweep, run when `every_s` has passed since the last one."""

    def __init__(
        self,
        sweep: Callable[[], None],
        every_s: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sweep = sweep
        self._every_s = every_s
        self._monotonic = monotonic
        self._last = monotonic()

    def __call__(self) -> None:
        now = self._monotonic()
        if now - self._last >= self._every_s:
            self._last = now
            self._sweep()


def sweep_buckets_seldom(http: discord.http.HTTPClient, every_s: float = SWEEP_EVERY_S) -> bool:
    """Make `http` sweep its idle buckets at most every `every_s`; False if
    this discord.py has no such sweep to wrap."""
    sweep = getattr(http, PRIVATE_SWEEP, None)
    if not callable(sweep):
        log.info("discord.py has no bucket sweep to space out", extra={"method": PRIVATE_SWEEP})
        return False
    setattr(http, PRIVATE_SWEEP, SeldomSweep(sweep, every_s))
    return True
