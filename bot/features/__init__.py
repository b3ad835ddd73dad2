"""One module per feature; each exposes `register(router)`."""

from __future__ import annotations

from bot.features import help, journey, privacy, reasons, settings, steps
from bot.router import Router


def register_all(router: Router) -> None:
    for feature in (help, reasons, steps, journey, settings, privacy):
        feature.register(router)
