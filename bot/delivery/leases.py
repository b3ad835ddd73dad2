"""Claims are leases: the lease clock, what one claim holds, and its renewal.

A claim marks its rows SENDING under a fresh token (`claim_token`) until
`lease_until` = claim time + `stuck_after` (`IPPO_RECOVER_AFTER_S`). While a
batch is in hand, a background task renews the lease of the rows not yet
settled every `renew_every` (a third of the lease by default,
`LEASE_RENEWALS`), only where the token is still theirs, so a renewal never
takes back a row someone else took over. Every write that settles a row
(sent, rescheduled, failed, skipped) ends its lease. The sender sends a row
only while its own reckoning says the lease has more than half of
`renew_every` left; when renewals fail (the database is away) it stops and
leaves the rows to recovery. Recovery takes only rows whose lease has run out
(`DeliveryRepo.take_expired`), under a lease of its own, so a slow batch is
never taken from a live sender and two recovering instances never look up
the same row. Leases are reckoned in real time: a pass's `now` moved on by
the wall time since the pass began, or the clock's time if later
(`PassClock`).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.ports import Clock, Delivery, Store

log = logging.getLogger(__name__)


class PassClock:
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
class Lease:
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


def new_token() -> str:
    return uuid.uuid4().hex


class LeaseKeeper:
    """Holds claimed batches: renews their leases in the background and says
    whether a holder may still go on with a row.

    `stuck_after` is the lease length, `renew_every` how often a holder
    renews (shorter than the lease).
    """

    __slots__ = ("renew_every", "store", "stuck_after")

    def __init__(self, *, store: Store, stuck_after: timedelta, renew_every: timedelta) -> None:
        self.store = store
        self.stuck_after = stuck_after
        self.renew_every = renew_every

    @asynccontextmanager
    async def holding(
        self, batch: Sequence[Delivery], token: str, until: datetime, clock: PassClock
    ) -> AsyncIterator[Lease]:
        """The lease on a claimed batch, renewed in the background until the
        block ends (every row settled, or the pass given up)."""
        lease = Lease(token, {d.id for d in batch}, until)
        keeper = asyncio.create_task(self._keep(lease, clock))
        try:
            yield lease
        finally:
            keeper.cancel()
            await asyncio.wait([keeper])

    async def _keep(self, lease: Lease, clock: PassClock) -> None:
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

    def still_holds(self, lease: Lease, delivery: Delivery, clock: PassClock) -> bool:
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
