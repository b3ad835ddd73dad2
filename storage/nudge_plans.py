"""Nudge planning's reads and writes, set-based (bot.features.nudges.ports).

A batch is a run of due member ids, one JSON array (`MemberSet`). It is read
back grouped by slot, each group's members again as one JSON array the
database built (`json_group_array` / `json_agg`), so no member id is parsed
in Python. The planner's decisions come back as one JSON document of groups,
each with its array of ids, and two statements apply them: an ``UPDATE ...
FROM`` the groups' members (first, while it can still tell which members'
nudges are new) and an ``INSERT ... SELECT`` of the nudges addressed from the
members' rows.

The groups' fields are read into a materialized CTE once per group, not
once per member: SQLite parses a JSON value each time an operator reads it,
and a group's value holds thousands of ids.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Integer, Table, Text, case, column, func, select, text
from sqlalchemy import cast as cast_
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.nudges.ports import DueGroup, GroupPlan, MemberSet
from bot.model import Cadence
from storage.delivery_rows import json_datetimes
from storage.tables import MemberRow, nudge_candidate

__all__ = ["advance_nudge_groups", "due_nudge_groups", "due_nudge_runs"]

_members = cast(Table, MemberRow.__table__)
_CADENCES = {c.value: c for c in Cadence}

# A run's member ids, from its JSON array.
_SQLITE_IDS = text("SELECT value FROM json_each(:ids)").columns(column("value", Integer))
_PG_IDS = text(
    "SELECT CAST(value AS integer) FROM json_array_elements_text(CAST(:ids AS json))"
).columns(column("value", Integer))


def _postgres(conn: AsyncConnection) -> bool:
    return conn.dialect.name == "postgresql"


def _id_array(conn: AsyncConnection, ids: Any) -> Any:
    """The JSON array of `ids`, built by the database."""
    if _postgres(conn):
        return cast_(func.json_agg(aggregate_order_by(ids, ids)), Text)
    return func.json_group_array(ids)


async def due_nudge_runs(
    conn: AsyncConnection, now: datetime, limit: int, *, per: int
) -> Sequence[MemberSet]:
    """The oldest `limit` due members (the due index), numbered in id order
    and gathered into one JSON array per run of `per`."""
    m = _members.c
    oldest = (
        select(m.id)
        .where(nudge_candidate(), m.next_nudge_at <= now)
        .order_by(m.next_nudge_at, m.id)
        .limit(limit)
        .subquery()
    )
    numbered = select(
        oldest.c.id, ((func.row_number().over(order_by=oldest.c.id) - 1) // per).label("run")
    ).subquery()
    stmt = select(_id_array(conn, numbered.c.id)).group_by(numbered.c.run).order_by(numbered.c.run)
    return [MemberSet(run) for run in (await conn.execute(stmt)).scalars()]


async def due_nudge_groups(
    conn: AsyncConnection, now: datetime, run: MemberSet
) -> Sequence[DueGroup]:
    """Those of `run` still due, locked (FOR UPDATE SKIP LOCKED on
    PostgreSQL: another planner's rows are left out), grouped by slot."""
    m = _members.c
    listed = (_PG_IDS if _postgres(conn) else _SQLITE_IDS).bindparams(ids=run)
    locked = (
        select(m.id)
        .where(m.id.in_(listed), nudge_candidate(), m.next_nudge_at <= now)
        .with_for_update(skip_locked=True)
    )
    silence = case((m.nudge_unanswered < 2, m.nudge_unanswered), else_=2)
    slot = (
        m.tz,
        m.nudge_weekday,
        m.nudge_time,
        m.nudge_cadence,
        m.nudge_paused_until,
        m.next_nudge_at,
        silence,
    )
    stmt = (
        select(*slot, func.count(), _id_array(conn, m.id)).where(m.id.in_(locked)).group_by(*slot)
    )
    return [
        DueGroup(tz, day, hhmm, _CADENCES[cadence], until, due, quiet, size, MemberSet(ids))
        for tz, day, hhmm, cadence, until, due, quiet, size, ids in await conn.execute(stmt)
    ]


async def advance_nudge_groups(conn: AsyncConnection, kind: str, plans: Sequence[GroupPlan]) -> int:
    """Apply `plans`: advance every member, then insert the new nudges;
    returns how many were inserted."""
    if not plans:
        return 0
    at = json_datetimes(conn)
    groups = ",".join(
        # A group's ids are the database's own JSON array: spliced in, not parsed.
        json.dumps(
            [None, None, None, None, None, at(plan.next_at)]
            if plan.nudge is None
            else [
                plan.nudge.key_head,
                plan.nudge.key_tail,
                at(plan.nudge.not_before),
                at(plan.nudge.expires_at),
                plan.nudge.cadence.value,
                at(plan.next_at),
            ]
        )[:-1]
        + ","
        + plan.members
        + "]"
        for plan in plans
    )
    params = {"plans": f"[{groups}]", "kind": kind}
    if _postgres(conn):
        await conn.execute(_PG_QUICK_COMMIT)
        return int((await conn.execute(_PG_PLAN, params)).scalar_one())
    await conn.execute(_SQLITE_ADVANCE, params)
    await conn.execute(_SQLITE_INSERT, params)
    # Python's sqlite3 counts rows only for statements that begin with the verb.
    return int((await conn.execute(text("SELECT changes()"))).scalar_one())


# Each plan is [key_head, key_tail, not_before, expires_at, cadence, next_at, [ids]];
# the first five are null when the group gets no nudge.
_SQLITE_PLANS = """
    WITH plan AS MATERIALIZED (
        SELECT p.value ->> 0 AS head, p.value ->> 1 AS tail, p.value ->> 2 AS not_before,
               p.value ->> 3 AS expires_at, p.value ->> 4 AS cadence, p.value ->> 5 AS next_at,
               p.value -> 6 AS ids
        FROM json_each(:plans) AS p
    )
"""
# SQLite: a member's nudge is new when its key is not taken yet (the unique
# index answers): only then does it count as unanswered and slow the cadence.
# Runs before the insert.
_ADVANCE = """
    UPDATE members SET
        next_nudge_at = one.next_at,
        nudge_cadence = CASE WHEN one.fresh THEN one.cadence ELSE members.nudge_cadence END,
        nudge_unanswered = members.nudge_unanswered + CASE WHEN one.fresh THEN 1 ELSE 0 END
    FROM (
        SELECT plan.next_at, plan.cadence, {member} AS member_id,
               plan.head IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM deliveries AS d WHERE d.key = plan.head || {member} || plan.tail
               ) AS fresh
        FROM plan, {ids}
    ) AS one
    WHERE members.id = one.member_id
"""
_INSERT = """
    INSERT INTO deliveries (key, kind, to_platform, to_workspace, to_kind, to_id, to_channel,
                            member_id, payload, status, not_before, expires_at, attempts)
    SELECT plan.head || m.id || plan.tail, :kind, m.platform, m.workspace, 'user', m.user_id,
           NULL, m.id, {empty}, 'pending', plan.not_before, plan.expires_at, 0
    FROM plan, {ids}
    JOIN members AS m ON m.id = {member}
    WHERE plan.head IS NOT NULL
    ON CONFLICT (key) DO NOTHING
"""
# A group's ids, one row each (table-valued, correlated with `plan`).
_SQLITE_EACH = {"ids": "json_each(plan.ids) AS j", "member": "j.value"}
_SQLITE_ADVANCE = text(_SQLITE_PLANS + _ADVANCE.format(**_SQLITE_EACH))
_SQLITE_INSERT = text(_SQLITE_PLANS + _INSERT.format(empty="'{}'", **_SQLITE_EACH))

# PostgreSQL: the unit's commit does not wait for its WAL to reach the disk.
# A crash can then lose the last planned batches whole (their nudges and their
# members' advance together), and they are planned again. Nothing planned can
# be sent and then lost: a send's claim commits synchronously, which flushes
# the WAL up to it, planning included.
_PG_QUICK_COMMIT = text("SET LOCAL synchronous_commit = off")

# PostgreSQL: one statement. The nudges inserted are the insert's RETURNING
# rows, so "new" never depends on how the planner probes `deliveries` (its
# statistics lag behind a table that grows by thousands within one pass).
_PG_PLAN = text(
    """
    WITH plan AS MATERIALIZED (
        SELECT p ->> 0 AS head, p ->> 1 AS tail, CAST(p ->> 2 AS timestamptz) AS not_before,
               CAST(p ->> 3 AS timestamptz) AS expires_at, p ->> 4 AS cadence,
               CAST(p ->> 5 AS timestamptz) AS next_at, p -> 6 AS ids
        FROM json_array_elements(CAST(:plans AS json)) AS p
    ),
    one AS MATERIALIZED (
        SELECT plan.*, CAST(j.value AS integer) AS member_id
        FROM plan, json_array_elements_text(plan.ids) AS j(value)
    ),
    span AS MATERIALIZED (SELECT min(member_id) AS low, max(member_id) AS high FROM one),
    added AS (
        INSERT INTO deliveries (key, kind, to_platform, to_workspace, to_kind, to_id,
                                to_channel, member_id, payload, status, not_before,
                                expires_at, attempts)
        SELECT one.head || m.id || one.tail, :kind, m.platform, m.workspace, 'user',
               m.user_id, NULL, m.id, CAST('{}' AS json), 'pending', one.not_before,
               one.expires_at, 0
        FROM one JOIN members AS m ON m.id = one.member_id
        WHERE one.head IS NOT NULL
          AND m.id BETWEEN (SELECT low FROM span) AND (SELECT high FROM span)
        ON CONFLICT (key) DO NOTHING
        RETURNING member_id
    ),
    moved AS (
        UPDATE members SET
            next_nudge_at = one.next_at,
            nudge_cadence = CASE WHEN added.member_id IS NULL
                                 THEN members.nudge_cadence ELSE one.cadence END,
            nudge_unanswered = members.nudge_unanswered
                               + CASE WHEN added.member_id IS NULL THEN 0 ELSE 1 END
        FROM one LEFT JOIN added ON added.member_id = one.member_id
        WHERE members.id = one.member_id
          AND members.id BETWEEN (SELECT low FROM span) AND (SELECT high FROM span)
    )
    SELECT count(*) FROM added
    """
)
