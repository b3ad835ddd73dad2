"""What the delivery engine records and how long it waits: the error
prefixes a delivery carries, the retry policy, the bounds, and the reports
a pass returns.

Transient failures retry with capped exponential backoff up to
`RetryPolicy.max_attempts`; a permanent refusal fails the delivery and marks
the member unreachable, never to be retried. Expired deliveries are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.ports import PermanentFailure, TransientFailure

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
AMBIGUOUS = (TRANSIENT, TIMEOUT)

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


def error_kind(error: str | None) -> str:
    """The prefix of a recorded error (`RATE_LIMITED`, `TRANSIENT`, ...)."""
    return (error or "").split(":", 1)[0]


def reason_of(err: BaseException) -> str:
    """A failure's reason, as recorded on the delivery."""
    if isinstance(err, TransientFailure | PermanentFailure):
        return err.reason
    if isinstance(err, TimeoutError):
        return "no answer"
    return str(err) or repr(err)
