"""One person, one member: members.last_seen_at; Discord DM ghosts merged into their guild member.

Revision ID: 0004_member_identity
Revises: 0003_slack_oauth
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0004_member_identity"
down_revision: str | None = "0003_slack_oauth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
