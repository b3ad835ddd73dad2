"""Core `Message` -> Discord message parts, as pure functions.

`render()` turns every element of a semantic message into content, one embed
and component rows within Discord's limits; `render_form()` turns a `Form`
into a modal whose custom_id is the form's route. Nothing here talks to
Discord: the result is plain data (`DiscordMessage`, `DiscordModal`) with
`payload()` giving the exact JSON Discord receives, and `view()`/`modal()`
building the discord.py objects to send (those need a running event loop).

Limits (Discord API reference): 2000 characters of content; embed title 256,
description 4096, 25 fields (name 256, value 1024), 6000 characters in all;
5 buttons a row, 5 rows; button label 80; select: 25 options (label 100),
placeholder 150; modal title 45, 5 inputs, input label 45, placeholder 100.
Text that does not fit is shortened with "…"; elements the platform cannot
hold (a 26th field, a 26th button) fall back to text or a select; what cannot
be shown at all raises `ValueError` instead of vanishing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, assert_never

import discord

from adapters.discord.components import PICK_TEMPLATE, PickSelect, RouteButton, pick_id
from bot.i18n import Translator
from bot.model import Button, ButtonStyle, Form, Message, Tone

CONTENT_MAX = 2000
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
EMBED_TOTAL_MAX = 6000
BUTTONS_PER_ROW = 5
ROWS_MAX = 5
BUTTON_LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
OPTION_LABEL_MAX = 100
PLACEHOLDER_MAX = 150
MODAL_TITLE_MAX = 45
MODAL_INPUTS_MAX = 5
INPUT_LABEL_MAX = 45
INPUT_PLACEHOLDER_MAX = 100
INPUT_VALUE_MAX = 4000

EPHEMERAL_FLAG = 64
ELLIPSIS = "…"

TONE_COLOURS: dict[Tone, int] = {
    "info": 0x5865F2,
    "success": 0x57F287,
    "warning": 0xFEE75C,
    "error": 0xED4245,
}


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def button_style(style: ButtonStyle) -> discord.ButtonStyle:
    match style:
        case "default":
            return discord.ButtonStyle.secondary
        case "primary":
            return discord.ButtonStyle.primary
        case "danger":
            return discord.ButtonStyle.danger
        case _:
            assert_never(style)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class ButtonSpec:
    label: str
    custom_id: str
    style: discord.ButtonStyle


@dataclass(frozen=True, slots=True)
class SelectSpec:
    custom_id: str
    placeholder: str
    options: tuple[tuple[str, str], ...]  # (label, value = route)

    @property
    def index(self) -> int:
        """Which select of its message this is: the N of its `~pick:N` id,
        read with the template `PickSelect` reads it back with."""
        found = PICK_TEMPLATE.fullmatch(self.custom_id)
        if found is None:
            raise ValueError(f"not a select id: {self.custom_id!r}")
        return int(found["index"])


Row = tuple[ButtonSpec, ...] | SelectSpec


@dataclass(frozen=True, slots=True)
class EmbedSpec:
    title: str | None
    description: str | None
    fields: tuple[tuple[str, str], ...]
    colour: int

    def build(self) -> discord.Embed:
        embed = discord.Embed(title=self.title, description=self.description, colour=self.colour)
        for name, value in self.fields:
            embed.add_field(name=name, value=value, inline=False)
        return embed


@dataclass(frozen=True, slots=True)
class DiscordMessage:
    """What to send for one core message."""

    content: str
    embed: EmbedSpec | None
    rows: tuple[Row, ...]
    ephemeral: bool

    def view(self) -> discord.ui.View | None:
        """A `timeout=None` view of dynamic (persistent) items, or None."""
        if not self.rows:
            return None
        view = discord.ui.View(timeout=None)
        for number, row in enumerate(self.rows):
            match row:
                case SelectSpec():
                    options = [discord.SelectOption(label=lb, value=v) for lb, v in row.options]
                    select = PickSelect(
                        row.index,
                        placeholder=row.placeholder,
                        options=options,
                    )
                    select.row = number
                    view.add_item(select)
                case _:
                    for spec in row:
                        item = RouteButton(spec.custom_id, label=spec.label, style=spec.style)
                        item.row = number
                        view.add_item(item)
        return view

    def discord_embed(self) -> discord.Embed | None:
        return self.embed.build() if self.embed else None

    def payload(self) -> dict[str, Any]:
        """The message body Discord receives (for goldens and limit checks)."""
        body: dict[str, Any] = {"content": self.content}
        body["embeds"] = [self.embed.build().to_dict()] if self.embed else []
        body["components"] = [row_payload(row) for row in self.rows]
        if self.ephemeral:
            body["flags"] = EPHEMERAL_FLAG
        return body


def row_payload(row: Row) -> dict[str, Any]:
    match row:
        case SelectSpec():
            return {
                "type": 1,
                "components": [
                    {
                        "type": 3,
                        "custom_id": row.custom_id,
                        "placeholder": row.placeholder,
                        "options": [{"label": lb, "value": v} for lb, v in row.options],
                    }
                ],
            }
        case _:
            return {
                "type": 1,
                "components": [
                    {"type": 2, "style": b.style.value, "label": b.label, "custom_id": b.custom_id}
                    for b in row
                ],
            }


@dataclass(frozen=True, slots=True)
class InputSpec:
    custom_id: str
    label: str
    multiline: bool
    required: bool
    initial: str
    placeholder: str


@dataclass(frozen=True, slots=True)
class DiscordModal:
    """A core form as a Discord modal; `custom_id` is the form's route."""

    custom_id: str
    title: str
    inputs: tuple[InputSpec, ...]

    def modal(self) -> discord.ui.Modal:
        modal = discord.ui.Modal(title=self.title, custom_id=self.custom_id, timeout=None)
        for spec in self.inputs:
            modal.add_item(
                discord.ui.TextInput(
                    label=spec.label,
                    custom_id=spec.custom_id,
                    style=(
                        discord.TextStyle.paragraph if spec.multiline else discord.TextStyle.short
                    ),
                    required=spec.required,
                    default=spec.initial or None,
                    placeholder=spec.placeholder or None,
                    max_length=INPUT_VALUE_MAX,
                )
            )
        return modal

    def payload(self) -> dict[str, Any]:
        return {
            "custom_id": self.custom_id,
            "title": self.title,
            "components": [
                {
                    "type": 1,
                    "components": [
                        {
                            "type": 4,
                            "custom_id": s.custom_id,
                            "label": s.label,
                            "style": 2 if s.multiline else 1,
                            "required": s.required,
                            "value": s.initial,
                            "placeholder": s.placeholder,
                        }
                    ],
                }
                for s in self.inputs
            ],
        }


