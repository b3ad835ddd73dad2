"""The console inbox's table, on the same `Base` as storage.tables.

On the console deployment a nudge, a follow-up or an announcement has no
platform to live on: `console_inbox` keeps each one (a member's "DM" or a
channel "post") until a console chat shows it, so what `ippo tick` or the
scheduler sends reaches the member the next time they open `ippo chat`, even
from another process. The text is stored as the console renders it, with the
action ids of its numbered buttons, so showing it needs no core.
Imported by `storage.tables` at its end, so `Base.metadata` (what migrations
are compared with) includes it. Migration: 0007_console_inbox.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base, UTCDateTime

__all__ = ["ConsoleInboxRow"]


class ConsoleInboxRow(Base):
    """One message the console was asked to post: a DM, shown once to its
    member, or a channel post, shown once to each member."""

    __tablename__ = "console_inbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "user" (a DM), "channel", or "group" (to_id: the members, "a,b,c")
    to_kind: Mapped[str] = mapped_column(String(8))
    to_id: Mapped[str] = mapped_column(String(255))
    # The scheduled delivery it carries, if any: a resend after a crash finds it.
    delivery_key: Mapped[str | None] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # First shown (a DM to its member; a channel post to anyone): purging counts from it.
    shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A channel post is shown once to each console member who opens a chat.
    seen_by: Mapped[list[str]] = mapped_column(JSON, default=list)

    __table_args__ = (
        CheckConstraint("to_kind IN ('user', 'channel', 'group')", name="to_kind"),
        # NULLs are distinct: only deliveries are unique.
        Index("ix_console_inbox_delivery_key", "delivery_key", unique=True),
        # A chat asks for what is unshown, for its member or any channel.
        Index("ix_console_inbox_shown_at_to_kind_to_id", "shown_at", "to_kind", "to_id"),
    )
