"""Core messages -> Block Kit. Pure functions: no I/O, no decisions.

Every element of a `bot.model.Message` is handled (`match` + `assert_never`)
and every Block Kit limit is respected here, so whatever the core says can be
posted: at most 50 blocks in a message (100 in a view), 3000 characters per
section, 150 per header, 75 per button label, 10 fields per section, 25
elements per actions block, 100 options per select. The message `text` is
always sent too: Slack shows it in notifications and where blocks cannot be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, assert_never

from adapters.slack.translate import modal_metadata
from bot.model import Button, Choices, Field, Form, Message, Tone

Json = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS_PER_SECTION = 10
MAX_HEADER = 150
MAX_BUTTON_LABEL = 75
MAX_ACTIONS_PER_BLOCK = 25
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_PLACEHOLDER = 150
MAX_VIEW_TITLE = 24
MAX_INPUT_LABEL = 2000
MAX_FALLBACK_TEXT = 4000  # Slack's advice for the top-level `text`
CHOICES_ACTION_ID = "ippo-choices"
ELLIPSIS = "…"

TONE_MARK: dict[Tone, str] = {
    "info": "",
    "success": ":white_check_mark: ",
    "warning": ":warning: ",
    "error": ":x: ",
}


def clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + ELLIPSIS


def escape(text: str) -> str:
    """mrkdwn control characters; the core's text is plain."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str, most: int) -> Json:
    return {"type": "plain_text", "text": clip(text, most) or " ", "emoji": True}


def chunks(text: str, size: int) -> list[str]:
    """Split at line breaks where possible, never above `size` characters."""
    out: list[str] = []
    rest = text
    while len(rest) > size:
        cut = rest.rfind("\n", 0, size)
        if cut <= 0:
            cut = size
        out.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    if rest:
        out.append(rest)
    return out


# --------------------------------------------------------------------------- elements


@dataclass(frozen=True, slots=True)
class Title:
    text: str


@dataclass(frozen=True, slots=True)
class Body:
    text: str


@dataclass(frozen=True, slots=True)
class Fields:
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Buttons:
    buttons: tuple[Button, ...]


@dataclass(frozen=True, slots=True)
class Select:
    choices: Choices


@dataclass(frozen=True, slots=True)
class FormNotice:
    """A form opens as a modal (see `render_modal`); in the message itself it
    adds nothing beyond the text, which already says what the form is for."""

    form: Form


Element = Title | Body | Fields | Buttons | Select | FormNotice


def elements(message: Message) -> list[Element]:
    """The message's elements in display order. Tone marks the first text."""
    mark = TONE_MARK[message.tone]
    out: list[Element] = []
    if message.title:
        out.append(Title(mark + message.title))
        mark = ""
    if message.text:
        out.append(Body(mark + message.text))
    if message.fields:
        out.append(Fields(message.fields))
    if message.buttons:
        out.append(Buttons(message.buttons))
    if message.choices is not None and message.choices.options:
        out.append(Select(message.choices))
    if message.form is not None:
        out.append(FormNotice(message.form))
    return out


def field_blocks(fields: tuple[Field, ...]) -> list[Json]:
    blocks: list[Json] = []
    for start in range(0, len(fields), MAX_FIELDS_PER_SECTION):
        group = fields[start : start + MAX_FIELDS_PER_SECTION]
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {
                        "type": "mrkdwn",
                        "text": clip(f"*{escape(f.label)}*\n{escape(f.value)}", MAX_FIELD_TEXT),
                    }
                    for f in group
                ],
            }
        )
    return blocks


def button_blocks(buttons: tuple[Button, ...]) -> list[Json]:
    """Buttons carry the core's action id as `value`; `action_id` is the same
    id, suffixed when a message repeats it (Slack wants them unique)."""
    seen: dict[str, int] = {}
    rendered: list[Json] = []
    for b in buttons:
        n = seen.get(b.action_id, 0)
        seen[b.action_id] = n + 1
        element: Json = {
            "type": "button",
            "text": plain(b.label, MAX_BUTTON_LABEL),
            "action_id": b.action_id if n == 0 else f"{b.action_id}#{n}",
            "value": b.action_id,
        }
        if b.style != "default":
            element["style"] = b.style
        rendered.append(element)
    return [
        {"type": "actions", "elements": rendered[i : i + MAX_ACTIONS_PER_BLOCK]}
        for i in range(0, len(rendered), MAX_ACTIONS_PER_BLOCK)
    ]


