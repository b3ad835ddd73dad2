"""The weekly nudge and the follow-up: how they look, and composing them at
send time (the step is picked then, so it reflects what the member did since,
and a member who stopped, paused or left meanwhile gets nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.catalog import Catalog, Step
from bot.features.common import step_fields, step_text
from bot.features.nudges.routes import (
    ANOTHER,
    FOLLOWUP_DONE,
    FOLLOWUP_NOT_YET,
    FOLLOWUP_SKIP,
    SKIP,
    STOP,
    TRY,
)
from bot.features.nudges.timing import is_paused
from bot.i18n import Translator
from bot.model import Button, Cadence, EntryKind, Member, Message
from bot.ports import Delivery
from bot.scheduled import WorkCtx
from bot.suggest import suggest

SHOWN_QUIET = timedelta(weeks=6)  # a step nudged or suggested within this is not nudged again


def nudge_buttons(
    t: Translator, step: Step, *, seen: int = 1, extras: Sequence[Button] = ()
) -> tuple[Button, ...]:
    return (
        Button(t("nudge.btn.try"), TRY.id(step.id), style="primary"),
        Button(t("nudge.btn.another"), ANOTHER.id((seen, step.id))),
        Button(t("nudge.btn.skip"), SKIP.id()),
        Button(t("nudge.btn.stop"), STOP.id()),
        *extras,
    )


def nudge_message(
    t: Translator,
    catalog: Catalog,
    step: Step,
    *,
    cadence: Cadence = Cadence.WEEKLY,
    seen: int = 1,
    notice: str = "",
    extras: Sequence[Button] = (),
) -> Message:
    """The weekly message: the step as every surface shows it (bot.features.
    common: title, action, why; where, cost, online or in person, level)."""
    lines = [notice or t("nudge.intro"), "", step_text(t, catalog, step)]
    if cadence != Cadence.WEEKLY:
        lines += ["", t(f"nudge.slower_{cadence.value}")]
    lines += ["", t("nudge.footer")]
    return Message(
        "\n".join(lines),
        title=t("nudge.title"),
        fields=step_fields(t, catalog, step),
        buttons=nudge_buttons(t, step, seen=seen, extras=extras),
    )


def followup_message(t: Translator, step: Step) -> Message:
    return Message(
        t("nudge.followup.body", title=step.title(t.lang)),
        title=t("nudge.followup.title"),
        buttons=(
            Button(t("nudge.btn.done"), FOLLOWUP_DONE.id(step.id), style="primary"),
            Button(t("nudge.btn.not_yet"), FOLLOWUP_NOT_YET.id(step.id)),
            Button(t("nudge.btn.followup_skip"), FOLLOWUP_SKIP.id(step.id)),
        ),
    )


async def member_to_nudge(work: WorkCtx, delivery: Delivery) -> Member | None:
    if delivery.member_id is None:
        return None
    member = await work.uow.members.get_by_id(delivery.member_id)
    if member is None or member.unreachable or not member.nudge.enabled:
        return None
    if is_paused(member, work.now):
        return None
    return member


async def pick_step(work: WorkCtx, member: Member, delivery: Delivery) -> Step | None:
    """The step for this nudge, recorded as SUGGESTED.

    A retry (or a resend after a crash) shows the step recorded by the first
    attempt, found as the latest suggestion since the start of the nudge's
    local day, so a failed send never uses up a second step.
    """
    journey = work.uow.journey
    entries = await journey.list(member.id)
    if delivery.attempts > 1:
        since = (delivery.expires_at or work.now) - timedelta(days=1)
        earlier = [
            e for e in entries if e.kind == EntryKind.SUGGESTED and e.at >= since and e.step_id
        ]
        if earlier and earlier[-1].step_id and (step := work.catalog.step(earlier[-1].step_id)):
            return step
    picked = suggest(
        work.catalog, member, entries, work.now, shown_quiet=SHOWN_QUIET, salt=delivery.key
    )
    if not picked:
        return None
    await journey.add(member.id, EntryKind.SUGGESTED, work.now, step_id=picked[0].id)
    return picked[0]


async def compose_nudge(work: WorkCtx, delivery: Delivery) -> Message | None:
    member = await member_to_nudge(work, delivery)
    if member is None:
        return None
    step = await pick_step(work, member, delivery)
    if step is None:
        return None
    t = work.messages.for_lang(member.lang)
    return nudge_message(t, work.catalog, step, cadence=member.nudge.cadence)


async def compose_followup(work: WorkCtx, delivery: Delivery) -> Message | None:
    member = await member_to_nudge(work, delivery)
    step = work.catalog.step(delivery.payload.get("step_id", ""))
    if member is None or step is None:
        return None
    return followup_message(work.messages.for_lang(member.lang), step)
