"""Claims are leases (issue #11, item 6): recovery takes only expired leases,
a live sender renews its own, and a lookup that keeps failing ends in FAILED
after a bounded number of tries, with backoff, never sending blind.

Everything runs through the real Dispatcher on a real store. Time: a pass
reckons leases from the `now` it is given plus the wall time since it began,
so the concurrent tests hand every call `Timeline.now()` (a fixed start plus
real elapsed time) and use leases of a few tenths of a second.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
import sqlalchemy as sa

from adapters.slack.messenger import SlackMessenger, make_client
from bot.assembly import build_core
from bot.delivery import MAX_LOOKUP_FAILURES, Dispatcher, RecoverReport, RetryPolicy
from bot.model import ChannelRef, Destination, Message, MessageRef, Platform, UserRef
from bot.ports import (
    DEFAULT_LEASE,
    DeliveryStatus,
    NewDelivery,
    Store,
    TransientFailure,
    Unit,
)
from bot.testing import FakeMessenger
from storage import SqlStore, open_store, upgrade_database
from storage.db import make_engine
from storage.tables import DeliveryRow, UTCDateTime
from tests.conftest import postgres_base_url, postgres_schema
from tests.fakes.slack_api import FakeSlackApi
from tests.nudgekit import ClockedMessenger, World, build_world

TUESDAY = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
MONDAY = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)  # 09:30 in Tokyo: nudges are due
T0 = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


class Timeline:
    """A fixed start moved on by real elapsed time: the time every concurrent
    call in a test is handed, as a pass reckons its leases."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self._began = asyncio.get_running_loop().time()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=asyncio.get_running_loop().time() - self._began)


@dataclass
class SlowPlatform(FakeMessenger):
    """One platform shared by every instance: a send takes `delay_s` before
    the message exists (the worst case: a lookup meanwhile finds nothing);
    lookups see every instance's posts and are counted."""

    delay_s: float = 0.0
    lookups: int = 0

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        await asyncio.sleep(self.delay_s)
        return await super().send(to, message, delivery_key=delivery_key)

    async def find_delivered(
        self, to: Destination, delivery_key: str, since: datetime
    ) -> MessageRef | None:
        self.lookups += 1
        return await super().find_delivered(to, delivery_key, since)


@dataclass
class Instance:
    """One ippo instance's messenger onto the shared platform."""

    shared: SlowPlatform
    platform: Platform = "console"
    keys: list[str] = field(default_factory=list)

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        ref = await self.shared.send(to, message, delivery_key=delivery_key)
        self.keys.append(delivery_key or "")
        return ref

    async def update(self, ref: MessageRef, message: Message) -> None:
        await self.shared.update(ref, message)

    async def find_delivered(
        self, to: Destination, delivery_key: str, since: datetime
    ) -> MessageRef | None:
        return await self.shared.find_delivered(to, delivery_key, since)


def instance(world: World, store: Store, messenger: Instance, **options: object) -> Dispatcher:
    """Another Dispatcher with the world's features, on `store`."""
    core = build_core(store, world.clock, catalog=world.core.catalog, config=world.core.config)
    return core.dispatcher({"console": messenger}, **options)


async def opt_in(world: World, count: int) -> list[str]:
    users = [f"m{i:03d}" for i in range(count)]
    for user in users:
        await world.harness.member(user).say("/ippo nudge on")
    return users


async def status_counts(store: SqlStore) -> Counter[str]:
    d = DeliveryRow.__table__.c
    async with store.engine.connect() as conn:
        rows = await conn.execute(sa.select(d.status, sa.func.count()).group_by(d.status))
        return Counter({str(status): int(n) for status, n in rows})


def total(reports: list[RecoverReport]) -> RecoverReport:
    out = RecoverReport()
    for r in reports:
        out.found += r.found
        out.resend += r.resend
        out.unresolved += r.unresolved
        out.failed += r.failed
    return out


# --------------------------------------------------------------------------- a live batch


