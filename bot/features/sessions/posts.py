"""Channel posts after they are sent: their language and their redraws.

A posted announcement is redrawn (edited in place) when its session changes
or its counts do; the composer draws it from the store when the update is
sent, so a redraw always shows the latest.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.config import CoreConfig
from bot.features.sessions.keys import AnnounceEditKey, AnnounceKey
from bot.features.sessions.model import Occurrence, Session
from bot.features.sessions.planning import occurrence_key
from bot.i18n import Messages, Translator
from bot.model import ChannelRef, Lang
from bot.ports import NewDelivery, Unit

UPDATE_WINDOW = timedelta(days=2)  # an edit not applied by then is stale
COUNTS_DEBOUNCE = timedelta(minutes=1)


async def channel_lang(uow: Unit, channel: ChannelRef, default: Lang) -> Lang:
    """The language of a channel's posts: as set with `/ippo session lang`,
    else the deployment's default. Every post in the channel uses it, whoever
    organized the session, so a channel never reads in two languages."""
    return await uow.sessions.channel_lang(channel) or default


async def channel_translator(
    uow: Unit, messages: Messages, config: CoreConfig, channel: ChannelRef
) -> Translator:
    return messages.for_lang(await channel_lang(uow, channel, config.default_lang))


async def post_updates(
    uow: Unit,
    session: Session,
    now: datetime,
    *,
    occurrences: frozenset[str] | None = None,
    not_before: datetime | None = None,
    tag: str | None = None,
) -> int:
    """An update delivery for every announcement already posted (of the
    `occurrences` named by their keys, or all): the composer redraws each post
    from the store when it is sent. Keyed by the session's version (an edit),
    or by `tag` (see `refresh_counts`), so repeating a call adds nothing."""
    added = 0
    suffix = tag or f"v{session.version}"
    for raw in await uow.sessions.sent_announcements(session.id):
        posted = AnnounceKey.parse(raw)
        if occurrences is not None and posted.occurrence not in occurrences:
            continue
        added += await uow.deliveries.add(
            NewDelivery(
                key=AnnounceEditKey.of(posted, suffix).encode(),
                kind="announce",
                to=session.channel,
                not_before=not_before or now,
                expires_at=now + UPDATE_WINDOW,
                payload={
                    "session": str(session.id),
                    "occurrence": posted.occurrence,
                    "lead": str(posted.lead_min),
                    "update_of": raw,
                },
            )
        )
    return added


async def refresh_counts(uow: Unit, session: Session, occ: Occurrence, now: datetime) -> int:
    """Answers changed: every post of the occurrence shows its counts again,
    at the end of the current minute — one edit per post per minute however
    many people answer meanwhile (each edit is a rate-limited request), and
    drawn when sent, so it shows every answer of that minute."""
    minute = now.replace(second=0, microsecond=0)
    return await post_updates(
        uow,
        session,
        now,
        occurrences=frozenset({occurrence_key(occ.original_start)}),
        not_before=minute + COUNTS_DEBOUNCE,
        tag=f"c{minute.astimezone(UTC):%Y%m%dT%H%M}",
    )
