"""`/ippo coffee ...`: opt in and out, skip a round, pause, department,
private avoid list (`avoid @name`, `unavoid @name`, `avoid` alone shows
it), the quiet seat, status; organizers pick the channel where
Discord intro threads are made.

Nobody is ever enrolled: a member's choices exist only once they say
`/ippo coffee on`. Whom a member avoids is shown to nobody but them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, timedelta

from bot.features.coffee.ports import QUIET_RUNG, CoffeePrefs
from bot.features.coffee.rounds import Round, upcoming_rounds
from bot.features.common import private
from bot.model import CommandInvoked, Reply
from bot.parse import normalize, number
from bot.router import Ctx, UserError
from bot.working_days import WorkingDays, local_date

VERBS = ("on", "off", "skip", "pause", "dept", "avoid", "unavoid", "quiet", "status", "channel")
MAX_PAUSE_WEEKS = 26
MAX_DEPT = 60
_MENTION = re.compile(r"^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$")
_CHANNEL = re.compile(r"^<#([A-Za-z0-9]+)(?:\|[^>]*)?>$")


def normal_dept(raw: str) -> str:
    """Free-text department as stored and shown: NFKC (full-width to
    half-width), runs of spaces (full-width too) collapsed to one. Matching
    compares it case folded (`dept_key`)."""
    return " ".join(unicodedata.normalize("NFKC", raw).split())


def dept_key(dept: str) -> str:
    """What makes two departments the same: NFKC, case folded, spaces collapsed."""
    return normal_dept(dept).casefold()


def dept_label(ctx: Ctx, dept: str) -> str:
    """A stored department as the member reads it: a catalog department's
    name in their language, else the text they typed (normalised)."""
    found = next((d for d in ctx.catalog.departments if d.id == dept), None)
    return found.name(ctx.lang) if found else dept


def format_day(ctx: Ctx, day: date) -> str:
    t = ctx.t
    return t(
        "nudge.date",
        year=day.year,
        month=day.month,
        day=day.day,
        weekday=t(f"nudge.day.d{day.weekday()}"),
    )


def calendar(ctx: Ctx) -> WorkingDays:
    return WorkingDays(ctx.config.holiday_country)


def coming(ctx: Ctx, count: int) -> list[Round]:
    """The next `count` rounds not planned yet (a round is planned as it opens)."""
    found = upcoming_rounds(ctx.now, ctx.config.coffee, calendar(ctx), count + 1)
    return [r for r in found if r.opens() > ctx.now][:count]


def status_lines(ctx: Ctx, prefs: CoffeePrefs, avoided: int, slowed: bool) -> list[str]:
    t = ctx.t
    if not prefs.enabled:
        return [
            t("coffee.status.off"),
            t("coffee.status.about", weeks=ctx.config.coffee.every_weeks),
        ]
    lines = [t("coffee.status.on")]
    rounds = coming(ctx, 3)
    today = local_date(ctx.now, ctx.member.tz)
    if prefs.paused_until is not None and prefs.paused_until > today:
        lines.append(t("coffee.status.paused", date=format_day(ctx, prefs.paused_until)))
    elif rounds and rounds[0].period == prefs.skip_period and len(rounds) > 1:
        first, nxt = format_day(ctx, rounds[0].day), format_day(ctx, rounds[1].day)
        lines.append(t("coffee.status.skipping", date=first, next=nxt))
    elif rounds:
        lines.append(t("coffee.status.next", date=format_day(ctx, rounds[0].day)))
    if prefs.dept:
        lines.append(t("coffee.status.dept", dept=dept_label(ctx, prefs.dept)))
    else:
        lines.append(t("coffee.status.no_dept"))
    if prefs.quiet and ctx.member.rung == QUIET_RUNG:
        lines.append(t("coffee.status.quiet"))
    elif prefs.quiet:
        rung = ctx.catalog.rung(QUIET_RUNG).name(ctx.lang)
        lines.append(t("coffee.status.quiet_held", rung=rung))
    if slowed:
        lines.append(t("coffee.status.slowed"))
    if avoided:
        lines.append(t("coffee.status.avoid", count=avoided))
    return lines


async def status(ctx: Ctx, *, lead: str = "") -> list[Reply]:
    prefs = await ctx.uow.coffee.prefs(ctx.member.id)
    avoided = len(await ctx.uow.coffee.avoids(ctx.member.id))
    lines = status_lines(ctx, prefs, avoided, slowed=await is_slowed(ctx))
    channel = await ctx.uow.coffee.channel(ctx.member.user.platform, ctx.member.user.workspace)
    if channel and ctx.member.user.platform == "discord":
        lines.append(ctx.t("coffee.status.channel", channel=channel))
    if lead:
        lines[0] = lead
    return [private("\n".join(lines), title=ctx.t("coffee.title"))]


async def is_slowed(ctx: Ctx) -> bool:
    """Silent on the last two introductions (the planner halves the pace)."""
    user = ctx.member.user
    past = await ctx.uow.coffee.past_rounds(user.platform, user.workspace, 0)
    mine = [
        seat
        for r in past
        for group in r.groups
        for seat in group
        if seat.member_id == ctx.member.id
    ][:2]
    return len(mine) == 2 and not any(s.answer for s in mine)


async def save(ctx: Ctx, prefs: CoffeePrefs) -> None:
    await ctx.uow.coffee.save_prefs(prefs)


async def enabled_prefs(ctx: Ctx) -> CoffeePrefs:
    prefs = await ctx.uow.coffee.prefs(ctx.member.id)
    if not prefs.enabled:
        raise UserError("coffee.set.off_first")
    return prefs


async def turn_on(ctx: Ctx) -> list[Reply]:
    prefs = await ctx.uow.coffee.prefs(ctx.member.id)
    if prefs.enabled and prefs.paused_until is None:
        return await status(ctx, lead=ctx.t("coffee.set.already_on"))
    await save(ctx, replace(prefs, enabled=True, paused_until=None))
    return await status(ctx, lead=ctx.t("coffee.set.on"))


async def turn_off(ctx: Ctx) -> list[Reply]:
    prefs = await ctx.uow.coffee.prefs(ctx.member.id)
    if not prefs.enabled:
        return [private(ctx.t("coffee.set.already_off"))]
    await save(ctx, replace(prefs, enabled=False, paused_until=None, skip_period=""))
    return [private(ctx.t("coffee.set.off"), tone="success")]


async def skip(ctx: Ctx) -> list[Reply]:
    prefs = await enabled_prefs(ctx)
    rounds = coming(ctx, 2)
    await save(ctx, replace(prefs, skip_period=rounds[0].period))
    first, nxt = format_day(ctx, rounds[0].day), format_day(ctx, rounds[1].day)
    return [private(ctx.t("coffee.set.skip", date=first, next=nxt), tone="success")]


async def pause(ctx: Ctx, rest: tuple[str, ...]) -> list[Reply]:
    raw = normalize(" ".join(rest))
    if not raw:
        raise UserError("coffee.err.pause_usage", most=MAX_PAUSE_WEEKS)
    weeks = number(raw, low=1, high=MAX_PAUSE_WEEKS)
    if weeks is None:
        raise UserError("coffee.err.bad_weeks", value=raw, most=MAX_PAUSE_WEEKS)
    prefs = await enabled_prefs(ctx)
    until = local_date(ctx.now, ctx.member.tz) + timedelta(weeks=weeks)
    await save(ctx, replace(prefs, paused_until=until))
    return [private(ctx.t("coffee.set.paused", date=format_day(ctx, until)), tone="success")]


async def set_dept(ctx: Ctx, rest: tuple[str, ...]) -> list[Reply]:
    raw = " ".join(rest).strip()
    if not raw:
        raise UserError("coffee.err.dept_usage")
    departments = ctx.catalog.departments
    if departments:
        found = ctx.catalog.department(raw)
        if found is None:
            names = ctx.t("coffee.sep").join(d.name(ctx.lang) for d in departments)
            example = departments[0].name(ctx.lang)
            raise UserError("coffee.err.dept_unknown", value=raw, names=names, example=example)
        dept = found.id
    else:
        dept = normal_dept(raw)
        if len(dept) > MAX_DEPT:
            raise UserError("coffee.err.dept_long", most=MAX_DEPT)
    prefs = await ctx.uow.coffee.prefs(ctx.member.id)
    await save(ctx, replace(prefs, dept=dept))
    return [private(ctx.t("coffee.set.dept", dept=dept_label(ctx, dept)), tone="success")]


def mentioned(ctx: Ctx, raw: str) -> str | None:
    """The platform user id a member named: a mention on Slack and Discord
    (`<@U123>`, `<@123>`, `<@!123>`), a user name on the console."""
    text = raw.strip()
    if match := _MENTION.match(text):
        return match[1]
    if ctx.member.user.platform == "console":
        name = text.removeprefix("@")
        return name if name and "," not in name and ":" not in name else None
    return None


def mention(ctx: Ctx, user_id: str) -> str:
    """A user id as the member's platform shows a person."""
    return f"@{user_id}" if ctx.member.user.platform == "console" else f"<@{user_id}>"


