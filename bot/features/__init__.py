"""The features ippo is built from, in the order help lists them.

Each module (or package) exports one `FEATURE` declaration (bot.feature); the
core's router, the Dispatcher's scheduled work, help and the platforms'
command lists are built from `FEATURES`. Adding a feature is adding it to
`LISTED` in `bot.features.listed`; help (`bot.features.help`) lists its commands under the
section it declares, sections in the order they first appear.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.features.listed import FEATURES, LISTED

__all__ = ["FEATURES", "LISTED"]


def __getattr__(name: str) -> object:
    """`FEATURES` and `LISTED`, imported on first use (bot.features.listed):
    storage imports feature ports (`bot.features.coffee.ports`), and that
    must not load every feature."""
    if name in __all__:
        from bot.features import listed

        return getattr(listed, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
