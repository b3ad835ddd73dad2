"""Core messages as terminal text. Pure: a Message in, lines and the numbered
actions out (typing a number presses the matching button or option)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from bot.model import Button, ChannelRef, Destination, GroupRef, Message, Option, UserRef

TONE_MARK = {"info": "", "success": "✓ ", "warning": "! ", "error": "✗ "}


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    actions: tuple[str, ...]  # action ids, numbered from 1


def render(message: Message, *, first_number: int = 1) -> Rendered:
    lines: list[str] = []
    tone = TONE_MARK[message.tone]
    if message.title:
        lines.append(f"== {tone}{message.title} ==")
        tone = ""
    lines.append(f"{tone}{message.text}")
    for f in message.fields:
        lines.append(f"  {f.label}: {f.value}")
    actions: list[str] = []
    items: list[Button | Option] = list(message.buttons)
    if message.choices:
        lines.append(f"  ({message.choices.placeholder})")
        items.extend(message.choices.options)
    for item in items:
        number = first_number + len(actions)
        match item:
            case Button(label=label, action_id=action_id):
                lines.append(f"  [{number}] {label}")
            case Option(label=label, action_id=action_id):
                lines.append(f"  ({number}) {label}")
            case _:
                assert_never(item)
        actions.append(action_id)
    return Rendered("\n".join(lines), tuple(actions))


def destination_label(to: Destination) -> str:
    """Who or where a message is for: `@name`, `#channel`, or every member of
    a group, `@a, @b, @c`."""
    match to:
        case UserRef():
            return f"@{to.id}"
        case ChannelRef():
            return f"#{to.id}"
        case GroupRef():
            return ", ".join(f"@{member}" for member in to.members)
        case _:
            assert_never(to)


def conversation_id(to: Destination) -> str:
    """The console's id of the conversation a message is in (a `MessageRef`'s
    channel): the member, the channel, or a group's members "a,b,c"."""
    return to.joined if isinstance(to, GroupRef) else to.id
