"""The send phase with a messenger that paces itself (bot.delivery.pacing):
workspaces of a batch go in parallel, each with at most the sends in flight
its messenger asks for; one destination's deliveries go one at a time, in
order; a wait for the messenger's window is not counted against the send's
timeout, and stopping ends it; a 429 still holds back only its workspace.
No timings are asserted: the fake messenger counts what is in flight."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.delivery import Dispatcher
from bot.model import ChannelRef, Destination, Message, MessageRef, Platform
from bot.ports import Delivery, DeliveryStatus, NewDelivery, Store, TransientFailure
from bot.scheduled import ScheduledWork, WorkCtx
from storage import SqlStore
from tests.nudgekit import build_world

MONDAY = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)
AT_ONCE = 3


def announcements() -> ScheduledWork:
    async def compose(work: WorkCtx, delivery: Delivery) -> Message | None:
        return Message(str(delivery.payload["text"]))

    return ScheduledWork(composers={"announce": compose})


@dataclass
class PacedPlatform:
    """Sends block at `gate` until the test opens it; counts sends in flight
    per workspace and per channel, and the most ever at once. `waits` holds,
    per workspace, what `turn_in` answers (one value per call, then 0);
    `limited` workspaces answer every send with a 429."""

    platform: Platform = "console"
    sends_at_once: int = AT_ONCE
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    waits: dict[str, list[float]] = field(default_factory=dict)
    limited: set[str] = field(default_factory=set)
    in_flight: Counter[str] = field(default_factory=Counter)
    most: Counter[str] = field(default_factory=Counter)
    most_overall: int = 0
    per_channel: Counter[str] = field(default_factory=Counter)
    most_per_channel: int = 0
    sent: list[tuple[str, str]] = field(default_factory=list)  # (channel, text)

    def turn_in(self, to: Destination) -> float:
        waits = self.waits.get(to.workspace)
        return waits.pop(0) if waits else 0.0

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        if to.workspace in self.limited:
            raise TransientFailure("ratelimited", retry_after=30.0)
        assert isinstance(to, ChannelRef)
        self.in_flight[to.workspace] += 1
        self.per_channel[to.id] += 1
        self.most[to.workspace] = max(self.most[to.workspace], self.in_flight[to.workspace])
        self.most_overall = max(self.most_overall, sum(self.in_flight.values()))
        self.most_per_channel = max(self.most_per_channel, self.per_channel[to.id])
        try:
            await self.gate.wait()
        finally:
            self.in_flight[to.workspace] -= 1
            self.per_channel[to.id] -= 1
        self.sent.append((to.id, message.text))
        return MessageRef(to.platform, to.workspace, to.id, str(len(self.sent)))

    async def update(self, ref: MessageRef, message: Message) -> None:
        raise AssertionError("no edits here")

    async def find_delivered(
        self, to: Destination, delivery_key: str, since: datetime
    ) -> MessageRef | None:
        return None


def engine(store: SqlStore, platform: PacedPlatform, **options: float) -> Dispatcher:
    world = build_world(store, MONDAY, work=announcements())
    return world.core.dispatcher({"console": platform}, work=announcements(), **options)


async def add(store: Store, deliveries: list[tuple[str, str, str]]) -> None:
    """(workspace, channel, text) each, due now, in this order."""
    async with store.unit() as uow:
        for i, (workspace, channel, text) in enumerate(deliveries):
            to = ChannelRef("console", workspace, channel)
            new = NewDelivery(f"announce:{i}", "announce", to, MONDAY, payload={"text": text})
            assert await uow.deliveries.add(new)


async def until(condition: object, platform: PacedPlatform) -> None:
    """Let the engine run until `condition()` holds (the gate stays shut)."""
    assert callable(condition)
    for _ in range(2_000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"never happened; in flight: {dict(platform.in_flight)}")


async def statuses(store: SqlStore, count: int) -> Counter[DeliveryStatus]:
    found: Counter[DeliveryStatus] = Counter()
    async with store.unit() as uow:
        for i in range(count):
            delivery = await uow.deliveries.get(f"announce:{i}")
            assert delivery is not None
            found[delivery.status] += 1
    return found


async def test_workspaces_in_parallel_each_with_its_sends_at_once(
    sqlite_store: SqlStore,
) -> None:
    platform = PacedPlatform()
    dispatcher = engine(sqlite_store, platform)
    work = [(f"T{i % 2}", f"C{i}", f"hello {i}") for i in range(16)]
    await add(sqlite_store, work)
    sending = asyncio.create_task(dispatcher.send(MONDAY))
    await until(lambda: platform.in_flight == Counter({"T0": AT_ONCE, "T1": AT_ONCE}), platform)
    platform.gate.set()
    report = await sending
    assert report.sent == 16
    assert platform.most == Counter({"T0": AT_ONCE, "T1": AT_ONCE})  # never more
    assert platform.most_overall == 2 * AT_ONCE  # both workspaces at once
    assert sorted(platform.sent) == sorted((channel, text) for _, channel, text in work)
    assert await statuses(sqlite_store, 16) == Counter({DeliveryStatus.SENT: 16})


async def test_one_destination_one_send_at_a_time_in_order(sqlite_store: SqlStore) -> None:
    platform = PacedPlatform()
    platform.gate.set()
    dispatcher = engine(sqlite_store, platform)
    work = [("T0", "C-general" if i % 2 else f"C{i}", f"post {i}") for i in range(12)]
    await add(sqlite_store, work)
    report = await dispatcher.send(MONDAY)
    assert report.sent == 12
    assert platform.most_per_channel == 1
    general = [text for channel, text in platform.sent if channel == "C-general"]
    assert general == [f"post {i}" for i in range(1, 12, 2)]


async def test_a_full_window_is_waited_out_before_the_send_timeout_starts(
    sqlite_store: SqlStore,
) -> None:
    """The window keeps T0 waiting longer than the send timeout: the wait is
    not the platform's silence, so nothing times out or is rescheduled."""
    platform = PacedPlatform(waits={"T0": [1.2]})
    platform.gate.set()
    dispatcher = engine(sqlite_store, platform, send_timeout_s=0.5)
    await add(sqlite_store, [("T0", f"C{i}", f"hi {i}") for i in range(4)])
    report = await dispatcher.send(MONDAY)
    assert (report.sent, report.retried, report.released) == (4, 0, 0)
    assert await statuses(sqlite_store, 4) == Counter({DeliveryStatus.SENT: 4})


