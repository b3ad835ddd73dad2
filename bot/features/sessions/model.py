"""Session records as the core sees them.

Times are aware UTC datetimes except where a field says "local". A recurring
session keeps its RFC 5545 RRULE value (e.g. ``FREQ=WEEKLY;INTERVAL=2``) and
expands in its own timezone, so "every other Thursday 19:00" stays at 19:00
across daylight-saving changes. One occurrence is identified by its original
start (RFC 5545 RECURRENCE-ID), which never changes even when it is moved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.model import ChannelRef, Lang, UserRef


class SessionStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class RsvpStatus(StrEnum):
    GOING = "going"
    WATCHING = "watching"  # watching or listening only: a full answer
    MAYBE = "maybe"
    CANT = "cant"
    WAITLISTED = "waitlisted"  # wanted to go, capacity was full


REMINDED = frozenset({RsvpStatus.GOING, RsvpStatus.WATCHING})
"""Who gets the reminder and the after-session question."""


@dataclass(frozen=True, slots=True)
class SessionFields:
    """What an organizer fills in: the editable part of a session."""

    title: str
    start: datetime  # first start, aware UTC (RFC 5545 DTSTART)
    duration_min: int
    tz: str  # IANA name the session is held in
    place: str = ""  # a room or a URL
    description: str = ""
    rung: int | None = None  # the step-ladder rung it suits
    cost: str = ""  # free text, e.g. "無料" / "¥500"
    capacity: int | None = None  # seats for "going"; None = no limit
    rrule: str | None = None  # RFC 5545 RRULE value without "RRULE:"


@dataclass(frozen=True, slots=True)
class Session:
    id: int
    uid: str  # iCalendar UID, stable: "<uuid>@ippo" or the imported one
    channel: ChannelRef  # announce channel; platform + workspace scope the session
    organizer: UserRef | None
    lang: Lang  # its channel's language when created; posts use the channel's current one
    fields: SessionFields
    status: SessionStatus = SessionStatus.ACTIVE
    version: int = 1  # bumped on every edit; update deliveries carry it
    created_at: datetime | None = None

    @property
    def title(self) -> str:
        return self.fields.title

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.fields.duration_min)


@dataclass(frozen=True, slots=True)
class OccurrenceChange:
    """One occurrence of a recurring (or one-off) session moved or cancelled.

    `original_start` is the RECURRENCE-ID; `new_start` is None when cancelled."""

    session_id: int
    original_start: datetime
    new_start: datetime | None
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class Occurrence:
    session_id: int
    original_start: datetime  # identity (RECURRENCE-ID), aware UTC
    start: datetime  # when it actually happens, aware UTC
    end: datetime
    cancelled: bool = False

    @property
    def moved(self) -> bool:
        return self.start != self.original_start


@dataclass(frozen=True, slots=True)
class Rsvp:
    session_id: int
    occurrence: datetime  # original start of the occurrence, aware UTC
    member_id: int
    status: RsvpStatus
    at: datetime  # when this answer was given (waitlist order)
    attended: bool | None = None  # the after-session answer


@dataclass(frozen=True, slots=True)
class Draft:
    """A filled-in form waiting for Save: the preview's buttons read it back.

    `values` are the raw form values (to prefill Edit); `target` is the session
    being edited, or None for a new one."""

    id: int
    author_member_id: int
    channel: ChannelRef
    target: int | None
    values: Mapping[str, str]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RsvpCounts:
    going: int = 0
    watching: int = 0
    maybe: int = 0
    cant: int = 0
    waitlisted: int = 0

    @classmethod
    def of(cls, statuses: Mapping[RsvpStatus, int]) -> RsvpCounts:
        return cls(**{s.value: n for s, n in statuses.items()})
