"""The sessions feature's routes (buttons and forms), declared once, with
typed arguments: a handler receives an `OccRef`, a session or draft id, or
a (draft id, form part) pair, never text to take apart.

The wire formats are those ippo has always written (ids on buttons already
posted keep working): an occurrence is "12_20261212T050000Z" with "_p" or
"_m" after it when the button sits on a channel post or a private message,
and a form part is "12.seats". An id that does not decode is a stale button.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from bot.actions import ID, ActionIdError, ArgCodec, Pair, Route, Tap
from bot.features.sessions.model import RsvpStatus
from bot.features.sessions.planning import occurrence_key, parse_occurrence_key

SOURCE_POST = "p"  # the button sits on a channel announcement
SOURCE_PRIVATE = "m"  # the button sits on a message only the member sees

PARTS: dict[str, tuple[str, ...]] = {
    "basics": ("title", "start", "duration", "place", "description"),
    "timing": ("repeat", "tz", "channel"),
    "seats": ("capacity", "cost", "rung"),
}
"""The session form's parts and their inputs; "basics" opens first."""
FIRST_PART = "basics"


class OccRef(NamedTuple):
    """One occurrence on a button, and where the button sits."""

    session_id: int
    original_start: datetime
    source: str = ""


class _Occurrence:
    """ "12_20261212T050000Z[_p]" <-> OccRef."""

    def encode(self, value: OccRef) -> str:
        arg = f"{value.session_id}_{occurrence_key(value.original_start)}"
        return f"{arg}_{value.source}" if value.source else arg

    def decode(self, raw: str) -> OccRef:
        parts = raw.split("_")
        if len(parts) not in (2, 3):
            raise ActionIdError(f"not an occurrence: {raw!r}")
        session_id = _RECORD.decode(parts[0])
        when = parse_occurrence_key(parts[1])
        if when is None:
            raise ActionIdError(f"not an occurrence: {raw!r}")
        return OccRef(session_id, when, parts[2] if len(parts) == 3 else "")


class _Record:
    """A stored record's id: as `ID`, from 1."""

    def encode(self, value: int) -> str:
        return ID.encode(value)

    def decode(self, raw: str) -> int:
        value = ID.decode(raw)
        if value < 1:
            raise ActionIdError(f"not a record id: {raw!r}")
        return value


class _Part:
    """A form part's name; one ippo no longer has opens the first part."""

    def encode(self, value: str) -> str:
        return value

    def decode(self, raw: str) -> str:
        return raw if raw in PARTS else FIRST_PART


class _DraftPart:
    """(draft id, part) as "12.seats"; a bare "12" (older buttons) is the
    draft's first part."""

    _pair: Pair[int, str] = Pair(_Record(), _Part())

    def encode(self, value: tuple[int, str]) -> str:
        return self._pair.encode(value)

    def decode(self, raw: str) -> tuple[int, str]:
        return self._pair.decode(raw if "." in raw else f"{raw}.{FIRST_PART}")


_RECORD: ArgCodec[int] = _Record()
OCCURRENCE: ArgCodec[OccRef] = _Occurrence()
RECORD: ArgCodec[int] = _RECORD
DRAFT_PART: ArgCodec[tuple[int, str]] = _DraftPart()

ANSWERS = (RsvpStatus.GOING, RsvpStatus.WATCHING, RsvpStatus.MAYBE, RsvpStatus.CANT)
RSVP = {status.value: Route("rsvp", status.value, OCCURRENCE) for status in ANSWERS}
"""An answer on a session card, e.g. "rsvp:going:12_20261212T050000Z_p"."""

SAVE = Route("session", "save", RECORD)  # a draft
REDO = Route("session", "redo", DRAFT_PART)
DISCARD = Route("session", "discard", RECORD)  # a draft
DROP = Route("session", "drop", RECORD)  # a session
DROP_ONE = Route("session", "drop-one", OCCURRENCE)
KEEP = Tap("session", "keep")
VIEW = Route("session", "view", OCCURRENCE)
PAGE = Route("session", "page", ID)
MADE = Route("session", "made", OCCURRENCE)
MISSED = Route("session", "missed", OCCURRENCE)

NEW_FORM = Tap("session", "new")
CHANGE_FORM = Route("session", "change", RECORD)  # a session
REDO_FORM = REDO
