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
  unit. Sends are paced per (platform, workspace) by a `Pacer`; a 429's
  Retry-After holds back that whole workspace for the rest of the pass.
  Transient failures retry with capped exponential backoff up to
  `RetryPolicy.max_attempts`; a permanent refusal fails the delivery and marks
  the member unreachable, never to be retried. Expired deliveries are skipped.
- **recover** resolves deliveries a crash left SENDING: if the platform has
  the message (`Messenger.find_delivered` with the delivery key) it is
  recorded as sent, otherwise it goes back to pending with the same key, so
  the resend is recognisable (Discord's nonce) or was proven absent (Slack).

A delivery whose payload has `"update_of": <key>` edits the message an
earlier delivery posted (`Messenger.update`) instead of posting a new one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

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
# attempt asks `find_delivered` before sending again.
RATE_LIMITED = "rate_limited"
TRANSIENT = "transient"
TIMEOUT = "timeout"
RELEASED = "released"
RECOVERED = "recovered"
# A recovered delivery is ambiguous too: with a short `stuck_after` its first
# send may still have been in flight when recovery looked.
_AMBIGUOUS = (TRANSIENT, TIMEOUT, RECOVERED)

MAX_PLAN_ROUNDS = 100_000  # a guard against a planner that never reports "done"


class Pacer(Protocol):
    """Waits until one more request may go to a platform workspace.

    Adapters supply real limits (e.g. aiolimiter buckets sized from the
    platform's published rates); the engine calls `wait` before every send,
    update or lookup.
    """

    async def wait(self, platform: Platform, workspace: str) -> None: ...


class NoPacing:
    """No pacing at all: for tests and the console."""

    async def wait(self, platform: Platform, workspace: str) -> None:
        return None


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


@dataclass(slots=True)
class RecoverReport:
    found: int = 0
    resend: int = 0
    unresolved: int = 0


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


def _error_kind(error: str | None) -> str:
    return (error or "").split(":", 1)[0]


class Dispatcher:
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
        pacer: Pacer | None = None,
        retry: RetryPolicy | None = None,
        batch_size: int = 50,
        stuck_after: timedelta = timedelta(minutes=5),
        lookback: timedelta = timedelta(days=2),
        send_timeout_s: float = 30.0,
        no_messenger_delay: timedelta = timedelta(minutes=10),
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.config = config
        self.messages = messages
        self.work = work
        self.messengers = dict(messengers)
        self.clock = clock
        self.pacer = pacer or NoPacing()
        self.retry = retry or RetryPolicy()
        self.batch_size = batch_size
        self.stuck_after = stuck_after
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

    # ----------------------------------------------------------------------- send

    async def send(self, now: datetime, *, budget_s: float = 20.0) -> SendReport:
        """Send what is due at `now` for up to `budget_s` seconds of wall time.

        Deliveries claimed but not reached when the budget runs out go back to
        pending untouched. A crash between claim and record leaves them
        SENDING, for `recover`.
        """
        report = SendReport()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + budget_s
        held: dict[tuple[str, str], datetime] = {}  # workspaces told to slow down
        while loop.time() < deadline and not self._stopping:
            async with self.store.unit() as uow:
                batch = await uow.deliveries.claim(now, self.batch_size)
            if not batch:
                break
            report.claimed += len(batch)
            groups: dict[tuple[str, str], list[Delivery]] = {}
            for delivery in batch:
                groups.setdefault((delivery.to.platform, delivery.to.workspace), []).append(
                    delivery
                )
            async with asyncio.TaskGroup() as tasks:
                for group in groups.values():
                    tasks.create_task(self._send_group(group, now, deadline, held, report))
            if len(batch) < self.batch_size:
                break
        return report

    async def _send_group(
        self,
        group: Sequence[Delivery],
        now: datetime,
        deadline: float,
        held: dict[tuple[str, str], datetime],
        report: SendReport,
    ) -> None:
        """One workspace's share of a batch, in order, one request at a time."""
        loop = asyncio.get_running_loop()
        for delivery in group:
            workspace = (delivery.to.platform, delivery.to.workspace)
            if workspace in held:
                await self._reschedule(delivery, held[workspace], f"{RATE_LIMITED}: workspace")
                report.retried += 1
            elif loop.time() >= deadline or self._stopping:
                keep = delivery.error if _error_kind(delivery.error) in _AMBIGUOUS else None
                await self._reschedule(
                    delivery, delivery.not_before, keep or f"{RELEASED}: send pass ended"
                )
                report.released += 1
            else:
                await self._send_one(delivery, now, held, report)

    async def _send_one(
        self,
        delivery: Delivery,
        now: datetime,
        held: dict[tuple[str, str], datetime],
        report: SendReport,
    ) -> None:
        messenger = self.messengers.get(delivery.to.platform)
        if messenger is None:
            # Another instance (or a later start) may have this platform's
            # adapter: leave it for them rather than fail it.
            await self._reschedule(
                delivery,
                now + self.no_messenger_delay,
                f"{RELEASED}: no {delivery.to.platform} messenger in this process",
            )
            log.warning("no messenger", extra={"platform": delivery.to.platform})
            report.retried += 1
            return
        if delivery.expires_at is not None and now >= delivery.expires_at:
            await self._finish(delivery, DeliveryStatus.SKIPPED, "expired")
            report.skipped += 1
            return
        ready = await self._prepare(delivery, now, report)
        if ready is None:
            return
        to = delivery.to
        try:
            ref: MessageRef | None = None
            if ready.edit is None and _error_kind(delivery.error) in _AMBIGUOUS:
                await self.pacer.wait(to.platform, to.workspace)
                ref = await messenger.find_delivered(to, delivery.key, now - self.lookback)
            await self.pacer.wait(to.platform, to.workspace)
            async with asyncio.timeout(self.send_timeout_s):
                if ready.edit is not None:
                    await messenger.update(ready.edit, ready.message)
                    ref = ready.edit
                elif ref is None:
                    ref = await messenger.send(to, ready.message, delivery_key=delivery.key)
        except TransientFailure as err:
            await self._transient(delivery, now, err.reason, err.retry_after, held, report)
            return
        except TimeoutError:
            await self._transient(delivery, now, f"{TIMEOUT}: no answer", None, held, report)
            return
        except PermanentFailure as err:
            await self._refused(delivery, err)
            report.failed += 1
            return
        except DeliveryFailed as err:
            await self._transient(delivery, now, str(err), None, held, report)
            return
        except Exception as err:  # an adapter bug must not wedge the row in SENDING
            log.exception("messenger failed", extra={"delivery": delivery.key})
            await self._transient(delivery, now, repr(err), None, held, report)
            return
        await self._record(delivery, ref, now)
        if ready.edit is not None:
            report.updated += 1
        else:
            report.sent += 1

    async def _prepare(
        self, delivery: Delivery, now: datetime, report: SendReport
    ) -> _Ready | None:
        """Compose in one short unit; settle on the spot what needs no network."""
        async with self.store.unit() as uow:
            reason = await self._not_applicable(uow, delivery)
            composer = self.work.composers.get(delivery.kind)
            if reason is None and composer is None:
                log.error("no composer", extra={"kind": delivery.kind})
                await uow.deliveries.finish(
                    delivery.id, DeliveryStatus.FAILED, error=f"no composer for {delivery.kind}"
                )
                report.failed += 1
                return None
            message = None
            if reason is None and composer is not None:
                message = await composer(self._ctx(uow, now), delivery)
                reason = None if message is not None else "no longer applies"
            if reason is not None or message is None:
                await uow.deliveries.finish(
                    delivery.id, DeliveryStatus.SKIPPED, error=reason or "no longer applies"
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
                await uow.deliveries.reschedule(
                    delivery.id,
                    not_before=now + timedelta(minutes=1),
                    error=f"{RELEASED}: waiting for {original}",
                )
                report.retried += 1
                return None
            if target is None or not target.message_id or not target.channel_id:
                await uow.deliveries.finish(
                    delivery.id, DeliveryStatus.SKIPPED, error=f"{original} was never posted"
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
        now: datetime,
        reason: str,
        retry_after: float | None,
        held: dict[tuple[str, str], datetime],
        report: SendReport,
    ) -> None:
        if retry_after is not None:
            wait = max(timedelta(seconds=retry_after), self.retry.min_delay)
            held[(delivery.to.platform, delivery.to.workspace)] = now + wait
            await self._reschedule(delivery, now + wait, f"{RATE_LIMITED}: {reason}")
            report.retried += 1
            return
        if delivery.attempts >= self.retry.max_attempts:
            await self._finish(
                delivery,
                DeliveryStatus.FAILED,
                f"gave up after {delivery.attempts} attempts: {reason}",
            )
            log.warning("delivery failed", extra={"delivery": delivery.key, "reason": reason})
            report.failed += 1
            return
        kind = TIMEOUT if reason.startswith(TIMEOUT) else TRANSIENT
        delay = max(self.retry.delay(delivery.attempts), self.retry.min_delay)
        text = reason if reason.startswith(TIMEOUT) else f"{kind}: {reason}"
        await self._reschedule(delivery, now + delay, text)
        report.retried += 1

    async def _refused(self, delivery: Delivery, err: PermanentFailure) -> None:
        """A permanent refusal: FAILED for good, and the member marked
        unreachable so nothing is ever sent to them again."""
        async with self.store.unit() as uow:
            await uow.deliveries.finish(
                delivery.id, DeliveryStatus.FAILED, error=f"refused: {err.reason}"
            )
            if err.unreachable_member and delivery.member_id is not None:
                member = await uow.members.get_by_id(delivery.member_id)
                if member is not None and not member.unreachable:
                    await uow.members.save(replace(member, unreachable=True))
        log.info("recipient refused", extra={"delivery": delivery.key, "reason": err.reason})

    async def _record(self, delivery: Delivery, ref: MessageRef, now: datetime) -> None:
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

    async def _reschedule(self, delivery: Delivery, not_before: datetime, error: str) -> None:
        async with self.store.unit() as uow:
            await uow.deliveries.reschedule(delivery.id, not_before=not_before, error=error)

    async def _finish(self, delivery: Delivery, status: DeliveryStatus, error: str) -> None:
        async with self.store.unit() as uow:
            await uow.deliveries.finish(delivery.id, status, error=error)

    # ----------------------------------------------------------------------- recover

    async def recover(self, now: datetime) -> RecoverReport:
        """Resolve deliveries left SENDING for longer than `stuck_after`."""
        report = RecoverReport()
        seen: set[int] = set()
        while True:
            async with self.store.unit() as uow:
                stuck = [
                    d
                    for d in await uow.deliveries.stuck(now - self.stuck_after, self.batch_size)
                    if d.id not in seen
                ]
            if not stuck:
                return report
            for delivery in stuck:
                seen.add(delivery.id)
                await self._recover_one(delivery, now, report)

    async def _recover_one(self, delivery: Delivery, now: datetime, report: RecoverReport) -> None:
        messenger = self.messengers.get(delivery.to.platform)
        found: MessageRef | None = None
        if messenger is not None and UPDATE_OF not in delivery.payload:
            # An edit is safe to repeat; a post is looked for first.
            since = delivery.claimed_at or now - self.lookback
            try:
                await self.pacer.wait(delivery.to.platform, delivery.to.workspace)
                async with asyncio.timeout(self.send_timeout_s):
                    found = await messenger.find_delivered(delivery.to, delivery.key, since)
            except (DeliveryFailed, TimeoutError):
                log.warning("recovery lookup failed", extra={"delivery": delivery.key})
                report.unresolved += 1
                return
        async with self.store.unit() as uow:
            current = await uow.deliveries.get(delivery.key)
            if (
                current is None
                or current.status != DeliveryStatus.SENDING
                or current.claimed_at != delivery.claimed_at
            ):
                return  # resolved meanwhile (another instance)
            if found is not None:
                await uow.deliveries.mark_sent(
                    delivery.id, at=now, message_id=found.message_id, channel_id=found.channel_id
                )
                await self._remember_dm(uow, delivery, found)
                report.found += 1
            else:
                await uow.deliveries.reschedule(
                    delivery.id,
                    not_before=now,
                    error=f"{RECOVERED}: not on the platform after a crash; sending again",
                )
                report.resend += 1
