"""Tables of the coffee feature (bot.features.coffee), on the same `Base` as
storage.tables. Imported by `storage.tables` at its end. Migration: 0010_coffee.

- `coffee_prefs`: a member's choices (opt-in, department, quiet seat, pause,
  the round they skip); deleted with the member.
- `coffee_avoids`: whom a member asked not to meet (a platform user id of the
  same workspace), private; deleted with the member, and with the person
  named when that person is forgotten.
- `coffee_channels`: a community's coffee channel and the organizer who
  chose it (`set_by`, set to NULL when they are forgotten).
- `coffee_rounds`, `coffee_groups`, `coffee_seats`: who was introduced to
  whom. A seat's `member_id` is set to NULL when that member is forgotten, so
  the others keep only that a meeting happened.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base, UTCDateTime

__all__ = [
    "CoffeeAvoidRow",
    "CoffeeChannelRow",
    "CoffeeGroupRow",
    "CoffeePrefsRow",
    "CoffeeRoundRow",
    "CoffeeSeatRow",
]


class CoffeePrefsRow(Base):
    __tablename__ = "coffee_prefs"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    dept: Mapped[str] = mapped_column(Text, default="")
    quiet: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_until: Mapped[date | None] = mapped_column(Date)
    skip_period: Mapped[str] = mapped_column(String(16), default="")


class CoffeeAvoidRow(Base):
    __tablename__ = "coffee_avoids"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    avoid_user_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class CoffeeChannelRow(Base):
    __tablename__ = "coffee_channels"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The organizer who chose it, told when ippo may not open threads there
    # (migration 0011); NULL once they are forgotten.
    set_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))


class CoffeeRoundRow(Base):
    __tablename__ = "coffee_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(Integer)
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_coffee_rounds_platform_workspace_seq", "platform", "workspace", "seq"),
    )


class CoffeeGroupRow(Base):
    __tablename__ = "coffee_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("coffee_rounds.id", ondelete="CASCADE"), index=True
    )
    shares_lang: Mapped[bool] = mapped_column(Boolean, default=True)
    shares_hours: Mapped[bool] = mapped_column(Boolean, default=True)
    intro_at: Mapped[datetime] = mapped_column(UTCDateTime)
    planned: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_coffee_groups_planned_id", "planned", "id"),)


class CoffeeSeatRow(Base):
    __tablename__ = "coffee_seats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("coffee_groups.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    quiet: Mapped[bool] = mapped_column(Boolean, default=False)
    slowed: Mapped[bool] = mapped_column(Boolean, default=False)
    answer: Mapped[str] = mapped_column(String(8), default="")
