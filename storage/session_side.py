"""The sessions repository's side tables: session form drafts, members'
calendar feed tokens and the language of each channel's posts (see
`storage.session_repository.SqlSessionRepo`, which is built on this)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.engine import Row

from bot.features.sessions.model import Draft
from bot.model import ChannelRef, Lang
from storage.db import upsert_insert
from storage.rows import OnConnection, first_record, insert_one, upsert
from storage.session_tables import ChannelLangRow, FeedTokenRow, SessionDraftRow

_drafts = cast(Table, SessionDraftRow.__table__)
_tokens = cast(Table, FeedTokenRow.__table__)
_channel_langs = cast(Table, ChannelLangRow.__table__)


def _draft(row: Row[Any]) -> Draft:
    return Draft(
        id=row.id,
        author_member_id=row.member_id,
        channel=ChannelRef(row.platform, row.workspace, row.channel_id),
        target=row.target_id,
        values=dict(row.values or {}),
        created_at=row.created_at,
    )


class SessionSideTables(OnConnection):
    # ----------------------------------------------------------------- drafts
    async def add_draft(
        self,
        *,
        author_member_id: int,
        channel: ChannelRef,
        target: int | None,
        values: Mapping[str, str],
        now: datetime,
    ) -> Draft:
        return await insert_one(
            self._conn,
            _drafts,
            _draft,
            member_id=author_member_id,
            platform=channel.platform,
            workspace=channel.workspace,
            channel_id=channel.id,
            target_id=target,
            values=dict(values),
            created_at=now,
        )

    async def member_drafts(self, member_id: int) -> int:
        stmt = select(func.count()).select_from(_drafts).where(_drafts.c.member_id == member_id)
        return int((await self._conn.execute(stmt)).scalar_one())

    async def get_draft(self, draft_id: int) -> Draft | None:
        stmt = select(_drafts).where(_drafts.c.id == draft_id)
        return await first_record(self._conn, stmt, _draft)

    async def update_draft(self, draft_id: int, values: Mapping[str, str]) -> None:
        stmt = update(_drafts).where(_drafts.c.id == draft_id).values(values=dict(values))
        await self._conn.execute(stmt)

    async def delete_draft(self, draft_id: int) -> None:
        await self._conn.execute(delete(_drafts).where(_drafts.c.id == draft_id))

    # ----------------------------------------------------------------- feeds and channels
    async def feed_token(self, member_id: int, new_token: str) -> str:
        stmt = (
            upsert_insert(self._conn, _tokens)
            .values(member_id=member_id, token=new_token)
            .on_conflict_do_nothing(index_elements=["member_id"])
        )
        await self._conn.execute(stmt)
        row = await self._conn.execute(
            select(_tokens.c.token).where(_tokens.c.member_id == member_id)
        )
        return str(row.scalar_one())

    async def has_feed(self, member_id: int) -> bool:
        stmt = select(_tokens.c.member_id).where(_tokens.c.member_id == member_id)
        return (await self._conn.execute(stmt)).first() is not None

    async def replace_feed_token(self, member_id: int, new_token: str) -> None:
        await self._conn.execute(delete(_tokens).where(_tokens.c.member_id == member_id))
        await self._conn.execute(insert(_tokens).values(member_id=member_id, token=new_token))

    async def channel_lang(self, channel: ChannelRef) -> Lang | None:
        c = _channel_langs.c
        stmt = select(c.lang).where(
            c.platform == channel.platform,
            c.workspace == channel.workspace,
            c.channel_id == channel.id,
        )
        found = (await self._conn.execute(stmt)).scalar_one_or_none()
        return None if found is None else cast(Lang, found)

    async def set_channel_lang(self, channel: ChannelRef, lang: Lang, *, now: datetime) -> None:
        key = {
            "platform": channel.platform,
            "workspace": channel.workspace,
            "channel_id": channel.id,
        }
        await upsert(self._conn, _channel_langs, key, {"lang": lang, "set_at": now})

    async def member_for_feed(self, token: str) -> int | None:
        stmt = select(_tokens.c.member_id).where(_tokens.c.token == token)
        found = (await self._conn.execute(stmt)).scalar_one_or_none()
        return None if found is None else int(found)
