"""Settling a claimed delivery: composing it, and writing each outcome.

Every write that settles a row (sent, rescheduled, failed, skipped) lets go
of it in the lease first, so the lease keeper renews it no more. All but one
pass the claim's token, so they never settle a row someone else took over;
recording a send does not (the message is out, whoever holds the row now).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.delivery.leases import Lease
from bot.delivery.policy import (
    RATE_LIMITED,
    RELEASED,
    TIMEOUT,
    TRANSIENT,
    UPDATE_OF,
    RetryPolicy,
    SendReport,
)
from bot.delivery.recovery import remember_dm
from bot.model import Lang, Member, Message, MessageRef, UserRef
from bot.ports import Clock, Delivery, DeliveryStatus, PermanentFailure, Store, Unit
from bot.scheduled import ScheduledWork, WorkCtx

log = logging.getLogger(__name__)

WorkCtxFor = Callable[[Unit, datetime], WorkCtx]


@dataclass(frozen=True, slots=True)
class Ready:
    """A composed delivery, ready for the network."""

    message: Message
    edit: MessageRef | None  # set for "update_of" deliveries
    dm_channel: str | None = None  # the member's DM channel as read before composing


class Settler:
    """Composes claimed deliveries and records what became of them."""

    def __init__(
        self,
        *,
        store: Store,
        work: ScheduledWork,
        clock: Clock,
        retry: RetryPolicy,
        ctx: WorkCtxFor,
    ) -> None:
        self.store = store
        self.work = work
        self.clock = clock
        self.retry = retry
        self.ctx = ctx

    @staticmethod
    def lang_of(work: WorkCtx, member: Member | None) -> Lang:
        """The language of a composed message that did not say: its member's
        (as read before composing), else the deployment's default."""
        return member.lang if member is not None else work.config.default_lang

    async def _end(
        self, uow: Unit, lease: Lease, delivery: Delivery, status: DeliveryStatus, error: str
    ) -> None:
        """Settle a delivery that will not be sent (failed or skipped) and let
        its lease go."""
        lease.let_go(delivery.id)
        await uow.deliveries.finish(delivery.id, status, error=error, token=lease.token)

    async def prepare(
        self, delivery: Delivery, lease: Lease, now: datetime, report: SendReport
    ) -> Ready | None:
        """Compose in one short unit; settle on the spot what needs no network."""
        token = lease.token
        async with self.store.unit() as uow:
            members = uow.members
            member = await members.get_by_id(delivery.member_id) if delivery.member_id else None
            reason = self.not_applicable(delivery, member)
            composer = self.work.composers.get(delivery.kind)
            if reason is None and composer is None:
                log.error("no composer", extra={"kind": delivery.kind})
                await self._end(
                    uow, lease, delivery, DeliveryStatus.FAILED, f"no composer for {delivery.kind}"
                )
                report.failed += 1
                return None
            message = None
            if reason is None and composer is not None:
                work = self.ctx(uow, now)
                message = await composer(work, delivery)
                reason = None if message is not None else "no longer applies"
                if message is not None and message.lang is None:
                    message = replace(message, lang=self.lang_of(work, member))
            if reason is not None or message is None:
                await self._end(
                    uow, lease, delivery, DeliveryStatus.SKIPPED, reason or "no longer applies"
                )
                report.skipped += 1
                return None
            original = delivery.payload.get(UPDATE_OF)
            if original is None:
                return Ready(message, None, member.dm_channel_id if member else None)
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
                await self._end(
                    uow, lease, delivery, DeliveryStatus.SKIPPED, f"{original} was never posted"
                )
                report.skipped += 1
                return None
            edit = MessageRef(
                target.to.platform, target.to.workspace, target.channel_id, target.message_id
            )
            return Ready(message, edit)

    @staticmethod
    def not_applicable(delivery: Delivery, member: Member | None) -> str | None:
        """Why a DM to a member (`member`: as just read) must not go out, if it must not."""
        if delivery.member_id is None or not isinstance(delivery.to, UserRef):
            return None
        if member is None:
            return "member gone"
        if member.unreachable:
            return "member unreachable"
        return None

    async def transient(
        self,
        delivery: Delivery,
        lease: Lease,
        now: datetime,
        reason: str,
        retry_after: float | None,
        held: dict[tuple[str, str], datetime],
        report: SendReport,
    ) -> None:
        if retry_after is not None:
            wait = max(timedelta(seconds=retry_after), self.retry.min_delay)
            held[(delivery.to.platform, delivery.to.workspace)] = now + wait
            await self.reschedule(delivery, lease, now + wait, f"{RATE_LIMITED}: {reason}")
            report.retried += 1
            return
        if delivery.attempts >= self.retry.max_attempts:
            await self.finish(
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
        await self.reschedule(delivery, lease, now + delay, text)
        report.retried += 1

    async def refused(self, delivery: Delivery, lease: Lease, err: PermanentFailure) -> None:
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
                await handler(self.ctx(uow, self.clock.now()), delivery, err)
        log.info("recipient refused", extra={"delivery": delivery.key, "reason": err.reason})

    async def record(
        self,
        delivery: Delivery,
        lease: Lease,
        ref: MessageRef,
        now: datetime,
        dm_channel: str | None = None,
    ) -> None:
        """SENT, whoever holds the row now: the message is out. `dm_channel`:
        the member's DM channel as known before sending (nothing to remember
        when it is where the message landed)."""
        lease.let_go(delivery.id)
        async with self.store.unit() as uow:
            await uow.deliveries.mark_sent(
                delivery.id, at=now, message_id=ref.message_id, channel_id=ref.channel_id
            )
            if dm_channel is None or dm_channel != ref.channel_id:
                await remember_dm(uow, delivery, ref)

    async def reschedule(
        self, delivery: Delivery, lease: Lease, not_before: datetime, error: str
    ) -> None:
        lease.let_go(delivery.id)
        async with self.store.unit() as uow:
            await uow.deliveries.reschedule(
                delivery.id, not_before=not_before, error=error, token=lease.token
            )

    async def finish(
        self, delivery: Delivery, lease: Lease, status: DeliveryStatus, error: str
    ) -> None:
        async with self.store.unit() as uow:
            await self._end(uow, lease, delivery, status, error)
