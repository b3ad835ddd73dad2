"""Sessions: `/ippo session add|edit|cancel|move`, `/ippo sessions [feed]`,
RSVP buttons (`rsvp:*`) and the session buttons and forms (`session:*`).

Organizers are decided here (`config.organizers`), never by hiding buttons.
Every session belongs to one platform workspace and nobody sees another's.
Recurrence expansion runs in a worker thread (`asyncio.to_thread`), never on
the event loop: see `bot.features.sessions.recurrence`.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import cast, get_args
from zoneinfo import ZoneInfo

from bot.actions import PressHandler
from bot.feature import Arg, Command, Feature
from bot.features.channel_access import channel_label
from bot.features.common import private
from bot.features.links import JOURNEY_SHOW
from bot.features.sessions.cards import (
    ANSWERS,
    SOURCE_POST,
    SOURCE_PRIVATE,
    announcement,
    answer_text,
    fmt_day,
    fmt_when,
    lead_line,
    occ_arg,
    parse_occ_arg,
    rsvp_buttons,
    session_fields,
)
from bot.features.sessions.forms import (
    channel_of,
    in_workspace,
    new_form,
    own_draft,
    parse_part_route,
    part_route,
    require_organizer,
    save,
    session_form,
    submit,
    target_of,
    values_of,
)
from bot.features.sessions.routes import (
    CHANGE_FORM,
    DISCARD,
    DROP,
    DROP_ONE,
    KEEP,
    MADE,
    MISSED,
    NEW_FORM,
    PAGE,
    REDO,
    REDO_FORM,
    RSVP,
    SAVE,
    VIEW,
)
from bot.features.sessions.work import channel_translator, post_updates, refresh_counts
from bot.features.sessions.work import scheduled_work as scheduled_work
from bot.model import (
    Button,
    Choices,
    CommandInvoked,
    EntryKind,
    Lang,
    Message,
    Option,
    Reply,
)
from bot.parse import number, record_id
from bot.ports import NewDelivery
from bot.router import Ctx, UserError
from bot.features.sessions.dates import parse_day, parse_start
from bot.features.sessions.model import (
    Occurrence,
    OccurrenceChange,
    Rsvp,
    RsvpStatus,
    Session,
    SessionStatus,
)
from bot.features.sessions.planning import occurrence_key
from bot.features.sessions.recurrence import find_occurrence, iter_occurrences, occurrences_between

LIST_LIMIT = 10
LIST_DAYS = 120
MAX_PAGE = 50
_LOOKS_LIKE_CHANNEL = re.compile(r"<?#|[A-Z0-9]*\d")  # #name, <#C…>, or an id with digits
SESSION_VERBS = ("add", "edit", "cancel", "move", "list", "lang")
NOTIFY_DAYS = 60  # members with answers for occurrences this close hear of a cancellation

__all__ = ["FEATURE", "scheduled_work"]


async def workspace_session(ctx: Ctx, raw_id: str) -> Session:
    """An active session of the actor's workspace, or a clear error."""
    raw = raw_id.lstrip("#")
    session_id = record_id(raw)
    session = await ctx.uow.sessions.get(session_id) if session_id is not None else None
    if session is None or not in_workspace(ctx, session.channel):
        raise UserError("sessions.no_such", id=raw_id)
    if session.status is not SessionStatus.ACTIVE:
        raise UserError("sessions.not_active", id=raw)
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


# --------------------------------------------------------------------------- commands


async def session_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    verb = ctx.messages.pick(cmd.args[0], "sessions.words", SESSION_VERBS) if cmd.args else None
    rest = cmd.args[1:]
    match verb:
        case "add":
            require_organizer(ctx)
            return [new_form(ctx)]
        case "edit" if rest:
            require_organizer(ctx)
            session = await workspace_session(ctx, rest[0])
            return [session_form(ctx, CHANGE_FORM.id(str(session.id)), values_of(session))]
        case "cancel" if rest:
            require_organizer(ctx)
            return [await confirm_cancel(ctx, rest[0], " ".join(rest[1:]))]
        case "move" if len(rest) >= 3:
            require_organizer(ctx)
            return await move(ctx, rest[0], rest[1], " ".join(rest[2:]))
        case "list":
            return await list_sessions(ctx, _page(rest))
        case "lang":
            require_organizer(ctx)
            return [await post_lang(ctx, rest)]
        case None if cmd.args and number(cmd.args[0], low=1, high=MAX_PAGE) is not None:
            return await list_sessions(ctx, _page(cmd.args))
    raise UserError("sessions.usage")


