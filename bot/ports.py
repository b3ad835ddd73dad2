"""What the core needs from the outside world, as Protocols.

The store is a unit of work: `async with store.unit() as uow:` opens one
transaction, repositories hang off `uow`, and leaving the block commits (or
rolls back on an exception). One interaction is one unit, so a failure never
leaves a half-written record.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from bot.model import (
    Destination,
    EntryKind,
    JourneyEntry,
    Lang,
    Member,
    Message,
    MessageRef,
    Platform,
    UserRef,
)

if TYPE_CHECKING:  # bot.features.sessions.ports imports this module's Delivery
    from bot.features.coffee.ports import CoffeeRepo
    from bot.features.nudges.ports import DueGroup, GroupPlan, MemberSet
    from bot.features.sessions.ports import SessionRepo

# --------------------------------------------------------------------------- clock


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


# --------------------------------------------------------------------------- messenger


class DeliveryFailed(Exception):
    """Base of the errors a Messenger raises when a send does not go through."""


class TransientFailure(DeliveryFailed):
    """Try again later (429, 5xx, timeout). `retry_after` in seconds when the
    platform said so."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class PermanentFailure(DeliveryFailed):
    """Never retry: user gone, DMs closed (Discord 50007), channel not found.
    `unreachable_member` is True when the recipient member should be marked
    unreachable (as opposed to, say, a deleted channel). `no_access` is True
    when the bot may not post in a channel (Slack `not_in_channel`, Discord
    Missing Access): someone can fix that by inviting the bot, so the feature
    that posted is told (`ScheduledWork.on_refused`)."""

    def __init__(
        self, reason: str, *, unreachable_member: bool = True, no_access: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unreachable_member = unreachable_member
        self.no_access = no_access


class Messenger(Protocol):
    """Sends messages on one platform. Adapters implement it."""

    platform: Platform

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        """Post `message` to a member's DM (UserRef) or a channel (ChannelRef).

        `delivery_key` identifies a scheduled delivery: the adapter attaches it
        (Slack message metadata, Discord nonce with enforce_nonce) so a resend
        after a crash can be recognised. Raises TransientFailure/PermanentFailure.
        """
        ...

    async def update(self, ref: MessageRef, message: Message) -> None:
        """Replace a message ippo posted earlier (announcements after an edit)."""
        ...

    async def find_delivered(
        self, to: Destination, delivery_key: str, since: datetime
    ) -> MessageRef | None:
        """Crash recovery: the message carrying `delivery_key` if the platform
        already has it, else None. Adapters whose send is idempotent by key
        (Discord nonce within its window) may return None and rely on that."""
        ...


# --------------------------------------------------------------------------- deliveries


DEFAULT_LEASE = timedelta(minutes=5)
"""How long a claim holds a delivery when the claimer names no lease."""


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class NewDelivery:
    """One message to send later. `key` is unique across all deliveries
    (e.g. "nudge:42:2026-W48"): adding an existing key inserts nothing."""

    key: str
    kind: str  # "nudge", "followup", "announce", "reminder", ...
    to: Destination
    not_before: datetime
    expires_at: datetime | None = None  # skipped, not sent, after this
    member_id: int | None = None
    payload: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    key: str
    kind: str
    to: Destination
    status: DeliveryStatus
    not_before: datetime
    expires_at: datetime | None
    member_id: int | None
    payload: Mapping[str, str]
    attempts: int = 0
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    message_id: str | None = None  # platform id once sent
    channel_id: str | None = None  # where it landed (DM channel id for members)
    error: str | None = None
    # SENDING is a lease: the holder's token and when the lease runs out
    # unless renewed. Failed "was it posted?" lookups, in all.
    lease_until: datetime | None = None
    claim_token: str | None = None
    lookup_failures: int = 0


# --------------------------------------------------------------------------- repositories


class MemberRepo(Protocol):
    async def get(self, user: UserRef) -> Member | None: ...

    async def get_by_id(self, member_id: int) -> Member | None: ...

    async def create(
        self, user: UserRef, *, lang: Lang, tz: str, display_name: str, now: datetime
    ) -> Member:
        """Create the member, or return the existing one if the user already has one."""
        ...

    async def save(self, member: Member) -> Member:
        """Write every mutable field of `member` (matched by id) and return it.
        Raises LookupError for an unknown id."""
        ...

    async def save_many(self, members: Sequence[Member]) -> None:
        """`save` for a batch, in a few statements (planning thousands at once)."""
        ...

    async def delete(self, member_id: int) -> None:
        """Delete the member and everything about them (journey, notes,
        deliveries addressed to them, RSVPs)."""
        ...

    async def due_for_nudge(self, now: datetime, limit: int) -> Sequence[Member]:
        """Members with nudges enabled, reachable, and `next_nudge_at <= now`,
        oldest first. On PostgreSQL the rows are locked (FOR UPDATE SKIP
        LOCKED) so concurrent planners take disjoint sets."""
        ...

    async def due_nudge_runs(self, now: datetime, limit: int, *, per: int) -> Sequence[MemberSet]:
        """The `limit` members `due_for_nudge` would return, in runs of `per`
        consecutive ids; not locked (read from the due index alone)."""
        ...

    async def due_nudge_groups(self, now: datetime, run: MemberSet) -> Sequence[DueGroup]:
        """Those of `run` still due, grouped by their slot; locked like
        `due_for_nudge` (a row another planner holds is left out)."""
        ...

    async def advance_nudge_groups(self, kind: str, plans: Sequence[GroupPlan]) -> int:
        """Apply each plan to its group's members (bot.features.nudges.ports
        `GroupPlan`) in set-based statements: nothing else of a member
        changes. Returns how many deliveries were inserted."""
        ...

    async def count(self) -> int: ...

    async def of_person(self, platform: Platform, user_id: str) -> Sequence[Member]:
        """Every member of one platform user id, across workspaces, the most
        recently seen first (then the newest)."""
        ...

    async def move(self, member_id: int, user: UserRef) -> Member:
        """Give the member a new identity (the same person met in another
        workspace), keeping their journey and schedule. Raises LookupError
        if the member is gone or `user` already has a member."""
        ...

    async def seen(self, member_id: int, at: datetime) -> None:
        """Record the member's latest interaction."""
        ...


class JourneyRepo(Protocol):
    async def add(
        self,
        member_id: int,
        kind: EntryKind,
        at: datetime,
        *,
        step_id: str | None = None,
        text: str | None = None,
        note: str | None = None,
    ) -> JourneyEntry: ...

    async def list(
        self, member_id: int, *, since: datetime | None = None
    ) -> Sequence[JourneyEntry]:
        """The member's entries, oldest first."""
        ...

    async def delete_entry(self, member_id: int, entry_id: int) -> bool:
        """Delete one of the member's own entries; False if no such entry of theirs."""
        ...


class DeliveryRepo(Protocol):
    async def recipient_of(self, message: MessageRef) -> int | None:
        """The member a sent DM delivery was addressed to, found by the posted
        message's platform, channel and id; None for any other message."""
        ...

    async def add(self, delivery: NewDelivery) -> bool:
        """Insert unless the key exists; True if inserted."""
        ...

    async def add_many(self, deliveries: Sequence[NewDelivery]) -> set[str]:
        """`add` for a batch; returns the keys actually inserted."""
        ...

    async def claim(
        self,
        now: datetime,
        limit: int,
        *,
        token: str | None = None,
        lease_until: datetime | None = None,
    ) -> Sequence[Delivery]:
        """Mark up to `limit` pending deliveries with `not_before <= now` as
        SENDING (attempts += 1, claimed_at = now) under a lease held by
        `token` (a fresh one if None) until `lease_until` (default `now +
        DEFAULT_LEASE`), and return them. On PostgreSQL uses FOR UPDATE SKIP
        LOCKED so instances claim disjoint rows."""
        ...

    async def renew(
        self, delivery_ids: Collection[int], *, token: str, lease_until: datetime
    ) -> set[int]:
        """Extend to `lease_until` the lease of those deliveries still SENDING
        under `token`; returns their ids. A row someone else took (recovery
        after the lease ran out) keeps its new holder."""
        ...

    async def mark_sent(
        self,
        delivery_id: int,
        *,
        at: datetime,
        message_id: str,
        channel_id: str,
        token: str | None = None,
    ) -> bool:
        """SENT, and the lease ends. With `token`, only while that claim still
        holds the delivery (False otherwise); without, unconditionally (the
        message is out, whoever holds the row)."""
        ...

    async def reschedule(
        self, delivery_id: int, *, not_before: datetime, error: str, token: str | None = None
    ) -> bool:
        """Back to PENDING after a transient failure; the lease ends. With
        `token`, only while that claim still holds the delivery (False
        otherwise)."""
        ...

    async def finish(
        self, delivery_id: int, status: DeliveryStatus, *, error: str, token: str | None = None
    ) -> bool:
        """FAILED or SKIPPED, for good; the lease ends. With `token`, only
        while that claim still holds the delivery (False otherwise)."""
        ...

    async def defer_lookup(
        self, delivery_id: int, *, token: str, until: datetime, error: str, failed: bool = True
    ) -> bool:
        """Give back a SENDING delivery whose lookup ("was it posted?") could
        not be done: it stays SENDING, held by nobody, its lease running out at
        `until` so recovery looks again then; `failed` adds one to
        `lookup_failures`. Only while `token` holds it (False otherwise)."""
        ...

    async def take_expired(
        self, now: datetime, limit: int, *, token: str, lease_until: datetime
    ) -> Sequence[Delivery]:
        """Recovery: lease to `token` until `lease_until` up to `limit`
        SENDING deliveries whose lease ran out by `now` (a crashed or stalled
        holder, or a lookup to try again), oldest lease first. Locked like
        `claim` on PostgreSQL. `claimed_at` and `attempts` are kept."""
        ...

    async def stuck(self, expired_by: datetime, limit: int) -> Sequence[Delivery]:
        """SENDING deliveries whose lease ran out by `expired_by` (read only)."""
        ...

    async def get(self, key: str) -> Delivery | None: ...

    async def for_member(self, member_id: int) -> Sequence[Delivery]: ...

    async def cancel_pending(self, *, key_prefix: str) -> int:
        """SKIP every PENDING delivery whose key starts with `key_prefix`."""
        ...


class Unit(Protocol):
    """One transaction's view of the store."""

    members: MemberRepo
    journey: JourneyRepo
    deliveries: DeliveryRepo
    sessions: SessionRepo
    coffee: CoffeeRepo


class Store(Protocol):
    def unit(self) -> AbstractAsyncContextManager[Unit]:
        """Open a transaction; commit on normal exit, roll back on exception."""
        ...


# --------------------------------------------------------------------------- replays


class RequestLedger(Protocol):
    """Platform requests already taken, shared by every instance.

    The adapters (not the core) key each incoming request — a Slack request by
    its signature and timestamp, a Slack event by its `event_id`, a Discord
    interaction by its id — and handle it only when `first_time` says so, so a
    replay or a retry is handled at most once however many instances run.
    """

    async def first_time(self, key: str, *, keep: timedelta) -> bool:
        """Remember `key` for `keep` from now. True for the one caller that
        remembered it first (atomically, across instances); False while it is
        remembered. A key whose time has passed counts as new again."""
        ...