async def avoid_list(ctx: Ctx) -> list[Reply]:
    """`/ippo coffee avoid` alone: the member's own list, to them alone."""
    avoided = await ctx.uow.coffee.avoids(ctx.member.id)
    if not avoided:
        return [private(ctx.t("coffee.avoid.empty"), title=ctx.t("coffee.title"))]
    names = ctx.t("coffee.sep").join(mention(ctx, u) for u in avoided)
    text = ctx.t("coffee.avoid.list", count=len(avoided), names=names)
    return [private(text, title=ctx.t("coffee.title"))]


def named(ctx: Ctx, rest: tuple[str, ...], usage: str) -> str:
    user_id = mentioned(ctx, " ".join(rest)) if len(rest) == 1 else None
    if user_id is None:
        raise UserError(usage)
    if user_id == ctx.member.user.id:
        raise UserError("coffee.err.avoid_self")
    return user_id


async def avoid(ctx: Ctx, rest: tuple[str, ...]) -> list[Reply]:
    if not rest:
        return await avoid_list(ctx)
    user_id = named(ctx, rest, "coffee.err.avoid_usage")
    added = await ctx.uow.coffee.add_avoid(ctx.member.id, user_id)
    return [private(ctx.t("coffee.set.avoid" if added else "coffee.set.avoid_again"))]