async def test_a_slow_live_batch_is_never_taken_by_a_concurrent_recover(
    sqlite_store: SqlStore,
) -> None:
    """Sending the batch takes several recovery windows; another instance
    recovers and sends all the while. The sender renews its lease, so
    recovery finds nothing to take and every member gets exactly one nudge."""
    window = timedelta(seconds=1)
    world = build_world(sqlite_store, TUESDAY)
    users = await opt_in(world, 12)
    world.clock.set(MONDAY)
    platform = SlowPlatform(delay_s=0.25)  # 12 sends: 3 s, three windows
    sender_side, recovery_side = Instance(platform), Instance(platform)
    sender = instance(world, sqlite_store, sender_side, stuck_after=window)
    other = instance(world, sqlite_store, recovery_side, stuck_after=window)
    assert await sender.plan(MONDAY) == len(users)
    async with sqlite_store.unit() as uow:
        ids = [await _member_id(uow, user) for user in users]

    timeline = Timeline(MONDAY)
    done = asyncio.Event()
    recovered: list[RecoverReport] = []
    leases_seen: list[datetime] = []

    async def recover_all_the_while() -> None:
        # The other instance ticks: it would send whatever recovery re-queued.
        while not done.is_set():
            recovered.append(await other.recover(timeline.now()))
            await other.send(timeline.now())
            async with sqlite_store.unit() as uow:
                for member_id in ids:
                    for d in await uow.deliveries.for_member(member_id):
                        if d.status is DeliveryStatus.SENDING and d.lease_until:
                            leases_seen.append(d.lease_until)
            await asyncio.sleep(0.02)

    async def send_once() -> None:
        try:
            report = await sender.send(MONDAY)
            assert report.sent == len(users) and report.lost == 0
        finally:
            done.set()

    began = asyncio.get_running_loop().time()
    await asyncio.gather(send_once(), recover_all_the_while())
    took = asyncio.get_running_loop().time() - began

    assert took > 2 * window.total_seconds(), "the batch was not slower than the window"
    assert Counter(s.to.id for s in platform.sent) == Counter({u: 1 for u in users})
    assert recovery_side.keys == [] and platform.lookups == 0
    seen = total(recovered)
    assert (seen.found, seen.resend, seen.unresolved, seen.failed) == (0, 0, 0, 0)
    assert len(recovered) > 10, "recovery did run during the send"
    # The lease was renewed: the last rows' lease ended well past the first grant.
    assert max(leases_seen) > MONDAY + 2 * window
    assert await status_counts(sqlite_store) == Counter({"sent": len(users)})


