"""The delivery engine: plan, send and recover scheduled messages.

`Dispatcher` knows no feature. Features contribute planners and composers
(`bot.scheduled.ScheduledWork`); the engine runs them against the store and
sends through each platform's `Messenger` (DESIGN.md, "The flow of scheduled
work"):

- **plan** calls each planner in a fresh, short unit of work, again and again
  while it reports work done: a planner handles one batch per call and
  returns 0 when nothing is left.
- **send** claims pending deliveries in batches (`DeliveryRepo.claim`; several
  instances claim disjoint rows on PostgreSQL), composes each in a short unit,
  sends it with no transaction open, and records the outcome in another short
  unit. The next batch is claimed while the last is still being sent, once
  fewer than half a batch wait unstarted (`bot.delivery.feed`). Each
  platform's messenger paces its own sends to the platform's published
  limits; workspaces are sent in parallel, each with as many sends in flight
  as its messenger asks for, one destination's deliveries in order, and a
  wait for the messenger's window happens before the send's timeout starts
  (`bot.delivery.pacing`). A 429's Retry-After holds back that whole
  workspace for the rest of the pass. Retries follow `bot.delivery.policy`; claims are
  leases (`bot.delivery.leases`).
- **recover** resolves deliveries whose lease ran out (`bot.delivery.recovery`).

A delivery whose payload has `"update_of": <key>` edits the message an
earlier delivery posted (`Messenger.update`) instead of posting a new one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from contextlib import AsyncExitStack
from datetime import datetime, timedelta

from bot.catalog import Catalog
from bot.config import CoreConfig
from bot.delivery.feed import Backlog, Feed
from bot.delivery.hints import tell_dm_channel
from bot.delivery.leases import Lease, LeaseKeeper, PassClock, new_token
from bot.delivery.pacing import sends_at_once, wait_turn
from bot.delivery.policy import (
    AMBIGUOUS,
    LEASE_RENEWALS,
    MAX_LOOKUP_FAILURES,
    MAX_PLAN_ROUNDS,
    RATE_LIMITED,
    RELEASED,
    TIMEOUT,
    RecoverReport,
    RetryPolicy,
    SendReport,
    TickReport,
    error_kind,
)
from bot.delivery.recovery import Recovery
from bot.delivery.settle import Settler
from bot.i18n import Messages
from bot.metrics import FailureReason, Metrics, NoMetrics
from bot.model import MessageRef, Platform
from bot.ports import (
    Clock,
    Delivery,
    DeliveryFailed,
    DeliveryStatus,
    Messenger,
    PermanentFailure,
    Store,
    TransientFailure,
    Unit,
)
from bot.scheduled import ScheduledWork, WorkCtx

log = logging.getLogger(__name__)

RATE = FailureReason.RATE_LIMITED


class Dispatcher:
    """Plans, sends and recovers deliveries (see the module docstring).

    `stuck_after` is the lease length: how long a claim holds its rows
    without renewal before recovery may take them (`IPPO_RECOVER_AFTER_S`).
    `renew_every` (default a third of it) is how often a holder renews;
    `max_lookups` bounds the failed lookups of one delivery. `metrics`
    counts each send's outcome and latency (`bot.metrics`; none by default).
    """

    def __init__(
        self,
        *,
        store: Store,
        catalog: Catalog,
        config: CoreConfig,
        messages: Messages,
        work: ScheduledWork,
        messengers: Mapping[Platform, Messenger],
        clock: Clock,
        retry: RetryPolicy | None = None,
        batch_size: int = 50,
        stuck_after: timedelta = timedelta(minutes=5),
        renew_every: timedelta | None = None,
        max_lookups: int = MAX_LOOKUP_FAILURES,
        lookback: timedelta = timedelta(days=2),
        send_timeout_s: float = 30.0,
        no_messenger_delay: timedelta = timedelta(minutes=10),
        metrics: Metrics | None = None,
    ) -> None:
        renew = renew_every if renew_every is not None else stuck_after / LEASE_RENEWALS
        if not timedelta(0) < renew < stuck_after:
            raise ValueError(f"renew_every ({renew}) must be shorter than stuck_after")
        if max_lookups < 1:
            raise ValueError("max_lookups must be at least 1")
        self.store = store
        self.catalog = catalog
        self.config = config
        self.messages = messages
        self.work = work
        self.messengers = dict(messengers)
        self.clock = clock
        self.retry = retry or RetryPolicy()
        self.batch_size = batch_size
        self.stuck_after = stuck_after
        self.renew_every = renew
        self.max_lookups = max_lookups
        self.lookback = lookback
        self.send_timeout_s = send_timeout_s
        self.no_messenger_delay = no_messenger_delay
        self._stopping = asyncio.Event()
        self.metrics: Metrics = metrics or NoMetrics()
        self.leases = LeaseKeeper(store=store, stuck_after=stuck_after, renew_every=renew)
        self.recovery = Recovery(
            store=store,
            messengers=self.messengers,
            clock=clock,
            leases=self.leases,
            retry=self.retry,
            batch_size=batch_size,
            max_lookups=max_lookups,
            lookback=lookback,
            send_timeout_s=send_timeout_s,
            metrics=self.metrics,
        )
        self.settle = Settler(store=store, work=work, clock=clock, retry=self.retry, ctx=self._ctx)

    def stop_sending(self) -> None:
        """Shutting down: claim nothing more; each workspace finishes the sends
        in hand (a wait for a messenger's window ends) and releases the rest of
        its claimed batch to pending (as when a pass's budget runs out), so
        nothing waits for crash recovery."""
        self._stopping.set()

    def resume_sending(self) -> None:
        self._stopping.clear()

    def _ctx(self, uow: Unit, now: datetime) -> WorkCtx:
        return WorkCtx(uow, self.catalog, self.config, self.messages, now)

    # ----------------------------------------------------------------------- tick

    async def tick(self, now: datetime | None = None, *, budget_s: float = 60.0) -> TickReport:
        """Recover, plan and send once, at `now` (the clock's time by default)."""
        at = now or self.clock.now()
        report = TickReport(at)
        report.recovered = await self.recover(at)
        report.planned = await self.plan(at)
        report.sent = await self.send(at, budget_s=budget_s)
        return report

    # ----------------------------------------------------------------------- plan

    async def plan(self, now: datetime) -> int:
        """Run every planner until it has nothing left; the total it reported."""
        total = 0
        for planner in self.work.planners:
            for _ in range(MAX_PLAN_ROUNDS):
                async with self.store.unit() as uow:
                    done = await planner(self._ctx(uow, now))
                total += done
                if done <= 0:
                    break
            else:
                log.error("planner did not finish", extra={"planner": repr(planner)})
        return total

    # ----------------------------------------------------------------------- recover

    async def recover(self, now: datetime) -> RecoverReport:
        """Resolve deliveries whose lease has run out (their holder crashed
        or stopped renewing), or whose lookup is due again."""
        return await self.recovery.recover(now)

    # ----------------------------------------------------------------------- send

    async def send(self, now: datetime, *, budget_s: float = 20.0) -> SendReport:
        """Send what is due at `now` for up to `budget_s` seconds of wall time.

        Deliveries claimed but not reached when the budget runs out go back to
        pending untouched; a send already begun may outlast the budget by its
        wait for the messenger's window. A crash between claim and record
        leaves them SENDING under a lease nobody renews, for `recover`.
        """
        report = SendReport()
        loop = asyncio.get_running_loop()
        began = loop.time()
        deadline = began + budget_s
        clock = PassClock(now, self.clock)
        held: dict[tuple[str, str], datetime] = {}  # workspaces told to slow down
        backlog = Backlog()
        feeds: dict[tuple[str, str], Feed] = {}
        async with AsyncExitStack() as leases, asyncio.TaskGroup() as senders:
            try:
                while loop.time() < deadline and not self._stopping.is_set():
                    token = new_token()
                    until = clock.now() + self.stuck_after
                    async with self.store.unit() as uow:
                        batch = await uow.deliveries.claim(
                            now, self.batch_size, token=token, lease_until=until
                        )
                    if not batch:
                        break
                    report.claimed += len(batch)
                    lease = await leases.enter_async_context(
                        self.leases.holding(batch, token, until, clock)
                    )
                    for delivery in batch:
                        workspace = (delivery.to.platform, delivery.to.workspace)
                        feed = feeds.get(workspace)
                        if feed is None:
                            feed = feeds[workspace] = Feed(backlog)
                            messenger = self.messengers.get(delivery.to.platform)
                            for _ in range(sends_at_once(messenger)):
                                senders.create_task(
                                    self._take_lanes(feed, clock, deadline, held, report)
                                )
                        feed.add(delivery, lease)
                    if len(batch) < self.batch_size:
                        break
                    await backlog.below(max(1, self.batch_size // 2))
                    now_s = loop.time()
                    if not backlog.fits(self.batch_size, now_s - began, deadline - now_s):
                        break
            finally:
                for feed in feeds.values():
                    feed.close()
        return report

    async def _take_lanes(
        self,
        feed: Feed,
        clock: PassClock,
        deadline: float,
        held: dict[tuple[str, str], datetime],
        report: SendReport,
    ) -> None:
        """One of a workspace's senders (it has as many as its messenger's
        `sends_at_once`): takes a lane, sends it in order, takes the next."""
        while (lane := await feed.lane()) is not None:
            while (taken := feed.next_in(lane)) is not None:
                delivery, lease = taken
                await self._next(delivery, lease, clock, deadline, held, report)

    async def _next(
        self,
        delivery: Delivery,
        lease: Lease,
        clock: PassClock,
        deadline: float,
        held: dict[tuple[str, str], datetime],
        report: SendReport,
    ) -> None:
        """Send `delivery`, or settle why not now. A send begun before the
        deadline first waits for its messenger's window (`wait_turn`), then
        checks again all but the deadline."""
        workspace = (delivery.to.platform, delivery.to.workspace)
        late = asyncio.get_running_loop().time() >= deadline
        if not late and workspace not in held:
            messenger = self.messengers.get(delivery.to.platform)
            await wait_turn(messenger, delivery.to, self._stopping)
        if not self.leases.still_holds(lease, delivery, clock):
            report.lost += 1
        elif workspace in held:
            await self._hold(delivery, lease, held[workspace], report)
        elif late or self._stopping.is_set():
            # An ambiguous error survives a postponement: the next attempt
            # must still look before it sends.
            why = delivery.error if error_kind(delivery.error) in AMBIGUOUS else None
            await self.settle.reschedule(
                delivery, lease, delivery.not_before, why or f"{RELEASED}: send pass ended"
            )
            report.released += 1
        else:
            await self._send_one(delivery, lease, clock, held, report)

    async def _hold(
        self, delivery: Delivery, lease: Lease, until: datetime, report: SendReport
    ) -> None:
        """Its workspace is held back by a 429: try again once that is over."""
        why = delivery.error if error_kind(delivery.error) in AMBIGUOUS else None
        await self.settle.reschedule(delivery, lease, until, why or f"{RATE_LIMITED}: workspace")
        report.retried += 1

    async def _send_one(
        self,
        delivery: Delivery,
        lease: Lease,
        clock: PassClock,
        held: dict[tuple[str, str], datetime],
        report: SendReport,
    ) -> None:
        now = clock.start
        messenger = self.messengers.get(delivery.to.platform)
        if messenger is None:
            # Another instance (or a later start) may have this platform's
            # adapter: leave it for them rather than fail it.
            await self.settle.reschedule(
                delivery,
                lease,
                now + self.no_messenger_delay,
                f"{RELEASED}: no {delivery.to.platform} messenger in this process",
            )
            log.warning("no messenger", extra={"platform": delivery.to.platform})
            report.retried += 1
            return
        if delivery.expires_at is not None and now >= delivery.expires_at:
            await self.settle.finish(delivery, lease, DeliveryStatus.SKIPPED, "expired")
            report.skipped += 1
            return
        ready = await self.settle.prepare(delivery, lease, now, report)
        if ready is None:
            return
        to = delivery.to
        ref: MessageRef | None = None
        if ready.edit is None and error_kind(delivery.error) in AMBIGUOUS:
            # The last attempt may have posted it: look before sending again.
            try:
                ref = await self.recovery.look_up(messenger, delivery, now - self.lookback)
            except Exception as err:
                wait = self.recovery.held_for(err)
                if wait is not None:
                    held[(to.platform, to.workspace)] = now + wait
                    self.metrics.rate_limited(to.platform)
                if await self.recovery.lookup_failed(delivery, lease, clock, err):
                    report.failed += 1
                else:
                    report.retried += 1
                return
        if (to.platform, to.workspace) in held:  # a 429 came meanwhile
            await self._hold(delivery, lease, held[(to.platform, to.workspace)], report)
            return
        started = time.perf_counter()
        try:
            if not self.leases.still_holds(lease, delivery, clock):  # checked last thing
                report.lost += 1
                return
            async with asyncio.timeout(self.send_timeout_s):
                if ready.edit is not None:
                    await messenger.update(ready.edit, ready.message)
                    ref = ready.edit
                elif ref is None:
                    tell_dm_channel(messenger, to, ready.dm_channel)
                    ref = await messenger.send(to, ready.message, delivery_key=delivery.key)
            self._attempted(to.platform, started, None)
        except TransientFailure as err:
            limited = err.retry_after is not None
            self._attempted(to.platform, started, RATE if limited else FailureReason.TRANSIENT)
            await self.settle.transient(
                delivery, lease, now, err.reason, err.retry_after, held, report
            )
            return
        except TimeoutError:
            self._attempted(to.platform, started, FailureReason.TIMEOUT)
            await self.settle.transient(
                delivery, lease, now, f"{TIMEOUT}: no answer", None, held, report
            )
            return
        except PermanentFailure as err:
            self._attempted(to.platform, started, FailureReason.REFUSED)
            await self.settle.refused(delivery, lease, err)
            report.failed += 1
            return
        except DeliveryFailed as err:
            self._attempted(to.platform, started, FailureReason.TRANSIENT)
            await self.settle.transient(delivery, lease, now, str(err), None, held, report)
            return
        except Exception as err:  # an adapter bug must not wedge the row in SENDING
            log.exception("messenger failed", extra={"delivery": delivery.key})
            self._attempted(to.platform, started, FailureReason.ERROR)
            await self.settle.transient(delivery, lease, now, repr(err), None, held, report)
            return
        await self.settle.record(delivery, lease, ref, now, ready.dm_channel)
        self.metrics.sent(to.platform, delivery.kind)
        if ready.edit is not None:
            report.updated += 1
        else:
            report.sent += 1

    def _attempted(self, platform: str, started: float, failure: FailureReason | None) -> None:
        """Count one call to the platform: its latency, and why it failed."""
        self.metrics.send_latency(platform, time.perf_counter() - started)
        if failure is not None:
            self.metrics.failed(platform, failure)
        if failure is RATE:
            self.metrics.rate_limited(platform)
