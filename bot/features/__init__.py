"""The features ippo is built from, in the order help lists them.

Each module (or package) exports one `FEATURE` declaration (bot.feature); the
core's router, the Dispatcher's scheduled work, help and the platforms'
command lists are built from `FEATURES`. Adding a feature is adding it to
`LISTED` here; help (`bot.features.help`) lists its commands under the
section it declares, sections in the order they first appear.
"""

from __future__ import annotations

from bot.feature import Feature
from bot.features import (
    channel_access,
    coffee,
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

LISTED: tuple[Feature, ...] = (
    reasons.FEATURE,
    steps.FEATURE,
    journey.FEATURE,
    home.FEATURE,
    nudges.FEATURE,
    sessions.FEATURE,
    coffee.FEATURE,
    settings.FEATURE,
    privacy.FEATURE,
    channel_access.FEATURE,
)
"""Every feature but help, which is made from them."""

FEATURES: tuple[Feature, ...] = (*LISTED, help.feature(LISTED))
