"""How long each kind of platform request is remembered, and a ledger for one process.

`ippo run` gives the adapters `storage.seen_requests.SqlRequestLedger`, which
every instance on the database shares. `ProcessLedger` remembers in memory
only: it is the adapters' default when none is given (one process, tests,
benchmarks), never enough for several instances.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from adapters.runtime.clock import SystemClock
from bot.ports import Clock

if TYPE_CHECKING:
    from bot.ports import RequestLedger

# Slack accepts a signed request while its timestamp is within five minutes of
# the receiver's clock, either way: a key remembered for 11 minutes from its
# arrival outlives every moment the same request could still pass.
SLACK_REQUEST_KEEP = timedelta(minutes=11)
# Events API retries come within minutes (immediately, ~1 min, ~5 min).
SLACK_EVENT_KEEP = timedelta(hours=1)
# An interaction can be answered for 15 minutes; a repeat after that is stale.
DISCORD_INTERACTION_KEEP = timedelta(hours=1)

PROCESS_LEDGER_KEYS = 10_000


class ProcessLedger:
    """`bot.ports.RequestLedger` in this process's memory, bounded: when full,
    the oldest keys are forgotten first."""

    def __init__(self, *, clock: Clock | None = None, max_keys: int = PROCESS_LEDGER_KEYS) -> None:
        self._clock: Clock = clock or SystemClock()
        self._max = max_keys
        self._until: OrderedDict[str, datetime] = OrderedDict()

    async def first_time(self, key: str, *, keep: timedelta) -> bool:
        now = self._clock.now()
        until = self._until.get(key)
        if until is not None and until > now:
            return False
        self._until.pop(key, None)
        self._until[key] = now + keep
        while len(self._until) > self._max:
            self._until.popitem(last=False)
        return True


if TYPE_CHECKING:  # the implementation satisfies the port
    _ledger: RequestLedger = ProcessLedger()
