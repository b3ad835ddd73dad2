"""The database schema as SQLAlchemy 2 typed declarative models.

Rows never leave `storage/`: repositories convert them to and from the
dataclasses in `bot.model` and `bot.ports`. Every migration under
`storage/migrations/versions` must leave the database equal to this metadata
(a test compares them).

Conventions:
- Every timestamp is stored in UTC and read back as an aware UTC `datetime`
  (`UTCDateTime`), on SQLite too, which has no time zone support.
- Enumerations (kinds, statuses, cadences) are short strings, so adding a value
  needs no migration.
- Constraints and indexes are named by `NAMING_CONVENTION`, so migrations can
  refer to them by name on every database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ColumnElement,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    and_,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "DeliveryRow",
    "JourneyEntryRow",
    "MemberRow",
    "UTCDateTime",
    "nudge_candidate",
]

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC `datetime` on every database.

    Naive datetimes are refused: they are almost always a bug (a local time
    mistaken for UTC). On PostgreSQL the column is ``timestamptz``; on SQLite,
    which keeps text, the value is stored as naive UTC so that text order is
    time order, and read back with `UTC` attached.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: ippo stores aware UTC datetimes only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class MemberRow(Base):
    """One person on one platform and workspace (bot.model.Member)."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(Text, default="")
    lang: Mapped[str] = mapped_column(String(8))
    tz: Mapped[str] = mapped_column(String(64))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    rung: Mapped[int] = mapped_column(Integer, default=1)
    nudge_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    nudge_weekday: Mapped[int] = mapped_column(Integer, default=0)
    nudge_time: Mapped[str] = mapped_column(String(5), default="09:30")  # HH:MM, member's tz
    nudge_paused_until: Mapped[date | None] = mapped_column(Date)
    nudge_cadence: Mapped[str] = mapped_column(String(16), default="weekly")
    nudge_unanswered: Mapped[int] = mapped_column(Integer, default=0)
    next_nudge_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    dm_channel_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("platform", "workspace", "user_id"),
        # One person across workspaces (bot.identity): a DM names no workspace.
        Index("ix_members_platform_user_id", "platform", "user_id"),
    )


def nudge_candidate() -> ColumnElement[bool]:
    """Members a nudge may be planned for: enabled and reachable.

    Shared by the partial index ``ix_members_due_nudge`` and the due query, so
    the query's WHERE clause contains the index predicate verbatim (SQLite only
    uses a partial index when it can see that; the booleans render as literals,
    not bound parameters, on both databases).
    """
    return and_(MemberRow.nudge_enabled == true(), MemberRow.unreachable == false())


# Planning reads "candidates with next_nudge_at <= now ORDER BY next_nudge_at, id
# LIMIT n": an ordered range scan on this index, which holds only the candidates,
# and stops after n rows however many members are due.
Index(
    "ix_members_due_nudge",
    MemberRow.next_nudge_at,
    MemberRow.id,
    sqlite_where=nudge_candidate(),
    postgresql_where=nudge_candidate(),
)


class JourneyEntryRow(Base):
    """One thing that happened on a member's journey (bot.model.JourneyEntry)."""

    __tablename__ = "journey_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    step_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_journey_entries_member_id_at", "member_id", "at"),)


class DeliveryRow(Base):
    """One scheduled message (bot.ports.Delivery); `key` makes planning idempotent."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    to_platform: Mapped[str] = mapped_column(String(16))
    to_workspace: Mapped[str] = mapped_column(String(64))
    # "user" (a DM), "channel", or "group" (a group DM or private thread):
    # a group's member ids are in to_id, "a,b,c", and on Discord the channel
    # its private thread is opened in is to_channel.
    to_kind: Mapped[str] = mapped_column(String(8))
    to_id: Mapped[str] = mapped_column(String(255))
    to_channel: Mapped[str | None] = mapped_column(String(64))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A SENDING row is leased: `claim_token` names its holder, who renews
    # `lease_until` while it works; recovery takes only expired leases.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lookup_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str | None] = mapped_column(String(64))
    channel_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("to_kind IN ('user', 'channel', 'group')", name="to_kind"),
        Index("ix_deliveries_status_not_before", "status", "not_before"),
    )


# A press on a DM names the message it was on: `DeliveryRepo.recipient_of`
# finds the member that DM was for by the posted message's id.
Index("ix_deliveries_message_id", DeliveryRow.message_id)


# Feature tables on the same metadata (the migration comparison test needs them
# all); imported last because they build on Base and UTCDateTime above.
from storage import coffee_tables as _coffee_tables  # noqa: E402, F401
from storage import console_tables as _console_tables  # noqa: E402, F401
from storage import seen_tables as _seen_tables  # noqa: E402, F401
from storage import session_tables as _session_tables  # noqa: E402, F401
from storage import slack_tables as _slack_tables  # noqa: E402, F401
