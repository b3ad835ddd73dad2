"""`/ippo done` logs a step with an optional private note; `/ippo journey` shows
what the member tried, month by month, and offers (never pushes) the next rung.
Moving down is always one tap; entries and their notes can be deleted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import groupby
from zoneinfo import ZoneInfo

from bot.actions import ActionId, action
from bot.catalog import Step
from bot.features.common import private
from bot.model import (
    Button,
    CommandInvoked,
    EntryKind,
    Form,
    FormInput,
    JourneyEntry,
    Message,
    Reply,
)
from bot.parse import normalize, number, record_id
from bot.router import Ctx, Router, UserError
from bot.suggest import ready_to_move_up

MAX_TEXT = 200
MAX_NOTE = 1000


def done_form(ctx: Ctx, step: Step | None) -> Reply:
    """The form behind "Done it" and a bare `/ippo done`: what (unless a step is
    known) and an optional private note."""
    t = ctx.t
    inputs: list[FormInput] = []
    if step is None:
        inputs.append(FormInput("what", t("done.form.what"), hint=t("done.form.what_hint")))
    inputs.append(
        FormInput(
            "note",
            t("done.form.note"),
            kind="multiline",
            required=False,
            hint=t("done.form.note_hint"),
        )
    )
    form = Form(
        action("journey", "done", step.id if step else ""),
        t("done.form.title"),
        t("done.form.submit"),
        tuple(inputs),
    )
    label = step.title(ctx.lang) if step else ""
    return Reply(Message(t("done.form.fallback", title=label), form=form, ephemeral=True))


async def log_done(
    ctx: Ctx, *, step: Step | None, text: str | None, note: str | None
) -> list[Reply]:
    t = ctx.t
    if text is not None and len(text) > MAX_TEXT:
        raise UserError("done.too_long", most=MAX_TEXT)
    if note is not None and len(note) > MAX_NOTE:
        raise UserError("done.note_too_long", most=MAX_NOTE)
    await ctx.uow.journey.add(
        ctx.member.id,
        EntryKind.DONE,
        ctx.now,
        step_id=step.id if step else None,
        text=text,
        note=note or None,
    )
    title = step.title(ctx.lang) if step else (text or "")
    lines = [t("done.logged", title=title)]
    if note:
        lines.append(t("done.note_saved"))
    buttons: list[Button] = [Button(t("journey.btn.show"), action("journey", "show"))]
    entries = await ctx.uow.journey.list(ctx.member.id)
    if ready_to_move_up(ctx.catalog, ctx.member, entries):
        nxt = ctx.catalog.rung(ctx.member.rung + 1)
        lines.append(t("journey.up_offer", rung=nxt.name(ctx.lang)))
        buttons.insert(0, Button(t("journey.btn.up"), action("journey", "rung", nxt.level)))
    return [private("\n".join(lines), buttons=buttons, tone="success", replace=True)]


async def done_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    if not cmd.args:
        return [done_form(ctx, None)]
    first, rest = cmd.args[0], " ".join(cmd.args[1:]).strip() or None
    step = ctx.catalog.step(first)
    if step is not None:
        return await log_done(ctx, step=step, text=None, note=rest)
    return await log_done(ctx, step=None, text=first, note=rest)


def entry_title(ctx: Ctx, entry: JourneyEntry) -> str:
    step = ctx.catalog.step(entry.step_id) if entry.step_id else None
    return step.title(ctx.lang) if step else (entry.text or "")


def journey_text(ctx: Ctx, entries: Sequence[JourneyEntry]) -> str:
    t, tz = ctx.t, ZoneInfo(ctx.member.tz)
    done = [e for e in entries if e.kind == EntryKind.DONE]
    if not done:
        return t("journey.empty")
    lines: list[str] = [t("journey.count", count=len(done))]
    for month, group in groupby(
        reversed(done), key=lambda e: e.at.astimezone(tz).strftime("%Y-%m")
    ):
        year, mon = month.split("-")
        lines.append("")
        lines.append(t("journey.month", year=year, month=int(mon)))
        for e in group:
            local = e.at.astimezone(tz)
            line = t(
                "journey.line", id=e.id, day=local.day, month=local.month, title=entry_title(ctx, e)
            )
            if e.note:
                line += "\n    " + t("journey.note", note=e.note)
            lines.append(line)
    return "\n".join(lines)


async def journey_view(ctx: Ctx, *, replace_message: bool = False) -> Reply:
    t = ctx.t
    entries = await ctx.uow.journey.list(ctx.member.id)
    rung = ctx.catalog.rung(ctx.member.rung)
    text = journey_text(ctx, entries) + "\n\n" + t("journey.rung_now", rung=rung.name(ctx.lang))
    buttons: list[Button] = []
    if ready_to_move_up(ctx.catalog, ctx.member, entries):
        nxt = ctx.catalog.rung(ctx.member.rung + 1)
        text += "\n" + t("journey.up_offer", rung=nxt.name(ctx.lang))
        buttons.append(Button(t("journey.btn.up"), action("journey", "rung", nxt.level)))
    if ctx.member.rung > 1:
        buttons.append(
            Button(t("journey.btn.down"), action("journey", "rung", ctx.member.rung - 1))
        )
    buttons.append(Button(t("journey.btn.step"), action("step", "more")))
    text += "\n" + t("journey.delete_hint")
    return private(text, title=t("journey.title"), buttons=buttons, replace=replace_message)


async def journey_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    if cmd.args and ctx.messages.pick(cmd.args[0], "journey.words", ("delete",)):
        raw = cmd.args[1].lstrip("#") if len(cmd.args) > 1 else ""
        if number(raw, high=10**40) is None:  # not a number at all: how to write one
            raise UserError("journey.delete_usage")
        entry_id = record_id(raw)  # a number, but maybe too large to be anyone's
        if entry_id is None or not await ctx.uow.journey.delete_entry(ctx.member.id, entry_id):
            raise UserError("journey.delete_missing", id=normalize(raw))
        return [private(ctx.t("journey.deleted", id=entry_id), tone="success")]
    if cmd.args:
        raise UserError("journey.usage")
    return [await journey_view(ctx)]


async def set_rung(ctx: Ctx, level: int) -> list[Reply]:
    if not 1 <= level <= ctx.catalog.top_rung:
        raise UserError("errors.stale_button")
    ctx.member = await ctx.uow.members.save(replace(ctx.member, rung=level))
    name = ctx.catalog.rung(level).name(ctx.lang)
    return [
        private(
            ctx.t("journey.rung_set", rung=name),
            tone="success",
            buttons=(Button(ctx.t("journey.btn.step"), action("step", "more")),),
            replace=True,
        )
    ]


async def on_button(ctx: Ctx, route: ActionId) -> list[Reply]:
    match route.verb:
        case "show":
            return [await journey_view(ctx, replace_message=True)]
        case "rung" if (level := number(route.arg)) is not None:
            return await set_rung(ctx, level)
    raise UserError("errors.stale_button")


async def on_form(ctx: Ctx, route: ActionId, values: Mapping[str, str]) -> list[Reply]:
    if route.verb != "done":
        raise UserError("errors.stale_button")
    note = (values.get("note") or "").strip() or None
    if route.arg:
        step = ctx.catalog.step(route.arg)
        if step is None:
            raise UserError("errors.stale_button")
        return await log_done(ctx, step=step, text=None, note=note)
    what = (values.get("what") or "").strip()
    if not what:
        raise UserError("done.need_what")
    step = ctx.catalog.step(what)
    return await log_done(ctx, step=step, text=None if step else what, note=note)


def register(router: Router) -> None:
    router.command("done", done_command, "did", "log")
    router.command("journey", journey_command, "history")
    router.actions("journey", on_button)
    router.forms("journey", on_form)