# --------------------------------------------------------------------------- render


def render(message: Message, t: Translator) -> DiscordMessage:
    """Content, embed and component rows for `message` (its form, if any, is
    rendered separately by `render_form`; here it shows as its text)."""
    rows = component_rows(message, t)
    if message.title is None and not message.fields and len(message.text) <= CONTENT_MAX:
        return DiscordMessage(message.text, None, rows, message.ephemeral)
    return DiscordMessage("", embed_for(message), rows, message.ephemeral)


DESCRIPTION_RESERVE = 2048
"""Room kept for the text when many long fields compete for the 6000 characters."""


def embed_for(message: Message) -> EmbedSpec:
    title = shorten(message.title, EMBED_TITLE_MAX) if message.title else None
    used = len(title or "")
    field_budget = EMBED_TOTAL_MAX - used - min(len(message.text), DESCRIPTION_RESERVE)
    fields: list[tuple[str, str]] = []
    overflow: list[str] = []
    for f in message.fields:
        name = shorten(f.label, FIELD_NAME_MAX)
        value = shorten(f.value or "-", FIELD_VALUE_MAX)
        if len(fields) < EMBED_FIELDS_MAX and len(name) + len(value) <= field_budget:
            fields.append((name, value))
            field_budget -= len(name) + len(value)
        else:
            # What an embed cannot hold as a field becomes a line of the text.
            overflow.append(f"{f.label}: {f.value}")
    used += sum(len(n) + len(v) for n, v in fields)
    description = "\n".join([message.text, *overflow]).strip()
    room = min(EMBED_DESCRIPTION_MAX, EMBED_TOTAL_MAX - used)
    return EmbedSpec(
        title,
        shorten(description, room) if description else None,
        tuple(fields),
        TONE_COLOURS[message.tone],
    )


def component_rows(message: Message, t: Translator) -> tuple[Row, ...]:
    rows: list[Row] = []
    picks = 0
    budget = ROWS_MAX
    if message.choices is not None:
        budget -= 1
    buttons = list(message.buttons)
    if len(buttons) > budget * BUTTONS_PER_ROW:
        # Not enough room: the last free row becomes a select of the rest.
        keep = (budget - 1) * BUTTONS_PER_ROW
        rows.extend(button_rows(buttons[:keep]))
        rest = buttons[keep:]
        rows.append(select_row(pick_id(picks), t("discord.more_buttons"), rest))
        picks += 1
    else:
        rows.extend(button_rows(buttons))
    if message.choices is not None:
        choices = message.choices
        options = [Button(o.label, o.action_id) for o in choices.options]
        rows.append(select_row(pick_id(picks), choices.placeholder, options))
    return tuple(rows)


def button_rows(buttons: list[Button]) -> list[Row]:
    specs = [
        ButtonSpec(shorten(b.label, BUTTON_LABEL_MAX), b.action_id, button_style(b.style))
        for b in buttons
    ]
    return [tuple(specs[i : i + BUTTONS_PER_ROW]) for i in range(0, len(specs), BUTTONS_PER_ROW)]


def select_row(custom_id: str, placeholder: str, options: list[Button]) -> SelectSpec:
    if not options:
        raise ValueError("a select needs at least one option")
    if len(options) > SELECT_OPTIONS_MAX:
        raise ValueError(
            f"{len(options)} options do not fit one Discord select ({SELECT_OPTIONS_MAX} at most)"
        )
    return SelectSpec(
        custom_id,
        shorten(placeholder, PLACEHOLDER_MAX),
        tuple((shorten(o.label, OPTION_LABEL_MAX), o.action_id) for o in options),
    )


def render_form(form: Form) -> DiscordModal:
    if len(form.inputs) > MODAL_INPUTS_MAX:
        raise ValueError(
            f"form {form.form_id!r} has {len(form.inputs)} inputs; a modal holds {MODAL_INPUTS_MAX}"
        )
    inputs = tuple(
        InputSpec(
            custom_id=i.id,
            label=shorten(i.label, INPUT_LABEL_MAX),
            multiline=i.kind == "multiline",
            required=i.required,
            initial=i.initial[:INPUT_VALUE_MAX],
            placeholder=shorten(i.hint, INPUT_PLACEHOLDER_MAX),
        )
        for i in form.inputs
    )
    return DiscordModal(form.form_id, shorten(form.title, MODAL_TITLE_MAX), inputs)
