"""Recovery, and the "was it posted?" lookups it shares with the sender.

**recover** resolves deliveries whose holder stopped renewing its lease (a
crash, a hung process): if the platform has the message
(`Messenger.find_delivered` with the delivery key) it is recorded as sent,
otherwise it goes back to pending with the same key, so the resend is
recognisable (Discord's nonce) or was proven absent (Slack).

**Lookups are bounded.** A lookup that fails (an error, a timeout, a 429) is
counted on the row (`lookup_failures`); the row is handed back, still
SENDING and held by nobody, with its lease running out after the retry
backoff (`RetryPolicy.delay`, at least any Retry-After), so recovery looks
again then, never in a tight loop. After `max_lookups` failures
(`MAX_LOOKUP_FAILURES`) the delivery is FAILED with the reason: a message
that may already be on the platform is never sent blind. The same holds for
the lookup a retry makes after an ambiguous failure (a timeout may have
posted).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from bot.delivery.leases import Lease, LeaseKeeper, PassClock, new_token
from bot.delivery.policy import (
    CLOCK_SKEW,
    LOOKUP_FAILED,
    RATE_LIMITED,
    RECOVERED,
    UPDATE_OF,
    RecoverReport,
    RetryPolicy,
    reason_of,
)
from bot.metrics import Metrics
from bot.model import Member, MessageRef, Platform, UserRef
from bot.ports import (
    Clock,
    Delivery,
    DeliveryFailed,
    DeliveryStatus,
    Messenger,
    Store,
    TransientFailure,
    Unit,
)

log = logging.getLogger(__name__)


async def remember_dm(uow: Unit, delivery: Delivery, ref: MessageRef) -> None:
    """Keep the member's DM channel id: sending through it avoids opening DMs
    again (Discord watches how fast a bot opens them)."""
    if delivery.member_id is None or not isinstance(delivery.to, UserRef):
        return
    member: Member | None = await uow.members.get_by_id(delivery.member_id)
    if member is not None and member.dm_channel_id != ref.channel_id:
        await uow.members.save(replace(member, dm_channel_id=ref.channel_id))


class Recovery:
    """Looks deliveries up on their platform and recovers expired leases.

    `messengers` is the Dispatcher's own mapping (shared, not copied), so a
    messenger added to the Dispatcher is used here too.
    """

    def __init__(
        self,
        *,
        store: Store,
        messengers: Mapping[Platform, Messenger],
        clock: Clock,
        leases: LeaseKeeper,
        retry: RetryPolicy,
        batch_size: int,
        max_lookups: int,
        lookback: timedelta,
        send_timeout_s: float,
        metrics: Metrics,
    ) -> None:
        self.store = store
        self.messengers = messengers
        self.clock = clock
        self.leases = leases
        self.retry = retry
        self.batch_size = batch_size
        self.max_lookups = max_lookups
        self.lookback = lookback
        self.send_timeout_s = send_timeout_s
        self.metrics = metrics

    # ----------------------------------------------------------------------- lookups

    async def look_up(
        self, messenger: Messenger, delivery: Delivery, since: datetime
    ) -> MessageRef | None:
        """Ask the platform for the message carrying the delivery's key."""
        async with asyncio.timeout(self.send_timeout_s):
            return await messenger.find_delivered(delivery.to, delivery.key, since)

    def held_for(self, err: BaseException) -> timedelta | None:
        """How long a failure asks the whole workspace to wait (a 429)."""
        if isinstance(err, TransientFailure) and err.retry_after is not None:
            return max(timedelta(seconds=err.retry_after), self.retry.min_delay)
        return None

    async def lookup_failed(
        self, delivery: Delivery, lease: Lease, clock: PassClock, err: BaseException
    ) -> bool:
        """Count a failed lookup. Below the bound the row is handed to
        recovery, which looks again once the backoff has passed; at the bound
        it is FAILED. True if it gave up."""
        if not isinstance(err, DeliveryFailed | TimeoutError):  # an adapter bug
            log.error("lookup crashed", exc_info=err, extra={"delivery": delivery.key})
        reason = reason_of(err)
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
        asked = self.held_for(err)
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

    def since(self, delivery: Delivery, now: datetime) -> datetime:
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
        clock = PassClock(now, self.clock)
        while True:
            token = new_token()
            at = clock.now()
            until = at + self.leases.stuck_after
            async with self.store.unit() as uow:
                batch = await uow.deliveries.take_expired(
                    at, self.batch_size, token=token, lease_until=until
                )
            if not batch:
                return report
            held: dict[tuple[str, str], datetime] = {}  # workspaces told to slow down
            async with self.leases.holding(batch, token, until, clock) as lease:
                for delivery in batch:
                    await self._recover_one(delivery, lease, clock, held, report)
            if len(batch) < self.batch_size:
                return report

    async def _recover_one(
        self,
        delivery: Delivery,
        lease: Lease,
        clock: PassClock,
        held: dict[tuple[str, str], datetime],
        report: RecoverReport,
    ) -> None:
        to = delivery.to
        workspace = (to.platform, to.workspace)
        if not self.leases.still_holds(lease, delivery, clock):
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
                found = await self.look_up(messenger, delivery, self.since(delivery, clock.now()))
            except Exception as err:
                wait = self.held_for(err)
                if wait is not None:
                    held[workspace] = clock.now() + wait
                    self.metrics.rate_limited(to.platform)
                if await self.lookup_failed(delivery, lease, clock, err):
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
                    await remember_dm(uow, delivery, found)
                    report.found += 1
            elif await uow.deliveries.reschedule(
                delivery.id,
                not_before=clock.start,
                error=f"{RECOVERED}: not on the platform after its lease ran out; sending again",
                token=lease.token,
            ):
                report.resend += 1
