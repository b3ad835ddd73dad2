"""`bot.ports.JourneyRepo` on SQLAlchemy Core (table `journey_entries`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.engine import Row

from bot.model import EntryKind, JourneyEntry
from storage.rows import OnConnection, insert_one, record_from_row
from storage.tables import JourneyEntryRow

__all__ = ["SqlJourneyRepo"]

_journey = cast(Table, JourneyEntryRow.__table__)


def _entry(row: Row[Any]) -> JourneyEntry:
    return record_from_row(JourneyEntry, row, kind=EntryKind(row.kind))


class SqlJourneyRepo(OnConnection):
    """`bot.ports.JourneyRepo` on one unit's connection."""

    async def add(
        self,
        member_id: int,
        kind: EntryKind,
        at: datetime,
        *,
        step_id: str | None = None,
        text: str | None = None,
        note: str | None = None,
    ) -> JourneyEntry:
        return await insert_one(
            self._conn,
            _journey,
            _entry,
            member_id=member_id,
            kind=kind.value,
            at=at,
            step_id=step_id,
            text=text,
            note=note,
        )

    async def list(
        self, member_id: int, *, since: datetime | None = None
    ) -> Sequence[JourneyEntry]:
        j = _journey.c
        stmt = select(_journey).where(j.member_id == member_id).order_by(j.at, j.id)
        if since is not None:
            stmt = stmt.where(j.at >= since)
        return [_entry(row) for row in await self._conn.execute(stmt)]

    async def delete_entry(self, member_id: int, entry_id: int) -> bool:
        j = _journey.c
        stmt = delete(_journey).where(j.id == entry_id, j.member_id == member_id)
        return (await self._conn.execute(stmt)).rowcount == 1
