"""`bot.features.sessions.ports.SessionRepo` on SQLAlchemy Core (SQLite and PostgreSQL).

Same rules as the other repositories (see storage.store): one unit's
connection, Core statements, rows converted to the core's dataclasses before
they leave, one round trip per method (upserts use ``ON CONFLICT``).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ColumnElement, Table, func, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.sessions.keys import AnnounceKey
from bot.features.sessions.model import (
    OccurrenceChange,
    Rsvp,
    RsvpCounts,
    RsvpStatus,
    Session,
    SessionFields,
    SessionStatus,
)
from bot.model import ChannelRef, Lang, Platform, UserRef
from bot.ports import DeliveryStatus
from storage.rows import first_record, insert_one, record_from_row, upsert
from storage.session_side import SessionSideTables
from storage.session_tables import (
    OccurrenceChangeRow,
    RsvpRow,
    SessionRow,
)
from storage.tables import DeliveryRow

if TYPE_CHECKING:
    from bot.features.sessions.ports import SessionRepo

__all__ = ["SqlSessionRepo"]

_sessions = cast(Table, SessionRow.__table__)
_changes = cast(Table, OccurrenceChangeRow.__table__)
_rsvps = cast(Table, RsvpRow.__table__)
_deliveries = cast(Table, DeliveryRow.__table__)


def _session(row: Row[Any]) -> Session:
    return Session(
        id=row.id,
        uid=row.uid,
        channel=ChannelRef(row.platform, row.workspace, row.channel_id),
        organizer=(
            UserRef(row.platform, row.workspace, row.organizer_id) if row.organizer_id else None
        ),
        lang=row.lang,
        fields=record_from_row(SessionFields, row, start=row.start_at),
        status=SessionStatus(row.status),
        version=row.version,
        created_at=row.created_at,
    )


def _field_values(fields: SessionFields) -> dict[str, Any]:
    """The session's columns for its fields (named alike but `start_at`)."""
    values = dataclasses.asdict(fields)
    values["start_at"] = values.pop("start")
    return values


def _rsvp(row: Row[Any]) -> Rsvp:
    return record_from_row(Rsvp, row, status=RsvpStatus(row.status))


def _change(row: Row[Any]) -> OccurrenceChange:
    return OccurrenceChange(row.session_id, row.original_start, row.new_start, bool(row.cancelled))


def _organized_by(organizer: UserRef) -> tuple[ColumnElement[bool], ...]:
    s = _sessions.c
    return (
        s.platform == organizer.platform,
        s.workspace == organizer.workspace,
        s.organizer_id == organizer.id,
    )