def _page(args: Sequence[str]) -> int:
    """`/ippo sessions 2`, `/ippo session list 2`: that page; else the first."""
    return (number(args[0], low=1, high=MAX_PAGE) if args else None) or 1


async def sessions_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    if cmd.args and ctx.messages.pick(cmd.args[0], "sessions.words", ("feed",)):
        return [await feed(ctx, cmd.args[1:])]
    if cmd.args:
        return await session_command(ctx, cmd)
    return await list_sessions(ctx)


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
        options.append(Option(label, VIEW.id(occ_arg(s.id, occ.original_start))))
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


async def post_lang(ctx: Ctx, args: Sequence[str]) -> Reply:
    """`/ippo session lang [ja|en] [channel]`: the language of a channel's
    posts — shown, or set by an organizer. The channel is the one typed in
    unless another is named."""
    t, lang, raw_channel = ctx.t, None, ""
    for arg in args:
        picked = ctx.messages.pick(arg, "lang.words", get_args(Lang))
        if picked is not None and lang is None:
            lang = cast(Lang, picked)
        elif not raw_channel and _LOOKS_LIKE_CHANNEL.match(arg):
            raw_channel = arg
        else:  # "fr" is a language ippo does not speak, not a channel named fr
            raise UserError("sessions.lang.usage", value=" ".join(args))
    channel = channel_of(ctx, raw_channel)
    if channel is None:
        if raw_channel:
            raise UserError("sessions.lang.usage", value=" ".join(args))
        raise UserError("sessions.lang.no_channel")
    where = channel_label(channel)
    if lang is None:
        current = await ctx.uow.sessions.channel_lang(channel)
        shown = t(f"lang.name.{current or ctx.config.default_lang}")
        key = "sessions.lang.current" if current else "sessions.lang.current_default"
        return private(t(key, channel=where, lang=shown))
    await ctx.uow.sessions.set_channel_lang(channel, lang, now=ctx.now)
    return private(
        t("sessions.lang.set", channel=where, lang=t(f"lang.name.{lang}")), tone="success"
    )


async def feed(ctx: Ctx, args: tuple[str, ...] = ()) -> Reply:
    """The member's calendar feed address; `new` replaces it (the old one
    stops working), for an address that was shared by mistake."""
    base = ctx.config.public_base_url.rstrip("/")
    if not base:
        return private(ctx.t("sessions.feed.off"))
    if args and ctx.messages.pick(args[0], "sessions.feed_words", ("new",)) is None:
        raise UserError("sessions.feed.usage", value=" ".join(args))
    sessions, fresh = ctx.uow.sessions, secrets.token_urlsafe(24)
    if args:
        await sessions.replace_feed_token(ctx.member.id, fresh)
        return private(
            ctx.t("sessions.feed.renewed", url=f"{base}/ics/{fresh}.ics"), tone="success"
        )
    token = await sessions.feed_token(ctx.member.id, fresh)
    return private(ctx.t("sessions.feed.url", url=f"{base}/ics/{token}.ics"))


# --------------------------------------------------------------------------- cancel and move


