"""`/ippo lang ja|en` and `/ippo tz <IANA name>`."""

from __future__ import annotations

from dataclasses import replace
from typing import cast, get_args

from bot.features import nudges
from bot.features.common import private
from bot.model import CommandInvoked, Lang, Reply
from bot.router import Ctx, Router, UserError
from bot.timezones import resolve_tz


async def lang_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    choice = cmd.args[0] if cmd.args else ""
    lang = cast(Lang | None, ctx.messages.pick(choice, "lang.words", get_args(Lang)))
    if lang is None:
        raise UserError("lang.usage", value=choice or "-")
    ctx.member = await ctx.uow.members.save(replace(ctx.member, lang=lang))
    ctx.t = ctx.messages.for_lang(lang)
    return [private(ctx.t("lang.set"), tone="success")]


async def tz_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    if not cmd.args:
        return [private(ctx.t("tz.current", tz=ctx.member.tz))]
    tz = resolve_tz(cmd.args[0])
    if tz is None:
        raise UserError("tz.bad", value=cmd.args[0])
    ctx.member = await ctx.uow.members.save(replace(ctx.member, tz=tz))
    ctx.member = await nudges.follow_tz_change(ctx)  # the next nudge follows the new zone
    return [private(ctx.t("tz.set", tz=tz), tone="success")]


def register(router: Router) -> None:
    router.command("lang", lang_command, "language")
    router.command("tz", tz_command, "timezone")
