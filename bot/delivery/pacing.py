"""How the send phase works with a messenger that paces itself.

A messenger may declare, beside `bot.ports.Messenger`, how it wants to be
driven (`Concurrent`, `Windowed`: matched by shape, so adapters import
nothing from here):

- `sends_at_once`: how many sends of one workspace may be in flight at once.
  A platform whose limit is a rate (Slack's minute budget per workspace,
  Discord's 50 a second) is reached only if the per-send work around each
  request (composing, recording) overlaps other sends' network time.
  Messengers that declare nothing get one at a time.
- `turn_in(to)`: seconds until a send to `to` could start under the
  messenger's own window (0 when it could start now). A window that has
  spent its budget may keep a workspace waiting for most of a minute; the
  send phase waits for that before the send's timeout starts, and with the
  delivery in hand (its lease renewed), so a full window neither times a send
  out nor reschedules anything. Only waits of `WAIT_OUTSIDE_S` or more are
  waited out here; shorter ones happen inside the send.

Deliveries of one workspace go out in lanes (`bot.delivery.feed`): one per
destination, in claim order, so two messages to one channel (or a post and
its edit) never overtake each other; lanes of a workspace run
`sends_at_once` at a time.
"""

from __future__ import annotations

import asyncio
import math
from typing import Protocol, runtime_checkable

from bot.model import Destination

WAIT_OUTSIDE_S = 1.0


@runtime_checkable
class Concurrent(Protocol):
    """A messenger that wants several sends of a workspace in flight."""

    sends_at_once: int


@runtime_checkable
class Windowed(Protocol):
    """A messenger whose window may keep a workspace waiting for long."""

    def turn_in(self, to: Destination) -> float: ...


def sends_at_once(messenger: object) -> int:
    """How many sends of one workspace may be in flight (1 unless declared)."""
    if isinstance(messenger, Concurrent):
        return max(1, messenger.sends_at_once)
    return 1


async def wait_turn(messenger: object, to: Destination, stopping: asyncio.Event) -> bool:
    """Wait until `messenger`'s window lets a send to `to` start (or nearly:
    less than `WAIT_OUTSIDE_S` to go). False if the engine began stopping
    meanwhile: the caller then releases the delivery instead of sending it."""
    if not isinstance(messenger, Windowed):
        return not stopping.is_set()
    while not stopping.is_set():
        wait = messenger.turn_in(to)
        if wait < WAIT_OUTSIDE_S or math.isinf(wait):  # inf: a finishing send frees one
            return True
        try:
            async with asyncio.timeout(wait):
                await stopping.wait()
        except TimeoutError:
            pass
    return False
