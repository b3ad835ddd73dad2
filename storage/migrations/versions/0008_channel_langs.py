"""The language of a channel's posts (channel_langs).

Revision ID: 0008_channel_langs
Revises: 0007_console_inbox
Create Date: 2026-12-03

`/ippo session lang ja|en` sets, per channel, the language of the posts ippo
makes there (announcements, their updates, cancellation notices); a channel
without a row posts in the deployment's IPPO_DEFAULT_LANG
(storage/session_tables.py). No member data: the channel is the key.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_channel_langs"
down_revision: str | None = "0007_console_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_langs",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace", sa.String(64), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "platform", "workspace", "channel_id", name=op.f("pk_channel_langs")
        ),
    )


def downgrade() -> None:
    op.drop_table("channel_langs")