class SqlSessionRepo(SessionSideTables):
    """Sessions, their occurrences and answers; drafts, feed tokens and
    channel languages come from `SessionSideTables`."""

    # ----------------------------------------------------------------- sessions
    async def create(
        self,
        fields: SessionFields,
        *,
        uid: str,
        channel: ChannelRef,
        organizer: UserRef | None,
        lang: Lang,
        now: datetime,
    ) -> Session:
        return await insert_one(
            self._conn,
            _sessions,
            _session,
            uid=uid,
            platform=channel.platform,
            workspace=channel.workspace,
            channel_id=channel.id,
            organizer_id=organizer.id if organizer else None,
            lang=lang,
            status=SessionStatus.ACTIVE.value,
            version=1,
            next_plan_at=now,
            created_at=now,
            **_field_values(fields),
        )

    async def save(self, session: Session, *, plan_at: datetime) -> Session:
        s = _sessions.c
        stmt = (
            update(_sessions)
            .where(s.id == session.id)
            .values(
                channel_id=session.channel.id,
                lang=session.lang,
                status=session.status.value,
                version=session.version,
                next_plan_at=plan_at,
                **_field_values(session.fields),
            )
        )
        if (await self._conn.execute(stmt)).rowcount != 1:
            raise LookupError(f"session {session.id} does not exist")
        return session

    async def get(self, session_id: int) -> Session | None:
        stmt = select(_sessions).where(_sessions.c.id == session_id)
        return await first_record(self._conn, stmt, _session)

    async def get_by_uid(self, platform: Platform, workspace: str, uid: str) -> Session | None:
        s = _sessions.c
        stmt = select(_sessions).where(
            s.platform == platform, s.workspace == workspace, s.uid == uid
        )
        return await first_record(self._conn, stmt, _session)

    async def in_workspace(
        self, platform: Platform, workspace: str, *, channel_id: str | None = None
    ) -> Sequence[Session]:
        s = _sessions.c
        stmt = select(_sessions).where(
            s.platform == platform, s.workspace == workspace, s.status == SessionStatus.ACTIVE.value
        )
        if channel_id is not None:
            stmt = stmt.where(s.channel_id == channel_id)
        return [_session(r) for r in await self._conn.execute(stmt.order_by(s.id))]

    async def due_for_planning(self, now: datetime, limit: int) -> Sequence[Session]:
        s = _sessions.c
        stmt = (
            select(_sessions)
            .where(s.next_plan_at <= now, s.status == SessionStatus.ACTIVE.value)
            .order_by(s.next_plan_at, s.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_session(r) for r in await self._conn.execute(stmt)]

    async def set_next_plan(self, session_id: int, at: datetime | None) -> None:
        stmt = update(_sessions).where(_sessions.c.id == session_id).values(next_plan_at=at)
        await self._conn.execute(stmt)

    # ----------------------------------------------------------------- occurrences
    async def changes(self, session_id: int) -> Sequence[OccurrenceChange]:
        return (await self.changes_for([session_id])).get(session_id, [])

    async def changes_for(self, session_ids: Sequence[int]) -> Mapping[int, list[OccurrenceChange]]:
        out: dict[int, list[OccurrenceChange]] = defaultdict(list)
        if not session_ids:
            return out
        c = _changes.c
        stmt = select(_changes).where(c.session_id.in_(session_ids)).order_by(c.original_start)
        for row in await self._conn.execute(stmt):
            out[row.session_id].append(_change(row))
        return out

    async def set_change(self, change: OccurrenceChange) -> None:
        key = {"session_id": change.session_id, "original_start": change.original_start}
        values = {"new_start": change.new_start, "cancelled": change.cancelled}
        await upsert(self._conn, _changes, key, values)

    # ----------------------------------------------------------------- RSVPs
    async def rsvp(self, session_id: int, occurrence: datetime, member_id: int) -> Rsvp | None:
        r = _rsvps.c
        stmt = select(_rsvps).where(
            r.session_id == session_id, r.occurrence == occurrence, r.member_id == member_id
        )
        return await first_record(self._conn, stmt, _rsvp)

    async def set_rsvp(self, rsvp: Rsvp) -> None:
        key = {
            "session_id": rsvp.session_id,
            "occurrence": rsvp.occurrence,
            "member_id": rsvp.member_id,
        }
        values = {"status": rsvp.status.value, "at": rsvp.at, "attended": rsvp.attended}
        await upsert(self._conn, _rsvps, key, values)

    async def rsvps(
        self,
        session_id: int,
        occurrence: datetime,
        *,
        statuses: frozenset[RsvpStatus] | None = None,
    ) -> Sequence[Rsvp]:
        r = _rsvps.c
        stmt = select(_rsvps).where(r.session_id == session_id, r.occurrence == occurrence)
        if statuses is not None:
            stmt = stmt.where(r.status.in_(sorted(s.value for s in statuses)))
        return [_rsvp(row) for row in await self._conn.execute(stmt.order_by(r.at, r.member_id))]

    async def counts(self, session_id: int, occurrence: datetime) -> RsvpCounts:
        r = _rsvps.c
        stmt = (
            select(r.status, func.count())
            .where(r.session_id == session_id, r.occurrence == occurrence)
            .group_by(r.status)
        )
        found = {RsvpStatus(status): int(n) for status, n in await self._conn.execute(stmt)}
        return RsvpCounts.of(found)

    async def member_rsvps(self, member_id: int) -> Sequence[Rsvp]:
        r = _rsvps.c
        stmt = select(_rsvps).where(r.member_id == member_id).order_by(r.occurrence, r.session_id)
        return [_rsvp(row) for row in await self._conn.execute(stmt)]

    async def organized_by(self, organizer: UserRef) -> Sequence[Session]:
        stmt = select(_sessions).where(*_organized_by(organizer)).order_by(_sessions.c.id)
        return [_session(r) for r in await self._conn.execute(stmt)]

    async def forget_organizer(self, organizer: UserRef) -> int:
        stmt = update(_sessions).where(*_organized_by(organizer)).values(organizer_id=None)
        return int((await self._conn.execute(stmt)).rowcount)

    # ----------------------------------------------------------------- posts and feeds
    async def sent_announcements(self, session_id: int) -> Sequence[str]:
        d = _deliveries.c
        stmt = (
            select(d.key)
            .where(
                d.key.startswith(AnnounceKey.prefix(session_id), autoescape=True),
                d.status == DeliveryStatus.SENT.value,
            )
            .order_by(d.sent_at, d.id)
        )
        return [str(key) for key in (await self._conn.execute(stmt)).scalars()]


if TYPE_CHECKING:
    _repo: SessionRepo = SqlSessionRepo(cast(AsyncConnection, None))
