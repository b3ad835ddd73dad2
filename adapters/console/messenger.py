"""Scheduled messages on the console deployment: one block per message on
standard output, headed by its destination."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import count

from adapters.console.render import destination_label, render
from bot.model import Destination, Message, MessageRef, Platform


class ConsoleMessenger:
    platform: Platform = "console"

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write
        self._ids = count(1)
        self._delivered: dict[str, MessageRef] = {}

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        if delivery_key and delivery_key in self._delivered:
            return self._delivered[delivery_key]
        ref = MessageRef("console", to.workspace, to.id, str(next(self._ids)))
        self._write(f"→ {destination_label(to)}: {render(message).text}")
        if delivery_key:
            self._delivered[delivery_key] = ref
        return ref

    async def update(self, ref: MessageRef, message: Message) -> None:
        self._write(f"↻ #{ref.channel_id} ({ref.message_id}): {render(message).text}")

    async def find_delivered(
        self, to: Destination, delivery_key: str, since: datetime
    ) -> MessageRef | None:
        # The terminal keeps no history: what a crashed process printed is gone
        # with it, so resending is the right recovery here.
        return self._delivered.get(delivery_key)
