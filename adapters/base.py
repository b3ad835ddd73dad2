"""What every long-running platform adapter offers the composition root."""

from __future__ import annotations

from typing import Protocol

from bot.model import Platform
from bot.ports import Messenger


class Adapter(Protocol):
    platform: Platform

    @property
    def messenger(self) -> Messenger: ...

    async def start(self) -> None:
        """Connect and begin serving; returns once running (work continues in
        background tasks on the current loop)."""
        ...

    async def stop(self) -> None:
        """Stop taking new work and close connections."""
        ...
