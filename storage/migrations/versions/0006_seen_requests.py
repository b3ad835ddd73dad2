"""Requests seen once: the replay ledger (seen_requests).

Revision ID: 0006_seen_requests
Revises: 0005_delivery_leases
Create Date: 2026-12-03

Slack requests (signature and timestamp), Slack event ids and Discord
interaction ids already taken, each kept until `expires_at`, so every
instance handles each at most once (storage/seen_tables.py,
storage/seen_requests.py). Timestamps are ``DateTime(timezone=True)``, as in
0001; storage.tables wraps them in UTCDateTime.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_seen_requests"
down_revision: str | None = "0005_delivery_leases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_requests",
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_seen_requests")),
    )
    op.create_index(
        op.f("ix_seen_requests_expires_at"), "seen_requests", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_seen_requests_expires_at"), table_name="seen_requests")
    op.drop_table("seen_requests")
