"""An organizer changes dates: `/ippo session cancel <id> [day]` (with a
confirmation) and `/ippo session move <id> <day> <new start>`.

A cancellation is told in the channel (when it had been announced there)
and to each member who had answered anything but "can't".
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.features.common import private
from bot.features.sessions.access import (
    live_occurrence,
    occurrence_on,
    require_organizer,
    typed_session,
    workspace_session,
)
from bot.features.sessions.cards import fmt_when
from bot.features.sessions.dates import parse_start
from bot.features.sessions.edit import SessionEdit, edit_session
from bot.features.sessions.keys import (
    ALL_OCCURRENCES,
    AnnounceKey,
    CancelDmKey,
    CancelPostKey,
    member_dm,
)
from bot.features.sessions.model import (
    Occurrence,
    OccurrenceChange,
    RsvpStatus,
    Session,
    SessionStatus,
)
from bot.features.sessions.planning import occurrence_key
from bot.features.sessions.recurrence import find_occurrence, occurrences_between
from bot.features.sessions.routes import DROP, DROP_ONE, KEEP, OccRef
from bot.model import Button, Reply
from bot.ports import NewDelivery
from bot.router import Ctx, UserError

NOTIFY_DAYS = 60  # members with answers for occurrences this close hear of a cancellation


async def confirm_cancel(ctx: Ctx, raw_id: str, raw_day: str) -> Reply:
    t = ctx.t
    session = await typed_session(ctx, raw_id)
    if raw_day:
        occ = await occurrence_on(ctx, session, raw_day)
        text = t(
            "sessions.cancel.confirm_one",
            title=session.title,
            when=fmt_when(t, occ.start, session.fields.tz),
        )
        yes = DROP_ONE.id(OccRef(session.id, occ.original_start))
        yes_label = t("sessions.btn.cancel_one_yes")
    elif session.fields.rrule:
        text = t("sessions.cancel.confirm_all", title=session.title)
        yes = DROP.id(session.id)
        yes_label = t("sessions.btn.cancel_yes")
    else:  # one date only: "(every date)" would be wrong, its date is clearer
        changes = await ctx.uow.sessions.changes(session.id)
        only = await asyncio.to_thread(find_occurrence, session, changes, session.fields.start)
        start = only.start if only is not None else session.fields.start
        when = fmt_when(t, start, session.fields.tz)
        text = t("sessions.cancel.confirm_once", title=session.title, when=when)
        yes = DROP.id(session.id)
        yes_label = t("sessions.btn.cancel_yes")
    return private(
        text,
        tone="warning",
        buttons=(
            Button(yes_label, yes, style="danger"),
            Button(t("sessions.btn.cancel_no"), KEEP.id()),
        ),
    )


async def _notify(ctx: Ctx, session: Session, occs: list[Occurrence], okey: str) -> None:
    """A cancel notice in the channel (when it had been announced there) and
    to each member who had answered anything but "can't"."""
    posted = [
        AnnounceKey.parse(raw) for raw in await ctx.uow.sessions.sent_announcements(session.id)
    ]
    if (okey == ALL_OCCURRENCES and posted) or any(p.occurrence == okey for p in posted):
        await ctx.uow.deliveries.add(
            NewDelivery(
                key=CancelPostKey(session.id, okey).encode(),
                kind=CancelPostKey.kind,
                to=session.channel,
                not_before=ctx.now,
                payload={"session": str(session.id), "occurrence": okey},
            )
        )
    for occ in occs:
        key = occurrence_key(occ.original_start)
        for rsvp in await ctx.uow.sessions.rsvps(session.id, occ.original_start):
            member = await ctx.uow.members.get_by_id(rsvp.member_id)
            if rsvp.status is RsvpStatus.CANT or member is None:
                continue
            await ctx.uow.deliveries.add(
                member_dm(
                    CancelDmKey(session.id, key, member.id),
                    member.user,
                    not_before=ctx.now,
                    expires_at=occ.end,
                    payload={"session": str(session.id), "occurrence": key},
                )
            )


async def cancel_all(ctx: Ctx, session_id: int) -> list[Reply]:
    require_organizer(ctx)
    session = await workspace_session(ctx, session_id)
    changes = await ctx.uow.sessions.changes(session.id)
    window = await asyncio.to_thread(
        occurrences_between,
        session,
        changes,
        ctx.now - session.duration,
        ctx.now + timedelta(days=NOTIFY_DAYS),
    )
    soon = [occ for occ in window if occ.end > ctx.now]  # not over yet, within the notice window
    edit = SessionEdit(status=SessionStatus.CANCELLED)
    cancelled = await edit_session(ctx.uow, session, edit, now=ctx.now) or session
    await _notify(ctx, cancelled, soon, ALL_OCCURRENCES)
    return [private(ctx.t("sessions.cancel.done_all", title=session.title), replace=True)]


async def cancel_one(ctx: Ctx, ref: OccRef) -> list[Reply]:
    require_organizer(ctx)
    session = await workspace_session(ctx, ref.session_id)
    occ = await live_occurrence(ctx, session, ref.original_start)
    change = OccurrenceChange(session.id, occ.original_start, None, cancelled=True)
    edited = await edit_session(ctx.uow, session, SessionEdit(changes=(change,)), now=ctx.now)
    await _notify(ctx, edited or session, [occ], occurrence_key(occ.original_start))
    when = fmt_when(ctx.t, occ.start, session.fields.tz)
    return [
        private(ctx.t("sessions.cancel.done_one", title=session.title, when=when), replace=True)
    ]


async def keep(ctx: Ctx, _: None) -> list[Reply]:
    return [private(ctx.t("sessions.cancel.kept"), replace=True)]


async def move(ctx: Ctx, raw_id: str, raw_day: str, raw_start: str) -> list[Reply]:
    session = await typed_session(ctx, raw_id)
    occ = await occurrence_on(ctx, session, raw_day)
    new_start = parse_start(raw_start, now=ctx.now, tz=session.fields.tz)
    if new_start is None:
        raise UserError("sessions.bad.start", value=raw_start)
    change = OccurrenceChange(session.id, occ.original_start, new_start, cancelled=False)
    await edit_session(ctx.uow, session, SessionEdit(changes=(change,)), now=ctx.now)
    t, tz = ctx.t, session.fields.tz
    text = t(
        "sessions.moved",
        title=session.title,
        old=fmt_when(t, occ.start, tz),
        new=fmt_when(t, new_start, tz),
        tz=tz,
    )
    return [private(text, tone="success")]
