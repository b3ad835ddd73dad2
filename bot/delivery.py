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
  unit. Each platform's messenger paces its own sends to the platform's
  published limits; a 429's Retry-After holds back that whole workspace for
  the rest of the pass.
  Transient failures retry with capped exponential backoff up to
  `RetryPolicy.max_attempts`; a permanent refusal fails the delivery and marks
  the member unreachable, never to be retried. Expired deliveries are skipped.
- **recover** resolves deliveries whose holder stopped renewing its lease (a
  crash, a hung process): if the platform has the message
  (`Messenger.find_delivered` with the delivery key) it is recorded as sent,
  otherwise it goes back to pending with the same key, so the resend is
  recognisable (Discord's nonce) or was proven absent (Slack).

**Claims are leases.** A claim marks its rows SENDING under a fresh token
(`claim_token`) until `lease_until` = claim time + `stuck_after`
(`IPPO_RECOVER_AFTER_S`). While a batch is in hand, a background task renews
the lease of the rows not yet settled every `renew_every` (a third of the
lease by default, `LEASE_RENEWALS`), only where the token is still theirs, so a
renewal never takes back a row someone else took over. Every write that
settles a row (sent, rescheduled, failed, skipped) ends its lease. The sender
sends a row only while its own reckoning says the lease has more than half
of `renew_every` left; when renewals fail (the database is away) it stops
and leaves the rows to recovery. Recovery takes only rows whose lease has run out
(`DeliveryRepo.take_expired`), under a lease of its own, so a slow batch is
never taken from a live sender and two recovering instances never look up
the same row. Leases are reckoned in real time: a pass's `now` moved on by
the wall time since the pass began, or the clock's time if later
(`_PassClock`).

**Lookups are bounded.** A lookup that fails (an error, a timeout, a 429) is
counted on the row (`lookup_failures`); the row is handed back, still
SENDING and held by nobody, with its lease running out after the retry
backoff (`RetryPolicy.delay`, at least any Retry-After), so recovery looks
again then, never in a tight loop. After `max_lookups` failures
(`MAX_LOOKUP_FAILURES`) the delivery is FAILED with the reason: a message
that may already be on the platform is never sent blind. The same holds for
the lookup a retry makes after an ambiguous failure (a timeout may have
posted).

A delivery whose payload has `"update_of": <key>` edits the message an
earlier delivery posted (`Messenger.update`) instead of posting a new one.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.catalog import Catalog
from bot.config import CoreConfig
from bot.i18n import Messages
from bot.model import Member, Message, MessageRef, Platform, UserRef
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

UPDATE_OF = "update_of"
"""Payload key: the key of an earlier, sent delivery whose message this one edits."""

# Error prefixes recorded on a delivery. After "transient" or "timeout" the
# platform may have posted the message although the call failed, so the next
# attempt asks `find_delivered` before sending again. A recovered delivery is
# not ambiguous: recovery looked, and with leases nobody was still sending it.
RATE_LIMITED = "rate_limited"
TRANSIENT = "transient"
TIMEOUT = "timeout"
RELEASED = "released"
RECOVERED = "recovered"
LOOKUP_FAILED = "lookup_failed"
_AMBIGUOUS = (TRANSIENT, TIMEOUT)

MAX_PLAN_ROUNDS = 100_000  # a guard against a planner that never reports "done"

MAX_LOOKUP_FAILURES = 6
"""Failed "was it posted?" lookups after which a delivery is FAILED (default
of `Dispatcher(max_lookups=...)`). With the default backoff the lookups are
30 s, 1, 2, 4 and 8 minutes apart: a platform outage of a quarter of an hour
is waited out, a lookup that cannot work (a missing scope) ends there."""

LEASE_RENEWALS = 3
"""A holder renews its lease this many times per lease length (by default)."""

CLOCK_SKEW = timedelta(minutes=1)
"""Slack of a lookup's `since` behind the claim time, for clocks that differ."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Backoff after a transient failure without Retry-After: `base` doubled per
    attempt, at most `cap`; FAILED after `max_attempts` claims."""

    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=1)
    max_attempts: int = 6
    min_delay: timedelta = timedelta(seconds=1)

    def delay(self, attempts: int) -> timedelta:
        doubled: timedelta = self.base * (2 ** max(0, attempts - 1))
        return min(self.cap, doubled)


