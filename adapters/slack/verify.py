"""Who may talk to ippo over HTTP, and only once: Slack request verification
with replay protection, in front of everything Bolt does after its SSL check.

Slack signs each request: `X-Slack-Signature` is ``v0=`` and the HMAC-SHA256
of ``v0:{X-Slack-Request-Timestamp}:{body}`` under the signing secret, and a
request whose timestamp is more than five minutes from our clock is refused.
`SlackRequestGate` replaces Bolt's own check (the adapter turns that off)
because Bolt's
- answers 500 with a traceback when the timestamp is not an integer
  (slack_sdk calls ``int()`` on it), and
- logs the whole request body when a signature does not match.

The gate answers 401 ``{"error": "invalid request"}`` to anything malformed,
stale or wrongly signed, and logs the reason only (never the body, the
signature or the secret). A request that passes is then remembered in the
`RequestLedger` by its signature and timestamp: the same bytes sent again —
an attacker's replay within the five minutes, or a resend marked
`X-Slack-Retry-Num` — are acknowledged with 200 and an empty body and
change nothing. Socket Mode requests carry no signature and skip the gate.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from enum import Enum

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import Clock as SignatureClock
from slack_sdk.signature import SignatureVerifier

from adapters.runtime.ledger import SLACK_REQUEST_KEEP
from bot.ports import RequestLedger

log = logging.getLogger(__name__)

# ASCII digits only (str.isdigit and int() accept other scripts, signs,
# underscores and spaces); 12 digits reach the year 33658.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
TIMESTAMP_HEADER = "x-slack-request-timestamp"
SIGNATURE_HEADER = "x-slack-signature"


class Verdict(Enum):
    FIRST = "first"  # verified and never seen: handle it
    REPLAY = "replay"  # verified, already taken: acknowledge, change nothing
    REFUSED = "refused"  # malformed, stale or not signed by Slack: 401


def refused() -> BoltResponse:
    """The answer to a request Slack did not sign (Bolt's own wording)."""
    return BoltResponse(status=401, body={"error": "invalid request"})


def acknowledged() -> BoltResponse:
    """The answer to a replay: 200 and nothing new."""
    return BoltResponse(status=200, body="")


def request_key(timestamp: str, signature: str) -> str:
    """The ledger key of a verified request: a digest of its timestamp and
    signature (the signature covers the timestamp and the body)."""
    digest = hashlib.sha256(f"{timestamp}:{signature}".encode("ascii")).hexdigest()
    return f"slack:request:{digest}"


def _first(headers: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None


class SlackRequestGate(AsyncMiddleware):
    """Bolt middleware (install it as the app's `before_authorize`, with
    `request_verification_enabled=False`): verify, then let through once."""

    def __init__(
        self,
        *,
        signing_secret: str,
        ledger: RequestLedger,
        clock: SignatureClock | None = None,
    ) -> None:
        self._verifier = SignatureVerifier(signing_secret, clock or SignatureClock())
        self._ledger = ledger

    def verified(self, timestamp: str | None, signature: str | None, body: str | bytes) -> bool:
        """Slack's signature check, after making sure slack_sdk gets nothing
        it could raise on: a timestamp of ASCII digits, a ``v0=`` hex digest."""
        if timestamp is None or not _TIMESTAMP.fullmatch(timestamp):
            log.info("slack request refused: malformed or missing timestamp")
            return False
        if signature is None or not _SIGNATURE.fullmatch(signature):
            log.info("slack request refused: malformed or missing signature")
            return False
        if not self._verifier.is_valid(body, timestamp, signature):
            log.info("slack request refused: stale timestamp or wrong signature")
            return False
        return True

    async def verdict(
        self, timestamp: str | None, signature: str | None, body: str | bytes
    ) -> Verdict:
        if not self.verified(timestamp, signature, body):
            return Verdict.REFUSED
        assert timestamp is not None and signature is not None  # verified
        key = request_key(timestamp, signature)
        if await self._ledger.first_time(key, keep=SLACK_REQUEST_KEEP):
            return Verdict.FIRST
        log.info("slack request replayed: acknowledged and ignored")
        return Verdict.REPLAY

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        if req.mode == "socket_mode":  # no signature over a socket we opened
            await next()
            return resp
        verdict = await self.verdict(
            _first(req.headers, TIMESTAMP_HEADER),
            _first(req.headers, SIGNATURE_HEADER),
            req.raw_body,
        )
        match verdict:
            case Verdict.FIRST:
                await next()
                return resp
            case Verdict.REPLAY:
                return acknowledged()
            case Verdict.REFUSED:
                return refused()
