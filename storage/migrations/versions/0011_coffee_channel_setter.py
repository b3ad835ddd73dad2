"""coffee_channels.set_by: the organizer who chose a community's coffee channel.

Revision ID: 0011_coffee_channel_setter
Revises: 0010_coffee
Create Date: 2026-12-04

When ippo may not open private threads in the coffee channel (Discord
answers Missing Access), that organizer gets one DM saying how to let ippo
in. The column is NULL for channels chosen before this revision (nobody is
told) and becomes NULL when the organizer is forgotten.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_coffee_channel_setter"
down_revision: str | None = "0010_coffee"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite adds a foreign key only by rebuilding the table.
    with op.batch_alter_table("coffee_channels") as batch:
        batch.add_column(sa.Column("set_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_coffee_channels_set_by_members"),
            "members",
            ["set_by"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("coffee_channels") as batch:
        batch.drop_constraint(op.f("fk_coffee_channels_set_by_members"), type_="foreignkey")
        batch.drop_column("set_by")
