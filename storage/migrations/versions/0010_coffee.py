"""Coffee introductions (issue #15): coffee_prefs, coffee_avoids,
coffee_channels, coffee_rounds, coffee_groups, coffee_seats.

Revision ID: 0010_coffee
Revises: 0009_group_destinations
Create Date: 2026-12-03

See storage/coffee_tables.py for what each table holds. A seat's member id
is set to NULL when its member is forgotten (the others keep only that a
meeting happened); everything else about a member is deleted with them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_coffee"
down_revision: str | None = "0009_group_destinations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coffee_prefs",
        sa.Column(
            "member_id",
            sa.Integer(),
            sa.ForeignKey(
                "members.id", ondelete="CASCADE", name=op.f("fk_coffee_prefs_member_id_members")
            ),
            nullable=False,
        ),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("dept", sa.Text(), nullable=False),
        sa.Column("quiet", sa.Boolean(), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("skip_period", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_coffee_prefs")),
    )
    op.create_table(
        "coffee_avoids",
        sa.Column(
            "member_id",
            sa.Integer(),
            sa.ForeignKey(
                "members.id", ondelete="CASCADE", name=op.f("fk_coffee_avoids_member_id_members")
            ),
            nullable=False,
        ),
        sa.Column("avoid_user_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("member_id", "avoid_user_id", name=op.f("pk_coffee_avoids")),
    )
    op.create_table(
        "coffee_channels",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace", sa.String(64), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace", name=op.f("pk_coffee_channels")),
    )
    op.create_table(
        "coffee_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coffee_rounds")),
        sa.UniqueConstraint("key", name=op.f("uq_coffee_rounds_key")),
    )
    op.create_index(
        "ix_coffee_rounds_platform_workspace_seq",
        "coffee_rounds",
        ["platform", "workspace", "seq"],
    )
    op.create_table(
        "coffee_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey(
                "coffee_rounds.id",
                ondelete="CASCADE",
                name=op.f("fk_coffee_groups_round_id_coffee_rounds"),
            ),
            nullable=False,
        ),
        sa.Column("shares_lang", sa.Boolean(), nullable=False),
        sa.Column("shares_hours", sa.Boolean(), nullable=False),
        sa.Column("intro_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("planned", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coffee_groups")),
    )
    op.create_index("ix_coffee_groups_round_id", "coffee_groups", ["round_id"])
    op.create_index("ix_coffee_groups_planned_id", "coffee_groups", ["planned", "id"])
    op.create_table(
        "coffee_seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey(
                "coffee_groups.id",
                ondelete="CASCADE",
                name=op.f("fk_coffee_seats_group_id_coffee_groups"),
            ),
            nullable=False,
        ),
        sa.Column(
            "member_id",
            sa.Integer(),
            sa.ForeignKey(
                "members.id", ondelete="SET NULL", name=op.f("fk_coffee_seats_member_id_members")
            ),
            nullable=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("quiet", sa.Boolean(), nullable=False),
        sa.Column("slowed", sa.Boolean(), nullable=False),
        sa.Column("answer", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coffee_seats")),
    )
    op.create_index("ix_coffee_seats_group_id", "coffee_seats", ["group_id"])
    op.create_index("ix_coffee_seats_member_id", "coffee_seats", ["member_id"])


def downgrade() -> None:
    for index, table in (
        ("ix_coffee_seats_member_id", "coffee_seats"),
        ("ix_coffee_seats_group_id", "coffee_seats"),
    ):
        op.drop_index(index, table_name=table)
    op.drop_table("coffee_seats")
    op.drop_index("ix_coffee_groups_planned_id", table_name="coffee_groups")
    op.drop_index("ix_coffee_groups_round_id", table_name="coffee_groups")
    op.drop_table("coffee_groups")
    op.drop_index("ix_coffee_rounds_platform_workspace_seq", table_name="coffee_rounds")
    op.drop_table("coffee_rounds")
    op.drop_table("coffee_channels")
    op.drop_table("coffee_avoids")
    op.drop_table("coffee_prefs")