class _RenewalsFail:
    """The store as a sender sees it when the database refuses its lease
    renewals (and only those)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.refused = 0

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        async with self._store.unit() as uow:
            yield _NoRenewUnit(uow, self)


class _NoRenewUnit:
    def __init__(self, uow: Unit, owner: _RenewalsFail) -> None:
        self._uow, self._owner = uow, owner

    def __getattr__(self, name: str) -> Any:
        if name == "deliveries":
            return _NoRenew(self._uow.deliveries, self._owner)
        return getattr(self._uow, name)


class _NoRenew:
    def __init__(self, repo: Any, owner: _RenewalsFail) -> None:
        self._repo, self._owner = repo, owner

    async def renew(self, *args: Any, **kwargs: Any) -> set[int]:
        self._owner.refused += 1
        raise ConnectionError("database unreachable")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._repo, name)


async def test_a_sender_that_cannot_renew_stops_and_recovery_finishes(
    sqlite_store: SqlStore,
) -> None:
    """Renewals fail: the sender stops sending once its lease (by its own
    reckoning) is about to run out and leaves the rest to recovery, which
    resends exactly those. Each nudge still goes out once."""
    window = timedelta(seconds=1)
    world = build_world(sqlite_store, TUESDAY)
    users = await opt_in(world, 12)
    world.clock.set(MONDAY)
    platform = SlowPlatform(delay_s=0.25)
    sender_side, recovery_side = Instance(platform), Instance(platform)
    failing = _RenewalsFail(sqlite_store)
    sender = instance(world, failing, sender_side, stuck_after=window)  # type: ignore[arg-type]
    other = instance(world, sqlite_store, recovery_side, stuck_after=window)
    await sender.plan(MONDAY)
    timeline = Timeline(MONDAY)

    report = await sender.send(timeline.now())
    assert failing.refused >= 1
    assert 0 < report.sent < len(users) and report.sent + report.lost == len(users)
    await asyncio.sleep(window.total_seconds())  # every lease has run out by now
    late = await other.recover(timeline.now())
    assert late.resend == report.lost and late.found == 0
    await other.send(timeline.now())
    assert Counter(s.to.id for s in platform.sent) == Counter({u: 1 for u in users})
    assert await status_counts(sqlite_store) == Counter({"sent": len(users)})


async def _member_id(uow: Unit, user: str) -> int:
    member = await uow.members.get(UserRef("console", "console", user))
    assert member is not None
    return member.id


# --------------------------------------------------------------------------- bounded lookups


async def test_a_lookup_that_always_fails_gives_up_after_its_bound(
    sqlite_store: SqlStore,
) -> None:
    """The issue's case: a crash left a Slack DM SENDING and the history
    lookup fails for good (missing_scope). Recovery every second (the
    reported loop made 6,254 calls in two minutes): exactly
    MAX_LOOKUP_FAILURES lookups, spaced by the growing backoff, then FAILED
    with the reason; the message is never sent blind."""
    dm = UserRef("slack", "T0001", "U0001")
    async with sqlite_store.unit() as uow:
        await uow.deliveries.add(NewDelivery("nudge:1:2026-W49", "nudge", dm, T0))
    async with sqlite_store.unit() as uow:  # the crashed sender's claim
        (claimed,) = await uow.deliveries.claim(T0, 10)
    assert claimed.lease_until == T0 + DEFAULT_LEASE

    world = build_world(sqlite_store, T0)
    async with _slack() as (fake, messenger):
        fake.refuse("D0001", "missing_scope")  # conversations.history in the DM
        retry = RetryPolicy(base=timedelta(seconds=5))  # the default's shape, 6x faster
        recovery = world.core.dispatcher({"slack": messenger}, retry=retry)
        looked_at: list[int] = []
        for second in range(700):
            report = await recovery.recover(T0 + second * SECOND)
            if report.unresolved or report.failed:
                looked_at.append(second)
        opens = len(fake.calls_to("conversations.open"))
        histories = len(fake.calls_to("conversations.history"))
        posts = len(fake.calls_to("chat.postMessage"))

    assert histories == opens == MAX_LOOKUP_FAILURES == len(looked_at)
    assert posts == 0
    # Not before the crashed claim's lease ran out; then 5 s, 10 s, 20 s, ... apart.
    assert looked_at[0] == DEFAULT_LEASE.total_seconds()
    gaps = [b - a for a, b in pairwise(looked_at)]
    backoff = [int(retry.delay(n).total_seconds()) for n in range(1, len(gaps) + 1)]
    assert all(want <= got <= want + 1 for got, want in zip(gaps, backoff, strict=True)), gaps
    async with sqlite_store.unit() as uow:
        final = await uow.deliveries.get("nudge:1:2026-W49")
    assert final is not None and final.status is DeliveryStatus.FAILED
    assert final.lookup_failures == MAX_LOOKUP_FAILURES - 1  # the last one failed it
    assert "missing_scope" in (final.error or "") and "not sending blind" in (final.error or "")


@asynccontextmanager
async def _slack() -> AsyncIterator[tuple[FakeSlackApi, SlackMessenger]]:
    async with FakeSlackApi(team_id="T0001") as fake:
        yield fake, SlackMessenger(client=make_client("xoxb-test", fake.api_url))


@dataclass
class TimesOutThenCannotLook(ClockedMessenger):
    """The first send times out (maybe posted, maybe not); every lookup after
    it fails."""

    lookups: int = 0

    async def find_delivered(
        self, to: Destination, delivery_key: str, since: datetime
    ) -> MessageRef | None:
        self.lookups += 1
        raise TransientFailure("HTTP 503")


async def test_a_retry_whose_lookup_keeps_failing_is_failed_not_sent_blind(
    sqlite_store: SqlStore,
) -> None:
    """After a timeout the next attempt must look first; when that lookup
    keeps failing the delivery goes to recovery with backoff and ends FAILED
    after the bound, with nothing sent."""
    world = build_world(sqlite_store, TUESDAY)
    messenger = TimesOutThenCannotLook(clock=world.clock)
    messenger.fail_next = {"m000": [TransientFailure("timeout")]}
    world.messenger = messenger
    world.dispatcher.messengers["console"] = messenger
    await opt_in(world, 2)
    world.clock.set(MONDAY)
    await world.run(MONDAY + timedelta(minutes=30), every=timedelta(minutes=1))

    assert messenger.tried["m000"] == 1 and messenger.to_user("m000") == []
    assert messenger.lookups == MAX_LOOKUP_FAILURES
    assert [s.to.id for s in messenger.sent] == ["m001"]
    async with sqlite_store.unit() as uow:
        member = await uow.members.get(UserRef("console", "console", "m000"))
        assert member is not None and not member.unreachable  # a lookup is no refusal
        (nudge,) = [d for d in await uow.deliveries.for_member(member.id)]
    assert nudge.status is DeliveryStatus.FAILED
    assert "HTTP 503" in (nudge.error or "") and "gave up after" in (nudge.error or "")


# --------------------------------------------------------------------------- the ledger


async def test_a_lease_is_renewed_and_settled_only_by_its_holder(store: SqlStore) -> None:
    channel = ChannelRef("console", "console", "C1")
    async with store.unit() as uow:
        for key in ("a", "b"):
            await uow.deliveries.add(NewDelivery(key, "announce", channel, T0))
    sender, recovery, later = "s" * 32, "r" * 32, "l" * 32
    async with store.unit() as uow:
        a, b = await uow.deliveries.claim(T0, 10, token=sender, lease_until=T0 + 60 * SECOND)
        assert (a.claim_token, a.lease_until) == (sender, T0 + 60 * SECOND)
        assert await uow.deliveries.renew(
            {a.id, b.id}, token=sender, lease_until=T0 + 120 * SECOND
        ) == {a.id, b.id}
        # not expired yet: recovery takes nothing
        assert (
            await uow.deliveries.take_expired(T0 + 90 * SECOND, 10, token=recovery, lease_until=T0)
            == []
        )
        assert await uow.deliveries.stuck(T0 + 90 * SECOND, 10) == []
    async with store.unit() as uow:
        taken = await uow.deliveries.take_expired(
            T0 + 121 * SECOND, 10, token=recovery, lease_until=T0 + 200 * SECOND
        )
        assert [d.id for d in taken] == [a.id, b.id]
        assert all(
            d.claim_token == recovery and d.claimed_at == T0 and d.attempts == 1 for d in taken
        )
        # The old holder comes back: it can neither renew nor settle what it lost.
        assert (
            await uow.deliveries.renew({a.id, b.id}, token=sender, lease_until=T0 + 999 * SECOND)
            == set()
        )
        assert not await uow.deliveries.reschedule(a.id, not_before=T0, error="x", token=sender)
        assert not await uow.deliveries.finish(a.id, DeliveryStatus.FAILED, error="x", token=sender)
        assert not await uow.deliveries.mark_sent(
            a.id, at=T0, message_id="1", channel_id="C1", token=sender
        )
        still = await uow.deliveries.get("a")
        assert still is not None and still.status is DeliveryStatus.SENDING
        assert (still.claim_token, still.lease_until) == (recovery, T0 + 200 * SECOND)
        # The holder hands a row back after a failed lookup: unheld, due again later.
        assert await uow.deliveries.defer_lookup(
            a.id, token=recovery, until=T0 + 600 * SECOND, error="e"
        )
        back = await uow.deliveries.get("a")
        assert back is not None and back.status is DeliveryStatus.SENDING
        assert (back.claim_token, back.lookup_failures) == (None, 1)
        assert await uow.deliveries.defer_lookup(
            b.id, token=recovery, until=T0 + 300 * SECOND, error="e", failed=False
        )
    async with store.unit() as uow:
        again = await uow.deliveries.take_expired(
            T0 + 400 * SECOND, 10, token=later, lease_until=T0 + 500 * SECOND
        )
        assert [(d.key, d.lookup_failures) for d in again] == [("b", 0)]
        # Settling with the token ends the lease; an unconditional mark_sent too.
        assert await uow.deliveries.reschedule(b.id, not_before=T0, error="recovered", token=later)
        assert await uow.deliveries.mark_sent(a.id, at=T0, message_id="1", channel_id="C1")
        a_done, b_done = await uow.deliveries.get("a"), await uow.deliveries.get("b")
    assert a_done is not None and (a_done.status, a_done.claim_token, a_done.lease_until) == (
        DeliveryStatus.SENT,
        None,
        None,
    )
    assert b_done is not None and (b_done.status, b_done.claim_token, b_done.lease_until) == (
        DeliveryStatus.PENDING,
        None,
        None,
    )


async def test_a_claim_without_a_lease_expires_after_the_default(store: SqlStore) -> None:
    """A row claimed by a version without leases (during a rolling upgrade)
    has no lease_until: it counts as leased for DEFAULT_LEASE from its claim."""
    async with store.unit() as uow:
        await uow.deliveries.add(
            NewDelivery("old", "announce", ChannelRef("console", "c", "C"), T0)
        )
    async with store.unit() as uow:
        (old,) = await uow.deliveries.claim(T0, 1)
    async with store.engine.begin() as conn:
        await conn.execute(sa.update(DeliveryRow).values(lease_until=None, claim_token=None))
    async with store.unit() as uow:
        assert (
            await uow.deliveries.take_expired(
                T0 + DEFAULT_LEASE - SECOND, 5, token="x", lease_until=T0
            )
            == []
        )
        (taken,) = await uow.deliveries.take_expired(
            T0 + DEFAULT_LEASE, 5, token="x", lease_until=T0 + 2 * DEFAULT_LEASE
        )
    assert taken.id == old.id and taken.lease_until == T0 + 2 * DEFAULT_LEASE


async def test_migration_0005_gives_rows_in_flight_the_old_lease(db_url: str) -> None:
    await upgrade_database(db_url, "0004_member_identity")
    table = sa.table(
        "deliveries",
        sa.column("key", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("to_platform", sa.String()),
        sa.column("to_workspace", sa.String()),
        sa.column("to_kind", sa.String()),
        sa.column("to_id", sa.String()),
        sa.column("payload", sa.JSON()),
        sa.column("status", sa.String()),
        sa.column("not_before", UTCDateTime()),
        sa.column("attempts", sa.Integer()),
        sa.column("claimed_at", UTCDateTime()),
    )
    row = {
        "kind": "announce",
        "to_platform": "slack",
        "to_workspace": "T1",
        "to_kind": "channel",
        "to_id": "C1",
        "payload": {},
        "not_before": T0,
        "attempts": 1,
    }
    engine = make_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                sa.insert(table),
                [
                    {**row, "key": "in-flight", "status": "sending", "claimed_at": T0},
                    {**row, "key": "waiting", "status": "pending", "claimed_at": None},
                ],
            )
    finally:
        await engine.dispose()

    await upgrade_database(db_url)

    store = open_store(db_url)
    try:
        async with store.unit() as uow:
            flight, waiting = (
                await uow.deliveries.get("in-flight"),
                await uow.deliveries.get("waiting"),
            )
            assert await uow.deliveries.stuck(T0 + DEFAULT_LEASE - SECOND, 5) == []
            assert [d.key for d in await uow.deliveries.stuck(T0 + DEFAULT_LEASE, 5)] == [
                "in-flight"
            ]
    finally:
        await store.close()
    assert flight is not None and (flight.lease_until, flight.lookup_failures) == (
        T0 + DEFAULT_LEASE,
        0,
    )
    assert waiting is not None and (waiting.lease_until, waiting.lookup_failures) == (None, 0)


# --------------------------------------------------------------------------- two instances


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    base = postgres_base_url()
    if base is None:
        pytest.skip("TEST_DATABASE_URL not set: two PostgreSQL instances need a server")
    async with postgres_schema(base) as url:
        yield url


async def test_two_postgresql_instances_with_a_short_window_send_each_once(pg_url: str) -> None:
    """Two instances (two engines) send and recover at the same time with a
    recovery window shorter than one batch takes: every nudge goes out
    exactly once, both take a share, and recovery never takes a live row."""
    members = 60
    window = timedelta(seconds=1)
    await upgrade_database(pg_url)
    first, second = open_store(pg_url), open_store(pg_url)
    try:
        world = build_world(first, TUESDAY)
        users = await opt_in(world, members)
        world.clock.set(MONDAY)
        platform = SlowPlatform(delay_s=0.12)  # a batch of 10: 1.2 s, longer than the window
        a_side, b_side = Instance(platform), Instance(platform)
        options = {"stuck_after": window, "batch_size": 10}
        a = instance(world, first, a_side, **options)
        b = instance(world, second, b_side, **options)
        planned = await asyncio.gather(a.plan(MONDAY), b.plan(MONDAY))
        assert sum(planned) == members

        timeline = Timeline(MONDAY)
        recovered: list[RecoverReport] = []
        lost = 0

        async def finished() -> bool:
            counts = await status_counts(first)
            return counts["sent"] + counts["failed"] + counts["skipped"] == members

        async def run(d: Dispatcher) -> None:
            nonlocal lost

            async def sending() -> None:
                nonlocal lost
                while not await finished():
                    lost += (await d.send(timeline.now(), budget_s=2.0)).lost
                    await asyncio.sleep(0.01)

            async def recovering() -> None:
                while not await finished():
                    recovered.append(await d.recover(timeline.now()))
                    await asyncio.sleep(0.03)

            await asyncio.gather(sending(), recovering())

        async with asyncio.timeout(60):
            await asyncio.gather(run(a), run(b))

        assert Counter(s.to.id for s in platform.sent) == Counter({u: 1 for u in users})
        assert a_side.keys and b_side.keys, "both instances took a share"
        seen = total(recovered)
        assert (seen.found, seen.resend, seen.failed, lost) == (0, 0, 0, 0)
        assert len(recovered) > 20 and platform.lookups == 0
        assert await status_counts(first) == Counter({"sent": members})
    finally:
        await first.close()
        await second.close()
