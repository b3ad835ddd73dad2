"""The deliveries a send pass holds, fed to each workspace's senders.

A pass claims batch after batch without waiting for one to finish: when
fewer than a low-water mark of the deliveries in hand are still unstarted
(`Backlog`), it claims the next, so senders never stand idle while a batch's
last sends finish and the next claim is made, and no more than about a
batch and a half is under lease at once. Near the pass's deadline it claims
no more than it would start in time at the rate it has been starting them:
what is claimed but not started when the deadline comes is released again,
a write for each.

Each workspace has a `Feed`: lanes, one per destination, each in claim order,
so two messages to one channel (or a post and its edit) never overtake each
other, also when they come in different batches. A lane is taken by one
sender at a time, and a delivery for a destination whose lane is being sent
joins the end of that lane.
"""

from __future__ import annotations

import asyncio
from collections import deque

from bot.delivery.leases import Lease
from bot.model import Destination
from bot.ports import Delivery


class Backlog:
    """How many claimed deliveries no sender has started yet, over all feeds,
    and how many they have started."""

    __slots__ = ("_taken", "started", "waiting")

    def __init__(self) -> None:
        self.waiting = 0
        self.started = 0
        self._taken = asyncio.Event()

    def added(self) -> None:
        self.waiting += 1

    def took(self) -> None:
        self.waiting -= 1
        self.started += 1
        self._taken.set()

    def fits(self, more: int, elapsed_s: float, left_s: float) -> bool:
        """Whether `more` deliveries beside those waiting would be started
        within `left_s`, at the rate deliveries were started over the
        `elapsed_s` so far (yes while none has been: no rate to go by)."""
        if self.started == 0 or elapsed_s <= 0:
            return True
        return (self.waiting + more) * elapsed_s / self.started <= left_s

    async def below(self, mark: int) -> None:
        """Return once fewer than `mark` deliveries wait unstarted."""
        while self.waiting >= mark:
            self._taken.clear()
            await self._taken.wait()


class Feed:
    """One workspace's deliveries in hand, as lanes for its senders."""

    __slots__ = ("_arrived", "_backlog", "_closed", "_lanes", "_ready")

    def __init__(self, backlog: Backlog) -> None:
        self._backlog = backlog
        self._lanes: dict[Destination, deque[tuple[Delivery, Lease]]] = {}
        self._ready: deque[Destination] = deque()  # lanes no sender has taken, oldest first
        self._closed = False
        self._arrived = asyncio.Event()

    def add(self, delivery: Delivery, lease: Lease) -> None:
        lane = self._lanes.get(delivery.to)
        if lane is None:
            lane = self._lanes[delivery.to] = deque()
            self._ready.append(delivery.to)
        lane.append((delivery, lease))
        self._backlog.added()
        self._arrived.set()

    def close(self) -> None:
        """Nothing more will be added: senders stop once the lanes are empty."""
        self._closed = True
        self._arrived.set()

    async def lane(self) -> Destination | None:
        """A lane for one sender to take, waiting for one if need be; None once
        the feed is closed and every lane has been taken."""
        while not self._ready:
            if self._closed:
                return None
            self._arrived.clear()
            await self._arrived.wait()
        return self._ready.popleft()

    def next_in(self, lane: Destination) -> tuple[Delivery, Lease] | None:
        """The next delivery of a lane its sender holds; None (and the lane
        is let go) when it is empty."""
        waiting = self._lanes[lane]
        if not waiting:
            del self._lanes[lane]
            return None
        self._backlog.took()
        return waiting.popleft()
