"""The seam between features and scheduled work (DESIGN.md, "The flow of
scheduled work").

A feature that sends messages on its own (nudges, session announcements,
reminders) contributes:
- planners: called on every plan tick, each call inside one short unit of
  work; each selects a batch of what is due, adds `NewDelivery` rows (unique
  keys make re-planning a no-op), advances its own timestamps, and returns how
  many rows it handled. The Dispatcher calls a planner again while it returns
  more than 0, so a planner works in bounded batches;
- composers, by delivery kind: called at send time to build the message from
  the delivery row and the store (so it is rendered in the member's current
  language, and skipped — by returning None — if it no longer applies).

`bot.delivery.Dispatcher` (the engine) runs them; it knows no feature.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.catalog import Catalog
from bot.config import CoreConfig
from bot.i18n import Messages
from bot.model import Message
from bot.ports import Delivery, PermanentFailure, Unit


@dataclass(frozen=True, slots=True)
class WorkCtx:
    uow: Unit
    catalog: Catalog
    config: CoreConfig
    messages: Messages
    now: datetime


Planner = Callable[[WorkCtx], Awaitable[int]]
Composer = Callable[[WorkCtx, Delivery], Awaitable[Message | None]]
RefusalHandler = Callable[[WorkCtx, Delivery, PermanentFailure], Awaitable[None]]
"""Called (in a unit of work) after the platform refused a delivery of the
kind for good, e.g. to tell an organizer how to let ippo into a channel."""


@dataclass(frozen=True, slots=True)
class ScheduledWork:
    planners: tuple[Planner, ...] = ()
    composers: Mapping[str, Composer] = field(default_factory=dict)
    on_refused: Mapping[str, RefusalHandler] = field(default_factory=dict)

    def __add__(self, other: ScheduledWork) -> ScheduledWork:
        clash = set(self.composers) & set(other.composers)
        clash |= set(self.on_refused) & set(other.on_refused)
        if clash:
            raise ValueError(f"delivery kinds handled twice: {sorted(clash)}")
        return ScheduledWork(
            self.planners + other.planners,
            {**self.composers, **other.composers},
            {**self.on_refused, **other.on_refused},
        )
