"""A send pass claims the next batch while the last is still being sent
(bot.delivery.feed), and one destination's deliveries stay in order and one
at a time across batches. No timings: a gate holds every send until the test
opens it, and the fake messenger counts what is in flight."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from bot.delivery import Dispatcher
from bot.delivery.feed import Backlog
from bot.model import ChannelRef, Destination, Message, MessageRef, Platform
from bot.ports import DeliveryStatus, NewDelivery, Store
from storage import SqlStore
from tests.nudgekit import build_world
from tests.test_send_lanes import MONDAY, announcements

AT_ONCE = 2
BATCH = 4


@dataclass
class GatedPlatform:
    """Sends wait for `gate`, or for one step of `steps` each."""

    platform: Platform = "console"
    sends_at_once: int = AT_ONCE
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    steps: asyncio.Queue[None] = field(default_factory=asyncio.Queue)
    per_channel: Counter[str] = field(default_factory=Counter)
    most_per_channel: int = 0
    started: list[str] = field(default_factory=list)  # texts, as sends began
    sent: list[tuple[str, str]] = field(default_factory=list)  # (channel, text)

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        assert isinstance(to, ChannelRef)
        self.started.append(message.text)
        self.per_channel[to.id] += 1
        self.most_per_channel = max(self.most_per_channel, self.per_channel[to.id])
        try:
            if not self.gate.is_set():
                await self.steps.get()
        finally:
            self.per_channel[to.id] -= 1
        self.sent.append((to.id, message.text))
        return MessageRef(to.platform, to.workspace, to.id, str(len(self.sent)))

    async def update(self, ref: MessageRef, message: Message) -> None:
        raise AssertionError("no edits here")

    async def find_delivered(
        self, to: Destination, delivery_key: str, since: datetime
    ) -> MessageRef | None:
        return None


def engine(store: SqlStore, platform: GatedPlatform) -> Dispatcher:
    world = build_world(store, MONDAY, work=announcements())
    return world.core.dispatcher({"console": platform}, work=announcements(), batch_size=BATCH)


async def add(store: Store, channels: list[str]) -> None:
    """One announcement per channel, due now, claimed in this order."""
    async with store.unit() as uow:
        for i, channel in enumerate(channels):
            to = ChannelRef("console", "T0", channel)
            new = NewDelivery(f"announce:{i}", "announce", to, MONDAY, payload={"text": f"{i}"})
            assert await uow.deliveries.add(new)


async def status_of(store: Store, i: int) -> DeliveryStatus:
    async with store.unit() as uow:
        delivery = await uow.deliveries.get(f"announce:{i}")
    assert delivery is not None
    return delivery.status


async def until(condition: object) -> None:
    assert callable(condition)
    for _ in range(2_000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("never happened")


async def test_the_next_batch_is_claimed_before_the_last_one_finishes(
    sqlite_store: SqlStore,
) -> None:
    platform = GatedPlatform()
    dispatcher = engine(sqlite_store, platform)
    await add(sqlite_store, [f"C{i}" for i in range(3 * BATCH)])
    sending = asyncio.create_task(dispatcher.send(MONDAY))
    await until(lambda: len(platform.started) == AT_ONCE)
    assert await status_of(sqlite_store, BATCH) == DeliveryStatus.PENDING
    # Two of the first batch in flight and two waiting: not yet below half a
    # batch. One finishes, the third starts, one waits: the next is claimed
    # while the first batch is still being sent.
    platform.steps.put_nowait(None)
    for _ in range(2_000):
        if await status_of(sqlite_store, BATCH) == DeliveryStatus.SENDING:
            break
        await asyncio.sleep(0.005)
    else:
        raise AssertionError("the second batch was never claimed")
    assert len(platform.sent) == 1
    platform.gate.set()
    for _ in range(AT_ONCE):
        platform.steps.put_nowait(None)
    report = await sending
    assert report.sent == 3 * BATCH
    assert report.claimed == 3 * BATCH


async def test_one_destination_stays_in_order_across_batches(sqlite_store: SqlStore) -> None:
    platform = GatedPlatform()
    platform.gate.set()
    dispatcher = engine(sqlite_store, platform)
    channels = ["C-general" if i % 3 == 0 else f"C{i}" for i in range(5 * BATCH)]
    await add(sqlite_store, channels)
    report = await dispatcher.send(MONDAY)
    assert report.sent == 5 * BATCH
    assert platform.most_per_channel == 1
    general = [text for channel, text in platform.sent if channel == "C-general"]
    assert general == [str(i) for i in range(0, 5 * BATCH, 3)]


async def test_near_the_deadline_a_pass_claims_only_what_it_would_start() -> None:
    backlog = Backlog()
    assert backlog.fits(50, elapsed_s=0.0, left_s=0.1)  # no rate yet: claim
    for _ in range(30):
        backlog.added()
    for _ in range(20):
        backlog.took()  # 20 started in 2 s: 10 a second; 10 still waiting
    assert backlog.fits(50, elapsed_s=2.0, left_s=6.0)  # 60 more take 6 s
    assert not backlog.fits(50, elapsed_s=2.0, left_s=5.9)
