"""The features ippo is built from, in the order help lists them.

Each module (or package) exports one `FEATURE` declaration (bot.feature); the
core's router, the Dispatcher's scheduled work and the platforms' command
lists are built from `FEATURES`. Adding a feature is adding it here.
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

FEATURES: tuple[Feature, ...] = (
    help.FEATURE,
    reasons.FEATURE,
    steps.FEATURE,
    journey.FEATURE,
    settings.FEATURE,
    privacy.FEATURE,
    home.FEATURE,
    nudges.FEATURE,
    sessions.FEATURE,
    coffee.FEATURE,
    channel_access.FEATURE,
)
