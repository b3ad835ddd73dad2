"""What is coming up: `/ippo sessions` (a page of dates, with the member's
own answers) and the card of one date picked from it."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from bot.features.common import private
from bot.features.sessions.access import live_occurrence, workspace_session
from bot.features.sessions.cards import (
    answer_text,
    fmt_when,
    lead_line,
    rsvp_buttons,
    session_fields,
)
from bot.features.sessions.model import Occurrence, OccurrenceChange, Session
from bot.features.sessions.recurrence import iter_occurrences
from bot.features.sessions.routes import PAGE, SOURCE_PRIVATE, VIEW, OccRef
from bot.model import Button, Choices, Message, Option, Reply
from bot.router import Ctx

LIST_LIMIT = 10
LIST_DAYS = 120
MAX_PAGE = 50


def next_occurrences(
    sessions: Sequence[Session],
    changes: Mapping[int, Sequence[OccurrenceChange]],
    now: datetime,
    limit: int,
) -> list[tuple[Session, Occurrence]]:
    """The next `limit` occurrences of all `sessions` within `LIST_DAYS`, by
    start: pure, run in a worker thread."""
    found: list[tuple[Session, Occurrence]] = []
    horizon = now + timedelta(days=LIST_DAYS)
    for s in sessions:
        for n, occ in enumerate(iter_occurrences(s, changes.get(s.id, []), ending_after=now)):
            if occ.start > horizon or n >= limit:
                break
            found.append((s, occ))
    found.sort(key=lambda pair: pair[1].start)
    return found[:limit]


async def upcoming(ctx: Ctx, limit: int) -> list[tuple[Session, Occurrence, str]]:
    """The workspace's next `limit` occurrences within `LIST_DAYS`, each with
    its list line (the member's own answer included, in their timezone)."""
    t, user = ctx.t, ctx.event.actor.user
    sessions = await ctx.uow.sessions.in_workspace(user.platform, user.workspace)
    changes = await ctx.uow.sessions.changes_for([s.id for s in sessions])
    found = await asyncio.to_thread(next_occurrences, sessions, changes, ctx.now, limit)
    out: list[tuple[Session, Occurrence, str]] = []
    for s, occ in found:
        mine = await ctx.uow.sessions.rsvp(s.id, occ.original_start, ctx.member.id)
        when = fmt_when(t, occ.start, ctx.member.tz)
        if mine is None:
            line = t("sessions.list.line", id=s.id, title=s.title, when=when)
        else:
            answer = answer_text(t, mine.status)
            line = t("sessions.list.line_mine", id=s.id, title=s.title, when=when, answer=answer)
        out.append((s, occ, line))
    return out


async def list_sessions(ctx: Ctx, page: int = 1) -> list[Reply]:
    """One page of what is coming up (`LIST_LIMIT` dates), with a button to
    the next page while there are more, and back to the one before."""
    t = ctx.t
    page = max(page, 1)
    found = await upcoming(ctx, page * LIST_LIMIT + 1)
    more = len(found) > page * LIST_LIMIT
    found = found[(page - 1) * LIST_LIMIT : page * LIST_LIMIT]
    if not found:
        none_at_all = page == 1 or not await upcoming(ctx, 1)
        key = "sessions.list.empty" if none_at_all else "sessions.list.no_page"
        return [private(t(key, page=page))]
    options = []
    for s, occ, _ in found:
        label = f"{fmt_when(t, occ.start, ctx.member.tz)} {s.title}"[:75]
        options.append(Option(label, VIEW.id(OccRef(s.id, occ.original_start))))
    choices = Choices(t("sessions.list.pick"), tuple(options))
    text = "\n".join(line for _, _, line in found) + "\n\n" + t("sessions.list.hint")
    pages = []
    if page > 1:
        pages.append(Button(t("sessions.btn.earlier"), PAGE.id(page - 1)))
    if more:
        pages.append(Button(t("sessions.btn.later"), PAGE.id(page + 1)))
        text += "\n" + t("sessions.list.more", next=page + 1)
    title = t("sessions.list.title") if page == 1 else t("sessions.list.title_page", page=page)
    message = Message(text, title=title, choices=choices, buttons=tuple(pages), ephemeral=True)
    return [Reply(message)]


async def page(ctx: Ctx, number: int) -> list[Reply]:
    return await list_sessions(ctx, min(max(number, 1), MAX_PAGE))


async def view(ctx: Ctx, ref: OccRef) -> list[Reply]:
    """One date's card, only for the member: how soon, what, their answer."""
    session = await workspace_session(ctx, ref.session_id)
    occ = await live_occurrence(ctx, session, ref.original_start)
    t = ctx.t
    mine = await ctx.uow.sessions.rsvp(session.id, occ.original_start, ctx.member.id)
    # The title heads the card: its text says how soon, what, and the answer.
    lines = [lead_line(t, occ.start, ctx.now, session.fields.tz)]
    if session.fields.description:
        lines.append(session.fields.description)
    if mine is not None:
        lines.append(t("sessions.list.mine", answer=answer_text(t, mine.status)))
    return [
        private(
            "\n".join(lines),
            title=session.title,
            fields=session_fields(t, ctx.catalog, session, occ, ctx.member.tz),
            buttons=rsvp_buttons(t, session, occ, SOURCE_PRIVATE),
        )
    ]
