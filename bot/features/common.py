"""Small helpers shared by features: replies and argument checks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.catalog import Catalog, Step
from bot.i18n import Translator
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


def step_text(t: Translator, catalog: Catalog, step: Step) -> str:
    """What a step is and what to do: its title, the one small action for this
    week, and why it helps. Every surface that shows a step (`/ippo step`,
    the weekly nudge, the overview) uses this and `step_fields`."""
    lang = t.lang
    return f"{step.title(lang)}\n{step.action(lang)}\n{step.detail(lang)}"


def step_where(t: Translator, catalog: Catalog, step: Step) -> str | None:
    """The community a step happens in, with its link, or the step's own link;
    None when the step needs no particular place (the action says where)."""
    community = catalog.community(step.community) if step.community else None
    url = step.url or (community.url if community else None)
    name = community.name(t.lang) if community else None
    parts = [p for p in (name, url) if p]
    return " ".join(parts) if parts else None


def step_cost(t: Translator, catalog: Catalog, step: Step) -> str:
    community = catalog.community(step.community) if step.community else None
    fee = community.monthly_fee_yen if community else None
    if step.cost == "paid" and fee:
        return t("step.cost.paid_monthly", fee=f"{fee:,}")
    return t(f"step.cost.{step.cost}")


def step_fields(t: Translator, catalog: Catalog, step: Step) -> tuple[Field, ...]:
    """The facts of a step: where (community and link), cost, online or in
    person, and its level by name."""
    where = step_where(t, catalog, step)
    fields = [Field(t("step.field.where"), where)] if where else []
    fields += [
        Field(t("step.field.cost"), step_cost(t, catalog, step)),
        Field(t("step.field.mode"), t(f"step.mode.{step.mode}")),
        Field(t("step.field.rung"), catalog.rung(step.rung).name(t.lang)),
    ]
    return tuple(fields)


def step_brief(t: Translator, catalog: Catalog, step: Step) -> str:
    """A step in a few lines, for places with no room for fields (the
    overview): title, action, then where, cost and mode on one line."""
    facts = [
        step_where(t, catalog, step),
        step_cost(t, catalog, step),
        t(f"step.mode.{step.mode}"),
    ]
    line = t("step.facts_separator").join(f for f in facts if f)
    return f"{step.title(t.lang)}\n{step.action(t.lang)}\n{line}"
