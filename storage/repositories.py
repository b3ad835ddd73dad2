"""`bot.ports.Store` on SQLAlchemy Core: SQLite and PostgreSQL.

A unit is one connection in one transaction; the repositories of a unit share
it. Statements are Core `select`/`insert`/`update`/`delete` built on the tables
of `storage.tables`, and rows are converted to the core's dataclasses before
they leave this module: no ORM identity map, no lazy loads, no N+1. Each
repository method is one round trip (two for `MemberRepo.create` when the
member already exists).

Batches: a round trip costs about half a millisecond to a millisecond, so a
planner calling `add` and `save` per member spends ~2 s per 1000 members.
`SqlDeliveryRepo.add_many` and `SqlMemberRepo.save_many` do a batch in one
statement each (~30-45 ms per 1000 on either database); they are not in
`bot.ports` yet.

Concurrency:
- PostgreSQL: `claim`, `take_expired` and `due_for_nudge` lock the rows they
  pick with ``FOR UPDATE SKIP LOCKED``, so instances working at the same time
  take disjoint sets; the locks last until the unit ends. A claimed delivery
  then stays its claimer's through a lease (`SqlDeliveryRepo`).
- SQLite: every unit starts with ``BEGIN IMMEDIATE`` (see `storage.db`), so
  units that write are serialised by the database itself.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, assert_never, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.model import (
    Cadence,
    ChannelRef,
    Destination,
    EntryKind,
    JourneyEntry,
    Lang,
    Member,
    MessageRef,
    NudgePrefs,
    Platform,
    UserRef,
)
from bot.ports import (
    DEFAULT_LEASE,
    Delivery,
    DeliveryRepo,
    DeliveryStatus,
    JourneyRepo,
    MemberRepo,
    NewDelivery,
)
from storage.db import make_engine
from storage.session_repository import SqlSessionRepo
from storage.tables import (
    DeliveryRow,
    JourneyEntryRow,
    MemberRow,
    UTCDateTime,
    nudge_candidate,
)

if TYPE_CHECKING:
    from bot.ports import Store, Unit
    from bot.sessions.ports import SessionRepo

__all__ = [
    "SqlDeliveryRepo",
    "SqlJourneyRepo",
    "SqlMemberRepo",
    "SqlStore",
    "SqlUnit",
    "open_store",
]

_members = cast(Table, MemberRow.__table__)
_journey = cast(Table, JourneyEntryRow.__table__)
_deliveries = cast(Table, DeliveryRow.__table__)


def _upsert_insert(conn: AsyncConnection, table: Table) -> pg.Insert | sqlite.Insert:
    """The dialect's INSERT, which knows ``ON CONFLICT``."""
    name = conn.dialect.name
    if name == "postgresql":
        return pg.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"ippo's store does not support the {name!r} database")


# --------------------------------------------------------------------------- members


def _member(row: Row[Any]) -> Member:
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


def _member_values(member: Member) -> dict[str, Any]:
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


def _user_is(user: UserRef) -> tuple[Any, ...]:
    m = _members.c
    return (m.platform == user.platform, m.workspace == user.workspace, m.user_id == user.id)


