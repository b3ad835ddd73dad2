"""Small helpers shared by features: replies and argument checks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.catalog import Step
from bot.model import Button, Field, Message, Reply, Tone
from bot.router import Ctx


def private(
    text: str,
    *,
    title: str | None = None,
    fields: Sequence[Field] = (),
    buttons: Sequence[Button] = (),
    tone: Tone = "info",
    replace: bool = False,
) -> Reply:
    """A reply only the member sees (ephemeral in channels; DMs are private anyway)."""
    return Reply(
        Message(
            text,
            title=title,
            fields=tuple(fields),
            buttons=tuple(buttons),
            tone=tone,
            ephemeral=True,
        ),
        replace=replace,
    )


def local_now(ctx: Ctx) -> datetime:
    return ctx.now.astimezone(ZoneInfo(ctx.member.tz))


def step_line(ctx: Ctx, step: Step) -> str:
    """ "Title — detail" plus the link when the catalog has one."""
    line = f"{step.title(ctx.lang)}\n{step.detail(ctx.lang)}"
    url = step.url or (c.url if (c := ctx.catalog.community(step.community or "")) else None)
    if url:
        line += f"\n{url}"
    return line


def step_facts(ctx: Ctx, step: Step) -> tuple[Field, ...]:
    t = ctx.t
    return (
        Field(t("step.field.rung"), ctx.catalog.rung(step.rung).name(ctx.lang)),
        Field(t("step.field.cost"), t(f"step.cost.{step.cost}")),
        Field(t("step.field.mode"), t(f"step.mode.{step.mode}")),
    )
