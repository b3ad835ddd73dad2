"""Delivery claims as leases: deliveries.lease_until, claim_token, lookup_failures.

Revision ID: 0005_delivery_leases
Revises: 0004_member_identity
Create Date: 2026-12-03

A SENDING delivery is held under a lease: `claim_token` names the claim (a
sender's batch, or a recovery lookup) and `lease_until` is when it runs out
unless its holder renews it. Recovery takes only expired leases.
`lookup_failures` counts failed platform lookups ("was this already
posted?"), so a lookup that keeps failing ends in FAILED instead of a loop.

Rows SENDING at upgrade time (claimed by a version without leases) get the
lease that version gave them implicitly: `claimed_at` plus five minutes, the
old default recovery window. Every other row keeps NULL (not held).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0005_delivery_leases"
down_revision: str | None = "0004_member_identity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEGACY_LEASE = timedelta(minutes=5)  # bot.ports.DEFAULT_LEASE when this was written

_deliveries = sa.table(
    "deliveries",
    sa.column("id", sa.Integer()),
    sa.column("status", sa.String(16)),
    sa.column("claimed_at", sa.DateTime(timezone=True)),
    sa.column("lease_until", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("lease_until", sa.DateTime(timezone=True)))
    op.add_column("deliveries", sa.Column("claim_token", sa.String(length=32)))
    op.add_column(
        "deliveries",
        sa.Column("lookup_failures", sa.Integer(), nullable=False, server_default="0"),
    )
    # Few rows are SENDING at any moment (the batches in flight): one pass in
    # Python keeps the date arithmetic the same on SQLite and PostgreSQL.
    conn = op.get_bind()
    d = _deliveries.c
    sending = conn.execute(
        sa.select(d.id, d.claimed_at).where(d.status == "sending", d.claimed_at.is_not(None))
    ).all()
    if sending:
        conn.execute(
            sa.update(_deliveries)
            .where(d.id == sa.bindparam("row_id"))
            .values(lease_until=sa.bindparam("until")),
            [{"row_id": row.id, "until": row.claimed_at + LEGACY_LEASE} for row in sending],
        )


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("lookup_failures")
        batch.drop_column("claim_token")
        batch.drop_column("lease_until")
