"""Scheduled messages on the console deployment: kept in the console inbox.

A nudge, a follow-up, an announcement or an introduction for a console
member, channel or group is stored in the inbox (`storage.console_inbox`), as
the console renders it, so the member sees it — and can press its buttons by
number — when they open `ippo chat`, or at once in the chat of `ippo run`
(`on_post`). `echo`, when given, also writes each message headed by its
destination (`→ @name:`, `→ #channel:`, or `→ @a, @b, @c:` naming every
member of a group): `ippo tick` prints them on standard output, which cron
logs and scripts rely on.

The inbox is also the console's message history: a delivery posted before a
crash is found again by its key (`find_delivered`) and never stored twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from adapters.console.render import conversation_id, destination_label, render
from bot.model import Destination, Message, MessageRef, Platform
from bot.ports import Clock
from storage.console_inbox import CONSOLE_WORKSPACE, SqlConsoleInbox


class ConsoleMessenger:
    platform: Platform = "console"

    def __init__(
        self,
        *,
        inbox: SqlConsoleInbox,
        clock: Clock,
        echo: Callable[[str], None] | None = None,
        on_post: Callable[[], None] | None = None,
    ) -> None:
        self._inbox = inbox
        self._clock = clock
        self._echo = echo
        self._on_post = on_post

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        if delivery_key is not None and (found := await self._inbox.find(delivery_key)):
            return _ref(to, found.id)
        rendered = render(message)
        message_id = await self._inbox.post(
            to,
            rendered.text,
            rendered.actions,
            now=self._clock.now(),
            delivery_key=delivery_key,
        )
        if self._echo is not None:
            self._echo(f"→ {destination_label(to)}: {rendered.text}")
        if self._on_post is not None:
            self._on_post()
        return _ref(to, message_id)

    async def update(self, ref: MessageRef, message: Message) -> None:
        rendered = render(message)
        message_id = int(ref.message_id)
        if not await self._inbox.replace(
            message_id, rendered.text, rendered.actions, now=self._clock.now()
        ):
            return  # purged long ago: nothing left to edit, as on a platform
        if self._echo is not None:
            item = await self._inbox.get(message_id)
            label = destination_label(item.to) if item else ref.channel_id
            self._echo(f"↻ {label}: {rendered.text}")
        if self._on_post is not None:
            self._on_post()

    async def find_delivered(
        self, to: Destination, delivery_key: str, since: datetime
    ) -> MessageRef | None:
        found = await self._inbox.find(delivery_key)
        return None if found is None else _ref(to, found.id)


def _ref(to: Destination, message_id: int) -> MessageRef:
    return MessageRef("console", CONSOLE_WORKSPACE, conversation_id(to), str(message_id))