class SqlMemberRepo:
    """`bot.ports.MemberRepo` on one unit's connection."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get(self, user: UserRef) -> Member | None:
        row = (await self._conn.execute(select(_members).where(*_user_is(user)))).first()
        return None if row is None else _member(row)

    async def get_by_id(self, member_id: int) -> Member | None:
        stmt = select(_members).where(_members.c.id == member_id)
        row = (await self._conn.execute(stmt)).first()
        return None if row is None else _member(row)

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
            _upsert_insert(self._conn, _members)
            .values(
                platform=user.platform,
                workspace=user.workspace,
                user_id=user.id,
                created_at=now,
                **_member_values(defaults),
            )
            .on_conflict_do_nothing(index_elements=["platform", "workspace", "user_id"])
            .returning(*_members.c)
        )
        row = (await self._conn.execute(stmt)).first()
        if row is not None:
            return _member(row)
        existing = await self.get(user)
        if existing is None:  # pragma: no cover - the conflicting row cannot vanish
            raise LookupError(f"member for {user} conflicted but was not found")
        return existing

    async def save(self, member: Member) -> Member:
        """Write every mutable field; raises LookupError if the member is gone."""
        stmt = update(_members).where(_members.c.id == member.id).values(**_member_values(member))
        result = await self._conn.execute(stmt)
        if result.rowcount != 1:
            raise LookupError(f"member {member.id} does not exist")
        return member

    async def delete(self, member_id: int) -> None:
        """Delete the member; ON DELETE CASCADE removes their journey and the
        deliveries addressed to them (and, later, any other row that refers to
        the member). `DeliveryRepo.add` links DMs to their member for this."""
        await self._conn.execute(delete(_members).where(_members.c.id == member_id))

    async def due_for_nudge(self, now: datetime, limit: int) -> Sequence[Member]:
        m = _members.c
        stmt = (
            select(_members)
            .where(nudge_candidate(), m.next_nudge_at <= now)
            .order_by(m.next_nudge_at, m.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_member(row) for row in await self._conn.execute(stmt)]

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
        return [_member(row) for row in await self._conn.execute(stmt)]

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
        params = [{"member_pk": m.id, **_member_values(m)} for m in members]
        result = await self._conn.execute(stmt, params)
        if self._conn.dialect.supports_sane_multi_rowcount and result.rowcount != len(members):
            raise LookupError("some of the members to save do not exist")


# --------------------------------------------------------------------------- journey


def _entry(row: Row[Any]) -> JourneyEntry:
    return JourneyEntry(
        id=row.id,
        member_id=row.member_id,
        kind=EntryKind(row.kind),
        at=row.at,
        step_id=row.step_id,
        text=row.text,
        note=row.note,
    )


class SqlJourneyRepo:
    """`bot.ports.JourneyRepo` on one unit's connection."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

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
        stmt = (
            _journey.insert()
            .values(
                member_id=member_id,
                kind=kind.value,
                at=at,
                step_id=step_id,
                text=text,
                note=note,
            )
            .returning(*_journey.c)
        )
        return _entry((await self._conn.execute(stmt)).one())

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


# --------------------------------------------------------------------------- deliveries


def _destination(row: Row[Any]) -> Destination:
    if row.to_kind == "user":
        return UserRef(platform=row.to_platform, workspace=row.to_workspace, id=row.to_id)
    if row.to_kind == "channel":
        return ChannelRef(platform=row.to_platform, workspace=row.to_workspace, id=row.to_id)
    raise ValueError(f"delivery {row.id}: unknown destination kind {row.to_kind!r}")


def _destination_values(to: Destination) -> dict[str, str]:
    match to:
        case UserRef():
            kind = "user"
        case ChannelRef():
            kind = "channel"
        case _:
            assert_never(to)
    return {
        "to_platform": to.platform,
        "to_workspace": to.workspace,
        "to_kind": kind,
        "to_id": to.id,
    }


def _delivery(row: Row[Any]) -> Delivery:
    payload: Mapping[str, str] = dict(row.payload or {})
    return Delivery(
        id=row.id,
        key=row.key,
        kind=row.kind,
        to=_destination(row),
        status=DeliveryStatus(row.status),
        not_before=row.not_before,
        expires_at=row.expires_at,
        member_id=row.member_id,
        payload=payload,
        attempts=row.attempts,
        claimed_at=row.claimed_at,
        sent_at=row.sent_at,
        message_id=row.message_id,
        channel_id=row.channel_id,
        error=row.error,
        lease_until=row.lease_until,
        claim_token=row.claim_token,
        lookup_failures=row.lookup_failures,
    )


_PG_ADD_MANY = text(
    """
    INSERT INTO deliveries (key, kind, to_platform, to_workspace, to_kind, to_id, member_id,
                            payload, status, not_before, expires_at, attempts)
    SELECT key, kind, to_platform, to_workspace, to_kind, to_id, member_id,
           CAST(payload AS json), 'pending', not_before, expires_at, 0
    FROM unnest(
        CAST(:key AS varchar[]), CAST(:kind AS varchar[]), CAST(:to_platform AS varchar[]),
        CAST(:to_workspace AS varchar[]), CAST(:to_kind AS varchar[]), CAST(:to_id AS varchar[]),
        CAST(:member_id AS integer[]), CAST(:payload AS text[]),
        CAST(:not_before AS timestamptz[]), CAST(:expires_at AS timestamptz[])
    ) AS new (key, kind, to_platform, to_workspace, to_kind, to_id, member_id,
              payload, not_before, expires_at)
    ON CONFLICT (key) DO NOTHING
    RETURNING key
    """
)


