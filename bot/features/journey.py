"""`/ippo done` logs a step with an optional private note; `/ippo journey` shows
what the member tried, month by month, and offers (never pushes) the next rung.
Moving down is always one tap; entries and their notes can be deleted.

`/ippo done <text>` logs the whole text. A private note follows the word
"note:" or "メモ:" (either colon, either language — a Japanese IME types "メモ："
naturally), or comes through the form. A step's title, typed loosely in either
language, logs that catalog step (`Catalog.find_step`). The journey numbers
what it shows (steps done, and steps being tried) from 1, oldest first, per
member; `/ippo journey delete <n>` takes that number, never a database id.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import groupby
from zoneinfo import ZoneInfo

from bot.catalog import Step
from bot.feature import Arg, Command, Feature
from bot.features.common import private
from bot.features.links import JOURNEY_DONE, JOURNEY_RUNG, JOURNEY_SHOW, STEP_MORE
from bot.i18n import Messages
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
from bot.parse import number
from bot.router import Ctx, UserError
from bot.suggest import ready_to_move_up

MAX_TEXT = 200
MAX_NOTE = 1000


def note_mark(messages: Messages) -> re.Pattern[str]:
    """Where a private note starts in `/ippo done <text>`: a word listed under
    `journey.words.note` in either language's catalog, then ":" or "："
    (any case, anywhere in the text)."""
    words = {w for c in messages.catalogs.values() for w in c["journey.words.note"].split()}
    return _note_mark(tuple(sorted(words, key=len, reverse=True)))


@functools.cache
def _note_mark(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![A-Za-z])(?:{alternatives})\s*[:：]", re.IGNORECASE)


_HEAD = re.compile(r"\s*(?:[/／]?ippo\s+)?(\S+)", re.IGNORECASE)
_QUOTED_FIRST = re.compile(r'\s*(["“])(.+?)(["”])(?:\s+(.*))?\s*$', re.DOTALL)
_QUOTES = {'"': '"', "“": "”"}


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
        JOURNEY_DONE.id(step.id if step else ""),
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
    buttons: list[Button] = [Button(t("journey.btn.show"), JOURNEY_SHOW.id())]
    entries = await ctx.uow.journey.list(ctx.member.id)
    if ready_to_move_up(ctx.catalog, ctx.member, entries):
        nxt = ctx.catalog.rung(ctx.member.rung + 1)
        lines.append(t("journey.up_offer", rung=nxt.name(ctx.lang)))
        buttons.insert(0, Button(t("journey.btn.up"), JOURNEY_RUNG.id(nxt.level)))
    return [private("\n".join(lines), buttons=buttons, tone="success", replace=True)]


def typed_after_name(cmd: CommandInvoked) -> str:
    """What the member typed after the command's name, as they typed it
    (quotes and apostrophes kept); the words joined when the platform gave
    no text to read it from."""
    head = _HEAD.match(cmd.raw_text)
    if head is not None and head.group(1).lower() == cmd.name:
        return cmd.raw_text[head.end() :].strip()
    return " ".join(cmd.args)


def unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


def split_note(text: str, messages: Messages) -> tuple[str, str | None]:
    """`/ippo done` text as (what, note): the note after a `note_mark`; or,
    as before, after a quoted first part (`"Lunch with planning" nice`)."""
    mark = note_mark(messages).search(text)
    if mark is not None:
        what, note = text[: mark.start()], text[mark.end() :]
    elif (quoted := _QUOTED_FIRST.match(text)) and _QUOTES[quoted.group(1)] == quoted.group(3):
        what, note = quoted.group(2), quoted.group(4) or ""
    else:
        what, note = text, ""
    return unquote(what), unquote(note) or None


async def done_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    text = typed_after_name(cmd)
    if not text:
        return [done_form(ctx, None)]
    what, note = split_note(text, ctx.messages)
    if not what:
        raise UserError("done.need_what_typed")
    first, _, rest = what.partition(" ")
    step = ctx.catalog.step(first)
    if step is not None and rest and note is None:  # an id from Discord's list, then a note
        return await log_done(ctx, step=step, text=None, note=rest.strip())
    step = ctx.catalog.find_step(what)
    return await log_done(ctx, step=step, text=None if step else what, note=note)


def entry_title(ctx: Ctx, entry: JourneyEntry) -> str:
    step = ctx.catalog.step(entry.step_id) if entry.step_id else None
    return step.title(ctx.lang) if step else (entry.text or "")


def listed(entries: Sequence[JourneyEntry]) -> list[JourneyEntry]:
    """What the journey shows, oldest first: every step done, and each step
    being tried that has not been done (or tried again) since. Its position
    in this list, from 1, is the entry's number for the member."""
    later: set[str] = set()
    shown: list[JourneyEntry] = []
    for e in reversed(entries):
        open_try = e.kind == EntryKind.TRYING and e.step_id and e.step_id not in later
        if e.kind != EntryKind.DONE and not open_try:
            continue
        shown.append(e)
        if e.step_id:
            later.add(e.step_id)
    shown.reverse()
    return shown