def select_block(choices: Choices) -> Json:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "static_select",
                "action_id": CHOICES_ACTION_ID,
                "placeholder": plain(choices.placeholder, MAX_PLACEHOLDER),
                "options": [
                    {"text": plain(o.label, MAX_OPTION_TEXT), "value": o.action_id}
                    for o in choices.options[:MAX_OPTIONS]
                ],
            }
        ],
    }


def text_blocks(text: str, budget: int) -> list[Json]:
    """Sections of at most 3000 characters, no more than `budget` of them;
    what does not fit is cut with an ellipsis (the fallback text has it all)."""
    parts = chunks(escape(text), MAX_SECTION_TEXT)
    if budget <= 0:
        return []
    if len(parts) > budget:
        last = parts[budget - 1][: MAX_SECTION_TEXT - 1] + ELLIPSIS
        parts = [*parts[: budget - 1], last]
    return [{"type": "section", "text": {"type": "mrkdwn", "text": p}} for p in parts]


def render_blocks(message: Message, *, max_blocks: int = MAX_MESSAGE_BLOCKS) -> list[Json]:
    """The blocks of one message (or view), within `max_blocks`."""
    fixed: list[tuple[int, list[Json]]] = []  # (position, blocks), text handled last
    body: tuple[int, str] | None = None
    for position, element in enumerate(elements(message)):
        match element:
            case Title(text):
                fixed.append((position, [{"type": "header", "text": plain(text, MAX_HEADER)}]))
            case Body(text):
                body = (position, text)
            case Fields(fields):
                fixed.append((position, field_blocks(fields)))
            case Buttons(buttons):
                fixed.append((position, button_blocks(buttons)))
            case Select(choices):
                fixed.append((position, [select_block(choices)]))
            case FormNotice():
                pass
            case _:
                assert_never(element)
    used = sum(len(blocks) for _, blocks in fixed)
    if body is not None:
        fixed.append((body[0], text_blocks(body[1], max_blocks - used)))
    out = [block for _, blocks in sorted(fixed, key=lambda item: item[0]) for block in blocks]
    return out[:max_blocks]


def fallback_text(message: Message) -> str:
    """The plain text Slack shows in notifications and where blocks cannot be."""
    lines = [message.title] if message.title else []
    lines.append(message.text)
    lines.extend(f"{f.label}: {f.value}" for f in message.fields)
    return clip(escape("\n".join(line for line in lines if line)), MAX_FALLBACK_TEXT)


def render_message(message: Message) -> Json:
    """`text` + `blocks`, ready for chat.postMessage / chat.update / respond()."""
    return {"text": fallback_text(message), "blocks": render_blocks(message)}


def render_modal(
    message: Message, *, channel_id: str | None, close_label: str, response_url: str | None = None
) -> Json:
    """A form as a modal: `callback_id` is the core form id, each input's block
    and action id is its FormInput id, `private_metadata` carries the channel
    (and the opening interaction's response_url, see `modal_metadata`)."""
    form = message.form
    if form is None:
        raise TypeError("render_modal needs a message with a form")
    blocks: list[Json] = []
    if message.text:
        blocks.extend(text_blocks(message.text, 1))
    for item in form.inputs[: MAX_VIEW_BLOCKS - len(blocks)]:
        element: Json = {
            "type": "plain_text_input",
            "action_id": item.id,
            "multiline": item.kind == "multiline",
        }
        if item.initial:
            element["initial_value"] = item.initial
        if item.hint:
            element["placeholder"] = plain(item.hint, MAX_PLACEHOLDER)
        blocks.append(
            {
                "type": "input",
                "block_id": item.id,
                "label": plain(item.label, MAX_INPUT_LABEL),
                "optional": not item.required,
                "element": element,
            }
        )
    return {
        "type": "modal",
        "callback_id": form.form_id,
        "title": plain(form.title, MAX_VIEW_TITLE),
        "submit": plain(form.submit_label, MAX_VIEW_TITLE),
        "close": plain(close_label, MAX_VIEW_TITLE),
        "private_metadata": modal_metadata(channel_id, response_url),
        "blocks": blocks,
    }


def render_home(message: Message) -> Json:
    """The App Home tab built from the core's overview message."""
    return {"type": "home", "blocks": render_blocks(message, max_blocks=MAX_VIEW_BLOCKS)}


ResponseType = Literal["ephemeral", "in_channel"]


def response_type(message: Message) -> ResponseType:
    return "ephemeral" if message.ephemeral else "in_channel"
