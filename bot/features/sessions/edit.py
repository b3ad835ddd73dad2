"""Editing a session: the one path every change of a session goes through.

An organizer's form, `/ippo session move`, a cancellation (of one date or of
all) and a calendar import all describe what changes as a `SessionEdit`;
`edit_session` applies the merge rules, stores the result, plans the session
again and tells the channel: every announcement already posted is redrawn,
and messages planned for what was cancelled are withdrawn.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.features.sessions.keys import SESSION_KEYS
from bot.features.sessions.model import OccurrenceChange, Session, SessionFields, SessionStatus
from bot.features.sessions.planning import occurrence_key
from bot.features.sessions.posts import post_updates
from bot.features.sessions.recurrence import is_original
from bot.model import ChannelRef, Lang
from bot.ports import Unit

if TYPE_CHECKING:  # icalendar (bot.features.sessions.ics) loads only for an import
    from bot.features.sessions.ics import ImportedEvent

ALL_FIELDS = frozenset(f.name for f in fields(SessionFields))
CALENDAR_FIELDS = frozenset(
    {"title", "start", "duration_min", "tz", "place", "description", "rrule"}
)
"""What an .ics event carries; rung, cost and capacity stay as ippo has them."""


@dataclass(frozen=True, slots=True)
class SessionEdit:
    """What changes; what is left out stays as the session has it.

    `fields` are taken for the names in `only`; `changes` move or cancel
    occurrences (by their original start: one the series does not have is
    ignored)."""

    fields: SessionFields | None = None
    only: Collection[str] = ALL_FIELDS
    channel: ChannelRef | None = None
    status: SessionStatus | None = None
    changes: Sequence[OccurrenceChange] = ()


def merged(session: Session, edit: SessionEdit) -> Session:
    """The session as the edit would leave it (version unchanged)."""
    new_fields = session.fields
    if edit.fields is not None:
        taken = {name: getattr(edit.fields, name) for name in edit.only}
        new_fields = replace(session.fields, **taken)
    return replace(
        session,
        fields=new_fields,
        channel=edit.channel or session.channel,
        status=edit.status or session.status,
    )


async def apply_changes(
    uow: Unit, session: Session, changes: Sequence[OccurrenceChange]
) -> list[OccurrenceChange]:
    """Store the moves and cancellations that are new for `session`; the ones
    stored."""
    current = {c.original_start: c for c in await uow.sessions.changes(session.id)}
    stored: list[OccurrenceChange] = []
    for change in changes:
        change = replace(change, session_id=session.id)
        if not is_original(session.fields, change.original_start):
            continue
        if current.get(change.original_start) != change:
            await uow.sessions.set_change(change)
            stored.append(change)
    return stored


async def edit_session(
    uow: Unit, session: Session, edit: SessionEdit, *, now: datetime
) -> Session | None:
    """Apply `edit`: the session as saved (its version one up), or None when
    it changes nothing. Posted announcements are redrawn — only those of the
    changed occurrences when nothing else changed — and the pending messages
    of a cancelled session, or of a cancelled occurrence, are withdrawn."""
    candidate = merged(session, edit)
    stored = await apply_changes(uow, candidate, edit.changes)
    if candidate == session and not stored:
        return None
    edited = replace(candidate, version=session.version + 1)
    await uow.sessions.save(edited, plan_at=now)
    withdrawn: list[tuple[int | str, ...]] = []
    if edited.status is SessionStatus.CANCELLED and session.status is not edited.status:
        withdrawn.append((session.id,))
    withdrawn += [(session.id, occurrence_key(c.original_start)) for c in stored if c.cancelled]
    for leading in withdrawn:
        for key in SESSION_KEYS:
            await uow.deliveries.cancel_pending(key_prefix=key.prefix(*leading))
    only = None
    if candidate == session:  # only dates changed: only their posts
        only = frozenset(occurrence_key(c.original_start) for c in stored)
    await post_updates(uow, edited, now, occurrences=only)
    return edited


@dataclass(frozen=True, slots=True)
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


async def import_events(
    uow: Unit, events: Sequence[ImportedEvent], channel: ChannelRef, *, now: datetime, lang: Lang
) -> ImportCounts:
    """Create or update the sessions of a calendar's events in `channel`,
    matched by UID within the channel's workspace: an event edits only what
    a calendar carries (`CALENDAR_FIELDS`), and brings a cancelled session
    back. Importing the same events twice changes nothing the second time."""
    created = updated = unchanged = 0
    for event in events:
        changes = [
            OccurrenceChange(0, old, new, cancelled=new is None) for old, new in event.changes
        ]
        existing = await uow.sessions.get_by_uid(channel.platform, channel.workspace, event.uid)
        if existing is None:
            session = await uow.sessions.create(
                event.fields, uid=event.uid, channel=channel, organizer=None, lang=lang, now=now
            )
            await apply_changes(uow, session, changes)
            created += 1
            continue
        edit = SessionEdit(event.fields, CALENDAR_FIELDS, channel, SessionStatus.ACTIVE, changes)
        if await edit_session(uow, existing, edit, now=now) is None:
            unchanged += 1
        else:
            updated += 1
    return ImportCounts(created, updated, unchanged)
