"""The Slack adapter's background work, kept out of the way of acknowledgements.

Bolt acknowledges a request only after the event loop gets round to it, and
asyncio runs ready callbacks first come, first served: every background step
that is ready at the same time stands in front of the next ack. So the
adapter bounds how much of its own work can be ready at once:

- `Lane`: at most `limit` interactions are processed at a time; the rest wait
  (not ready, costing nothing) in arrival order.
- `Coalescer`: one job per key (an App Home tab per member) at a time, and a
  burst of requests for a key that arrive before its job starts collapse into
  one run with the latest argument; a request arriving while it runs makes it
  run once more afterwards, so the last state always wins.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
A = TypeVar("A")
Spawn = Callable[[Coroutine[Any, Any, None]], None]


class Lane:
    """An async context manager letting at most `limit` jobs in at once."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("a lane needs room for one job at least")
        self.limit = limit
        self._gate = asyncio.Semaphore(limit)

    async def __aenter__(self) -> None:
        await self._gate.acquire()

    async def __aexit__(self, *_exc: object) -> None:
        self._gate.release()


class Coalescer(Generic[K, A]):
    """Runs `job(key, arg)` for each key requested, coalesced per key (see the
    module docstring), through `lane`; `spawn` starts (and tracks) each key's
    task. `merge(old, new)` picks the argument when a request finds one
    waiting (default: the newer)."""

    def __init__(
        self,
        job: Callable[[K, A], Awaitable[None]],
        *,
        lane: Lane,
        spawn: Spawn,
        merge: Callable[[A, A], A] | None = None,
    ) -> None:
        self._job = job
        self._lane = lane
        self._spawn = spawn
        self._merge = merge or (lambda _old, new: new)
        self._waiting: dict[K, A] = {}
        self._active: set[K] = set()
        self.runs = 0

    def request(self, key: K, arg: A) -> None:
        """Ask for `key`'s job; returns at once."""
        if key in self._waiting:
            self._waiting[key] = self._merge(self._waiting[key], arg)
        else:
            self._waiting[key] = arg
        if key not in self._active:
            self._active.add(key)
            self._spawn(self._run(key))

    async def _run(self, key: K) -> None:
        try:
            async with self._lane:
                while key in self._waiting:
                    arg = self._waiting.pop(key)
                    self.runs += 1
                    try:
                        await self._job(key, arg)
                    except Exception:
                        log.exception("background job failed")
        finally:
            # no await between the loop's last check and here: a request made
            # meanwhile either found the key waiting or starts a new task
            self._active.discard(key)