def journey_text(ctx: Ctx, entries: Sequence[JourneyEntry]) -> str:
    t, tz = ctx.t, ZoneInfo(ctx.member.tz)
    shown = listed(entries)
    if not shown:
        return t("journey.empty")
    done = sum(1 for e in shown if e.kind == EntryKind.DONE)
    lines: list[str] = [t("journey.count", count=done)]
    numbered = list(enumerate(shown, start=1))
    for month, group in groupby(
        reversed(numbered), key=lambda pair: pair[1].at.astimezone(tz).strftime("%Y-%m")
    ):
        year, mon = month.split("-")
        lines.append("")
        lines.append(t("journey.month", year=year, month=int(mon)))
        for n, e in group:
            local = e.at.astimezone(tz)
            key = "journey.line" if e.kind == EntryKind.DONE else "journey.line_trying"
            line = t(key, number=n, day=local.day, month=local.month, title=entry_title(ctx, e))
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
        buttons.append(Button(t("journey.btn.up"), JOURNEY_RUNG.id(nxt.level)))
    if ctx.member.rung > 1:
        buttons.append(Button(t("journey.btn.down"), JOURNEY_RUNG.id(ctx.member.rung - 1)))
    buttons.append(Button(t("journey.btn.step"), STEP_MORE.id()))
    if listed(entries):
        text += "\n\n" + t("journey.delete_hint")
    return private(text, title=t("journey.title"), buttons=buttons, replace=replace_message)


async def delete_numbered(ctx: Ctx, raw: str) -> list[Reply]:
    """`/ippo journey delete <n>`: the n-th entry the journey shows."""
    wanted = number(raw.lstrip("#＃"), high=10**40)
    if wanted is None:  # not a number at all: how to write one
        raise UserError("journey.delete_usage")
    shown = listed(await ctx.uow.journey.list(ctx.member.id))
    if not shown:
        raise UserError("journey.delete_empty")
    if not 1 <= wanted <= len(shown):
        raise UserError("journey.delete_missing", number=wanted, count=len(shown))
    entry = shown[wanted - 1]
    await ctx.uow.journey.delete_entry(ctx.member.id, entry.id)
    title = entry_title(ctx, entry)
    key = "journey.deleted_with_note" if entry.note else "journey.deleted"
    return [private(ctx.t(key, number=wanted, title=title), tone="success")]


async def journey_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    if cmd.args and ctx.messages.pick(cmd.args[0], "journey.words", ("delete",)):
        return await delete_numbered(ctx, " ".join(cmd.args[1:]))
    if cmd.args:
        raise UserError("journey.usage")
    return [await journey_view(ctx)]


async def set_rung(ctx: Ctx, level: int) -> list[Reply]:
    if not 1 <= level <= ctx.catalog.top_rung:
        raise UserError("errors.stale_button")
    await ctx.uow.members.save(replace(ctx.member, rung=level))
    name = ctx.catalog.rung(level).name(ctx.lang)
    return [
        private(
            ctx.t("journey.rung_set", rung=name),
            tone="success",
            buttons=(Button(ctx.t("journey.btn.step"), STEP_MORE.id()),),
            replace=True,
        )
    ]


async def show(ctx: Ctx, _: None) -> list[Reply]:
    return [await journey_view(ctx, replace_message=True)]


async def on_form(ctx: Ctx, step_id: str, values: Mapping[str, str]) -> list[Reply]:
    note = (values.get("note") or "").strip() or None
    if step_id:
        step = ctx.catalog.step(step_id)
        if step is None:
            raise UserError("errors.stale_button")
        return await log_done(ctx, step=step, text=None, note=note)
    what = (values.get("what") or "").strip()
    if not what:
        raise UserError("done.need_what")
    step = ctx.catalog.find_step(what)
    return await log_done(ctx, step=step, text=None if step else what, note=note)


FEATURE = Feature(
    "journey",
    commands=(
        Command(
            "done",
            done_command,
            ("did", "log"),
            (Arg("what", "text", complete="step"), Arg("note", "text", flag="note:")),
            help=("help.line.done",),
        ),
        Command(
            "journey",
            journey_command,
            ("history",),
            (Arg("delete", "int", flag="delete"),),
            help=("help.line.journey",),
        ),
    ),
    help_section="help.section.steps",
    presses=(JOURNEY_SHOW.on(show), JOURNEY_RUNG.on(set_rung)),
    forms=(JOURNEY_DONE.on_submit(on_form),),
)
