"""Typed commands: `/ippo session add|edit|cancel|move|list|lang` and
`/ippo sessions [page|feed [new]]`.

The buttons and forms they lead to live beside them: listing (what is coming
up), forms (the session form and its preview), changes (cancel, move) and
rsvp (answers).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from typing import cast, get_args

from bot.features.channel_access import channel_label
from bot.features.common import private
from bot.features.sessions.access import channel_of, require_organizer, typed_session
from bot.features.sessions.changes import confirm_cancel, move
from bot.features.sessions.checks import values_of
from bot.features.sessions.forms import new_form, session_form
from bot.features.sessions.listing import MAX_PAGE, list_sessions
from bot.features.sessions.routes import CHANGE_FORM
from bot.model import CommandInvoked, Lang, Reply
from bot.parse import number
from bot.router import Ctx, UserError

_LOOKS_LIKE_CHANNEL = re.compile(r"<?#|[A-Z0-9]*\d")  # #name, <#C…>, or an id with digits
SESSION_VERBS = ("add", "edit", "cancel", "move", "list", "lang")


async def session_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    verb = ctx.messages.pick(cmd.args[0], "sessions.words", SESSION_VERBS) if cmd.args else None
    rest = cmd.args[1:]
    match verb:
        case "add":
            require_organizer(ctx)
            return [new_form(ctx)]
        case "edit" if rest:
            require_organizer(ctx)
            session = await typed_session(ctx, rest[0])
            return [session_form(ctx, CHANGE_FORM.id(session.id), values_of(session))]
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
