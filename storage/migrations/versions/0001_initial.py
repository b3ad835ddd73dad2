"""Initial schema: members, journey_entries, deliveries.

Revision ID: 0001_initial
Revises:
Create Date: 2025-01-01

Written by hand to match storage/tables.py at the time (a test compares the
migrated schema with the metadata). Timestamps are ``DateTime(timezone=True)``
here; storage.tables wraps them in UTCDateTime, which changes nothing in the
database. Constraint names follow storage.tables.NAMING_CONVENTION.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The predicate of the partial index ix_members_due_nudge, exactly as
# SQLAlchemy renders storage.tables.nudge_candidate() on each database (SQLite
# only uses a partial index when the query repeats its terms).
_DUE_NUDGE_WHERE_SQLITE = "nudge_enabled = 1 AND unreachable = 0"
_DUE_NUDGE_WHERE_POSTGRESQL = "nudge_enabled = true AND unreachable = false"


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("rung", sa.Integer(), nullable=False),
        sa.Column("nudge_enabled", sa.Boolean(), nullable=False),
        sa.Column("nudge_weekday", sa.Integer(), nullable=False),
        sa.Column("nudge_time", sa.String(length=5), nullable=False),
        sa.Column("nudge_paused_until", sa.Date(), nullable=True),
        sa.Column("nudge_cadence", sa.String(length=16), nullable=False),
        sa.Column("nudge_unanswered", sa.Integer(), nullable=False),
        sa.Column("next_nudge_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unreachable", sa.Boolean(), nullable=False),
        sa.Column("dm_channel_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint(
            "platform", "workspace", "user_id", name=op.f("uq_members_platform_workspace_user_id")
        ),
    )
    op.create_index(
        "ix_members_due_nudge",
        "members",
        ["next_nudge_at", "id"],
        unique=False,
        sqlite_where=sa.text(_DUE_NUDGE_WHERE_SQLITE),
        postgresql_where=sa.text(_DUE_NUDGE_WHERE_POSTGRESQL),
    )

    op.create_table(
        "journey_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("step_id", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_journey_entries_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journey_entries")),
    )
    op.create_index(
        "ix_journey_entries_member_id_at", "journey_entries", ["member_id", "at"], unique=False
    )

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("to_platform", sa.String(length=16), nullable=False),
        sa.Column("to_workspace", sa.String(length=64), nullable=False),
        sa.Column("to_kind", sa.String(length=8), nullable=False),
        sa.Column("to_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("channel_id", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("to_kind IN ('user', 'channel')", name=op.f("ck_deliveries_to_kind")),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_deliveries_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("key", name=op.f("uq_deliveries_key")),
    )
    op.create_index("ix_deliveries_member_id", "deliveries", ["member_id"], unique=False)
    op.create_index(
        "ix_deliveries_status_not_before", "deliveries", ["status", "not_before"], unique=False
    )


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_table("journey_entries")
    op.drop_table("members")
