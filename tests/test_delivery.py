"""The delivery engine against a misbehaving platform: rate limits, server
errors, timeouts, permanent refusals, a crash between send and record, edits
of earlier messages. Members opt in through the harness; time is a FixedClock."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from bot.delivery import UPDATE_OF, Dispatcher, RetryPolicy
from bot.model import ChannelRef, Destination, Message, MessageRef, UserRef
from bot.ports import (
    Delivery,
    DeliveryStatus,
    NewDelivery,
    PermanentFailure,
    Store,
    TransientFailure,
)
from bot.scheduled import ScheduledWork, WorkCtx
from storage import SqlStore
from tests.nudgekit import ClockedMessenger, World, build_world

MONDAY = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)  # Mon 30 Nov 2026, 09:30 in Tokyo
TUESDAY = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


async def opt_in(world: World, count: int) -> list[str]:
    users = [f"m{i:02d}" for i in range(count)]
    for user in users:
        await world.harness.member(user).say("/ippo nudge on")
    return users


async def member_ids(store: Store, users: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    async with store.unit() as uow:
        for user in users:
            member = await uow.members.get(UserRef("console", "console", user))
            assert member is not None
            out[user] = member.id
    return out


async def statuses(store: Store, key_prefix: str = "") -> Counter[DeliveryStatus]:
    found: Counter[DeliveryStatus] = Counter()
    async with store.unit() as uow:
        for member_id in range(1, 200):
            for d in await uow.deliveries.for_member(member_id):
                if d.key.startswith(key_prefix):
                    found[d.status] += 1
    return found


async def test_a_bad_day_on_the_platform(sqlite_store: SqlStore) -> None:
    """429 with Retry-After, 5xx, timeouts and permanent refusals: every other
    member gets exactly one message; the refused are marked and never retried."""
    world = build_world(sqlite_store, TUESDAY)
    users = await opt_in(world, 24)
    fake = world.messenger
    fake.fail_next = {
        "m00": [TransientFailure("rate limited", retry_after=90)],
        "m05": [TransientFailure("HTTP 500"), TransientFailure("HTTP 502")],
        "m06": [TransientFailure("timeout"), TransientFailure("HTTP 503")],
        "m07": [TransientFailure("timeout")],
        "m12": [TransientFailure("rate limited", retry_after=30)],
    }
    refused = {"m03", "m17"}
    fake.refuse = {u: PermanentFailure("50007 cannot send messages to this user") for u in refused}

    world.clock.set(MONDAY)
    first = await world.tick()
    # m00's 429 holds back the whole workspace for the rest of the pass
    assert first.sent.sent == 0 and first.sent.retried == len(users)
    await world.run(MONDAY + timedelta(minutes=20), every=MINUTE)

    delivered = world.per_user()
    assert delivered == Counter({u: 1 for u in users if u not in refused})
    assert all(fake.tried[u] == 1 for u in refused)
    ids = await member_ids(world.store, users)
    async with world.store.unit() as uow:
        for user in users:
            member = await uow.members.get_by_id(ids[user])
            assert member is not None
            assert member.unreachable == (user in refused), user
            if user not in refused:
                assert member.dm_channel_id == f"D-{user}"  # kept for the next send
        failed = [d for u in refused for d in await uow.deliveries.for_member(ids[u])]
    assert [d.status for d in failed] == [DeliveryStatus.FAILED] * 2
    assert all((d.error or "").startswith("refused: 50007") for d in failed)

    # The next week: everyone reachable once more; the refused are not even planned.
    world.clock.set(MONDAY + timedelta(days=7))
    await world.run(MONDAY + timedelta(days=7, minutes=5), every=MINUTE)
    assert world.per_user() == Counter({u: 2 for u in users if u not in refused})
    assert all(fake.tried[u] == 1 for u in refused)


@dataclass
class PostsThenTimesOut(ClockedMessenger):
    """The platform posts the message but the answer never arrives."""

    ghost: set[str] = field(default_factory=set)

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        ref = await super().send(to, message, delivery_key=delivery_key)
        if to.id in self.ghost:
            self.ghost.discard(to.id)
            raise TransientFailure("timeout")
        return ref


async def test_a_timeout_after_posting_is_not_sent_twice(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    messenger = PostsThenTimesOut(clock=world.clock, ghost={"m01"})
    world.messenger = messenger
    world.dispatcher.messengers["console"] = messenger
    users = await opt_in(world, 3)
    world.clock.set(MONDAY)
    await world.run(MONDAY + timedelta(minutes=10), every=MINUTE)
    assert world.per_user() == Counter({u: 1 for u in users})
    assert messenger.tried["m01"] == 1  # the retry found it instead of posting again
    assert await statuses(world.store, "nudge:") == Counter({DeliveryStatus.SENT: 3})


class Crash(BaseException):
    """The process dies (not an error the engine may handle)."""


@dataclass
class DiesAfterPosting(ClockedMessenger):
    """Posts `survive` messages, then posts one more and the process dies
    before ippo can record it."""

    survive: int = 0

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        ref = await super().send(to, message, delivery_key=delivery_key)
        if len(self.sent) > self.survive:
            raise Crash
        return ref


async def test_crash_between_claim_and_record_loses_nothing_and_sends_nothing_twice(
    sqlite_store: SqlStore,
) -> None:
    world = build_world(sqlite_store, TUESDAY)
    users = await opt_in(world, 12)
    dying = DiesAfterPosting(clock=world.clock, survive=4)
    world.dispatcher.messengers["console"] = dying
    world.clock.set(MONDAY)
    with pytest.raises(BaseException) as crashed:  # a Crash, maybe inside a group
        await world.dispatcher.tick(MONDAY)
    assert "Crash" in repr(crashed.value)
    assert len(dying.sent) == 5  # four recorded, one posted but not recorded
    left = await statuses(world.store, "nudge:")
    assert left[DeliveryStatus.SENT] == 4 and left[DeliveryStatus.SENDING] == 8

    # Restart: a new engine on the same store and platform (its messages persist).
    platform = ClockedMessenger(clock=world.clock, sent=dying.sent)
    restarted = world.core.dispatcher({"console": platform})
    early = await restarted.tick(MONDAY + MINUTE)  # too soon to call them stuck
    assert early.recovered.found == early.recovered.resend == 0
    later = MONDAY + timedelta(minutes=6)
    report = await restarted.tick(later)
    assert (report.recovered.found, report.recovered.resend) == (1, 7)
    assert report.sent.sent == 7
    per_user = Counter(s.to.id for s in platform.sent)
    assert per_user == Counter({u: 1 for u in users})
    assert await statuses(world.store, "nudge:") == Counter({DeliveryStatus.SENT: 12})


# --------------------------------------------------------------------------- generic deliveries


def announcements() -> ScheduledWork:
    async def compose(work: WorkCtx, delivery: Delivery) -> Message | None:
        text = delivery.payload.get("text")
        return Message(text) if text else None

    return ScheduledWork(composers={"announce": compose})


def channel() -> ChannelRef:
    return ChannelRef("console", "console", "C-general")


async def add(store: Store, *deliveries: NewDelivery) -> None:
    async with store.unit() as uow:
        for delivery in deliveries:
            assert await uow.deliveries.add(delivery)


async def get(store: Store, key: str) -> Delivery:
    async with store.unit() as uow:
        delivery = await uow.deliveries.get(key)
    assert delivery is not None
    return delivery


async def test_update_of_edits_the_earlier_message(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, MONDAY, work=announcements())
    later = MONDAY + timedelta(minutes=10)
    await add(
        world.store,
        NewDelivery("announce:1", "announce", channel(), later, payload={"text": "v1"}),
        NewDelivery(
            "announce:1:edit",
            "announce",
            channel(),
            MONDAY,
            payload={"text": "v2", UPDATE_OF: "announce:1"},
        ),
    )
    first = await world.tick()  # the edit is due before its original exists: it waits
    assert world.messenger.updates == [] and first.sent.retried == 1
    world.clock.set(later)
    await world.run(later + timedelta(minutes=3), every=MINUTE)
    assert [s.message.text for s in world.messenger.to_channel("C-general")] == ["v1"]
    original = await get(world.store, "announce:1")
    ref = MessageRef("console", "console", "C-general", original.message_id or "")
    assert world.messenger.updates == [(ref, Message("v2", lang="ja"))]  # the default language
    edit = await get(world.store, "announce:1:edit")
    assert edit.status == DeliveryStatus.SENT and edit.message_id == original.message_id


async def test_update_of_a_message_never_posted_is_skipped(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, MONDAY, work=announcements())
    await add(
        world.store,
        NewDelivery(
            "announce:9:edit", "announce", channel(), MONDAY, payload={"text": "x", UPDATE_OF: "no"}
        ),
    )
    await world.tick()
    assert (await get(world.store, "announce:9:edit")).status == DeliveryStatus.SKIPPED
    assert world.messenger.updates == []


async def test_expired_and_inapplicable_are_skipped_unknown_kind_fails(
    sqlite_store: SqlStore,
) -> None:
    world = build_world(sqlite_store, MONDAY, work=announcements())
    await add(
        world.store,
        NewDelivery(
            "announce:old",
            "announce",
            channel(),
            MONDAY - timedelta(hours=2),
            expires_at=MONDAY - timedelta(hours=1),
            payload={"text": "too late"},
        ),
        NewDelivery("announce:empty", "announce", channel(), MONDAY),
        NewDelivery("mystery:1", "mystery", channel(), MONDAY),
        NewDelivery("announce:slack", "announce", ChannelRef("slack", "T1", "C1"), MONDAY),
    )
    report = await world.tick()
    assert world.messenger.sent == []
    assert (report.sent.skipped, report.sent.failed, report.sent.retried) == (2, 1, 1)
    assert (await get(world.store, "announce:old")).error == "expired"
    assert (await get(world.store, "announce:empty")).status == DeliveryStatus.SKIPPED
    assert (await get(world.store, "mystery:1")).status == DeliveryStatus.FAILED
    # no Slack messenger in this process: left for one that has it
    elsewhere = await get(world.store, "announce:slack")
    assert elsewhere.status == DeliveryStatus.PENDING
    assert elsewhere.not_before == MONDAY + timedelta(minutes=10)


async def test_gives_up_after_max_attempts_with_growing_backoff(sqlite_store: SqlStore) -> None:
    retry = RetryPolicy(base=timedelta(seconds=30), cap=timedelta(minutes=2), max_attempts=4)
    world = build_world(sqlite_store, MONDAY, work=announcements(), retry=retry)
    world.messenger.fail_next = {"C-general": [TransientFailure("HTTP 500")] * 10}
    await add(
        world.store,
        NewDelivery("announce:2", "announce", channel(), MONDAY, payload={"text": "hi"}),
    )
    waits: list[timedelta] = []
    for _ in range(4):
        await world.tick()
        delivery = await get(world.store, "announce:2")
        if delivery.status == DeliveryStatus.PENDING:
            waits.append(delivery.not_before - world.clock.now())
            world.clock.set(delivery.not_before)
    assert waits == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    final = await get(world.store, "announce:2")
    assert final.status == DeliveryStatus.FAILED and final.attempts == 4
    assert "gave up after 4 attempts" in (final.error or "")


async def test_a_member_who_left_gets_nothing(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    await opt_in(world, 2)
    world.clock.set(MONDAY)
    await world.dispatcher.plan(MONDAY)
    forget = await world.harness.member("m01").say("/ippo forget")
    await world.harness.member("m01").press(forget, "privacy:forget-yes")
    await world.tick()
    assert world.per_user() == Counter({"m00": 1})


@dataclass
class StopsAfter(ClockedMessenger):
    """Asks the engine to stop (SIGTERM) while its `after`-th send is in hand."""

    after: int = 1
    dispatcher: Dispatcher | None = None

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        if len(self.sent) + 1 == self.after and self.dispatcher is not None:
            self.dispatcher.stop_sending()
        return await super().send(to, message, delivery_key=delivery_key)


async def test_stopping_finishes_the_send_in_hand_and_releases_the_rest(
    sqlite_store: SqlStore,
) -> None:
    world = build_world(sqlite_store, TUESDAY)
    messenger = StopsAfter(clock=world.clock, after=3, dispatcher=world.dispatcher)
    world.messenger = messenger
    world.dispatcher.messengers["console"] = messenger
    await opt_in(world, 8)
    world.clock.set(MONDAY)
    report = await world.dispatcher.tick(MONDAY)
    assert report.planned == 8 and report.sent.sent == 3 and report.sent.released == 5
    assert await statuses(world.store, "nudge:") == Counter(
        {DeliveryStatus.SENT: 3, DeliveryStatus.PENDING: 5}  # none left SENDING
    )
    world.dispatcher.resume_sending()
    after = await world.dispatcher.send(MONDAY + MINUTE)
    assert after.sent == 5
    assert world.per_user() == Counter({f"m{i:02d}": 1 for i in range(8)})
