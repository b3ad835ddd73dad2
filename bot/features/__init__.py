"""The features ippo is built from, in the order help lists them.

Each module (or package) exports one `FEATURE` declaration (bot.feature); the
core's router, the Dispatcher's scheduled work, help and the platforms'
command lists are built from `FEATURES`. Adding a feature is adding it to
`LISTED` in `bot.features.listed`; help (`bot.features.help`) lists its commands under the
section it declares, sections in the order they first appear.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.feature import lazy_exports

if TYPE_CHECKING:
    from bot.features.listed import FEATURES, LISTED

__all__ = ["FEATURES", "LISTED"]


# `FEATURES` and `LISTED`, imported on first use: storage imports feature
# ports (`bot.features.coffee.ports`), and that must not load every feature.
__getattr__ = lazy_exports(__name__, "bot.features.listed", *__all__)
