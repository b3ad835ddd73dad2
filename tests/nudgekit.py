"""Helpers for driving scheduled work in tests: a core, a dispatcher on the
same store and clock, a FakeMessenger that notes the clock at each send, and
a loop that ticks through time."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core import Core
from bot.delivery import Dispatcher, RetryPolicy, TickReport
from bot.model import Destination, Message, MessageRef, Reply, UserRef
from bot.ports import Store
from bot.scheduled import ScheduledWork
from bot.testing import FakeMessenger, FixedClock, Harness, Person
from tests.corekit import build_core


@dataclass
class ClockedMessenger(FakeMessenger):
    """A FakeMessenger that also notes when (by the test clock) each send
    went out, keyed by user id."""

    clock: FixedClock | None = None
    sent_at: dict[str, list[datetime]] = field(default_factory=dict)
    tried: Counter[str] = field(default_factory=Counter)

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        self.tried[to.id] += 1
        ref = await super().send(to, message, delivery_key=delivery_key)
        if self.clock is not None:
            self.sent_at.setdefault(to.id, []).append(self.clock.now())
        return ref


@dataclass
class World:
    store: Store
    clock: FixedClock
    core: Core
    harness: Harness
    messenger: ClockedMessenger
    dispatcher: Dispatcher

    answering: dict[str, Person] = field(default_factory=dict)
    answered: Counter[str] = field(default_factory=Counter)

    async def tick(self) -> TickReport:
        report = await self.dispatcher.tick(self.clock.now())
        for user, person in self.answering.items():  # they answer every nudge at once
            for message in self.nudges_to(user)[self.answered[user] :]:
                await person.press(as_replies(message), "nudge:skip")
                self.answered[user] += 1
        return report

    async def run(self, until: datetime, *, every: timedelta) -> list[TickReport]:
        """Tick at the current time, then every `every`, up to `until`."""
        reports = [await self.tick()]
        while self.clock.now() + every <= until:
            self.clock.advance(seconds=every.total_seconds())
            reports.append(await self.tick())
        return reports

    def nudges_to(self, user_id: str) -> list[Message]:
        return [s.message for s in self.messenger.to_user(user_id) if is_nudge(s.delivery_key)]

    def keys_to(self, user_id: str) -> list[str]:
        return [s.delivery_key or "" for s in self.messenger.to_user(user_id)]

    def per_user(self, prefix: str = "nudge:") -> Counter[str]:
        return Counter(
            s.to.id
            for s in self.messenger.sent
            if isinstance(s.to, UserRef) and (s.delivery_key or "").startswith(prefix)
        )


def is_nudge(key: str | None) -> bool:
    return (key or "").startswith("nudge:")


def build_world(
    store: Store,
    start: datetime,
    *,
    work: ScheduledWork | None = None,
    retry: RetryPolicy | None = None,
) -> World:
    clock = FixedClock(start)
    core = build_core(store, clock=clock)
    messenger = ClockedMessenger(clock=clock)
    dispatcher = core.dispatcher({"console": messenger}, work=work, retry=retry)
    return World(store, clock, core, Harness(core), messenger, dispatcher)


def local(instant: datetime, tz: str = "Asia/Tokyo") -> str:
    return instant.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %a %H:%M")


def as_replies(message: Message) -> list[Reply]:
    """A sent DM as replies, so `Person.press(replies, prefix)` can press its buttons."""
    return [Reply(message)]
