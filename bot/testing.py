"""The test harness: a conversation with the core, in-process and async.

    h = Harness(core)
    aki = h.member("aki")
    replies = await aki.say("/ippo step")
    replies = await aki.press(replies[0], "step:try")

`FakeMessenger` records what scheduled work sends and can be told to fail;
`FixedClock` is moved by hand. Nothing here imports a platform or database
library: tests hand in a real store (see tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count

from bot.core import Core
from bot.model import (
    Actor,
    Button,
    ButtonPressed,
    ChannelRef,
    CommandInvoked,
    Destination,
    FormSubmitted,
    GroupRef,
    Message,
    MessageRef,
    Platform,
    Reply,
    UserRef,
)
from bot.ports import DeliveryFailed
from bot.router import split_command


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now


@dataclass(frozen=True, slots=True)
class Sent:
    to: Destination
    message: Message
    delivery_key: str | None
    ref: MessageRef


@dataclass
class FakeMessenger:
    """Records every send and update. `fail_next[user_id]` holds errors to raise,
    one per attempt, before sends to that id succeed; `refuse` ids always fail
    with the given error (a permanent refusal). A group's id there is its
    members joined, "a,b,c" (`GroupRef.joined`)."""

    platform: Platform = "console"
    sent: list[Sent] = field(default_factory=list)
    updates: list[tuple[MessageRef, Message]] = field(default_factory=list)
    fail_next: dict[str, list[DeliveryFailed]] = field(default_factory=dict)
    refuse: dict[str, DeliveryFailed] = field(default_factory=dict)
    attempts: int = 0
    _ids: count[int] = field(default_factory=lambda: count(1))

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        self.attempts += 1
        address = to.joined if isinstance(to, GroupRef) else to.id
        if address in self.refuse:
            raise self.refuse[address]
        queue = self.fail_next.get(address)
        if queue:
            raise queue.pop(0)
        match to:
            case UserRef():
                channel = f"D-{to.id}"
            case GroupRef():
                channel = f"G-{to.joined}"
            case ChannelRef():
                channel = to.id
        ref = MessageRef(to.platform, to.workspace, channel, str(next(self._ids)))
        self.sent.append(Sent(to, message, delivery_key, ref))
        return ref

    async def update(self, ref: MessageRef, message: Message) -> None:
        self.updates.append((ref, message))

    async def find_delivered(
        self, to: Destination, delivery_key: str, since: datetime
    ) -> MessageRef | None:
        for item in self.sent:
            if item.delivery_key == delivery_key:
                return item.ref
        return None

    def to_user(self, user_id: str) -> list[Sent]:
        return [s for s in self.sent if isinstance(s.to, UserRef) and s.to.id == user_id]

    def to_channel(self, channel_id: str) -> list[Sent]:
        return [s for s in self.sent if isinstance(s.to, ChannelRef) and s.to.id == channel_id]

    def to_group(self, *members: str) -> list[Sent]:
        """What was sent to the group of exactly these members (any order)."""
        return [
            s for s in self.sent if isinstance(s.to, GroupRef) and set(s.to.members) == set(members)
        ]


def texts(replies: list[Reply]) -> str:
    """All reply text joined, for `in` assertions."""
    parts: list[str] = []
    for reply in replies:
        msg = reply.message
        if msg.title:
            parts.append(msg.title)
        parts.append(msg.text)
        parts.extend(f"{f.label}: {f.value}" for f in msg.fields)
        parts.extend(b.label for b in msg.buttons)
    return "\n".join(parts)


def buttons(replies: list[Reply]) -> list[Button]:
    out: list[Button] = []
    for reply in replies:
        out.extend(reply.message.buttons)
        if reply.message.choices:
            out.extend(Button(o.label, o.action_id) for o in reply.message.choices.options)
    return out


@dataclass
class Person:
    """One member talking to the core."""

    harness: Harness
    actor: Actor
    where: ChannelRef | None = None
    last: list[Reply] = field(default_factory=list)

    async def say(self, text: str) -> list[Reply]:
        name, args = split_command(text)
        event = CommandInvoked(self.actor, self.where, name, args, text)
        self.last = await self.harness.core.handle(event)
        return self.last

    async def press(self, replies_or_id: list[Reply] | str, prefix: str = "") -> list[Reply]:
        """Press a button: by exact action id, or the first button in `replies`
        whose id starts with `prefix`."""
        if isinstance(replies_or_id, str):
            action_id = replies_or_id
        else:
            found = [b for b in buttons(replies_or_id) if b.action_id.startswith(prefix)]
            if not found:
                ids = [b.action_id for b in buttons(replies_or_id)]
                raise AssertionError(f"no button starting with {prefix!r} in {ids}")
            action_id = found[0].action_id
        event = ButtonPressed(self.actor, self.where, action_id, None)
        self.last = await self.harness.core.handle(event)
        return self.last

    async def submit(self, form_id: str, values: Mapping[str, str]) -> list[Reply]:
        event = FormSubmitted(self.actor, self.where, form_id, dict(values))
        self.last = await self.harness.core.handle(event)
        return self.last

    async def fill(self, replies: list[Reply], values: Mapping[str, str]) -> list[Reply]:
        """Submit the form shown in `replies` as a member would: exactly its
        inputs, typed from `values` or left at their initial text."""
        form = next((r.message.form for r in replies if r.message.form is not None), None)
        if form is None:
            raise AssertionError(f"no form in {texts(replies)!r}")
        typed = {i.id: values.get(i.id, i.initial) for i in form.inputs}
        return await self.submit(form.form_id, typed)


@dataclass
class Harness:
    core: Core
    platform: Platform = "console"
    workspace: str = "console"

    def member(
        self,
        user_id: str,
        *,
        locale: str | None = None,
        tz: str | None = None,
        grants: frozenset[str] = frozenset(),
        channel: str | None = None,
        display_name: str = "",
    ) -> Person:
        actor = Actor(
            UserRef(self.platform, self.workspace, user_id),
            display_name=display_name or user_id,
            grants=grants,
            locale=locale,
            tz=tz,
        )
        where = ChannelRef(self.platform, self.workspace, channel) if channel else None
        return Person(self, actor, where)
