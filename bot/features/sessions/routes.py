"""The sessions feature's routes (buttons and forms), declared once.

Arguments are still read by the sessions modules' own parsers
(`parse_occ_arg`, `parse_part_route`); the routes name each button."""

from __future__ import annotations

from bot.actions import ID, TEXT, Route, Tap
from bot.features.sessions.model import RsvpStatus

RSVP = {
    status.value: Route("rsvp", status.value, TEXT)
    for status in (RsvpStatus.GOING, RsvpStatus.WATCHING, RsvpStatus.MAYBE, RsvpStatus.CANT)
}
"""An answer on a session card: the occurrence ("12_20261212T050000Z_p")."""

SAVE = Route("session", "save", TEXT)
REDO = Route("session", "redo", TEXT)
DISCARD = Route("session", "discard", TEXT)
DROP = Route("session", "drop", TEXT)
DROP_ONE = Route("session", "drop-one", TEXT)
KEEP = Tap("session", "keep")
VIEW = Route("session", "view", TEXT)
PAGE = Route("session", "page", ID)
MADE = Route("session", "made", TEXT)
MISSED = Route("session", "missed", TEXT)

NEW_FORM = Tap("session", "new")
CHANGE_FORM = Route("session", "change", TEXT)
REDO_FORM = REDO
