"""The console inbox (console_inbox).

Revision ID: 0007_console_inbox
Revises: 0006_seen_requests
Create Date: 2026-12-03

Nudges, follow-ups and announcements sent on the console deployment, kept
until a console chat shows them (storage/console_tables.py,
storage/console_inbox.py). Timestamps are ``DateTime(timezone=True)``, as in
0001; storage.tables wraps them in UTCDateTime.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_console_inbox"
down_revision: str | None = "0006_seen_requests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "console_inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_kind", sa.String(8), nullable=False),
        sa.Column("to_id", sa.String(64), nullable=False),
        sa.Column("delivery_key", sa.String(128), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen_by", sa.JSON(), nullable=False),
        sa.CheckConstraint("to_kind IN ('user', 'channel')", name=op.f("ck_console_inbox_to_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_inbox")),
    )
    op.create_index(
        op.f("ix_console_inbox_delivery_key"), "console_inbox", ["delivery_key"], unique=True
    )
    op.create_index(
        op.f("ix_console_inbox_shown_at_to_kind_to_id"),
        "console_inbox",
        ["shown_at", "to_kind", "to_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_console_inbox_shown_at_to_kind_to_id"), table_name="console_inbox")
    op.drop_index(op.f("ix_console_inbox_delivery_key"), table_name="console_inbox")
    op.drop_table("console_inbox")
