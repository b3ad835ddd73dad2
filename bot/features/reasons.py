"""`/ippo why`: the member's reasons for stepping out, chosen from the catalog.

Reasons are toggled with buttons (works the same in every adapter) or given
directly: `/ippo why 1 3` (numbers as listed) or `/ippo why wider-view`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.actions import TEXT, Route, Tap
from bot.feature import Arg, Command, Feature
from bot.features.common import private
from bot.model import Button, CommandInvoked, Reply
from bot.parse import normalize
from bot.parse import number as parse_number
from bot.router import Ctx, UserError

TOGGLE = Route("why", "toggle", TEXT)
DONE = Tap("why", "done")


def reasons_view(ctx: Ctx, *, replace_message: bool = False) -> Reply:
    """The reasons as toggle buttons; the text says what is chosen so far."""
    t, lang = ctx.t, ctx.lang
    chosen = set(ctx.member.reasons)
    buttons = [
        Button(
            (("✓ " if reason.id in chosen else "") + reason.label(lang))[:75],
            TOGGLE.id(reason.id),
        )
        for reason in ctx.catalog.reasons
    ]
    buttons.append(Button(t("why.done_button"), DONE.id(), style="primary"))
    return private(
        t("why.prompt") + "\n" + summary(ctx),
        title=t("why.title"),
        buttons=buttons,
        replace=replace_message,
    )


def reason_labels(ctx: Ctx) -> str:
    """The member's reasons as one line ("" when none), for a field whose
    label already says what they are."""
    labels = [r.label(ctx.lang) for r in ctx.catalog.reasons if r.id in ctx.member.reasons]
    return ctx.t("why.sep").join(labels)


def summary(ctx: Ctx) -> str:
    """ "Your reasons: …" as a sentence, or how to choose them."""
    labels = reason_labels(ctx)
    return ctx.t("why.yours", reasons=labels) if labels else ctx.t("why.none")


async def why(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    if not cmd.args:
        return [reasons_view(ctx)]
    by_number = {str(i): r.id for i, r in enumerate(ctx.catalog.reasons, start=1)}
    known = {r.id for r in ctx.catalog.reasons}
    picked: list[str] = []
    typed = re.sub(r"[,、]", " ", normalize(" ".join(cmd.args)))
    for word in typed.split():
        number = parse_number(word, low=1, high=len(ctx.catalog.reasons))
        reason_id = by_number.get(str(number), word if word in known else None)
        if reason_id is None:
            raise UserError("why.bad_arg", value=word, count=len(ctx.catalog.reasons))
        if reason_id not in picked:
            picked.append(reason_id)
    member = await ctx.uow.members.save(replace(ctx.member, reasons=tuple(picked)))
    ctx = replace(ctx, member=member)
    return [private(summary(ctx) + "\n" + ctx.t("why.next"), tone="success")]


async def toggle(ctx: Ctx, reason_id: str) -> list[Reply]:
    if ctx.catalog.reason(reason_id) is None:
        raise UserError("errors.stale_button")
    current = list(ctx.member.reasons)
    if reason_id in current:
        current.remove(reason_id)
    else:
        current.append(reason_id)
    member = await ctx.uow.members.save(replace(ctx.member, reasons=tuple(current)))
    return [reasons_view(replace(ctx, member=member), replace_message=True)]


async def done(ctx: Ctx, _: None) -> list[Reply]:
    return [private(summary(ctx) + "\n" + ctx.t("why.next"), tone="success", replace=True)]


FEATURE = Feature(
    "reasons",
    commands=(
        Command("why", why, ("reason", "reasons"), (Arg("reasons"),), help=("help.line.why",)),
    ),
    help_section="help.section.steps",
    presses=(TOGGLE.on(toggle), DONE.on(done)),
)
