"""The metrics port: what the core and the adapters count, with no metrics
library behind it.

The Dispatcher reports each send's outcome and how long the platform took;
the adapters report how long an acknowledgement took. `adapters.runtime.metrics`
implements the port with prometheus-client; `NoMetrics` (the default) counts
nothing, so tests and `ippo tick` need no registry.

Labels stay few and bounded: a platform name, a delivery kind (each feature
declares its own), and a failure reason from `FailureReason`, never a
platform's free-text error.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class FailureReason(StrEnum):
    """Why one send attempt failed (the label of the failure counter)."""

    RATE_LIMITED = "rate_limited"  # a 429 with Retry-After: retried later
    TRANSIENT = "transient"  # a 5xx, a dropped connection: retried with backoff
    TIMEOUT = "timeout"  # no answer in time: looked up before the next try
    REFUSED = "refused"  # a permanent refusal: FAILED, never retried
    ERROR = "error"  # the messenger raised something unexpected (a bug)


class Metrics(Protocol):
    """What ippo counts (see the module docstring). Every method is cheap and
    never raises: counting must not fail a send."""

    def sent(self, platform: str, kind: str) -> None:
        """A delivery of `kind` was posted or edited on `platform`."""
        ...

    def failed(self, platform: str, reason: FailureReason) -> None:
        """One send attempt failed (it may be retried)."""
        ...

    def rate_limited(self, platform: str) -> None:
        """The platform answered 429 (a send or a lookup)."""
        ...

    def send_latency(self, platform: str, seconds: float) -> None:
        """How long one send took, pacing waits included."""
        ...

    def ack_latency(self, platform: str, seconds: float) -> None:
        """How long an incoming request waited for its acknowledgement."""
        ...


class NoMetrics:
    """The `Metrics` that counts nothing (the default)."""

    __slots__ = ()

    def sent(self, platform: str, kind: str) -> None:
        return None

    def failed(self, platform: str, reason: FailureReason) -> None:
        return None

    def rate_limited(self, platform: str) -> None:
        return None

    def send_latency(self, platform: str, seconds: float) -> None:
        return None

    def ack_latency(self, platform: str, seconds: float) -> None:
        return None
