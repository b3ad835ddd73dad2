"""`bot.ports.MemberRepo` on SQLAlchemy Core (table `members`).

Same rules as every repository here (see `storage.store`): one unit's connection,
Core statements, rows converted to `bot.model.Member` before they leave.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Select,
    Table,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.nudges.ports import DueGroup, GroupPlan, MemberSet
from bot.model import Cadence, Lang, Member, NudgePrefs, Platform, UserRef
from storage import nudge_plans
from storage.console_inbox import forget_dms
from storage.db import upsert_insert
from storage.tables import DeliveryRow, MemberRow, nudge_candidate

__all__ = ["SqlMemberRepo", "member_from_row", "member_values", "user_is"]

_members = cast(Table, MemberRow.__table__)
_deliveries = cast(Table, DeliveryRow.__table__)


def member_from_row(row: Row[Any]) -> Member:
    return Member(
        id=row.id,
        user=UserRef(platform=row.platform, workspace=row.workspace, id=row.user_id),
        lang=row.lang,
        tz=row.tz,
        reasons=tuple(row.reasons or ()),
        rung=row.rung,
        nudge=NudgePrefs(
            enabled=bool(row.nudge_enabled),
            weekday=row.nudge_weekday,
            time=row.nudge_time,
            paused_until=row.nudge_paused_until,
            cadence=Cadence(row.nudge_cadence),
            unanswered=row.nudge_unanswered,
        ),
        next_nudge_at=row.next_nudge_at,
        unreachable=bool(row.unreachable),
        dm_channel_id=row.dm_channel_id,
        display_name=row.display_name,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
    )


def member_values(member: Member) -> dict[str, Any]:
    """Every mutable column of `member` (not its id, identity or created_at)."""
    nudge = member.nudge
    return {
        "display_name": member.display_name,
        "lang": member.lang,
        "tz": member.tz,
        "reasons": list(member.reasons),
        "rung": member.rung,
        "nudge_enabled": nudge.enabled,
        "nudge_weekday": nudge.weekday,
        "nudge_time": nudge.time,
        "nudge_paused_until": nudge.paused_until,
        "nudge_cadence": nudge.cadence.value,
        "nudge_unanswered": nudge.unanswered,
        "next_nudge_at": member.next_nudge_at,
        "unreachable": member.unreachable,
        "dm_channel_id": member.dm_channel_id,
    }


def _due(now: datetime, limit: int) -> Select[Any]:
    """Members whose nudge is due, oldest first, by the partial index; locked
    (FOR UPDATE SKIP LOCKED) on PostgreSQL so concurrent planners take
    disjoint sets."""
    m = _members.c
    return (
        select(_members)
        .where(nudge_candidate(), m.next_nudge_at <= now)
        .order_by(m.next_nudge_at, m.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


def user_is(user: UserRef) -> tuple[Any, ...]:
    m = _members.c
    return (m.platform == user.platform, m.workspace == user.workspace, m.user_id == user.id)


class SqlMemberRepo:
    """`bot.ports.MemberRepo` on one unit's connection."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get(self, user: UserRef) -> Member | None:
        row = (await self._conn.execute(select(_members).where(*user_is(user)))).first()
        return None if row is None else member_from_row(row)

    async def get_by_id(self, member_id: int) -> Member | None:
        stmt = select(_members).where(_members.c.id == member_id)
        row = (await self._conn.execute(stmt)).first()
        return None if row is None else member_from_row(row)

    async def create(
        self, user: UserRef, *, lang: Lang, tz: str, display_name: str, now: datetime
    ) -> Member:
        """Create the member for `user` with default preferences.

        If `user` already has a member (two first interactions racing on
        PostgreSQL), nothing is written and that member is returned as it is:
        the insert uses ``ON CONFLICT DO NOTHING`` so the unit stays usable.
        """
        defaults = Member(id=0, user=user, lang=lang, tz=tz, display_name=display_name)
        stmt = (
            upsert_insert(self._conn, _members)
            .values(
                platform=user.platform,
                workspace=user.workspace,
                user_id=user.id,
                created_at=now,
                **member_values(defaults),
            )
            .on_conflict_do_nothing(index_elements=["platform", "workspace", "user_id"])
            .returning(*_members.c)
        )
        row = (await self._conn.execute(stmt)).first()
        if row is not None:
            return member_from_row(row)
        existing = await self.get(user)
        if existing is None:  # pragma: no cover - the conflicting row cannot vanish
            raise LookupError(f"member for {user} conflicted but was not found")
        return existing

    async def save(self, member: Member) -> Member:
        """Write every mutable field; raises LookupError if the member is gone."""
        stmt = update(_members).where(_members.c.id == member.id).values(**member_values(member))
        result = await self._conn.execute(stmt)
        if result.rowcount != 1:
            raise LookupError(f"member {member.id} does not exist")
        return member

    async def delete(self, member_id: int) -> None:
        """Delete the member; ON DELETE CASCADE removes their journey and the
        deliveries addressed to them (and, later, any other row that refers to
        the member). `DeliveryRepo.add` links DMs to their member for this."""
        member = await self.get_by_id(member_id)
        if member is not None and member.user.platform == "console":
            # The console keeps DMs as text in its inbox: they are the member's too.
            await forget_dms(self._conn, member.user.id)
        await self._conn.execute(delete(_members).where(_members.c.id == member_id))

    async def due_for_nudge(self, now: datetime, limit: int) -> Sequence[Member]:
        return [member_from_row(row) for row in await self._conn.execute(_due(now, limit))]

    async def due_nudge_runs(self, now: datetime, limit: int, *, per: int) -> Sequence[MemberSet]:
        return await nudge_plans.due_nudge_runs(self._conn, now, limit, per=per)

    async def due_nudge_groups(self, now: datetime, run: MemberSet) -> Sequence[DueGroup]:
        return await nudge_plans.due_nudge_groups(self._conn, now, run)

    async def advance_nudge_groups(self, kind: str, plans: Sequence[GroupPlan]) -> int:
        return await nudge_plans.advance_nudge_groups(self._conn, kind, plans)

    async def count(self) -> int:
        stmt = select(func.count()).select_from(_members)
        return int((await self._conn.execute(stmt)).scalar_one())

    async def of_person(self, platform: Platform, user_id: str) -> Sequence[Member]:
        m = _members.c
        stmt = (
            select(_members)
            .where(m.platform == platform, m.user_id == user_id)
            .order_by(m.last_seen_at.desc().nulls_last(), m.id.desc())
        )
        return [member_from_row(row) for row in await self._conn.execute(stmt)]

    async def move(self, member_id: int, user: UserRef) -> Member:
        if await self.get(user) is not None:
            raise LookupError(f"{user} already has a member")
        stmt = (
            update(_members)
            .where(_members.c.id == member_id)
            .values(platform=user.platform, workspace=user.workspace, user_id=user.id)
        )
        if (await self._conn.execute(stmt)).rowcount != 1:
            raise LookupError(f"member {member_id} does not exist")
        # DMs already planned for the member follow them to the new identity.
        d = _deliveries.c
        await self._conn.execute(
            update(_deliveries)
            .where(d.member_id == member_id, d.to_kind == "user")
            .values(to_platform=user.platform, to_workspace=user.workspace, to_id=user.id)
        )
        moved = await self.get_by_id(member_id)
        assert moved is not None
        return moved

    async def seen(self, member_id: int, at: datetime) -> None:
        stmt = update(_members).where(_members.c.id == member_id).values(last_seen_at=at)
        await self._conn.execute(stmt)

    async def save_many(self, members: Sequence[Member]) -> None:
        """`save` for a batch in one executemany round trip (planning).

        One `save` costs about a millisecond of round
        trip, so a planning batch of 1000 spends a second there; this takes
        milliseconds. Raises LookupError if a member is gone (when the driver
        reports executemany row counts).
        """
        if not members:
            return
        stmt = update(_members).where(_members.c.id == bindparam("member_pk"))
        params = [{"member_pk": m.id, **member_values(m)} for m in members]
        result = await self._conn.execute(stmt, params)
        if self._conn.dialect.supports_sane_multi_rowcount and result.rowcount != len(members):
            raise LookupError("some of the members to save do not exist")
