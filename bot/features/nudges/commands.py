"""`/ippo nudge [on|off|when …|pause N]`: the member's nudge settings, and the
formatters other features show them with (dates, the pause)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from bot.features.common import private
from bot.features.nudges.routes import OFF, ON, FollowupKey, NudgeKey
from bot.features.nudges.timing import effective_prefs, is_paused, rescheduled
from bot.features.nudges.when import parse_when
from bot.i18n import Translator, dates
from bot.i18n.dates import DateWords
from bot.model import Button, Cadence, CommandInvoked, Member, Reply
from bot.parse import normalize, number
from bot.ports import Unit
from bot.router import Ctx, UserError
from bot.working_days import local_date

MAX_PAUSE_WEEKS = 26
NUDGE_VERBS = ("on", "off", "when", "pause")


async def follow_tz_change(ctx: Ctx) -> Member:
    """Called by `/ippo tz` after the member's timezone changed: the next nudge
    moves to their day and time in the new zone."""
    if not ctx.member.nudge.enabled:
        return ctx.member
    return await ctx.uow.members.save(rescheduled(ctx.member, ctx.now, ctx.config))


NUDGE_DATES = DateWords("nudge.date", "nudge.datetime", "nudge.day")


def format_when(t: Translator, instant: datetime, tz: str) -> str:
    return dates.format_when(t, instant, tz, NUDGE_DATES)


def format_date(t: Translator, day: date) -> str:
    return dates.format_date(t, day, NUDGE_DATES)


def status_reply(
    ctx: Ctx, *, lead: str = "", tone: str = "info", pause_said: bool = False
) -> Reply:
    """The member's nudge settings. `lead` (what just changed) takes the place
    of the on/off line, so nothing is said twice; `pause_said` leaves out the
    pause line when the lead already names the date."""
    t, member = ctx.t, ctx.member
    prefs = effective_prefs(member, ctx.config)
    lines = [lead or (t("nudge.status.on") if prefs.enabled else t("nudge.status.off"))]
    lines.append(
        t(
            "nudge.status.when",
            weekday=t(f"nudge.day.d{prefs.weekday}"),
            time=prefs.time,
            tz=member.tz,
        )
    )
    paused = prefs.enabled and is_paused(member, ctx.now) and prefs.paused_until is not None
    if paused and not pause_said and prefs.paused_until is not None:
        lines.append(t("nudge.status.paused", date=format_date(t, prefs.paused_until)))
    if prefs.enabled and prefs.cadence != Cadence.WEEKLY:
        lines.append(t(f"nudge.slower_{prefs.cadence.value}"))
    if prefs.enabled and member.next_nudge_at is not None:
        lines.append(t("nudge.status.next", when=format_when(t, member.next_nudge_at, member.tz)))
    lines.append(t("nudge.status.holidays"))
    button = (
        Button(t("nudge.btn.off"), OFF.id())
        if prefs.enabled
        else Button(t("nudge.btn.on"), ON.id(), style="primary")
    )
    return private(
        "\n".join(lines),
        title=t("nudge.status.title"),
        buttons=(button,),
        tone="success" if tone == "success" else "info",
    )


async def saved(ctx: Ctx, member: Member) -> Ctx:
    """`member` stored, and the context that carries it on."""
    return replace(ctx, member=await ctx.uow.members.save(member))


async def turn_on(ctx: Ctx) -> list[Reply]:
    member = ctx.member
    if member.nudge.enabled and not is_paused(member, ctx.now):
        return [status_reply(ctx, lead=ctx.t("nudge.set.already_on"))]
    prefs = replace(
        effective_prefs(member, ctx.config),
        enabled=True,
        paused_until=None,
        cadence=Cadence.WEEKLY,
        unanswered=0,
    )
    ctx = await saved(ctx, rescheduled(replace(member, nudge=prefs), ctx.now, ctx.config))
    return [status_reply(ctx, lead=ctx.t("nudge.set.on"), tone="success")]


async def cancel_pending(uow: Unit, member_id: int) -> None:
    await uow.deliveries.cancel_pending(key_prefix=NudgeKey.prefix(member_id))
    await uow.deliveries.cancel_pending(key_prefix=FollowupKey.prefix(member_id))


async def turn_off(ctx: Ctx) -> list[Reply]:
    member = ctx.member
    if not member.nudge.enabled:
        return [private(ctx.t("nudge.set.already_off"))]
    prefs = replace(member.nudge, enabled=False, paused_until=None, unanswered=0)
    await saved(ctx, replace(member, nudge=prefs, next_nudge_at=None))
    await cancel_pending(ctx.uow, member.id)
    return [private(ctx.t("nudge.set.off"), tone="success")]


async def set_when(ctx: Ctx, args: tuple[str, ...]) -> list[Reply]:
    """`/ippo nudge when Fri 6pm`, `金曜 18時`, `monday`, `09:30`: a weekday,
    a time, or both (bot.features.nudges.when.parse_when)."""
    raw = " ".join(args)
    if not raw.strip():
        raise UserError("nudge.when_usage")
    parsed = parse_when(raw)
    if parsed is None:
        raise UserError("nudge.bad_when", value=raw)
    weekday, hhmm = parsed
    member = ctx.member
    current = effective_prefs(member, ctx.config)
    prefs = replace(
        member.nudge,
        weekday=current.weekday if weekday is None else weekday,
        time=current.time if hhmm is None else hhmm,
        cadence=Cadence.WEEKLY,
        unanswered=0,
    )
    ctx = await saved(ctx, rescheduled(replace(member, nudge=prefs), ctx.now, ctx.config))
    member = ctx.member
    values = {"weekday": ctx.t(f"nudge.day.d{prefs.weekday}"), "time": prefs.time, "tz": member.tz}
    if not prefs.enabled:
        return [private(ctx.t("nudge.set.when_while_off", **values), tone="success")]
    return [status_reply(ctx, lead=ctx.t("nudge.set.when"), tone="success")]


async def pause(ctx: Ctx, args: tuple[str, ...]) -> list[Reply]:
    raw = normalize(" ".join(args))
    if not raw:
        raise UserError("nudge.pause_usage", most=MAX_PAUSE_WEEKS)
    weeks = number(raw, low=1, high=MAX_PAUSE_WEEKS)
    if weeks is None:
        raise UserError("nudge.bad_weeks", value=raw, most=MAX_PAUSE_WEEKS)
    member = ctx.member
    if not member.nudge.enabled:
        return [private(ctx.t("nudge.set.paused_while_off"))]
    until = local_date(ctx.now, member.tz) + timedelta(weeks=weeks)
    prefs = replace(member.nudge, paused_until=until, cadence=Cadence.WEEKLY, unanswered=0)
    ctx = await saved(ctx, rescheduled(replace(member, nudge=prefs), ctx.now, ctx.config))
    await ctx.uow.deliveries.cancel_pending(key_prefix=NudgeKey.prefix(member.id))
    lead = ctx.t("nudge.set.paused", date=format_date(ctx.t, until))
    return [status_reply(ctx, lead=lead, pause_said=True)]


async def nudge_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    if not cmd.args:
        return [status_reply(ctx)]
    sub = ctx.messages.pick(cmd.args[0], "nudge.words", NUDGE_VERBS)
    rest = cmd.args[1:]
    match sub:
        case "on" if not rest:
            return await turn_on(ctx)
        case "off" if not rest:
            return await turn_off(ctx)
        case "when":
            return await set_when(ctx, rest)
        case "pause":
            return await pause(ctx, rest)
    raise UserError("nudge.usage", value=" ".join(cmd.args))
