"""Who may do what, and the records a command or button acts on.

Organizers are decided here (`config.organizers`), never by hiding buttons.
Every session belongs to one platform workspace and nobody sees another's.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.features.sessions.cards import fmt_day
from bot.features.sessions.dates import parse_day
from bot.features.sessions.model import Draft, Occurrence, Session, SessionStatus
from bot.features.sessions.recurrence import find_occurrence, occurrences_between
from bot.model import ChannelRef
from bot.parse import record_id
from bot.router import Ctx, UserError

_CHANNEL = re.compile(r"<?#?(?P<id>[A-Za-z0-9_\-]{1,64})(?:\|[^>]*)?>?")


def require_organizer(ctx: Ctx) -> None:
    """Enforced here, in the core, not by hiding buttons."""
    if not ctx.config.organizers.allows(ctx.event.actor):
        raise UserError("sessions.only_organizers")


def in_workspace(ctx: Ctx, channel: ChannelRef) -> bool:
    user = ctx.event.actor.user
    return channel.platform == user.platform and channel.workspace == user.workspace


def channel_of(ctx: Ctx, raw: str) -> ChannelRef | None:
    """A typed channel (an id, #name or a Slack <#C…|name> mention) in the
    actor's workspace; blank is the channel the actor typed in, if any."""
    user = ctx.event.actor.user
    if not raw:
        where = ctx.event.where
        return where if where is not None and in_workspace(ctx, where) else None
    m = _CHANNEL.fullmatch(raw)
    return ChannelRef(user.platform, user.workspace, m["id"]) if m else None


async def typed_session(ctx: Ctx, raw_id: str) -> Session:
    """The session a member typed ("12" or "#12"): see `workspace_session`."""
    raw = raw_id.lstrip("#")
    session_id = record_id(raw)
    if session_id is None:
        raise UserError("sessions.no_such", id=raw_id)
    return await workspace_session(ctx, session_id, shown=raw_id)


async def workspace_session(ctx: Ctx, session_id: int, *, shown: str = "") -> Session:
    """An active session of the actor's workspace, or a clear error."""
    session = await ctx.uow.sessions.get(session_id)
    if session is None or not in_workspace(ctx, session.channel):
        raise UserError("sessions.no_such", id=shown or str(session_id))
    if session.status is not SessionStatus.ACTIVE:
        raise UserError("sessions.not_active", id=shown.lstrip("#") or str(session_id))
    return session


async def live_occurrence(ctx: Ctx, session: Session, original: datetime) -> Occurrence:
    changes = await ctx.uow.sessions.changes(session.id)
    occ = await asyncio.to_thread(find_occurrence, session, changes, original)
    if occ is None or occ.cancelled or occ.end <= ctx.now:
        raise UserError("sessions.occurrence_gone")
    return occ


async def occurrence_on(ctx: Ctx, session: Session, raw_day: str) -> Occurrence:
    """The occurrence held on a typed day (in the session's timezone)."""
    tz = session.fields.tz
    day = parse_day(raw_day, now=ctx.now, tz=tz)
    if day is None:
        raise UserError("sessions.bad_day", value=raw_day)
    start = datetime.combine(day, datetime.min.time(), ZoneInfo(tz))
    changes = await ctx.uow.sessions.changes(session.id)
    found = await asyncio.to_thread(
        occurrences_between, session, changes, start, start + timedelta(days=1)
    )
    if not found:
        raise UserError("sessions.no_occurrence", id=session.id, day=fmt_day(ctx.t, day))
    return found[0]


async def own_draft(ctx: Ctx, draft_id: int) -> Draft:
    draft = await ctx.uow.sessions.get_draft(draft_id)
    if draft is None or draft.author_member_id != ctx.member.id:
        raise UserError("sessions.draft_gone")
    return draft


async def target_of(ctx: Ctx, draft: Draft) -> Session | None:
    if draft.target is None:
        return None
    session = await ctx.uow.sessions.get(draft.target)
    if session is None or not in_workspace(ctx, session.channel):
        raise UserError("sessions.draft_gone")
    return session
