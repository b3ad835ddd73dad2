"""`bot.features.coffee.ports.CoffeeRepo` on SQLAlchemy Core (storage.coffee_tables)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.engine import Row

from bot.features.coffee.ports import (
    Answer,
    CoffeePrefs,
    Group,
    NewGroup,
    PastRound,
    PoolMember,
    RoundKey,
    Seat,
)
from bot.model import Platform
from storage.coffee_forget import forget_in_groups
from storage.coffee_tables import (
    CoffeeAvoidRow,
    CoffeeChannelRow,
    CoffeeGroupRow,
    CoffeePrefsRow,
    CoffeeRoundRow,
    CoffeeSeatRow,
)
from storage.db import upsert_insert
from storage.members import member_from_row
from storage.rows import OnConnection, record_from_row, upsert
from storage.tables import MemberRow

__all__ = ["SqlCoffeeRepo"]

_prefs = cast(Table, CoffeePrefsRow.__table__)
_avoids = cast(Table, CoffeeAvoidRow.__table__)
_channels = cast(Table, CoffeeChannelRow.__table__)
_rounds = cast(Table, CoffeeRoundRow.__table__)
_groups = cast(Table, CoffeeGroupRow.__table__)
_seats = cast(Table, CoffeeSeatRow.__table__)
_members = cast(Table, MemberRow.__table__)
_ANSWERS: tuple[Answer, ...] = ("", "meet", "pass")


def _seat(row: Row[Any]) -> Seat:
    answer: Answer = next((a for a in _ANSWERS if a == row.answer), "")
    return Seat(row.member_id, quiet=row.quiet, slowed=row.slowed, answer=answer)


class SqlCoffeeRepo(OnConnection):
    """`CoffeeRepo` on one unit's connection."""

    # ------------------------------------------------------------------ choices

    async def prefs(self, member_id: int) -> CoffeePrefs:
        row = (
            await self._conn.execute(select(_prefs).where(_prefs.c.member_id == member_id))
        ).first()
        return CoffeePrefs(member_id) if row is None else record_from_row(CoffeePrefs, row)

    async def save_prefs(self, prefs: CoffeePrefs) -> None:
        values = dataclasses.asdict(prefs)
        key = {"member_id": values.pop("member_id")}
        await upsert(self._conn, _prefs, key, values)

    async def avoids(self, member_id: int) -> Sequence[str]:
        found = await self.avoided_in([member_id])
        return found.get(member_id, ())

    async def add_avoid(self, member_id: int, user_id: str) -> bool:
        statement = (
            upsert_insert(self._conn, _avoids)
            .values(member_id=member_id, avoid_user_id=user_id)
            .on_conflict_do_nothing()
        )
        result = await self._conn.execute(statement)
        return bool(result.rowcount)

    async def remove_avoid(self, member_id: int, user_id: str) -> bool:
        result = await self._conn.execute(
            delete(_avoids).where(
                _avoids.c.member_id == member_id, _avoids.c.avoid_user_id == user_id
            )
        )
        return bool(result.rowcount)

    async def avoided_in(self, member_ids: Sequence[int]) -> Mapping[int, Sequence[str]]:
        out: dict[int, list[str]] = {}
        if not member_ids:
            return out
        query = (
            select(_avoids.c.member_id, _avoids.c.avoid_user_id)
            .where(_avoids.c.member_id.in_(list(member_ids)))
            .order_by(_avoids.c.member_id, _avoids.c.avoid_user_id)
        )
        for row in await self._conn.execute(query):
            out.setdefault(row.member_id, []).append(row.avoid_user_id)
        return out

    async def forget_user(self, platform: Platform, workspace: str, user_id: str) -> None:
        await forget_in_groups(self._conn, platform, workspace, user_id)
        same_place = select(_members.c.id).where(
            _members.c.platform == platform, _members.c.workspace == workspace
        )
        await self._conn.execute(
            delete(_avoids).where(
                _avoids.c.avoid_user_id == user_id, _avoids.c.member_id.in_(same_place)
            )
        )

    async def channel(self, platform: Platform, workspace: str) -> str | None:
        query = select(_channels.c.channel_id).where(
            _channels.c.platform == platform, _channels.c.workspace == workspace
        )
        return cast(str | None, (await self._conn.execute(query)).scalar())

    async def set_channel(
        self, platform: Platform, workspace: str, channel_id: str, at: datetime, by: int
    ) -> None:
        values = {"channel_id": channel_id, "set_at": at, "set_by": by}
        key = {"platform": platform, "workspace": workspace}
        await upsert(self._conn, _channels, key, values)

    async def channel_setter(self, platform: Platform, workspace: str) -> int | None:
        query = select(_channels.c.set_by).where(
            _channels.c.platform == platform, _channels.c.workspace == workspace
        )
        return cast(int | None, (await self._conn.execute(query)).scalar())

    async def channels_set_by(self, member_id: int) -> Sequence[str]:
        query = select(_channels.c.channel_id).where(_channels.c.set_by == member_id)
        return list((await self._conn.execute(query.order_by(_channels.c.channel_id))).scalars())

    # ------------------------------------------------------------------ planning

    async def communities(self) -> Sequence[tuple[Platform, str]]:
        query = (
            select(_members.c.platform, _members.c.workspace)
            .join(_prefs, _prefs.c.member_id == _members.c.id)
            .where(_prefs.c.enabled.is_(True))
            .distinct()
            .order_by(_members.c.platform, _members.c.workspace)
        )
        return [(cast(Platform, r.platform), r.workspace) for r in await self._conn.execute(query)]

    async def pool(self, platform: Platform, workspace: str) -> Sequence[PoolMember]:
        query = (
            select(_members, *(c.label(f"coffee_{c.name}") for c in _prefs.c))
            .join(_prefs, _prefs.c.member_id == _members.c.id)
            .where(
                _prefs.c.enabled.is_(True),
                _members.c.platform == platform,
                _members.c.workspace == workspace,
            )
            .order_by(_members.c.id)
        )
        out: list[PoolMember] = []
        for row in await self._conn.execute(query):
            prefs = record_from_row(CoffeePrefs, row, prefix="coffee_")
            out.append(PoolMember(member_from_row(row), prefs))
        return out

    async def past_rounds(
        self, platform: Platform, workspace: str, since_seq: int
    ) -> Sequence[PastRound]:
        query = (
            select(_rounds.c.seq, _seats, _groups.c.id.label("gid"))
            .join(_groups, _groups.c.round_id == _rounds.c.id)
            .join(_seats, _seats.c.group_id == _groups.c.id)
            .where(
                _rounds.c.platform == platform,
                _rounds.c.workspace == workspace,
                _rounds.c.seq >= since_seq,
            )
            .order_by(_rounds.c.seq.desc(), _groups.c.id, _seats.c.position)
        )
        rounds: dict[int, dict[int, list[Seat]]] = {}
        for row in await self._conn.execute(query):
            rounds.setdefault(row.seq, {}).setdefault(row.gid, []).append(_seat(row))
        return [
            PastRound(seq, tuple(tuple(seats) for seats in groups.values()))
            for seq, groups in rounds.items()
        ]

    async def has_round(self, key: RoundKey) -> bool:
        query = select(_rounds.c.id).where(_rounds.c.key == key.encode())
        return (await self._conn.execute(query)).first() is not None

    async def start_round(
        self, key: RoundKey, seq: int, at: datetime, report: Mapping[str, int]
    ) -> int | None:
        statement = (
            upsert_insert(self._conn, _rounds)
            .values(
                key=key.encode(),
                platform=key.platform,
                workspace=key.workspace,
                period=key.period,
                seq=seq,
                planned_at=at,
                report=dict(report),
            )
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(_rounds.c.id)
        )
        return cast(int | None, (await self._conn.execute(statement)).scalar())

    async def add_groups(self, round_id: int, groups: Sequence[NewGroup]) -> None:
        for group in groups:
            group_id = (
                await self._conn.execute(
                    _groups.insert()
                    .values(
                        round_id=round_id,
                        shares_lang=group.shares_lang,
                        shares_hours=group.shares_hours,
                        intro_at=group.intro_at,
                        planned=False,
                    )
                    .returning(_groups.c.id)
                )
            ).scalar_one()
            await self._conn.execute(
                _seats.insert(),
                [
                    {
                        "group_id": group_id,
                        "member_id": seat.member_id,
                        "position": position,
                        "quiet": seat.quiet,
                        "slowed": seat.slowed,
                        "answer": seat.answer,
                    }
                    for position, seat in enumerate(group.seats)
                ],
            )

    async def _groups_where(
        self, *where: Any, limit: int | None = None, lock: bool = False
    ) -> list[Group]:
        query = (
            select(
                _groups,
                _rounds.c.platform,
                _rounds.c.workspace,
                _rounds.c.seq,
            )
            .join(_rounds, _rounds.c.id == _groups.c.round_id)
            .where(*where)
            .order_by(_groups.c.id)
            .limit(limit)
        )
        if lock and self._conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=_groups)
        heads = list(await self._conn.execute(query))
        if not heads:
            return []
        seats: dict[int, list[Seat]] = {}
        rows = await self._conn.execute(
            select(_seats)
            .where(_seats.c.group_id.in_([h.id for h in heads]))
            .order_by(_seats.c.group_id, _seats.c.position)
        )
        for row in rows:
            seats.setdefault(row.group_id, []).append(_seat(row))
        return [
            Group(
                id=h.id,
                round_id=h.round_id,
                platform=cast(Platform, h.platform),
                workspace=h.workspace,
                seq=h.seq,
                seats=tuple(seats.get(h.id, ())),
                shares_lang=h.shares_lang,
                shares_hours=h.shares_hours,
                intro_at=h.intro_at,
            )
            for h in heads
        ]

    async def unplanned(self, limit: int) -> Sequence[Group]:
        return await self._groups_where(_groups.c.planned.is_(False), limit=limit, lock=True)

    async def mark_planned(self, group_ids: Sequence[int]) -> None:
        if group_ids:
            await self._conn.execute(
                update(_groups).where(_groups.c.id.in_(list(group_ids))).values(planned=True)
            )

    async def group(self, group_id: int) -> Group | None:
        found = await self._groups_where(_groups.c.id == group_id)
        return found[0] if found else None

    async def answer(self, group_id: int, member_id: int, answer: Answer) -> bool:
        result = await self._conn.execute(
            update(_seats)
            .where(_seats.c.group_id == group_id, _seats.c.member_id == member_id)
            .values(answer=answer)
        )
        return bool(result.rowcount)

    async def meetings(self, member_id: int) -> Sequence[datetime]:
        query = (
            select(_groups.c.intro_at)
            .join(_seats, _seats.c.group_id == _groups.c.id)
            .where(_seats.c.member_id == member_id)
            .order_by(_groups.c.intro_at)
        )
        return list((await self._conn.execute(query)).scalars())

    async def count_rounds(self) -> int:
        """For tests and benchmarks."""
        return int(
            (await self._conn.execute(select(func.count()).select_from(_rounds))).scalar_one()
        )
