"""Migration 0004: Discord DM ghosts fold into their guild member without
losing a journey entry (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from storage import open_store
from storage.db import make_engine
from storage.migrate import upgrade_database

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
MEMBER_COLUMNS = (
    "platform, workspace, user_id, display_name, lang, tz, reasons, rung, nudge_enabled, "
    "nudge_weekday, nudge_time, nudge_cadence, nudge_unanswered, unreachable, created_at"
)


async def _insert_member(
    conn: sa.ext.asyncio.AsyncConnection,
    workspace: str,
    user: str,
    *,
    enabled: bool,
    created: datetime,
) -> int:
    result = await conn.execute(
        sa.text(
            f"INSERT INTO members ({MEMBER_COLUMNS}) VALUES (:p, :w, :u, '', 'ja', "
            "'Asia/Tokyo', '[]', 1, :e, 0, '09:30', 'weekly', 0, false, :c) RETURNING id"
        ),
        {"p": "discord", "w": workspace, "u": user, "e": enabled, "c": created},
    )
    return int(result.scalar_one())


async def _journey(conn: sa.ext.asyncio.AsyncConnection, member_id: int, step: str) -> None:
    await conn.execute(
        sa.text(
            "INSERT INTO journey_entries (member_id, kind, at, step_id) "
            "VALUES (:m, 'done', :at, :s)"
        ),
        {"m": member_id, "at": T0, "s": step},
    )


async def test_dm_ghosts_merge_into_the_guild_member(db_url: str) -> None:
    await upgrade_database(db_url, "0003_slack_oauth")
    engine = make_engine(db_url)
    try:
        async with engine.begin() as conn:
            real = await _insert_member(conn, "700", "42", enabled=True, created=T0)
            ghost = await _insert_member(conn, "dm", "42", enabled=False, created=T0)
            alone = await _insert_member(conn, "dm", "43", enabled=False, created=T0)
            await _journey(conn, real, "watch-stream")
            await _journey(conn, ghost, "local-cleanup")
            await _journey(conn, alone, "in-house-group")
    finally:
        await engine.dispose()

    await upgrade_database(db_url)

    store = open_store(db_url)
    try:
        async with store.unit() as uow:
            people = await uow.members.of_person("discord", "42")
            (member,) = people
            assert member.id == real and member.nudge.enabled
            steps = sorted(e.step_id or "" for e in await uow.journey.list(real))
            assert steps == ["local-cleanup", "watch-stream"]
            (kept,) = await uow.members.of_person("discord", "43")
            assert kept.id == alone and kept.user.workspace == "dm"
            assert [e.step_id for e in await uow.journey.list(alone)] == ["in-house-group"]
    finally:
        await store.close()
