"""`LISTED` and `FEATURES`: every feature, imported. `bot.features` hands
them out on first use (its `__getattr__`), so importing one feature's
module — a port the storage layer implements — loads no other feature."""

from __future__ import annotations

from bot.feature import Feature
from bot.features import (
    channel_access,
    help,
    home,
    journey,
    nudges,
    privacy,
    reasons,
    settings,
    steps,
)
from bot.features.coffee import feature as coffee_feature
from bot.features.sessions import feature as sessions_feature

LISTED: tuple[Feature, ...] = (
    reasons.FEATURE,
    steps.FEATURE,
    journey.FEATURE,
    home.FEATURE,
    nudges.FEATURE,
    sessions_feature.FEATURE,
    coffee_feature.FEATURE,
    settings.FEATURE,
    privacy.FEATURE,
    channel_access.FEATURE,
)
"""Every feature but help, which is made from them."""

FEATURES: tuple[Feature, ...] = (*LISTED, help.feature(LISTED))