async def test_stopping_ends_a_wait_for_the_window_and_releases(sqlite_store: SqlStore) -> None:
    platform = PacedPlatform(waits={"T0": [600.0] * 10})
    platform.gate.set()
    dispatcher = engine(sqlite_store, platform)
    await add(sqlite_store, [("T0", f"C{i}", f"hi {i}") for i in range(4)])
    sending = asyncio.create_task(dispatcher.send(MONDAY))
    await until(lambda: len(platform.waits["T0"]) <= 10 - AT_ONCE, platform)
    dispatcher.stop_sending()
    report = await sending
    assert (report.sent, report.released) == (0, 4)
    assert platform.sent == []
    assert await statuses(sqlite_store, 4) == Counter({DeliveryStatus.PENDING: 4})


async def test_a_429_holds_back_its_workspace_only(sqlite_store: SqlStore) -> None:
    platform = PacedPlatform(limited={"T0"})
    platform.gate.set()
    dispatcher = engine(sqlite_store, platform)
    await add(sqlite_store, [(f"T{i % 2}", f"C{i}", f"hi {i}") for i in range(10)])
    report = await dispatcher.send(MONDAY)
    assert report.sent == 5  # T1's five
    assert {channel for channel, _ in platform.sent} == {f"C{i}" for i in range(1, 10, 2)}
    assert report.retried == 5  # T0's: a 429, or held back by one
    assert await statuses(sqlite_store, 10) == Counter(
        {DeliveryStatus.SENT: 5, DeliveryStatus.PENDING: 5}
    )
