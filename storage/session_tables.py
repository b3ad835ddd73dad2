"""Tables of the sessions feature, on the same `Base` as storage.tables.

Imported by `storage.tables` at its end, so `Base.metadata` (what migrations
are compared with) always includes them. Migrations: 0002_sessions,
0008_channel_langs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base, UTCDateTime

__all__ = [
    "ChannelLangRow",
    "FeedTokenRow",
    "OccurrenceChangeRow",
    "RsvpRow",
    "SessionDraftRow",
    "SessionRow",
]


class SessionRow(Base):
    """One session (bot.features.sessions.model.Session); one-off or recurring."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(255))
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    organizer_id: Mapped[str | None] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(Text)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_min: Mapped[int] = mapped_column(Integer)
    tz: Mapped[str] = mapped_column(String(64))
    place: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    rung: Mapped[int | None] = mapped_column(Integer)
    cost: Mapped[str] = mapped_column(String(100), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    rrule: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="active")
    version: Mapped[int] = mapped_column(Integer, default=1)
    # when the planner should look at this session next (None: nothing ahead)
    next_plan_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("platform", "workspace", "uid"),
        Index("ix_sessions_next_plan_at", "next_plan_at"),
        Index("ix_sessions_platform_workspace_channel_id", "platform", "workspace", "channel_id"),
    )


class OccurrenceChangeRow(Base):
    """One occurrence moved (new_start) or cancelled; RECURRENCE-ID = original_start."""

    __tablename__ = "session_changes"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    original_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    new_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class RsvpRow(Base):
    """One member's answer for one occurrence; deleted with the member."""

    __tablename__ = "rsvps"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    attended: Mapped[bool | None] = mapped_column(Boolean)

    __table_args__ = (Index("ix_rsvps_member_id", "member_id"),)


class SessionDraftRow(Base):
    """A filled-in session form waiting for Save on its preview."""

    __tablename__ = "session_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FeedTokenRow(Base):
    """The unguessable secret in a member's calendar feed URL."""

    __tablename__ = "feed_tokens"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)


class ChannelLangRow(Base):
    """The language of one channel's posts (`/ippo session lang`); a channel
    without a row posts in the deployment's `IPPO_DEFAULT_LANG`."""

    __tablename__ = "channel_langs"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