@dataclass(slots=True)
class SendReport:
    claimed: int = 0
    sent: int = 0
    updated: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    released: int = 0
    lost: int = 0  # the lease ran out before the send: left to recovery


@dataclass(slots=True)
class RecoverReport:
    found: int = 0
    resend: int = 0
    unresolved: int = 0  # the lookup failed or waits; recovery looks again later
    failed: int = 0  # the lookup kept failing: FAILED, not sent blind


@dataclass(slots=True)
class TickReport:
    at: datetime
    planned: int = 0
    recovered: RecoverReport = field(default_factory=RecoverReport)
    sent: SendReport = field(default_factory=SendReport)


@dataclass(frozen=True, slots=True)
class _Ready:
    """A composed delivery, ready for the network."""

    message: Message
    edit: MessageRef | None  # set for "update_of" deliveries


class _PassClock:
    """The time a pass reckons leases in: the `now` it was given, moved on by
    the wall time since it began, or the clock's time if that is later. So
    leases follow real time when a caller (a test) hands in a fixed `now`,
    and a `tick` whose send starts after a long plan still leases from the
    present."""

    __slots__ = ("_clock", "_started", "start")

    def __init__(self, start: datetime, clock: Clock) -> None:
        self.start = start
        self._clock = clock
        self._started = asyncio.get_running_loop().time()

    def now(self) -> datetime:
        elapsed = asyncio.get_running_loop().time() - self._started
        return max(self.start + timedelta(seconds=elapsed), self._clock.now())


@dataclass(slots=True)
class _Lease:
    """What one claim holds: its token, the rows not yet settled, and until
    when (as last granted or renewed)."""

    token: str
    held: set[int]
    until: datetime

    def holds(self, delivery_id: int, at: datetime) -> bool:
        return delivery_id in self.held and at < self.until

    def let_go(self, delivery_id: int) -> None:
        """The row is being settled: renew it no more."""
        self.held.discard(delivery_id)


def _error_kind(error: str | None) -> str:
    return (error or "").split(":", 1)[0]


def _reason(err: BaseException) -> str:
    if isinstance(err, TransientFailure | PermanentFailure):
        return err.reason
    if isinstance(err, TimeoutError):
        return "no answer"
    return str(err) or repr(err)


def _new_token() -> str:
    return uuid.uuid4().hex


