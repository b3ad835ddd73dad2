"""Calendar export and import for the CLI, and the per-member HTTP feed.

The lead's `adapters/main.py` calls these (no argparse here):

- `export_ics(store, channel=..., member_user=..., now=...)` -> .ics bytes for
  one channel (every active session announced there) or one member (the
  occurrences they answered going / watching / maybe / waitlisted);
- `import_ics(store, path, channel, now=...)` -> `ImportReport`; idempotent on
  UID: importing the same file twice changes nothing the second time;
- `ics_feed_routes(store, clock=...)` -> aiohttp routes serving
  ``GET /ics/<token>.ics``, the token being the member's unguessable secret
  (`/ippo sessions feed` tells them the URL).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from aiohttp import web

from bot.features.sessions.edit import import_events
from bot.features.sessions.model import (
    Occurrence,
    OccurrenceChange,
    RsvpStatus,
    Session,
    SessionStatus,
)
from bot.features.sessions.recurrence import find_occurrence
from bot.model import ChannelRef, Lang, UserRef
from bot.ports import Clock, Store, Unit

IN_MEMBER_FEED = frozenset(
    {RsvpStatus.GOING, RsvpStatus.WATCHING, RsvpStatus.MAYBE, RsvpStatus.WAITLISTED}
)
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: tuple[str, ...] = ()  # UIDs (or titles) that could not be imported


async def _channel_ics(uow: Unit, channel: ChannelRef, now: datetime) -> bytes:
    sessions = await uow.sessions.in_workspace(
        channel.platform, channel.workspace, channel_id=channel.id
    )
    changes = await uow.sessions.changes_for([s.id for s in sessions])
    pairs = [(s, changes.get(s.id, [])) for s in sessions]
    from bot.features.sessions.ics import channel_calendar  # icalendar: on first use

    return channel_calendar(pairs, name=f"ippo {channel.id}", now=now)


async def _member_ics(uow: Unit, member_id: int, name: str, now: datetime) -> bytes:
    items: list[tuple[Session, Occurrence]] = []
    cache: dict[int, tuple[Session | None, list[OccurrenceChange]]] = {}
    for rsvp in await uow.sessions.member_rsvps(member_id):
        if rsvp.status not in IN_MEMBER_FEED:
            continue
        if rsvp.session_id not in cache:
            found = await uow.sessions.get(rsvp.session_id)
            changes = list(await uow.sessions.changes(rsvp.session_id)) if found else []
            cache[rsvp.session_id] = (found, changes)
        session, changes = cache[rsvp.session_id]
        if session is None or session.status is not SessionStatus.ACTIVE:
            continue
        occ = find_occurrence(session, changes, rsvp.occurrence)
        if occ is not None and not occ.cancelled:
            items.append((session, occ))
    from bot.features.sessions.ics import member_calendar  # icalendar: on first use

    return member_calendar(items, name=name, now=now)


async def export_ics(
    store: Store,
    *,
    channel: ChannelRef | None,
    member_user: UserRef | None,
    now: datetime,
) -> bytes:
    """One channel's sessions, or one member's answered occurrences."""
    if (channel is None) == (member_user is None):
        raise ValueError("export one channel or one member")
    async with store.unit() as uow:
        if channel is not None:
            return await _channel_ics(uow, channel, now)
        assert member_user is not None
        member = await uow.members.get(member_user)
        if member is None:
            raise LookupError(f"no member {member_user.platform}:{member_user.id}")
        return await _member_ics(uow, member.id, f"ippo {member.display_name}", now)


async def import_ics(
    store: Store,
    path: Path | str,
    channel: ChannelRef,
    *,
    now: datetime,
    default_tz: str = "Asia/Tokyo",
    lang: Lang = "ja",
) -> ImportReport:
    """Create or update the sessions of an .ics file in `channel`, matched by
    UID within the channel's workspace. Raises ValueError for a file that is
    not iCalendar (or larger than 5 MB)."""
    data = await asyncio.to_thread(Path(path).read_bytes)
    if len(data) > MAX_IMPORT_BYTES:
        raise ValueError(f"{path}: larger than {MAX_IMPORT_BYTES} bytes")
    from bot.features.sessions.ics import parse_calendar  # icalendar: on first use

    parsed = parse_calendar(data, default_tz=default_tz)
    async with store.unit() as uow:
        counts = await import_events(uow, parsed.events, channel, now=now, lang=lang)
    return ImportReport(counts.created, counts.updated, counts.unchanged, parsed.skipped)


def ics_feed_routes(store: Store, *, clock: Clock) -> list[web.RouteDef]:
    """``GET /ics/<token>.ics``: the member's own calendar, 404 for any other
    token (without saying whether it ever existed)."""

    async def feed(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        async with store.unit() as uow:
            member_id = await uow.sessions.member_for_feed(token) if token else None
            member = await uow.members.get_by_id(member_id) if member_id else None
            if member is None:
                raise web.HTTPNotFound()
            body = await _member_ics(uow, member.id, f"ippo {member.display_name}", clock.now())
        return web.Response(
            body=body,
            content_type="text/calendar",
            charset="utf-8",
            headers={"Cache-Control": "private, max-age=300"},
        )

    return [web.get(r"/ics/{token:[A-Za-z0-9_\-]{16,128}}.ics", feed)]