_NO_LEASE: dict[str, Any] = {"lease_until": None, "claim_token": None}


def _held_by(token: str) -> tuple[ColumnElement[bool], ...]:
    """A delivery still SENDING under the claim `token`."""
    d = _deliveries.c
    return (d.status == DeliveryStatus.SENDING.value, d.claim_token == token)


def _lease_end() -> ColumnElement[Any]:
    """Recovery's order: oldest lease end first. A row claimed by a version
    without leases (a rolling upgrade) has none; its claim time stands in
    (and `_expired_by` gives it the default lease)."""
    d = _deliveries.c
    return func.coalesce(d.lease_until, d.claimed_at)


def _expired_by(now: datetime) -> tuple[ColumnElement[bool], ...]:
    d = _deliveries.c
    return (
        d.status == DeliveryStatus.SENDING.value,
        or_(
            d.lease_until <= now,
            and_(d.lease_until.is_(None), d.claimed_at <= now - DEFAULT_LEASE),
        ),
    )


class SqlDeliveryRepo:
    """`bot.ports.DeliveryRepo` on one unit's connection.

    SENDING is a lease (`claim_token`, `lease_until`): `claim` and
    `take_expired` grant it, `renew` extends it, and the writes that end it
    (`mark_sent`, `reschedule`, `finish`, `defer_lookup`) given a token touch
    the row only while that token still holds it.
    """

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, delivery: NewDelivery) -> bool:
        """Insert unless the key exists; True if inserted.

        ``INSERT ... ON CONFLICT (key) DO NOTHING``: an existing key is not an
        error, so the surrounding unit goes on and commits. A DM whose
        `member_id` is not given is linked to the member of its UserRef (if
        any), so deleting that member deletes it too.
        """
        member_id: Any = delivery.member_id
        if member_id is None and isinstance(delivery.to, UserRef):
            member_id = select(_members.c.id).where(*_user_is(delivery.to)).scalar_subquery()
        stmt = (
            _upsert_insert(self._conn, _deliveries)
            .values(
                key=delivery.key,
                kind=delivery.kind,
                member_id=member_id,
                payload=dict(delivery.payload),
                status=DeliveryStatus.PENDING.value,
                not_before=delivery.not_before,
                expires_at=delivery.expires_at,
                attempts=0,
                **_destination_values(delivery.to),
            )
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(_deliveries.c.id)
        )
        return (await self._conn.execute(stmt)).first() is not None

    async def add_many(self, deliveries: Sequence[NewDelivery]) -> set[str]:
        """`add` for a batch: inserts those whose key is new and returns the
        keys inserted. One statement (plus one query when DMs lack
        `member_id`)."""
        if not deliveries:
            return set()
        owners = await self._owners(
            {d.to for d in deliveries if d.member_id is None and isinstance(d.to, UserRef)}
        )
        rows = [
            {
                "key": d.key,
                "kind": d.kind,
                "member_id": d.member_id if d.member_id is not None else owners.get(d.to),
                "payload": dict(d.payload),
                "not_before": d.not_before,
                "expires_at": d.expires_at,
                **_destination_values(d.to),
            }
            for d in deliveries
        ]
        if self._conn.dialect.name == "postgresql":
            return await self._add_many_unnest(rows)
        stmt = (
            _upsert_insert(self._conn, _deliveries)
            .values(status=DeliveryStatus.PENDING.value, attempts=0)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(_deliveries.c.key)
        )
        result = await self._conn.execute(stmt, rows)
        return set(result.scalars().all())

    async def _add_many_unnest(self, rows: list[dict[str, Any]]) -> set[str]:
        """PostgreSQL: one array parameter per column, ``unnest``ed into rows.

        SQLAlchemy's multi-row VALUES works too, but psycopg then parses a
        statement with ten thousand placeholders in Python, several times
        slower than this for a batch of 1000.
        """
        utc = UTCDateTime()
        arrays = {
            column: [
                utc.process_bind_param(r[column], self._conn.dialect)
                if column in ("not_before", "expires_at")
                else json.dumps(r[column])
                if column == "payload"
                else r[column]
                for r in rows
            ]
            for column in rows[0]
        }
        return set((await self._conn.execute(_PG_ADD_MANY, arrays)).scalars().all())

    async def _owners(self, users: set[Destination]) -> dict[Destination, int]:
        """Member ids of the given UserRefs (those that have a member)."""
        refs = [u for u in users if isinstance(u, UserRef)]
        if not refs:
            return {}
        m = _members.c
        stmt = select(m.id, m.platform, m.workspace, m.user_id).where(
            tuple_(m.platform, m.workspace, m.user_id).in_(
                [(u.platform, u.workspace, u.id) for u in refs]
            )
        )
        return {
            UserRef(platform=r.platform, workspace=r.workspace, id=r.user_id): r.id
            for r in await self._conn.execute(stmt)
        }

    async def claim(
        self,
        now: datetime,
        limit: int,
        *,
        token: str | None = None,
        lease_until: datetime | None = None,
    ) -> Sequence[Delivery]:
        """One statement: ``UPDATE ... WHERE id IN (SELECT id ... ORDER BY
        not_before LIMIT n FOR UPDATE SKIP LOCKED) RETURNING *``."""
        d = _deliveries.c
        due = (
            select(d.id)
            .where(d.status == DeliveryStatus.PENDING.value, d.not_before <= now)
            .order_by(d.not_before, d.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        stmt = (
            update(_deliveries)
            .where(d.id.in_(due))
            .values(
                status=DeliveryStatus.SENDING.value,
                attempts=d.attempts + 1,
                claimed_at=now,
                claim_token=token or uuid.uuid4().hex,
                lease_until=lease_until or now + DEFAULT_LEASE,
            )
            .returning(*_deliveries.c)
        )
        claimed = [_delivery(row) for row in await self._conn.execute(stmt)]
        claimed.sort(key=lambda x: (x.not_before, x.id))  # RETURNING has no order
        return claimed

    async def renew(
        self, delivery_ids: Collection[int], *, token: str, lease_until: datetime
    ) -> set[int]:
        if not delivery_ids:
            return set()
        d = _deliveries.c
        stmt = (
            update(_deliveries)
            .where(d.id.in_(list(delivery_ids)), *_held_by(token))
            .values(lease_until=lease_until)
            .returning(d.id)
        )
        return set((await self._conn.execute(stmt)).scalars().all())

    async def mark_sent(
        self,
        delivery_id: int,
        *,
        at: datetime,
        message_id: str,
        channel_id: str,
        token: str | None = None,
    ) -> bool:
        return await self._set(
            delivery_id,
            token,
            status=DeliveryStatus.SENT.value,
            sent_at=at,
            message_id=message_id,
            channel_id=channel_id,
            **_NO_LEASE,
        )

    async def reschedule(
        self, delivery_id: int, *, not_before: datetime, error: str, token: str | None = None
    ) -> bool:
        return await self._set(
            delivery_id,
            token,
            status=DeliveryStatus.PENDING.value,
            not_before=not_before,
            error=error,
            claimed_at=None,
            **_NO_LEASE,
        )

    async def finish(
        self, delivery_id: int, status: DeliveryStatus, *, error: str, token: str | None = None
    ) -> bool:
        if status not in (DeliveryStatus.FAILED, DeliveryStatus.SKIPPED):
            raise ValueError(f"finish() takes FAILED or SKIPPED, not {status}")
        return await self._set(delivery_id, token, status=status.value, error=error, **_NO_LEASE)

    async def defer_lookup(
        self, delivery_id: int, *, token: str, until: datetime, error: str, failed: bool = True
    ) -> bool:
        d = _deliveries.c
        return await self._set(
            delivery_id,
            token,
            lease_until=until,
            claim_token=None,
            error=error,
            lookup_failures=d.lookup_failures + (1 if failed else 0),
        )

    async def take_expired(
        self, now: datetime, limit: int, *, token: str, lease_until: datetime
    ) -> Sequence[Delivery]:
        """``UPDATE ... WHERE id IN (SELECT id ... expired ... FOR UPDATE SKIP
        LOCKED) RETURNING *``, as `claim`."""
        d = _deliveries.c
        expired = (
            select(d.id)
            .where(*_expired_by(now))
            .order_by(_lease_end(), d.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        stmt = (
            update(_deliveries)
            .where(d.id.in_(expired))
            .values(claim_token=token, lease_until=lease_until)
            .returning(*_deliveries.c)
        )
        taken = [_delivery(row) for row in await self._conn.execute(stmt)]
        taken.sort(key=lambda x: (x.claimed_at or now, x.id))  # RETURNING has no order
        return taken

    async def stuck(self, expired_by: datetime, limit: int) -> Sequence[Delivery]:
        d = _deliveries.c
        stmt = (
            select(_deliveries)
            .where(*_expired_by(expired_by))
            .order_by(_lease_end(), d.id)
            .limit(limit)
        )
        return [_delivery(row) for row in await self._conn.execute(stmt)]

    async def recipient_of(self, message: MessageRef) -> int | None:
        d = _deliveries.c
        stmt = select(d.member_id).where(
            d.message_id == message.message_id,
            d.channel_id == message.channel_id,
            d.to_platform == message.platform,
            d.to_kind == "user",
        )
        return (await self._conn.execute(stmt.limit(1))).scalar_one_or_none()

    async def get(self, key: str) -> Delivery | None:
        stmt = select(_deliveries).where(_deliveries.c.key == key)
        row = (await self._conn.execute(stmt)).first()
        return None if row is None else _delivery(row)

    async def for_member(self, member_id: int) -> Sequence[Delivery]:
        d = _deliveries.c
        stmt = select(_deliveries).where(d.member_id == member_id).order_by(d.not_before, d.id)
        return [_delivery(row) for row in await self._conn.execute(stmt)]

    async def cancel_pending(self, *, key_prefix: str) -> int:
        d = _deliveries.c
        stmt = (
            update(_deliveries)
            .where(
                d.status == DeliveryStatus.PENDING.value,
                # autoescape: "%" and "_" in the prefix are literal characters
                d.key.startswith(key_prefix, autoescape=True),
            )
            .values(status=DeliveryStatus.SKIPPED.value)
        )
        return (await self._conn.execute(stmt)).rowcount

    async def _set(self, delivery_id: int, token: str | None, **values: Any) -> bool:
        """Update one delivery: any, or (with `token`) only while that claim
        holds it. An unknown id without a token is a LookupError."""
        stmt = update(_deliveries).where(_deliveries.c.id == delivery_id)
        if token is not None:
            stmt = stmt.where(*_held_by(token))
        result = await self._conn.execute(stmt.values(**values))
        if result.rowcount == 1:
            return True
        if token is None:
            raise LookupError(f"delivery {delivery_id} does not exist")
        return False


# --------------------------------------------------------------------------- store


class SqlUnit:
    """One transaction: the repositories share `connection`.

    Storage code that adds tables (e.g. a sessions repository) can build its
    repository on `connection` to take part in the same transaction.
    """

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        # Typed as the Protocols: bot.ports.Unit declares plain (settable)
        # attributes, which mypy matches invariantly.
        self.members: MemberRepo = SqlMemberRepo(connection)
        self.journey: JourneyRepo = SqlJourneyRepo(connection)
        self.deliveries: DeliveryRepo = SqlDeliveryRepo(connection)
        self.sessions: SessionRepo = SqlSessionRepo(connection)


class SqlStore:
    """`bot.ports.Store` on an AsyncEngine (SQLite or PostgreSQL).

    The store does not create or upgrade the schema: call
    `storage.upgrade_database(url)` first.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[SqlUnit]:
        """One connection, one transaction: committed when the block ends
        normally, rolled back when it raises (cancellation included)."""
        async with self.engine.begin() as conn:
            yield SqlUnit(conn)

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def open_store(url: str) -> SqlStore:
    """A store on `url` (sync-style URLs are fine; see `storage.db`)."""
    return SqlStore(make_engine(url))


if TYPE_CHECKING:  # the implementations satisfy the core's Protocols
    _store: Store = SqlStore(cast(AsyncEngine, None))
    _unit: Unit = SqlUnit(cast(AsyncConnection, None))
    _members_repo: MemberRepo = SqlMemberRepo(cast(AsyncConnection, None))
    _journey_repo: JourneyRepo = SqlJourneyRepo(cast(AsyncConnection, None))
    _deliveries_repo: DeliveryRepo = SqlDeliveryRepo(cast(AsyncConnection, None))