class Dispatcher:
    """Plans, sends and recovers deliveries (see the module docstring).

    `stuck_after` is the lease length: how long a claim holds its rows
    without renewal before recovery may take them (`IPPO_RECOVER_AFTER_S`).
    `renew_every` (default a third of it) is how often a holder renews;
    `max_lookups` bounds the failed lookups of one delivery.
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
        self._stopping = False

    def stop_sending(self) -> None:
        """Shutting down: claim nothing more; each workspace finishes the send
        in hand and releases the rest of its claimed batch to pending (as when
        a pass's budget runs out), so nothing waits for crash recovery."""
        self._stopping = True

    def resume_sending(self) -> None:
        self._stopping = False

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

    # ----------------------------------------------------------------------- leases

    @asynccontextmanager
    async def _holding(
        self, batch: Sequence[Delivery], token: str, until: datetime, clock: _PassClock
    ) -> AsyncIterator[_Lease]:
        """The lease on a claimed batch, renewed in the background until the
        block ends (every row settled, or the pass given up)."""
        lease = _Lease(token, {d.id for d in batch}, until)
        keeper = asyncio.create_task(self._keep(lease, clock))
        try:
            yield lease
        finally:
            keeper.cancel()
            await asyncio.wait([keeper])

    async def _keep(self, lease: _Lease, clock: _PassClock) -> None:
        """Renew `lease` once `renew_every` has passed since it was last
        granted, for the rows it still holds, while it holds any."""
        every = self.renew_every
        due = lease.until - self.stuck_after + every
        while lease.held:
            await asyncio.sleep(max(0.0, (due - clock.now()).total_seconds()))
            ids = set(lease.held)
            if not ids:
                return
            until = clock.now() + self.stuck_after
            try:
                async with self.store.unit() as uow:
                    kept = await uow.deliveries.renew(ids, token=lease.token, lease_until=until)
            except Exception:
                log.warning("lease renewal failed; trying again", exc_info=True)
                due = clock.now() + every
                continue
            lease.until = until
            due = until - self.stuck_after + every
            lost = (ids - kept) & lease.held
            if lost:  # taken over after the lease ran out: theirs now
                lease.held -= lost
                log.warning("deliveries lost their lease", extra={"deliveries": sorted(lost)})

    def _still_holds(self, lease: _Lease, delivery: Delivery, clock: _PassClock) -> bool:
        """May the holder go on with `delivery`: it still holds it, with more
        than half a renewal interval of lease left (when renewals fail, the
        rows are left to recovery rather than sent on a lease running out)."""
        if lease.holds(delivery.id, clock.now() + self.renew_every / 2):
            return True
        lease.let_go(delivery.id)
        log.warning(
            "lease ran out; leaving the delivery to recovery", extra={"delivery": delivery.key}
        )
        return False

    # ----------------------------------------------------------------------- send

    async def send(self, now: datetime, *, budget_s: float = 20.0) -> SendReport:
        """Send what is due at `now` for up to `budget_s` seconds of wall time.

        Deliveries claimed but not reached when the budget runs out go back to
        pending untouched. A crash between claim and record leaves them
        SENDING under a lease nobody renews, for `recover`.
        """
        report = SendReport()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + budget_s
        clock = _PassClock(now, self.clock)
        held: dict[tuple[str, str], datetime] = {}  # workspaces told to slow down
        while loop.time() < deadline and not self._stopping:
            token = _new_token()
            until = clock.now() + self.stuck_after
            async with self.store.unit() as uow:
                batch = await uow.deliveries.claim(
                    now, self.batch_size, token=token, lease_until=until
                )
            if not batch:
                break
            report.claimed += len(batch)
            groups: dict[tuple[str, str], list[Delivery]] = {}
            for delivery in batch:
                groups.setdefault((delivery.to.platform, delivery.to.workspace), []).append(
                    delivery
                )
            async with (
                self._holding(batch, token, until, clock) as lease,
                asyncio.TaskGroup() as tasks,
            ):
                for group in groups.values():
                    tasks.create_task(self._send_group(group, lease, clock, deadline, held, report))
            if len(batch) < self.batch_size:
                break
        return report

    async def _send_group(
        self,
        group: Sequence[Delivery],
        lease: _Lease,
        clock: _PassClock,
        deadline: float,
        held: dict[tuple[str, str], datetime],
        report: SendReport,
    ) -> None:
        """One workspace's share of a batch, in order, one request at a time."""
        loop = asyncio.get_running_loop()
        for delivery in group:
            workspace = (delivery.to.platform, delivery.to.workspace)
            # An ambiguous error survives a postponement: the next attempt
            # must still look before it sends.
            ambiguous = _error_kind(delivery.error) in _AMBIGUOUS
            if not self._still_holds(lease, delivery, clock):
                report.lost += 1
            elif workspace in held:
                why = delivery.error if ambiguous else None
                await self._reschedule(
                    delivery, lease, held[workspace], why or f"{RATE_LIMITED}: workspace"
                )
                report.retried += 1
            elif loop.time() >= deadline or self._stopping:
                why = delivery.error if ambiguous else None
                await self._reschedule(
                    delivery, lease, delivery.not_before, why or f"{RELEASED}: send pass ended"
                )
                report.released += 1
            else:
                await self._send_one(delivery, lease, clock, held, report)

    async def _send_one(
        self,
        delivery: Delivery,
        lease: _Lease,
        clock: _PassClock,
        held: dict[tuple[str, str], datetime],
        report: SendReport,
    ) -> None:
        now = clock.start
        messenger = self.messengers.get(delivery.to.platform)
        if messenger is None:
            # Another instance (or a later start) may have this platform's
            # adapter: leave it for them rather than fail it.
            await self._reschedule(
                delivery,
                lease,
                now + self.no_messenger_delay,
                f"{RELEASED}: no {delivery.to.platform} messenger in this process",
            )
            log.warning("no messenger", extra={"platform": delivery.to.platform})
            report.retried += 1
            return
        if delivery.expires_at is not None and now >= delivery.expires_at:
            await self._finish(delivery, lease, DeliveryStatus.SKIPPED, "expired")
            report.skipped += 1
            return
        ready = await self._prepare(delivery, lease, now, report)
        if ready is None:
            return
        to = delivery.to
        ref: MessageRef | None = None
        if ready.edit is None and _error_kind(delivery.error) in _AMBIGUOUS:
            # The last attempt may have posted it: look before sending again.
            try:
                ref = await self._look_up(messenger, delivery, now - self.lookback)
            except Exception as err:
                wait = self._held_for(err)
                if wait is not None:
                    held[(to.platform, to.workspace)] = now + wait
                if await self._lookup_failed(delivery, lease, clock, err):
                    report.failed += 1
                else:
                    report.retried += 1
                return
        try:
            if not self._still_holds(lease, delivery, clock):  # checked last thing
                report.lost += 1
                return
            async with asyncio.timeout(self.send_timeout_s):
                if ready.edit is not None:
                    await messenger.update(ready.edit, ready.message)
                    ref = ready.edit
                elif ref is None:
                    ref = await messenger.send(to, ready.message, delivery_key=delivery.key)
        except TransientFailure as err:
            await self._transient(delivery, lease, now, err.reason, err.retry_after, held, report)
            return
        except TimeoutError:
            await self._transient(delivery, lease, now, f"{TIMEOUT}: no answer", None, held, report)
            return
        except PermanentFailure as err:
            await self._refused(delivery, lease, err)
            report.failed += 1
            return
        except DeliveryFailed as err:
            await self._transient(delivery, lease, now, str(err), None, held, report)
            return
        except Exception as err:  # an adapter bug must not wedge the row in SENDING
            log.exception("messenger failed", extra={"delivery": delivery.key})
            await self._transient(delivery, lease, now, repr(err), None, held, report)
            return
        await self._record(delivery, lease, ref, now)
        if ready.edit is not None:
            report.updated += 1
        else:
            report.sent += 1

    async def _prepare(
        self, delivery: Delivery, lease: _Lease, now: datetime, report: SendReport
    ) -> _Ready | None:
        """Compose in one short unit; settle on the spot what needs no network."""
        token = lease.token
        async with self.store.unit() as uow:
            reason = await self._not_applicable(uow, delivery)
            composer = self.work.composers.get(delivery.kind)
            if reason is None and composer is None:
                log.error("no composer", extra={"kind": delivery.kind})
                lease.let_go(delivery.id)
                await uow.deliveries.finish(
                    delivery.id,
                    DeliveryStatus.FAILED,
                    error=f"no composer for {delivery.kind}",
                    token=token,
                )
                report.failed += 1
                return None
            message = None
            if reason is None and composer is not None:
                message = await composer(self._ctx(uow, now), delivery)
                reason = None if message is not None else "no longer applies"
            if reason is not None or message is None:
                lease.let_go(delivery.id)
                await uow.deliveries.finish(
                    delivery.id,
                    DeliveryStatus.SKIPPED,
                    error=reason or "no longer applies",
                    token=token,
                )
                report.skipped += 1
                return None
            original = delivery.payload.get(UPDATE_OF)
            if original is None:
                return _Ready(message, None)
            target = await uow.deliveries.get(original)
            if target is not None and target.status in (
                DeliveryStatus.PENDING,
                DeliveryStatus.SENDING,
            ):
                lease.let_go(delivery.id)
                await uow.deliveries.reschedule(
                    delivery.id,
                    not_before=now + timedelta(minutes=1),
                    error=f"{RELEASED}: waiting for {original}",
                    token=token,
                )
                report.retried += 1
                return None
            if target is None or not target.message_id or not target.channel_id:
                lease.let_go(delivery.id)
                await uow.deliveries.finish(
                    delivery.id,
                    DeliveryStatus.SKIPPED,
                    error=f"{original} was never posted",
                    token=token,
                )
                report.skipped += 1
                return None
            edit = MessageRef(
                target.to.platform, target.to.workspace, target.channel_id, target.message_id
            )
            return _Ready(message, edit)

    async def _not_applicable(self, uow: Unit, delivery: Delivery) -> str | None:
        """Why a DM to a member must not go out, if it must not."""
        if delivery.member_id is None or not isinstance(delivery.to, UserRef):
            return None
        member = await uow.members.get_by_id(delivery.member_id)
        if member is None:
            return "member gone"
        if member.unreachable:
            return "member unreachable"
        return None

    async def _transient(
        self,
        delivery: Delivery,
        lease: _Lease,
        now: datetime,
        reason: str,
        retry_after: float | None,
        held: dict[tuple[str, str], datetime],
        report: SendReport,
    ) -> None:
        if retry_after is not None:
            wait = max(timedelta(seconds=retry_after), self.retry.min_delay)
            held[(delivery.to.platform, delivery.to.workspace)] = now + wait
            await self._reschedule(delivery, lease, now + wait, f"{RATE_LIMITED}: {reason}")
            report.retried += 1
            return
        if delivery.attempts >= self.retry.max_attempts:
            await self._finish(
                delivery,
                lease,
                DeliveryStatus.FAILED,
                f"gave up after {delivery.attempts} attempts: {reason}",
            )
            log.warning("delivery failed", extra={"delivery": delivery.key, "reason": reason})
            report.failed += 1
            return
        kind = TIMEOUT if reason.startswith(TIMEOUT) else TRANSIENT
        delay = max(self.retry.delay(delivery.attempts), self.retry.min_delay)
        text = reason if reason.startswith(TIMEOUT) else f"{kind}: {reason}"
        await self._reschedule(delivery, lease, now + delay, text)
        report.retried += 1

    async def _refused(self, delivery: Delivery, lease: _Lease, err: PermanentFailure) -> None:
        """A permanent refusal: FAILED for good, and the member marked
        unreachable so nothing is ever sent to them again."""
        lease.let_go(delivery.id)
        async with self.store.unit() as uow:
            await uow.deliveries.finish(
                delivery.id,
                DeliveryStatus.FAILED,
                error=f"refused: {err.reason}",
                token=lease.token,
            )
            if err.unreachable_member and delivery.member_id is not None:
                member = await uow.members.get_by_id(delivery.member_id)
                if member is not None and not member.unreachable:
                    await uow.members.save(replace(member, unreachable=True))
            handler = self.work.on_refused.get(delivery.kind)
            if handler is not None:
                await handler(self._ctx(uow, self.clock.now()), delivery, err)
        log.info("recipient refused", extra={"delivery": delivery.key, "reason": err.reason})

    async def _record(
        self, delivery: Delivery, lease: _Lease, ref: MessageRef, now: datetime
    ) -> None:
        """SENT, whoever holds the row now: the message is out."""
        lease.let_go(delivery.id)
        async with self.store.unit() as uow:
            await uow.deliveries.mark_sent(
                delivery.id, at=now, message_id=ref.message_id, channel_id=ref.channel_id
            )
            await self._remember_dm(uow, delivery, ref)

    async def _remember_dm(self, uow: Unit, delivery: Delivery, ref: MessageRef) -> None:
        """Keep the member's DM channel id: sending through it avoids opening DMs
        again (Discord watches how fast a bot opens them)."""
        if delivery.member_id is None or not isinstance(delivery.to, UserRef):
            return
        member: Member | None = await uow.members.get_by_id(delivery.member_id)
        if member is not None and member.dm_channel_id != ref.channel_id:
            await uow.members.save(replace(member, dm_channel_id=ref.channel_id))

    async def _reschedule(
        self, delivery: Delivery, lease: _Lease, not_before: datetime, error: str
    ) -> None:
        lease.let_go(delivery.id)
        async with self.store.unit() as uow:
            await uow.deliveries.reschedule(
                delivery.id, not_before=not_before, error=error, token=lease.token
            )

    async def _finish(
        self, delivery: Delivery, lease: _Lease, status: DeliveryStatus, error: str
    ) -> None:
        lease.let_go(delivery.id)
        async with self.store.unit() as uow:
            await uow.deliveries.finish(delivery.id, status, error=error, token=lease.token)

    # ----------------------------------------------------------------------- lookups

    async def _look_up(
        self, messenger: Messenger, delivery: Delivery, since: datetime
    ) -> MessageRef | None:
        """Ask the platform for the message carrying the delivery's key."""
        async with asyncio.timeout(self.send_timeout_s):
            return await messenger.find_delivered(delivery.to, delivery.key, since)

    def _held_for(self, err: BaseException) -> timedelta | None:
        """How long a failure asks the whole workspace to wait (a 429)."""
        if isinstance(err, TransientFailure) and err.retry_after is not None:
            return max(timedelta(seconds=err.retry_after), self.retry.min_delay)
        return None

    async def _lookup_failed(
        self, delivery: Delivery, lease: _Lease, clock: _PassClock, err: BaseException
    ) -> bool:
        """Count a failed lookup. Below the bound the row is handed to
        recovery, which looks again once the backoff has passed; at the bound
        it is FAILED. True if it gave up."""
        if not isinstance(err, DeliveryFailed | TimeoutError):  # an adapter bug
            log.error("lookup crashed", exc_info=err, extra={"delivery": delivery.key})
        reason = _reason(err)
        failures = delivery.lookup_failures + 1
        lease.let_go(delivery.id)
        if failures >= self.max_lookups:
            async with self.store.unit() as uow:
                await uow.deliveries.finish(
                    delivery.id,
                    DeliveryStatus.FAILED,
                    error=(
                        f"{LOOKUP_FAILED}: gave up after {failures} failed lookups; "
                        f"not sending blind: {reason}"
                    ),
                    token=lease.token,
                )
            log.warning(
                "delivery failed: its lookup kept failing",
                extra={"delivery": delivery.key, "reason": reason},
            )
            return True
        wait = max(self.retry.delay(failures), self.retry.min_delay)
        asked = self._held_for(err)
        if asked is not None:
            wait = max(wait, asked)
        async with self.store.unit() as uow:
            await uow.deliveries.defer_lookup(
                delivery.id,
                token=lease.token,
                until=clock.now() + wait,
                error=f"{LOOKUP_FAILED} ({failures} of {self.max_lookups}): {reason}",
            )
        log.warning(
            "lookup failed; looking again later",
            extra={"delivery": delivery.key, "reason": reason, "failures": failures},
        )
        return False

    def _since(self, delivery: Delivery, now: datetime) -> datetime:
        """Where a lookup starts: the claim, when it was the only attempt;
        otherwise an earlier attempt may have posted, so the lookback."""
        if delivery.attempts <= 1 and delivery.claimed_at is not None:
            return delivery.claimed_at - CLOCK_SKEW
        return now - self.lookback

    # ----------------------------------------------------------------------- recover

    async def recover(self, now: datetime) -> RecoverReport:
        """Resolve deliveries whose lease has run out (their holder crashed
        or stopped renewing), or whose lookup is due again."""
        report = RecoverReport()
        clock = _PassClock(now, self.clock)
        while True:
            token = _new_token()
            at = clock.now()
            until = at + self.stuck_after
            async with self.store.unit() as uow:
                batch = await uow.deliveries.take_expired(
                    at, self.batch_size, token=token, lease_until=until
                )
            if not batch:
                return report
            held: dict[tuple[str, str], datetime] = {}  # workspaces told to slow down
            async with self._holding(batch, token, until, clock) as lease:
                for delivery in batch:
                    await self._recover_one(delivery, lease, clock, held, report)
            if len(batch) < self.batch_size:
                return report

    async def _recover_one(
        self,
        delivery: Delivery,
        lease: _Lease,
        clock: _PassClock,
        held: dict[tuple[str, str], datetime],
        report: RecoverReport,
    ) -> None:
        to = delivery.to
        workspace = (to.platform, to.workspace)
        if not self._still_holds(lease, delivery, clock):
            report.unresolved += 1
            return
        messenger = self.messengers.get(to.platform)
        found: MessageRef | None = None
        if messenger is not None and UPDATE_OF not in delivery.payload:
            # An edit is safe to repeat; a post is looked for first.
            if workspace in held:
                lease.let_go(delivery.id)
                async with self.store.unit() as uow:
                    await uow.deliveries.defer_lookup(
                        delivery.id,
                        token=lease.token,
                        until=held[workspace],
                        error=f"{RATE_LIMITED}: lookup waits for the workspace",
                        failed=False,
                    )
                report.unresolved += 1
                return
            try:
                found = await self._look_up(messenger, delivery, self._since(delivery, clock.now()))
            except Exception as err:
                wait = self._held_for(err)
                if wait is not None:
                    held[workspace] = clock.now() + wait
                if await self._lookup_failed(delivery, lease, clock, err):
                    report.failed += 1
                else:
                    report.unresolved += 1
                return
        lease.let_go(delivery.id)
        async with self.store.unit() as uow:
            if found is not None:
                if await uow.deliveries.mark_sent(
                    delivery.id,
                    at=clock.start,
                    message_id=found.message_id,
                    channel_id=found.channel_id,
                    token=lease.token,
                ):
                    await self._remember_dm(uow, delivery, found)
                    report.found += 1
            elif await uow.deliveries.reschedule(
                delivery.id,
                not_before=clock.start,
                error=f"{RECOVERED}: not on the platform after its lease ran out; sending again",
                token=lease.token,
            ):
                report.resend += 1
