"""Sessions: sessions, session_changes, rsvps, session_drafts, feed_tokens.

Revision ID: 0002_sessions
Revises: 0001_initial
Create Date: 2026-11-24

Written by hand to match storage/session_tables.py (a test compares the
migrated schema with the metadata). Names follow NAMING_CONVENTION.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_sessions"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _member_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["member_id"],
        ["members.id"],
        name=op.f(f"fk_{table}_member_id_members"),
        ondelete="CASCADE",
    )


def _session_fk(table: str, column: str = "session_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["sessions.id"], name=op.f(f"fk_{table}_{column}_sessions"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("organizer_id", sa.String(length=64), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("rung", sa.Integer(), nullable=True),
        sa.Column("cost", sa.String(length=100), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("rrule", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("next_plan_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
        sa.UniqueConstraint(
            "platform", "workspace", "uid", name=op.f("uq_sessions_platform_workspace_uid")
        ),
    )
    op.create_index("ix_sessions_next_plan_at", "sessions", ["next_plan_at"], unique=False)
    op.create_index(
        "ix_sessions_platform_workspace_channel_id",
        "sessions",
        ["platform", "workspace", "channel_id"],
        unique=False,
    )

    op.create_table(
        "session_changes",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("original_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("new_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        _session_fk("session_changes"),
        sa.PrimaryKeyConstraint("session_id", "original_start", name=op.f("pk_session_changes")),
    )

    op.create_table(
        "rsvps",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", sa.DateTime(timezone=True), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        _member_fk("rsvps"),
        _session_fk("rsvps"),
        sa.PrimaryKeyConstraint("session_id", "occurrence", "member_id", name=op.f("pk_rsvps")),
    )
    op.create_index("ix_rsvps_member_id", "rsvps", ["member_id"], unique=False)

    op.create_table(
        "session_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _member_fk("session_drafts"),
        _session_fk("session_drafts", "target_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_drafts")),
    )
    op.create_index("ix_session_drafts_member_id", "session_drafts", ["member_id"], unique=False)

    op.create_table(
        "feed_tokens",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        _member_fk("feed_tokens"),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_feed_tokens")),
        sa.UniqueConstraint("token", name=op.f("uq_feed_tokens_token")),
    )


def downgrade() -> None:
    op.drop_table("feed_tokens")
    op.drop_table("session_drafts")
    op.drop_table("rsvps")
    op.drop_table("session_changes")
    op.drop_index("ix_sessions_platform_workspace_channel_id", table_name="sessions")
    op.drop_index("ix_sessions_next_plan_at", table_name="sessions")
    op.drop_table("sessions")
