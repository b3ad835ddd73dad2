"""What `storage.deliveries` builds its statements from: rows <-> `bot.ports.Delivery`,
the PostgreSQL batch insert, and the lease conditions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, assert_never, cast

from sqlalchemy import ColumnElement, Table, and_, func, or_, text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.model import ChannelRef, Destination, GroupRef, UserRef, split_members
from bot.ports import DEFAULT_LEASE, Delivery, DeliveryStatus
from storage.tables import DeliveryRow

__all__ = [
    "NO_LEASE",
    "PG_ADD_MANY",
    "delivery_from_row",
    "destination_from_row",
    "destination_values",
    "held_by",
    "json_datetimes",
    "lease_end",
    "lease_expired",
    "memoized",
]

_deliveries = cast(Table, DeliveryRow.__table__)


def destination_from_row(row: Row[Any]) -> Destination:
    if row.to_kind == "user":
        return UserRef(platform=row.to_platform, workspace=row.to_workspace, id=row.to_id)
    if row.to_kind == "channel":
        return ChannelRef(platform=row.to_platform, workspace=row.to_workspace, id=row.to_id)
    if row.to_kind == "group" and len(members := split_members(row.to_id)) < 2:
        # A group message after everyone else used /ippo forget: it was a
        # group, and only one person of it is left to name.
        return UserRef(platform=row.to_platform, workspace=row.to_workspace, id=row.to_id)
    if row.to_kind == "group":
        return GroupRef(
            platform=row.to_platform,
            workspace=row.to_workspace,
            members=members,
            channel_id=row.to_channel,
        )
    raise ValueError(f"delivery {row.id}: unknown destination kind {row.to_kind!r}")


def destination_values(to: Destination) -> dict[str, str | None]:
    """The `to_*` columns of a destination. A group keeps its member ids in
    `to_id` ("a,b,c") and its Discord thread channel in `to_channel`."""
    match to:
        case UserRef(id=to_id):
            kind, channel = "user", None
        case ChannelRef(id=to_id):
            kind, channel = "channel", None
        case GroupRef(channel_id=channel):
            kind, to_id = "group", to.joined
        case _:
            assert_never(to)
    return {
        "to_platform": to.platform,
        "to_workspace": to.workspace,
        "to_kind": kind,
        "to_id": to_id,
        "to_channel": channel,
    }


def delivery_from_row(row: Row[Any]) -> Delivery:
    payload: Mapping[str, str] = dict(row.payload or {})
    return Delivery(
        id=row.id,
        key=row.key,
        kind=row.kind,
        to=destination_from_row(row),
        status=DeliveryStatus(row.status),
        not_before=row.not_before,
        expires_at=row.expires_at,
        member_id=row.member_id,
        payload=payload,
        attempts=row.attempts,
        claimed_at=row.claimed_at,
        sent_at=row.sent_at,
        message_id=row.message_id,
        channel_id=row.channel_id,
        error=row.error,
        lease_until=row.lease_until,
        claim_token=row.claim_token,
        lookup_failures=row.lookup_failures,
    )


PG_ADD_MANY = text(
    """
    INSERT INTO deliveries (key, kind, to_platform, to_workspace, to_kind, to_id, to_channel,
                            member_id, payload, status, not_before, expires_at, attempts)
    SELECT key, kind, to_platform, to_workspace, to_kind, to_id, to_channel, member_id,
           CAST(payload AS json), 'pending', not_before, expires_at, 0
    FROM unnest(
        CAST(:key AS varchar[]), CAST(:kind AS varchar[]), CAST(:to_platform AS varchar[]),
        CAST(:to_workspace AS varchar[]), CAST(:to_kind AS varchar[]), CAST(:to_id AS varchar[]),
        CAST(:to_channel AS varchar[]), CAST(:member_id AS integer[]), CAST(:payload AS text[]),
        CAST(:not_before AS timestamptz[]), CAST(:expires_at AS timestamptz[])
    ) AS new (key, kind, to_platform, to_workspace, to_kind, to_id, to_channel, member_id,
              payload, not_before, expires_at)
    ON CONFLICT (key) DO NOTHING
    RETURNING key
    """
)


def memoized(process: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """`process` (a type's bind or result processor; None: the identity)
    remembered per value, None staying None: planning batches hold a few
    distinct instants among thousands of rows."""
    known: dict[Any, Any] = {None: None}

    def convert(value: Any) -> Any:
        if value in known:
            return known[value]
        done = known[value] = process(value) if process is not None else value
        return done

    return convert


def json_datetimes(conn: AsyncConnection) -> Callable[[datetime | None], Any]:
    """Datetimes as a JSON row parameter carries them on `conn`'s database:
    SQLite's stored text (naive UTC, so text order is time order, as
    `UTCDateTime` writes it), PostgreSQL's ISO 8601 with offset."""
    dialect = conn.dialect
    if dialect.name == "postgresql":
        return memoized(lambda at: at.astimezone(UTC).isoformat())
    return memoized(_deliveries.c.not_before.type.dialect_impl(dialect).bind_processor(dialect))


NO_LEASE: dict[str, Any] = {"lease_until": None, "claim_token": None}


def held_by(token: str) -> tuple[ColumnElement[bool], ...]:
    """A delivery still SENDING under the claim `token`."""
    d = _deliveries.c
    return (d.status == DeliveryStatus.SENDING.value, d.claim_token == token)


def lease_end() -> ColumnElement[Any]:
    """Recovery's order: oldest lease end first. A row claimed by a version
    without leases (a rolling upgrade) has none; its claim time stands in
    (and `lease_expired` gives it the default lease)."""
    d = _deliveries.c
    return func.coalesce(d.lease_until, d.claimed_at)


def lease_expired(now: datetime) -> tuple[ColumnElement[bool], ...]:
    d = _deliveries.c
    return (
        d.status == DeliveryStatus.SENDING.value,
        or_(
            d.lease_until <= now,
            and_(d.lease_until.is_(None), d.claimed_at <= now - DEFAULT_LEASE),
        ),
    )
