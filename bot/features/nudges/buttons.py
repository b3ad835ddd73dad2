"""The nudge's and the follow-up's buttons, and contact: any interaction
with ippo is an answer to the nudge."""

from __future__ import annotations

from dataclasses import replace

from bot.catalog import Step
from bot.features.common import private
from bot.features.journey import done_form
from bot.features.nudges.commands import format_when, saved, turn_off, turn_on
from bot.features.nudges.followup import schedule_followup
from bot.features.nudges.messages import nudge_message
from bot.features.nudges.routes import FOLLOWUP_DONE
from bot.features.nudges.timing import rescheduled
from bot.features.steps import next_turn
from bot.model import Button, Cadence, EntryKind, Member, Reply
from bot.router import Ctx, UserError


async def responded(ctx: Ctx) -> Member:
    """Any answer to a nudge resets the silence count and brings back weekly."""
    member = ctx.member
    prefs = member.nudge
    if prefs.unanswered == 0 and prefs.cadence == Cadence.WEEKLY:
        return member
    slowed = prefs.cadence != Cadence.WEEKLY
    member = replace(member, nudge=replace(prefs, unanswered=0, cadence=Cadence.WEEKLY))
    if slowed and member.nudge.enabled:
        member = rescheduled(member, ctx.now, ctx.config)
    return (await saved(ctx, member)).member


async def another(ctx: Ctx, arg: tuple[int, str]) -> list[Reply]:
    """The next step of the round, as `/ippo step`'s "Another one" does: no
    decline is recorded, and the round comes round again."""
    turn = await next_turn(ctx, *arg)
    if turn.step is None:
        return [private(turn.notice, buttons=turn.extras, replace=True)]
    message = nudge_message(
        ctx.t, ctx.catalog, turn.step, seen=turn.seen, notice=turn.notice, extras=turn.extras
    )
    return [Reply(message, replace=True)]


def next_line(ctx: Ctx) -> str:
    member = ctx.member
    if member.nudge.enabled and member.next_nudge_at is not None:
        return format_when(ctx.t, member.next_nudge_at, member.tz)
    return "-"


async def on(ctx: Ctx, _: None) -> list[Reply]:
    return await turn_on(ctx)


async def off(ctx: Ctx, _: None) -> list[Reply]:
    return await turn_off(ctx)


async def stop(ctx: Ctx, _: None) -> list[Reply]:
    await turn_off(ctx)
    return [private(ctx.t("nudge.reply.stopped"), tone="success", replace=True)]


async def skip(ctx: Ctx, _: None) -> list[Reply]:
    return [private(ctx.t("nudge.reply.skipped", when=next_line(ctx)), replace=True)]


def nudged_step(ctx: Ctx, step_id: str) -> Step:
    step = ctx.catalog.step(step_id)
    if step is None:
        raise UserError("errors.stale_button")
    return step


async def try_it(ctx: Ctx, step_id: str) -> list[Reply]:
    step, t = nudged_step(ctx, step_id), ctx.t
    await ctx.uow.journey.add(ctx.member.id, EntryKind.TRYING, ctx.now, step_id=step.id)
    when = await schedule_followup(ctx, step)
    text = t(
        "nudge.reply.trying", title=step.title(ctx.lang), when=format_when(t, when, ctx.member.tz)
    )
    return [private(text, tone="success", replace=True)]


async def followup_done(ctx: Ctx, step_id: str) -> list[Reply]:
    return [done_form(ctx, nudged_step(ctx, step_id))]


async def followup_not_yet(ctx: Ctx, step_id: str) -> list[Reply]:
    step, t = nudged_step(ctx, step_id), ctx.t
    done = Button(t("nudge.btn.done"), FOLLOWUP_DONE.id(step.id), style="primary")
    text = t("nudge.followup.not_yet", title=step.title(ctx.lang))
    return [private(text, buttons=(done,), replace=True)]


async def followup_skip(ctx: Ctx, step_id: str) -> list[Reply]:
    nudged_step(ctx, step_id)
    return [private(ctx.t("nudge.followup.skip"), replace=True)]


async def on_contact(ctx: Ctx) -> Member:
    """Any command, press or form is an answer: `/ippo done` every week
    restores the weekly cadence as surely as a press on the nudge itself."""
    return await responded(ctx)
