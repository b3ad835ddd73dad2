"""What the send phase tells a messenger that asks for it, matched by shape
(like `bot.delivery.pacing`: adapters import nothing from here).

- `dm_channel_known(to, channel_id)`: before a DM is sent, the member's DM
  channel as the store has it (read anyway to compose the message). A
  messenger that sends through a stored DM channel (Discord) then needs no
  read of its own per send: that read was a unit of work of its own, taking
  its turn at the database beside composing and recording.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.model import Destination, UserRef


@runtime_checkable
class KnowsDmChannels(Protocol):
    """A messenger that sends DMs through a channel the store remembers."""

    def dm_channel_known(self, to: UserRef, channel_id: str) -> None: ...


def tell_dm_channel(messenger: object, to: Destination, channel_id: str | None) -> None:
    """Hand `messenger` the stored DM channel of `to`, if it wants it."""
    if channel_id and isinstance(to, UserRef) and isinstance(messenger, KnowsDmChannels):
        messenger.dm_channel_known(to, channel_id)
