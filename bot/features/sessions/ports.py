"""What the sessions feature needs from the store (`Unit.sessions`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from bot.features.sessions.model import (
    Draft,
    OccurrenceChange,
    Rsvp,
    RsvpCounts,
    RsvpStatus,
    Session,
    SessionFields,
)
from bot.model import ChannelRef, Lang, Platform, UserRef


class SessionRepo(Protocol):
    # ----------------------------------------------------------------- sessions
    async def create(
        self,
        fields: SessionFields,
        *,
        uid: str,
        channel: ChannelRef,
        organizer: UserRef | None,
        lang: Lang,
        now: datetime,
    ) -> Session:
        """A new active session, due for planning at once."""
        ...

    async def save(self, session: Session, *, plan_at: datetime) -> Session:
        """Write fields, status and version (matched by id) and plan the
        session again at `plan_at` (usually now), so announcements follow."""
        ...

    async def get(self, session_id: int) -> Session | None: ...

    async def get_by_uid(self, platform: Platform, workspace: str, uid: str) -> Session | None: ...

    async def in_workspace(
        self, platform: Platform, workspace: str, *, channel_id: str | None = None
    ) -> Sequence[Session]:
        """Active sessions of one workspace (optionally one channel), by id."""
        ...

    async def due_for_planning(self, now: datetime, limit: int) -> Sequence[Session]:
        """Active sessions whose `next_plan_at <= now`, oldest first; locked
        (FOR UPDATE SKIP LOCKED) on PostgreSQL."""
        ...

    async def set_next_plan(self, session_id: int, at: datetime | None) -> None: ...

    # ----------------------------------------------------------------- occurrences
    async def changes(self, session_id: int) -> Sequence[OccurrenceChange]: ...

    async def changes_for(self, session_ids: Sequence[int]) -> Mapping[int, list[OccurrenceChange]]:
        """Changes of several sessions in one query."""
        ...

    async def set_change(self, change: OccurrenceChange) -> None:
        """Insert or replace the change of that occurrence."""
        ...

    # ----------------------------------------------------------------- RSVPs
    async def rsvp(self, session_id: int, occurrence: datetime, member_id: int) -> Rsvp | None: ...

    async def set_rsvp(self, rsvp: Rsvp) -> None:
        """Insert or replace one member's answer for one occurrence."""
        ...

    async def rsvps(
        self,
        session_id: int,
        occurrence: datetime,
        *,
        statuses: frozenset[RsvpStatus] | None = None,
    ) -> Sequence[Rsvp]:
        """Answers for one occurrence, in the order they were given."""
        ...

    async def counts(self, session_id: int, occurrence: datetime) -> RsvpCounts: ...

    async def member_rsvps(self, member_id: int) -> Sequence[Rsvp]: ...

    async def member_drafts(self, member_id: int) -> int:
        """How many unsaved session forms (drafts) the member has."""
        ...

    async def organized_by(self, organizer: UserRef) -> Sequence[Session]:
        """Sessions of any status that name `organizer` as their organizer."""
        ...

    async def forget_organizer(self, organizer: UserRef) -> int:
        """Remove `organizer` from the sessions they organized (the sessions
        stay, for the community); how many."""
        ...

    # ----------------------------------------------------------------- drafts
    async def add_draft(
        self,
        *,
        author_member_id: int,
        channel: ChannelRef,
        target: int | None,
        values: Mapping[str, str],
        now: datetime,
    ) -> Draft: ...

    async def get_draft(self, draft_id: int) -> Draft | None: ...

    async def update_draft(self, draft_id: int, values: Mapping[str, str]) -> None: ...

    async def delete_draft(self, draft_id: int) -> None: ...

    # ----------------------------------------------------------------- channels
    async def channel_lang(self, channel: ChannelRef) -> Lang | None:
        """The language set for the channel's posts, or None (the default)."""
        ...

    async def set_channel_lang(self, channel: ChannelRef, lang: Lang, *, now: datetime) -> None:
        """Set (or change) the language of the channel's posts."""
        ...

    # ----------------------------------------------------------------- posts and feeds
    async def sent_announcements(self, session_id: int) -> Sequence[str]:
        """Keys of this session's announcement deliveries that reached a
        channel (not the update deliveries), oldest first."""
        ...

    async def feed_token(self, member_id: int, new_token: str) -> str:
        """The member's calendar feed token; `new_token` is stored first time."""
        ...

    async def member_for_feed(self, token: str) -> int | None: ...

    async def has_feed(self, member_id: int) -> bool:
        """Whether the member has a calendar feed address."""
        ...

    async def replace_feed_token(self, member_id: int, new_token: str) -> None:
        """Store `new_token` as the member's feed token; the old address, if
        any, stops working at once."""
        ...
