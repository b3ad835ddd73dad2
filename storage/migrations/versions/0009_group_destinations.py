"""Group destinations: deliveries (and console posts) to several members at once.

Revision ID: 0009_group_destinations
Revises: 0008_channel_langs
Create Date: 2026-12-04

A coffee introduction goes to a group (`bot.model.GroupRef`): on Slack a
group DM, on Discord a private thread, on the console a post its members
see. `to_kind` may now be 'group', whose member ids `to_id` holds joined by
commas ("a,b,c"; 255 characters leave room for eight Discord snowflakes),
and `deliveries.to_channel` keeps the Discord channel the thread is opened
in. Batch mode, so SQLite (which cannot alter a column or a constraint in
place) rebuilds the tables; PostgreSQL alters them.

The downgrade deletes group rows first: the old constraint refuses them, and
an older version could not send them anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_group_destinations"
down_revision: str | None = "0008_channel_langs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("deliveries", "console_inbox")


def _kinds(table: str, kinds: str, to_id: sa.String, old_id: sa.String) -> None:
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(op.f(f"ck_{table}_to_kind"), type_="check")
        batch.alter_column("to_id", type_=to_id, existing_type=old_id, existing_nullable=False)
        batch.create_check_constraint(op.f(f"ck_{table}_to_kind"), f"to_kind IN ({kinds})")


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("to_channel", sa.String(64), nullable=True))
    for table in _TABLES:
        _kinds(table, "'user', 'channel', 'group'", sa.String(255), sa.String(64))


def downgrade() -> None:
    for table in _TABLES:
        op.execute(sa.text(f"DELETE FROM {table} WHERE to_kind = 'group'"))
        _kinds(table, "'user', 'channel'", sa.String(64), sa.String(255))
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("to_channel")
