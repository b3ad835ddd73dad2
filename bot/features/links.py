"""Routes that several features' messages carry (a "Show my journey" button
under a step, a session's thank-you, the overview), declared once here so
each feature can offer them without importing the feature that answers them.
The answering feature binds its handler (`JOURNEY_SHOW.on(...)` in
bot.features.journey, `STEP_MORE.on(...)` in bot.features.steps)."""

from __future__ import annotations

from bot.actions import ID, TEXT, Route, Tap

STEP_MORE = Tap("step", "more")
"""Offer a step that fits the member now."""

JOURNEY_SHOW = Tap("journey", "show")
"""The member's journey."""

JOURNEY_RUNG = Route("journey", "rung", ID)
"""Move to the level given (one up, or one down)."""

JOURNEY_DONE = Route("journey", "done", TEXT)
"""The "Done it" form: the catalog step's id, or "" when the member says what."""
