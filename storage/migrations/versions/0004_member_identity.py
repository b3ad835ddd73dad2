"""One person, one member: members.last_seen_at; Discord DM ghosts merged into
their guild member.

Revision ID: 0004_member_identity
Revises: 0003_slack_oauth
Create Date: 2026-12-03

Before this revision a press on a Discord DM (no guild in the payload) created
a second member, `discord/dm/<user>`, beside the person's guild member: their
"Stop", "Skip" and "I'll try it" landed there. The core now resolves such an
actor to the member the person already is (bot/identity.py). This migration
folds every such ghost into that member — the most recently created guild
member of the same Discord user — so nobody loses a journey entry:

- journey entries move to the guild member;
- session replies move unless the guild member answered the same occurrence;
- the calendar feed token moves if the guild member has none;
- drafts and the ghost's own scheduled messages are dropped with the ghost.

The ghost's settings are not copied: it was created by a press, never opted in
to anything, and the guild member's choices stand. A DM member with no guild
member stays as it is (a person who only ever wrote to the bot directly).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_member_identity"
down_revision: str | None = "0003_slack_oauth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _merge_ghosts(conn: sa.Connection) -> None:
    ghosts = conn.execute(
        sa.text("SELECT id, user_id FROM members WHERE platform = 'discord' AND workspace = 'dm'")
    ).all()
    for ghost_id, user_id in ghosts:
        target = conn.execute(
            sa.text(
                "SELECT id FROM members WHERE platform = 'discord' AND user_id = :u "
                "AND workspace <> 'dm' ORDER BY created_at DESC, id DESC LIMIT 1"
            ),
            {"u": user_id},
        ).scalar()
        if target is None:
            continue
        ids = {"ghost": ghost_id, "target": target}
        conn.execute(
            sa.text("UPDATE journey_entries SET member_id = :target WHERE member_id = :ghost"),
            ids,
        )
        conn.execute(
            sa.text(
                "UPDATE rsvps SET member_id = :target WHERE member_id = :ghost AND NOT EXISTS "
                "(SELECT 1 FROM rsvps AS r WHERE r.member_id = :target "
                "AND r.session_id = rsvps.session_id AND r.occurrence = rsvps.occurrence)"
            ),
            ids,
        )
        conn.execute(
            sa.text(
                "UPDATE feed_tokens SET member_id = :target WHERE member_id = :ghost AND NOT "
                "EXISTS (SELECT 1 FROM feed_tokens AS f WHERE f.member_id = :target)"
            ),
            ids,
        )
        # What is left of the ghost (its drafts, deliveries, duplicate replies)
        # goes with it; foreign keys cascade only where enforced, so say it.
        for table in ("rsvps", "session_drafts", "feed_tokens", "deliveries"):
            conn.execute(sa.text(f"DELETE FROM {table} WHERE member_id = :ghost"), ids)
        conn.execute(sa.text("DELETE FROM members WHERE id = :ghost"), ids)


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_members_platform_user_id", "members", ["platform", "user_id"])
    op.create_index("ix_deliveries_message_id", "deliveries", ["message_id"])
    _merge_ghosts(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_deliveries_message_id", table_name="deliveries")
    op.drop_index("ix_members_platform_user_id", table_name="members")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("last_seen_at")
