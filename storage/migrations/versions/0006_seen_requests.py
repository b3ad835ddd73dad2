"""Requests seen once (reserved for replay protection).

Revision ID: 0006_seen_requests
Revises: 0005_delivery_leases
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0006_seen_requests"
down_revision: str | None = "0005_delivery_leases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
