"""The console inbox on the store's database (table `console_inbox`).

What the console deployment "posts" — a nudge in a member's DM, an
announcement in a channel — is written here by `ConsoleMessenger` and shown
by `ConsoleChat`, in whichever processes they run: `ippo tick` from cron and
an `ippo chat` opened later share one database, and so do the scheduler and
the chat of `ippo run`. Each call is its own short transaction.

Who sees what: a DM is shown to the member it is for, once; a group post
(a coffee introduction) once to each of its members; a channel post
is shown once to each member who opens a chat within `KEEP_SHOWN` of it (as
everyone in a channel sees a post). Shown messages stay a while, so a press
on their buttons, an update or a crash recovery still finds them, and are
purged `KEEP_SHOWN` after they were first shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import assert_never, cast

from sqlalchemy import ColumnElement, Table, and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.model import ChannelRef, Destination, GroupRef, UserRef, split_members
from storage.console_tables import ConsoleInboxRow
from storage.rows import first_record

__all__ = ["CONSOLE_WORKSPACE", "KEEP_SHOWN", "InboxItem", "SqlConsoleInbox", "forget_dms"]

CONSOLE_WORKSPACE = "console"
KEEP_SHOWN = timedelta(days=30)
"""How long a shown message stays (its buttons stay pressable meanwhile)."""

_inbox = cast(Table, ConsoleInboxRow.__table__)


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One stored console message: `text` as rendered, its buttons' action ids
    numbered from 1, and whether it was edited after it was posted."""

    id: int
    to: Destination
    text: str
    actions: tuple[str, ...]
    posted_at: datetime
    updated: bool = False


def _to_row(to: Destination) -> tuple[str, str]:
    match to:
        case UserRef(id=to_id):
            return "user", to_id
        case ChannelRef(id=to_id):
            return "channel", to_id
        case GroupRef():
            return "group", to.joined
        case _:
            assert_never(to)


def _item(row: Row[tuple[object, ...]]) -> InboxItem:
    m = row._mapping
    to_id = str(m["to_id"])
    to: Destination
    if m["to_kind"] == "user":
        to = UserRef("console", CONSOLE_WORKSPACE, to_id)
    elif m["to_kind"] == "group":
        to = GroupRef("console", CONSOLE_WORKSPACE, split_members(to_id))
    else:
        to = ChannelRef("console", CONSOLE_WORKSPACE, to_id)
    return InboxItem(
        id=int(cast(int, m["id"])),
        to=to,
        text=str(m["text"]),
        actions=tuple(cast(list[str], m["actions"] or [])),
        posted_at=cast(datetime, m["posted_at"]),
        updated=m["updated_at"] is not None,
    )


def _unseen(row: Row[tuple[object, ...]], user_id: str) -> bool:
    m = row._mapping
    if m["to_kind"] == "group" and user_id not in split_members(str(m["to_id"])):
        return False
    return user_id not in cast(list[str], m["seen_by"] or [])


async def forget_dms(conn: AsyncConnection, user_id: str) -> int:
    """Delete every DM kept for console user `user_id`, on the caller's
    transaction: what deleting a console member (`/ippo forget`) must also
    remove. Channel posts are the channel's, not the member's, but the record
    that the member saw one (`seen_by`) is theirs and goes too. A group post
    names its members, so one naming `user_id` goes for everyone in it."""
    c = _inbox.c
    result = await conn.execute(delete(_inbox).where(c.to_kind == "user", c.to_id == user_id))
    groups = await conn.execute(select(c.id, c.to_id).where(_names(user_id)))
    gone = [row_id for row_id, to_id in groups.all() if user_id in split_members(to_id)]
    if gone:
        await conn.execute(delete(_inbox).where(c.id.in_(gone)))
    posts = await conn.execute(select(c.id, c.seen_by).where(c.to_kind == "channel"))
    for post_id, seen_by in posts.all():
        if user_id in (seen_by or []):
            others = [u for u in seen_by if u != user_id]
            await conn.execute(update(_inbox).where(c.id == post_id).values(seen_by=others))
    return int(result.rowcount) + len(gone)