async def confirm_cancel(ctx: Ctx, raw_id: str, raw_day: str) -> Reply:
    t = ctx.t
    session = await workspace_session(ctx, raw_id)
    if raw_day:
        occ = await occurrence_on(ctx, session, raw_day)
        text = t(
            "sessions.cancel.confirm_one",
            title=session.title,
            when=fmt_when(t, occ.start, session.fields.tz),
        )
        yes = DROP_ONE.id(occ_arg(session.id, occ.original_start))
        yes_label = t("sessions.btn.cancel_one_yes")
    elif session.fields.rrule:
        text = t("sessions.cancel.confirm_all", title=session.title)
        yes = DROP.id(str(session.id))
        yes_label = t("sessions.btn.cancel_yes")
    else:  # one date only: "(every date)" would be wrong, its date is clearer
        changes = await ctx.uow.sessions.changes(session.id)
        only = await asyncio.to_thread(find_occurrence, session, changes, session.fields.start)
        start = only.start if only is not None else session.fields.start
        when = fmt_when(t, start, session.fields.tz)
        text = t("sessions.cancel.confirm_once", title=session.title, when=when)
        yes = DROP.id(str(session.id))
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
    posted = await ctx.uow.sessions.sent_announcements(session.id)
    if (okey == "all" and posted) or any(k.split(":")[2] == okey for k in posted):
        await ctx.uow.deliveries.add(
            NewDelivery(
                key=f"session_cancelled:{session.id}:{okey}",
                kind="session_cancelled",
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
                NewDelivery(
                    key=f"session_cancelled:{session.id}:{key}:{member.id}",
                    kind="session_cancelled",
                    to=member.user,
                    member_id=member.id,
                    not_before=ctx.now,
                    expires_at=occ.end,
                    payload={"session": str(session.id), "occurrence": key},
                )
            )


async def cancel_all(ctx: Ctx, raw_id: str) -> list[Reply]:
    require_organizer(ctx)
    session = await workspace_session(ctx, raw_id)
    changes = await ctx.uow.sessions.changes(session.id)
    window = await asyncio.to_thread(
        occurrences_between,
        session,
        changes,
        ctx.now - session.duration,
        ctx.now + timedelta(days=NOTIFY_DAYS),
    )
    soon = [occ for occ in window if occ.end > ctx.now]  # not over yet, within the notice window
    cancelled = replace(session, status=SessionStatus.CANCELLED, version=session.version + 1)
    await ctx.uow.sessions.save(cancelled, plan_at=ctx.now)
    for kind in ("announce", "reminder", "after_session"):
        await ctx.uow.deliveries.cancel_pending(key_prefix=f"{kind}:{session.id}:")
    await post_updates(ctx.uow, cancelled, ctx.now)
    await _notify(ctx, cancelled, soon, "all")
    return [private(ctx.t("sessions.cancel.done_all", title=session.title), replace=True)]


async def cancel_one(ctx: Ctx, arg: str) -> list[Reply]:
    require_organizer(ctx)
    parsed = parse_occ_arg(arg)
    if parsed is None:
        raise UserError("errors.stale_button")
    session = await workspace_session(ctx, str(parsed[0]))
    occ = await live_occurrence(ctx, session, parsed[1])
    okey = occurrence_key(occ.original_start)
    await ctx.uow.sessions.set_change(
        OccurrenceChange(session.id, occ.original_start, None, cancelled=True)
    )
    bumped = replace(session, version=session.version + 1)
    await ctx.uow.sessions.save(bumped, plan_at=ctx.now)
    for kind in ("announce", "reminder", "after_session"):
        await ctx.uow.deliveries.cancel_pending(key_prefix=f"{kind}:{session.id}:{okey}:")
    await post_updates(ctx.uow, bumped, ctx.now, occurrence_key=okey)
    await _notify(ctx, bumped, [occ], okey)
    when = fmt_when(ctx.t, occ.start, session.fields.tz)
    return [
        private(ctx.t("sessions.cancel.done_one", title=session.title, when=when), replace=True)
    ]


async def move(ctx: Ctx, raw_id: str, raw_day: str, raw_start: str) -> list[Reply]:
    session = await workspace_session(ctx, raw_id)
    occ = await occurrence_on(ctx, session, raw_day)
    new_start = parse_start(raw_start, now=ctx.now, tz=session.fields.tz)
    if new_start is None:
        raise UserError("sessions.bad.start", value=raw_start)
    await ctx.uow.sessions.set_change(
        OccurrenceChange(session.id, occ.original_start, new_start, cancelled=False)
    )
    bumped = replace(session, version=session.version + 1)
    await ctx.uow.sessions.save(bumped, plan_at=ctx.now)
    await post_updates(ctx.uow, bumped, ctx.now, occurrence_key=occurrence_key(occ.original_start))
    t, tz = ctx.t, session.fields.tz
    text = t(
        "sessions.moved",
        title=session.title,
        old=fmt_when(t, occ.start, tz),
        new=fmt_when(t, new_start, tz),
        tz=tz,
    )
    return [private(text, tone="success")]


# --------------------------------------------------------------------------- RSVP


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


def answer_with(wanted: RsvpStatus) -> PressHandler[str]:
    """The handler of one answer button (going, watching, maybe, can't)."""

    async def handler(ctx: Ctx, arg: str) -> list[Reply]:
        return await on_rsvp(ctx, wanted, arg)

    return handler


async def on_rsvp(ctx: Ctx, wanted: RsvpStatus, arg: str) -> list[Reply]:
    parsed = parse_occ_arg(arg)
    if parsed is None:
        raise UserError("errors.stale_button")
    session = await workspace_session(ctx, str(parsed[0]))
    occ = await live_occurrence(ctx, session, parsed[1])
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
    source = parsed[2]
    if source == SOURCE_POST:
        counts = await repo.counts(session.id, occ.original_start)
        post_t = await channel_translator(ctx.uow, ctx.messages, ctx.config, session.channel)
        card = announcement(post_t, ctx.catalog, session, occ, counts, now=None)
        replies.insert(0, Reply(card, replace=True))
        replies.insert(1, private(confirm, tone="success"))
        return replies
    buttons = rsvp_buttons(t, session, occ, SOURCE_PRIVATE)
    replies.insert(0, private(confirm, tone="success", buttons=buttons, replace=True))
    return replies


async def view(ctx: Ctx, arg: str) -> list[Reply]:
    parsed = parse_occ_arg(arg)
    if parsed is None:
        raise UserError("errors.stale_button")
    session = await workspace_session(ctx, str(parsed[0]))
    occ = await live_occurrence(ctx, session, parsed[1])
    t = ctx.t
    mine = await ctx.uow.sessions.rsvp(session.id, occ.original_start, ctx.member.id)
    # The title heads the card: its text says how soon, what, and the answer.
    lines = [lead_line(t, occ.start, ctx.now, session.fields.tz)]
    if session.fields.description:
        lines.append(session.fields.description)
    if mine is not None:
        lines.append(t("sessions.list.mine", answer=answer_text(t, mine.status)))
    text = "\n".join(lines)
    return [
        private(
            text,
            title=session.title,
            fields=session_fields(t, ctx.catalog, session, occ, ctx.member.tz),
            buttons=rsvp_buttons(t, session, occ, SOURCE_PRIVATE),
        )
    ]


async def after_session(ctx: Ctx, arg: str, *, made_it: bool) -> list[Reply]:
    """The answer to "Did you make it?": a yes is a step on their journey."""
    parsed = parse_occ_arg(arg)
    if parsed is None:
        raise UserError("errors.stale_button")
    session = await ctx.uow.sessions.get(parsed[0])
    if session is None or not in_workspace(ctx, session.channel):
        raise UserError("errors.stale_button")
    rsvp = await ctx.uow.sessions.rsvp(session.id, parsed[1], ctx.member.id)
    if rsvp is None:
        raise UserError("errors.stale_button")
    if rsvp.attended is None:
        await ctx.uow.sessions.set_rsvp(replace(rsvp, attended=made_it))
        if made_it:
            await ctx.uow.journey.add(ctx.member.id, EntryKind.DONE, ctx.now, text=session.title)
    key = "sessions.after.logged" if made_it else "sessions.after.missed"
    buttons = (Button(ctx.t("journey.btn.show"), JOURNEY_SHOW.id()),) if made_it else ()
    return [private(ctx.t(key, title=session.title), tone="success", buttons=buttons, replace=True)]


# --------------------------------------------------------------------------- routing


async def save_draft(ctx: Ctx, raw_id: str) -> list[Reply]:
    require_organizer(ctx)
    session, edited = await save(ctx, await own_draft(ctx, raw_id))
    key = "sessions.updated" if edited else "sessions.saved"
    where = channel_label(session.channel)
    text = ctx.t(key, id=session.id, title=session.title, channel=where)
    replies = [private(text, tone="success", replace=True)]
    if edited:  # more seats may have been added: the waitlist moves up
        changes = await ctx.uow.sessions.changes(session.id)
        horizon = ctx.now + timedelta(days=NOTIFY_DAYS)
        soon = await asyncio.to_thread(occurrences_between, session, changes, ctx.now, horizon)
        for occ in soon:
            replies += await fill_seats(ctx, session, occ)
    return replies


async def reopen_part(ctx: Ctx, arg: str) -> list[Reply]:
    require_organizer(ctx)
    raw_id, part = parse_part_route(arg)
    draft = await own_draft(ctx, raw_id)
    return [session_form(ctx, part_route(draft.id, part), draft.values, part)]


async def discard(ctx: Ctx, raw_id: str) -> list[Reply]:
    draft = await own_draft(ctx, raw_id)
    await ctx.uow.sessions.delete_draft(draft.id)
    return [private(ctx.t("sessions.discarded"), replace=True)]


async def keep(ctx: Ctx, _: None) -> list[Reply]:
    return [private(ctx.t("sessions.cancel.kept"), replace=True)]


async def page(ctx: Ctx, number: int) -> list[Reply]:
    return await list_sessions(ctx, min(max(number, 1), MAX_PAGE))


async def made(ctx: Ctx, arg: str) -> list[Reply]:
    return await after_session(ctx, arg, made_it=True)


async def missed(ctx: Ctx, arg: str) -> list[Reply]:
    return await after_session(ctx, arg, made_it=False)


async def submit_new(ctx: Ctx, _: None, values: Mapping[str, str]) -> list[Reply]:
    require_organizer(ctx)
    return await submit(ctx, values, target=None, draft=None)


async def change_form(ctx: Ctx, raw_id: str, values: Mapping[str, str]) -> list[Reply]:
    require_organizer(ctx)
    session = await workspace_session(ctx, raw_id)
    return await submit(ctx, values, target=session, draft=None)


async def redo_form(ctx: Ctx, arg: str, values: Mapping[str, str]) -> list[Reply]:
    require_organizer(ctx)
    raw_id, part = parse_part_route(arg)
    draft = await own_draft(ctx, raw_id)
    target = await target_of(ctx, draft)
    return await submit(ctx, values, target=target, draft=draft, part=part)


FEATURE = Feature(
    "sessions",
    commands=(
        Command(
            "session",
            session_command,
            ("event",),
            (
                Arg(
                    "action",
                    "choice",
                    required=True,
                    choices=("add", "edit", "cancel", "move", "list", "lang"),
                    describe="discord.opt.session_action",
                ),
                Arg("args", describe="discord.opt.session_args"),
            ),
        ),
        Command(
            "sessions",
            sessions_command,
            ("events",),
            (Arg("args", describe="discord.opt.sessions_args"),),
        ),
    ),
    presses=(
        *(RSVP[status.value].on(answer_with(status)) for status in ANSWERS),
        SAVE.on(save_draft),
        REDO.on(reopen_part),
        DISCARD.on(discard),
        DROP.on(cancel_all),
        DROP_ONE.on(cancel_one),
        KEEP.on(keep),
        VIEW.on(view),
        PAGE.on(page),
        MADE.on(made),
        MISSED.on(missed),
    ),
    forms=(
        NEW_FORM.on_submit(submit_new),
        CHANGE_FORM.on_submit(change_form),
        REDO_FORM.on_submit(redo_form),
    ),
    work=scheduled_work,
)
