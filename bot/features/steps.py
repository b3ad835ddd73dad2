"""`/ippo step`: one to three suggestions, each with I'll try this / Another one /
Too much — an easier one / Done it."""

from __future__ import annotations

from bot.actions import ActionId, action
from bot.catalog import Step
from bot.features.common import private, step_facts, step_line
from bot.features.journey import done_form
from bot.model import Button, CommandInvoked, EntryKind, Reply
from bot.parse import number
from bot.router import Ctx, Router, UserError
from bot.suggest import suggest

MAX_SUGGESTIONS = 3


def step_buttons(ctx: Ctx, step: Step) -> tuple[Button, ...]:
    t = ctx.t
    return (
        Button(t("step.btn.try"), action("step", "try", step.id), style="primary"),
        Button(t("step.btn.another"), action("step", "another", step.id)),
        Button(t("step.btn.easier"), action("step", "easier", step.id)),
        Button(t("step.btn.done"), action("step", "done", step.id)),
    )


def step_reply(ctx: Ctx, step: Step, *, intro: str = "", replace: bool = False) -> Reply:
    text = (intro + "\n\n" if intro else "") + step_line(ctx, step)
    return private(
        text,
        title=ctx.t("step.title"),
        fields=step_facts(ctx, step),
        buttons=step_buttons(ctx, step),
        replace=replace,
    )


async def offer(
    ctx: Ctx,
    *,
    count: int = 1,
    rung: int | None = None,
    exclude: tuple[str, ...] = (),
    intro: str = "",
    replace: bool = False,
) -> list[Reply]:
    entries = await ctx.uow.journey.list(ctx.member.id)
    steps = suggest(
        ctx.catalog, ctx.member, entries, ctx.now, count=count, rung=rung, exclude=exclude
    )
    if not steps:
        return [private(ctx.t("step.none_left"), replace=replace)]
    for step in steps:
        await ctx.uow.journey.add(ctx.member.id, EntryKind.SUGGESTED, ctx.now, step_id=step.id)
    return [
        step_reply(ctx, s, intro=intro if i == 0 else "", replace=replace and i == 0)
        for i, s in enumerate(steps)
    ]


async def step_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    count = 1
    if cmd.args:
        arg = cmd.args[0]
        wanted = number(arg, low=1, high=MAX_SUGGESTIONS)
        if wanted is None:
            raise UserError("step.bad_count", value=arg, most=MAX_SUGGESTIONS)
        count = wanted
    intro = "" if ctx.member.reasons else ctx.t("step.no_reasons_hint")
    return await offer(ctx, count=count, intro=intro)


async def on_button(ctx: Ctx, route: ActionId) -> list[Reply]:
    if route.verb == "more":
        return await offer(ctx)
    step = ctx.catalog.step(route.arg)
    if step is None:
        raise UserError("errors.stale_button")
    t, member_id = ctx.t, ctx.member.id
    match route.verb:
        case "try":
            await ctx.uow.journey.add(member_id, EntryKind.TRYING, ctx.now, step_id=step.id)
            return [
                private(
                    t("step.trying", title=step.title(ctx.lang), id=step.id),
                    buttons=(Button(t("step.btn.done"), action("step", "done", step.id)),),
                    tone="success",
                    replace=True,
                )
            ]
        case "another":
            await ctx.uow.journey.add(member_id, EntryKind.DECLINED, ctx.now, step_id=step.id)
            return await offer(ctx, exclude=(step.id,), replace=True)
        case "easier":
            await ctx.uow.journey.add(member_id, EntryKind.TOO_MUCH, ctx.now, step_id=step.id)
            easier = max(1, min(step.rung, ctx.member.rung) - 1)
            replies = await offer(
                ctx, rung=easier, exclude=(step.id,), intro=t("step.easier_intro"), replace=True
            )
            if ctx.member.rung > 1:
                replies.append(
                    private(
                        t(
                            "journey.down_offer",
                            rung=ctx.catalog.rung(ctx.member.rung - 1).name(ctx.lang),
                        ),
                        buttons=(
                            Button(
                                t("journey.btn.down"),
                                action("journey", "rung", ctx.member.rung - 1),
                            ),
                        ),
                    )
                )
            return replies
        case "done":
            return [done_form(ctx, step)]
    raise UserError("errors.stale_button")


def register(router: Router) -> None:
    router.command("step", step_command, "steps", "suggest")
    router.actions("step", on_button)
