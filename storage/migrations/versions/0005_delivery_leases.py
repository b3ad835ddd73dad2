"""Delivery claims as leases (reserved for the recovery work).

Revision ID: 0005_delivery_leases
Revises: 0004_member_identity
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0005_delivery_leases"
down_revision: str | None = "0004_member_identity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
