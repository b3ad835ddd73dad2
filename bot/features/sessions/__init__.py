"""Sessions: study groups and meetups that ippo announces, takes RSVPs for,
reminds people of and exports to calendars — one feature package.

Pure modules (no store, no platform, no clock of their own): the records
(`model`), what the store offers (`ports`), typed dates (`dates`), repeats
(`recurrence`), what is due when (`planning`), iCalendar (`ics`,
`ics_zones`), routes (`routes`) and delivery keys (`keys`). The feature:
`cards` (messages), `access` (who may, and the records acted on),
`commands`, `listing`, `forms` and `checks` (the session form), `changes`
(cancel, move), `rsvp` (answers), `edit` (the one way a session changes),
`posts` (redrawing channel posts) and `work` (planner and composers).
Recurrence expansion runs in a worker thread, never on the event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.feature import lazy_exports

if TYPE_CHECKING:
    from bot.features.sessions.feature import FEATURE

__all__ = ["FEATURE"]


# `FEATURE`, imported on first use: storage imports this package's ports.
__getattr__ = lazy_exports(__name__, "bot.features.sessions.feature", *__all__)
