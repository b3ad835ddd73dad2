"""`/ippo lang ja|en` and `/ippo tz <city or IANA name>`.

A timezone is taken as meant (bot.timezones.lookup_tz): `New York`, `東京`,
`asia/tokyo`, `JST`. When unsure, or given an abbreviation that ignores
daylight saving (`EST`), nothing is saved: the reply names the zones that
fit, each on a button (`tz:set:<zone>`), and shows how to type one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import cast, get_args
from zoneinfo import ZoneInfo

from bot.actions import TEXT, Route
from bot.feature import Arg, Command, Feature
from bot.features import nudges
from bot.features.common import private
from bot.i18n import Translator
from bot.model import Button, CommandInvoked, Lang, Reply
from bot.router import Ctx, UserError
from bot.timezones import is_zone, lookup_tz

EXAMPLE_ZONE = "America/New_York"
SET_LANG = Route("lang", "set", TEXT)
SET_TZ = Route("tz", "set", TEXT)


def lang_buttons(t: Translator) -> tuple[Button, ...]:
    return tuple(Button(t(f"lang.name.{lang}"), SET_LANG.id(lang)) for lang in get_args(Lang))


async def set_lang(ctx: Ctx, lang: Lang) -> list[Reply]:
    await ctx.uow.members.save(replace(ctx.member, lang=lang))
    return [private(ctx.messages.for_lang(lang)("lang.set"), tone="success")]


async def lang_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    if not cmd.args:
        return [private(ctx.t("lang.current"), buttons=lang_buttons(ctx.t))]
    choice = " ".join(cmd.args)
    lang = cast(Lang | None, ctx.messages.pick(choice, "lang.words", get_args(Lang)))
    if lang is None:
        raise UserError("lang.usage", value=choice)
    return await set_lang(ctx, lang)


def local_time(ctx: Ctx, tz: str) -> str:
    return ctx.now.astimezone(ZoneInfo(tz)).strftime("%H:%M")


def one_of(t: Translator, zones: tuple[str, ...]) -> str:
    """ "A, B or C" / "A、B、C"."""
    if len(zones) == 1:
        return zones[0]
    return t("tz.or", first=t("tz.sep").join(zones[:-1]), last=zones[-1])


async def set_tz(ctx: Ctx, tz: str) -> list[Reply]:
    member = await ctx.uow.members.save(replace(ctx.member, tz=tz))
    await nudges.follow_tz_change(replace(ctx, member=member))  # the next nudge follows the zone
    return [private(ctx.t("tz.set", tz=tz, time=local_time(ctx, tz)), tone="success")]


async def tz_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    t = ctx.t
    if not cmd.args:
        tz = ctx.member.tz
        return [private(t("tz.current", tz=tz, time=local_time(ctx, tz)))]
    typed = " ".join(cmd.args)
    found = lookup_tz(typed)
    if found.zone is not None:
        return await set_tz(ctx, found.zone)
    if not found.suggestions:
        raise UserError("tz.fixed_none" if found.fixed else "tz.bad", value=typed)
    key = "tz.fixed" if found.fixed else "tz.unsure"
    text = t(key, value=typed, zones=one_of(t, found.suggestions), example=found.suggestions[0])
    buttons = tuple(Button(t("tz.btn.use", tz=zone), SET_TZ.id(zone)) for zone in found.suggestions)
    return [private(text, buttons=buttons, tone="warning")]


async def on_tz_button(ctx: Ctx, zone: str) -> list[Reply]:
    if not is_zone(zone):
        raise UserError("errors.stale_button")
    return await set_tz(ctx, zone)


async def on_lang_button(ctx: Ctx, lang: str) -> list[Reply]:
    if lang not in get_args(Lang):
        raise UserError("errors.stale_button")
    return await set_lang(ctx, cast(Lang, lang))


FEATURE = Feature(
    "settings",
    commands=(
        Command(
            "lang",
            lang_command,
            ("language",),
            (Arg("lang", "choice", required=True, choices=get_args(Lang)),),
            help=("help.line.lang",),
        ),
        Command(
            "tz",
            tz_command,
            ("timezone",),
            (Arg("zone", "text", complete="zone"),),
            help=("help.line.tz",),
        ),
    ),
    help_section="help.section.settings",
    presses=(SET_LANG.on(on_lang_button), SET_TZ.on(on_tz_button)),
)
