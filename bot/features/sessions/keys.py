"""The sessions feature's delivery keys (see bot.keys), declared once.

The encoded strings are those ippo has always written — rows already in a
database carry them — e.g. "announce:12:20261212T050000Z:1440" or
"reminder:12:20261212T050000Z:7". An occurrence is its `occurrence_key`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from bot.keys import DeliveryKey
from bot.model import UserRef
from bot.ports import NewDelivery

ALL_OCCURRENCES = "all"
"""The occurrence part of a notice that the whole session is cancelled."""


@dataclass(frozen=True, slots=True)
class AnnounceKey(DeliveryKey):
    """A channel post about one occurrence, at one lead time."""

    kind: ClassVar[str] = "announce"
    session_id: int
    occurrence: str
    lead_min: int


@dataclass(frozen=True, slots=True)
class AnnounceEditKey(DeliveryKey):
    """A redraw of a posted announcement: `tag` is "v<version>" after an edit,
    "c<minute>" for new counts (one redraw per post per minute)."""

    kind: ClassVar[str] = "announce-edit"
    session_id: int
    occurrence: str
    lead_min: int
    tag: str

    @classmethod
    def of(cls, posted: AnnounceKey, tag: str) -> AnnounceEditKey:
        return cls(posted.session_id, posted.occurrence, posted.lead_min, tag)


@dataclass(frozen=True, slots=True)
class _MemberOccurrenceKey(DeliveryKey):
    session_id: int
    occurrence: str
    member_id: int


def member_dm(
    key: _MemberOccurrenceKey,
    to: UserRef,
    *,
    not_before: datetime,
    expires_at: datetime | None,
    payload: Mapping[str, str],
) -> NewDelivery:
    """The DM to one member about one occurrence (a reminder, "did you make
    it?", a cancellation): its kind is the key's."""
    return NewDelivery(
        key=key.encode(),
        kind=key.kind,
        to=to,
        not_before=not_before,
        expires_at=expires_at,
        member_id=key.member_id,
        payload=payload,
    )


@dataclass(frozen=True, slots=True)
class ReminderKey(_MemberOccurrenceKey):
    """The reminder DM before an occurrence."""

    kind: ClassVar[str] = "reminder"


@dataclass(frozen=True, slots=True)
class AfterSessionKey(_MemberOccurrenceKey):
    """ "Did you make it?" after an occurrence."""

    kind: ClassVar[str] = "after_session"


@dataclass(frozen=True, slots=True)
class CancelPostKey(DeliveryKey):
    """The channel's notice that one occurrence (or `ALL_OCCURRENCES`) is off."""

    kind: ClassVar[str] = "session_cancelled"
    session_id: int
    occurrence: str


@dataclass(frozen=True, slots=True)
class CancelDmKey(_MemberOccurrenceKey):
    """A member's notice that an occurrence they answered is off."""

    kind: ClassVar[str] = "session_cancelled"


SESSION_KEYS: tuple[type[AnnounceKey | ReminderKey | AfterSessionKey], ...] = (
    AnnounceKey,
    ReminderKey,
    AfterSessionKey,
)
"""The deliveries planned for a session: a cancellation cancels the pending ones."""
