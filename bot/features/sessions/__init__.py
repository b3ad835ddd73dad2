"""Sessions: study groups and meetups that ippo announces, takes RSVPs for,
reminds people of and exports to calendars — one feature package.

The pure modules (no store, no platform, no clock of their own) are the
session records (`model`), what the store must offer (`ports`), typed dates
(`dates`), recurrence (`recurrence`), what is due when (`planning`) and
iCalendar (`ics`). The rest is the feature: routes and keys, cards, the form,
commands, answers, cancellations, edits and the scheduled work. `FEATURE`
declares it.
"""

from __future__ import annotations

from bot.features.sessions.commands import FEATURE

__all__ = ["FEATURE"]
