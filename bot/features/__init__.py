"""One module per feature; each exposes `register(router)`."""

from __future__ import annotations

from bot.features import (
    channel_access,
    help,
    home,
    journey,
    nudges,
    privacy,
    reasons,
    sessions,
    settings,
    steps,
)
from bot.router import Router
from bot.scheduled import ScheduledWork


def register_all(router: Router) -> None:
    for feature in (help, reasons, steps, journey, settings, privacy, home, nudges, sessions):
        feature.register(router)


def scheduled_work() -> ScheduledWork:
    """Every feature's planners and composers, for `bot.delivery.Dispatcher`."""
    work = ScheduledWork()
    work += nudges.scheduled_work()
    work += sessions.scheduled_work()
    work += channel_access.scheduled_work()
    return work
