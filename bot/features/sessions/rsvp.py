"""Answers: the four buttons on a session card (going, watching, maybe,
can't), the waitlist, and "Did you make it?" after a session."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.actions import PressHandler
from bot.features.common import private
from bot.features.links import JOURNEY_SHOW
from bot.features.sessions.access import in_workspace, live_occurrence, workspace_session
from bot.features.sessions.cards import announcement, answer_text, fmt_when, rsvp_buttons
from bot.features.sessions.model import Occurrence, Rsvp, RsvpStatus, Session, SessionStatus
from bot.features.sessions.posts import channel_translator, refresh_counts
from bot.features.sessions.recurrence import find_occurrence
from bot.features.sessions.routes import SOURCE_POST, SOURCE_PRIVATE, OccRef
from bot.model import Button, EntryKind, Message, Reply
from bot.router import Ctx, UserError


async def leave_all_sessions(ctx: Ctx) -> list[Reply]:
    """Before the member's data is deleted: the seats they held in upcoming
    occurrences go to the waitlist (each promoted member hears it). Their
    answers themselves are deleted with them."""
    replies: list[Reply] = []
    repo = ctx.uow.sessions
    for rsvp in await repo.member_rsvps(ctx.member.id):
        if rsvp.status is not RsvpStatus.GOING:
            continue
        session = await repo.get(rsvp.session_id)
        if session is None or session.status is not SessionStatus.ACTIVE:
            continue
        changes = await repo.changes(session.id)
        occ = await asyncio.to_thread(find_occurrence, session, changes, rsvp.occurrence)
        if occ is None or occ.cancelled or occ.end <= ctx.now:
            continue
        await repo.set_rsvp(replace(rsvp, status=RsvpStatus.CANT))
        replies += await fill_seats(ctx, session, occ)
        await refresh_counts(ctx.uow, session, occ, ctx.now)
    return replies


async def fill_seats(ctx: Ctx, session: Session, occ: Occurrence) -> list[Reply]:
    """Move the waitlist up into free seats, first come first served; each
    promoted member hears it in a DM."""
    repo, capacity = ctx.uow.sessions, session.fields.capacity
    counts = await repo.counts(session.id, occ.original_start)
    waiting = await repo.rsvps(
        session.id, occ.original_start, statuses=frozenset({RsvpStatus.WAITLISTED})
    )
    free = len(waiting) if capacity is None else max(capacity - counts.going, 0)
    replies: list[Reply] = []
    for rsvp in waiting[:free]:
        await repo.set_rsvp(replace(rsvp, status=RsvpStatus.GOING))
        member = await ctx.uow.members.get_by_id(rsvp.member_id)
        if member is None:
            continue
        t = ctx.messages.for_lang(member.lang)
        text = t("sessions.promoted", title=session.title, when=fmt_when(t, occ.start, member.tz))
        replies.append(Reply(Message(text, tone="success"), to=member.user))
    return replies


def answer_with(wanted: RsvpStatus) -> PressHandler[OccRef]:
    """The handler of one answer button (going, watching, maybe, can't)."""

    async def handler(ctx: Ctx, ref: OccRef) -> list[Reply]:
        return await on_rsvp(ctx, wanted, ref)

    return handler


async def on_rsvp(ctx: Ctx, wanted: RsvpStatus, ref: OccRef) -> list[Reply]:
    session = await workspace_session(ctx, ref.session_id)
    occ = await live_occurrence(ctx, session, ref.original_start)
    repo = ctx.uow.sessions
    before = await repo.rsvp(session.id, occ.original_start, ctx.member.id)
    was = before.status if before else None
    status = wanted
    capacity = session.fields.capacity
    if wanted is RsvpStatus.GOING and was is not RsvpStatus.GOING and capacity is not None:
        counts = await repo.counts(session.id, occ.original_start)
        if counts.going >= capacity:
            status = RsvpStatus.WAITLISTED
    at = before.at if before is not None and was is status else ctx.now
    await repo.set_rsvp(Rsvp(session.id, occ.original_start, ctx.member.id, status, at))
    replies: list[Reply] = []
    if was is RsvpStatus.GOING and status is not RsvpStatus.GOING:
        replies += await fill_seats(ctx, session, occ)
    if was is not status:
        await refresh_counts(ctx.uow, session, occ, ctx.now)
    t = ctx.t
    confirm = t("sessions.answered", title=session.title, answer=answer_text(t, status))
    if status is RsvpStatus.WAITLISTED:
        confirm += "\n" + t("sessions.waitlisted_note")
    if ref.source == SOURCE_POST:
        counts = await repo.counts(session.id, occ.original_start)
        post_t = await channel_translator(ctx.uow, ctx.messages, ctx.config, session.channel)
        card = announcement(post_t, ctx.catalog, session, occ, counts, now=None)
        replies.insert(0, Reply(card, replace=True))
        replies.insert(1, private(confirm, tone="success"))
        return replies
    buttons = rsvp_buttons(t, session, occ, SOURCE_PRIVATE)
    replies.insert(0, private(confirm, tone="success", buttons=buttons, replace=True))
    return replies


async def after_session(ctx: Ctx, ref: OccRef, *, made_it: bool) -> list[Reply]:
    """The answer to "Did you make it?": a yes is a step on their journey."""
    session = await ctx.uow.sessions.get(ref.session_id)
    if session is None or not in_workspace(ctx, session.channel):
        raise UserError("errors.stale_button")
    rsvp = await ctx.uow.sessions.rsvp(session.id, ref.original_start, ctx.member.id)
    if rsvp is None:
        raise UserError("errors.stale_button")
    if rsvp.attended is None:
        await ctx.uow.sessions.set_rsvp(replace(rsvp, attended=made_it))
        if made_it:
            await ctx.uow.journey.add(ctx.member.id, EntryKind.DONE, ctx.now, text=session.title)
    key = "sessions.after.logged" if made_it else "sessions.after.missed"
    buttons = (Button(ctx.t("journey.btn.show"), JOURNEY_SHOW.id()),) if made_it else ()
    return [private(ctx.t(key, title=session.title), tone="success", buttons=buttons, replace=True)]


async def made(ctx: Ctx, ref: OccRef) -> list[Reply]:
    return await after_session(ctx, ref, made_it=True)


async def missed(ctx: Ctx, ref: OccRef) -> list[Reply]:
    return await after_session(ctx, ref, made_it=False)