def _names(user_id: str) -> ColumnElement[bool]:
    """Group posts whose members may include `user_id` (a substring match the
    caller narrows with `split_members`)."""
    c = _inbox.c
    return and_(c.to_kind == "group", c.to_id.contains(user_id, autoescape=True))


class SqlConsoleInbox:
    """The console inbox, shared by every process on one database."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def post(
        self,
        to: Destination,
        text: str,
        actions: Sequence[str],
        *,
        now: datetime,
        delivery_key: str | None = None,
    ) -> int:
        """Store a message for `to`; its id. A delivery already posted is not
        posted twice: its first message's id comes back."""
        kind, to_id = _to_row(to)
        async with self._engine.begin() as conn:
            if delivery_key is not None:
                found = await conn.execute(
                    select(_inbox.c.id).where(_inbox.c.delivery_key == delivery_key)
                )
                existing = found.scalar_one_or_none()
                if existing is not None:
                    return int(existing)
            result = await conn.execute(
                insert(_inbox)
                .values(
                    to_kind=kind,
                    to_id=to_id,
                    delivery_key=delivery_key,
                    text=text,
                    actions=list(actions),
                    posted_at=now,
                    seen_by=[],
                )
                .returning(_inbox.c.id)
            )
            return int(result.scalar_one())

    async def replace(
        self, message_id: int, text: str, actions: Sequence[str], *, now: datetime
    ) -> bool:
        """Edit a stored message; it is shown again. False if it is gone."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(_inbox)
                .where(_inbox.c.id == message_id)
                .values(text=text, actions=list(actions), updated_at=now, shown_at=None, seen_by=[])
            )
            return bool(result.rowcount)

    async def find(self, delivery_key: str) -> InboxItem | None:
        """The message that carried `delivery_key`, if it was posted."""
        async with self._engine.connect() as conn:
            stmt = select(_inbox).where(_inbox.c.delivery_key == delivery_key)
            return await first_record(conn, stmt, _item)

    async def get(self, message_id: int) -> InboxItem | None:
        async with self._engine.connect() as conn:
            stmt = select(_inbox).where(_inbox.c.id == message_id)
            return await first_record(conn, stmt, _item)

    async def take_unshown(self, user_id: str, *, now: datetime) -> list[InboxItem]:
        """What `user_id`'s chat has not shown yet — their DMs, the group posts
        naming them, and the channel posts of the last `KEEP_SHOWN` — that
        they have not seen, oldest first, marked shown for them in the same
        transaction."""
        c = _inbox.c
        mine = or_(
            and_(c.to_kind == "user", c.to_id == user_id, c.shown_at.is_(None)),
            _names(user_id),
            and_(
                c.to_kind == "channel", func.coalesce(c.updated_at, c.posted_at) > now - KEEP_SHOWN
            ),
        )
        async with self._engine.begin() as conn:
            rows = (await conn.execute(select(_inbox).where(mine).order_by(c.id))).all()
            rows = [r for r in rows if _unseen(r, user_id)]
            for row in rows:
                seen = [*(row._mapping["seen_by"] or []), user_id]
                first = row._mapping["shown_at"] or now
                await conn.execute(
                    update(_inbox)
                    .where(c.id == row._mapping["id"])
                    .values(shown_at=first, seen_by=seen)
                )
        return [_item(row) for row in rows]

    async def purge(self, *, now: datetime, keep: timedelta = KEEP_SHOWN) -> int:
        """Forget messages first shown more than `keep` ago, and channel posts
        no chat will show any more; how many."""
        c = _inbox.c
        old = now - keep
        stale_post = and_(c.to_kind == "channel", func.coalesce(c.updated_at, c.posted_at) <= old)
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(_inbox).where(or_(c.shown_at <= old, stale_post)))
            return int(result.rowcount)
