"""`bot.ports.MemberRepo` on SQLAlchemy Core (table `members`).

Same rules as every repository here (see `storage.store`): one unit's connection,
Core statements, rows converted to `bot.model.Member` before they leave.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, cast, overload

from sqlalchemy import (
    Integer,
    Select,
    Table,
    Text,
    bindparam,
    column,
    delete,
    func,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy import cast as cast_
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Dialect, Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import NullType

from bot.features.nudges.ports import DueNudge, NudgeAdvance
from bot.model import Cadence, Lang, Member, NudgePrefs, Platform, UserRef
from storage.console_inbox import forget_dms
from storage.db import upsert_insert
from storage.delivery_rows import json_datetimes, memoized
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


_CADENCES = {c.value: c for c in Cadence}
_RAW = NullType()  # a column read as the driver returns it, without conversion


def _reader(column: Any, dialect: Dialect) -> Callable[[Any], Any]:
    """How `column`'s values are read on `dialect`, once per distinct value."""
    return memoized(column.type.dialect_impl(dialect).result_processor(dialect, None))


class _Runs(Sequence[Sequence[int]]):
    """Runs of member ids as JSON arrays, each parsed (and put in order) when
    it is first read."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = texts

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> Sequence[int]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Sequence[int]]: ...

    def __getitem__(self, index: int | slice) -> Sequence[int] | Sequence[Sequence[int]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return sorted(json.loads(self._texts[index]))


# A batch's member ids, as one JSON array parameter.
_SQLITE_IDS = text("SELECT value FROM json_each(:ids)").columns(column("value", Integer))
_PG_IDS = text(
    "SELECT CAST(value AS integer) FROM json_array_elements_text(CAST(:ids AS json))"
).columns(column("value", Integer))

_PG_ADVANCE = text(
    """
    UPDATE members SET next_nudge_at = CAST(v ->> 1 AS timestamptz), nudge_cadence = v ->> 2,
                       nudge_unanswered = CAST(v ->> 3 AS integer)
    FROM json_array_elements(CAST(:rows AS json)) AS v
    WHERE members.id = CAST(v ->> 0 AS integer)
    """
)
_SQLITE_ADVANCE = text(
    """
    UPDATE members SET next_nudge_at = v.value ->> 1, nudge_cadence = v.value ->> 2,
                       nudge_unanswered = v.value ->> 3
    FROM json_each(:rows) AS v
    WHERE members.id = v.value ->> 0
    """
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

    async def due_nudge_ids(
        self, now: datetime, limit: int, *, per: int
    ) -> Sequence[Sequence[int]]:
        """The database numbers the window in id order and aggregates it into
        one JSON array per run of `per`; a run is parsed when first read, so
        a million ids never stand in Python at once, nor stall the loop."""
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
        ids = numbered.c.id
        pg = self._conn.dialect.name == "postgresql"
        gather = (
            cast_(func.json_agg(aggregate_order_by(ids, ids)), Text)
            if pg
            else func.json_group_array(ids)
        )
        stmt = select(gather).group_by(numbered.c.run).order_by(numbered.c.run)
        return _Runs((await self._conn.execute(stmt)).scalars().all())

    async def due_nudges(self, now: datetime, ids: Sequence[int]) -> Sequence[DueNudge]:
        """The slot columns of those of `ids` still due (`_due`'s predicate and
        locking), in id order so a batch's writes walk the tables' pages in
        order; `next_nudge_at` and `paused_until` are read as the driver gives
        them and converted once per distinct value (a batch holds a few)."""
        if not ids:
            return []
        m = _members.c
        pg = self._conn.dialect.name == "postgresql"
        listed = (_PG_IDS if pg else _SQLITE_IDS).bindparams(ids=json.dumps(list(ids)))
        stmt = (
            select(
                m.id,
                m.tz,
                m.nudge_weekday,
                m.nudge_time,
                m.nudge_cadence,
                m.nudge_unanswered,
                type_coerce(m.nudge_paused_until, _RAW),
                type_coerce(m.next_nudge_at, _RAW),
            )
            .where(nudge_candidate(), m.next_nudge_at <= now, m.id.in_(listed))
            .order_by(m.id)
            .with_for_update(skip_locked=True)
        )
        dialect = self._conn.dialect
        paused, at = _reader(m.nudge_paused_until, dialect), _reader(m.next_nudge_at, dialect)
        cadences = _CADENCES
        return [
            DueNudge(mid, tz, day, hhmm, cadences[cadence], unanswered, paused(until), at(due))
            for mid, tz, day, hhmm, cadence, unanswered, until, due in await self._conn.execute(
                stmt
            )
        ]

    async def advance_nudges(self, moves: Sequence[NudgeAdvance]) -> None:
        """One ``UPDATE ... FROM`` the batch, sent as one JSON array of rows
        (the driver's executemany would step once per row)."""
        if not moves:
            return
        at = json_datetimes(self._conn)
        # A Cadence is a str: JSON writes its value.
        rows = json.dumps([(mid, at(nxt), cadence, n) for mid, nxt, cadence, n in moves])
        pg = self._conn.dialect.name == "postgresql"
        await self._conn.execute(_PG_ADVANCE if pg else _SQLITE_ADVANCE, {"rows": rows})

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
