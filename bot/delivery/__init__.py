"""The delivery engine: plan, send and recover scheduled messages.

- `engine`: the `Dispatcher` (tick, plan, send), the entry point;
- `policy`: error prefixes, `RetryPolicy`, bounds, and the pass reports;
- `leases`: claims as leases, their clock and renewal;
- `settle`: composing a claimed delivery and recording its outcome;
- `pacing`: lanes and sends in flight per workspace, waits for a messenger's window;
- `recovery`: expired leases resolved, and the bounded "was it posted?" lookups.

Everything callers use is re-exported here: `from bot.delivery import Dispatcher`.
"""

from bot.delivery.engine import Dispatcher
from bot.delivery.policy import (
    CLOCK_SKEW,
    LEASE_RENEWALS,
    LOOKUP_FAILED,
    MAX_LOOKUP_FAILURES,
    MAX_PLAN_ROUNDS,
    RATE_LIMITED,
    RECOVERED,
    RELEASED,
    TIMEOUT,
    TRANSIENT,
    UPDATE_OF,
    RecoverReport,
    RetryPolicy,
    SendReport,
    TickReport,
)

__all__ = [
    "CLOCK_SKEW",
    "LEASE_RENEWALS",
    "LOOKUP_FAILED",
    "MAX_LOOKUP_FAILURES",
    "MAX_PLAN_ROUNDS",
    "RATE_LIMITED",
    "RECOVERED",
    "RELEASED",
    "TIMEOUT",
    "TRANSIENT",
    "UPDATE_OF",
    "Dispatcher",
    "RecoverReport",
    "RetryPolicy",
    "SendReport",
    "TickReport",
]