async def unavoid(ctx: Ctx, rest: tuple[str, ...]) -> list[Reply]:
    user_id = named(ctx, rest, "coffee.err.unavoid_usage")
    removed = await ctx.uow.coffee.remove_avoid(ctx.member.id, user_id)
    key = "coffee.set.unavoid" if removed else "coffee.set.unavoid_missing"
    return [private(ctx.t(key, name=mention(ctx, user_id)))]


async def quiet(ctx: Ctx, rest: tuple[str, ...]) -> list[Reply]:
    choice = ctx.messages.pick(rest[0], "coffee.words", ("yes", "no")) if len(rest) == 1 else None
    if choice is None:
        raise UserError("coffee.err.quiet_usage")
    prefs = await ctx.uow.coffee.prefs(ctx.member.id)
    if choice == "yes" and ctx.member.rung != QUIET_RUNG:
        raise UserError("coffee.err.quiet_rung", rung=ctx.catalog.rung(QUIET_RUNG).name(ctx.lang))
    await save(ctx, replace(prefs, quiet=choice == "yes"))
    key = "coffee.set.quiet_on" if choice == "yes" else "coffee.set.quiet_off"
    return [private(ctx.t(key), tone="success")]


async def set_channel(ctx: Ctx, rest: tuple[str, ...]) -> list[Reply]:
    if not ctx.config.organizers.allows(ctx.event.actor):
        raise UserError("coffee.err.only_organizers")
    raw = " ".join(rest).strip()
    match = _CHANNEL.match(raw)
    channel = match[1] if match else raw.removeprefix("#") if raw.isascii() else ""
    if not channel or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", channel):
        raise UserError("coffee.err.channel_usage")
    user = ctx.member.user
    await ctx.uow.coffee.set_channel(user.platform, user.workspace, channel, ctx.now, ctx.member.id)
    return [private(ctx.t("coffee.set.channel", channel=channel), tone="success")]


_Bare = Callable[[Ctx], Awaitable[list[Reply]]]
_WithWords = Callable[[Ctx, tuple[str, ...]], Awaitable[list[Reply]]]
BARE: dict[str, _Bare] = {"status": status, "on": turn_on, "off": turn_off, "skip": skip}
"""Verbs that take no further words (`/ippo coffee on`)."""
WITH_WORDS: dict[str, _WithWords] = {
    "pause": pause,
    "dept": set_dept,
    "avoid": avoid,
    "unavoid": unavoid,
    "quiet": quiet,
    "channel": set_channel,
}
"""Verbs followed by what they act on (`/ippo coffee pause 2`)."""


async def coffee_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    if not cmd.args:
        return await status(ctx)
    verb = ctx.messages.pick(cmd.args[0], "coffee.words", VERBS)
    rest = cmd.args[1:]
    if verb in BARE and not rest:
        return await BARE[verb](ctx)
    if verb in WITH_WORDS:
        return await WITH_WORDS[verb](ctx, rest)
    raise UserError("coffee.usage", value=" ".join(cmd.args))
