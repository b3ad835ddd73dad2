"""When ippo may not post in a session's channel, its organizer hears why.

A Slack channel the bot was never invited to answers `not_in_channel`; a
Discord channel where it lacks View Channel or Send Messages answers Missing
Access. Either is a permanent refusal that nobody would notice: the
announcement simply never appears. So the first refusal per channel and
organizer becomes one DM to the session's organizer, in their language,
saying how to let ippo in; the next announcement then goes through. The
session preview says the same in advance (`access_hint`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.feature import Feature
from bot.i18n import Translator
from bot.keys import DeliveryKey
from bot.model import ChannelRef, Member, Message
from bot.parse import record_id
from bot.ports import Delivery, NewDelivery, PermanentFailure
from bot.scheduled import ScheduledWork, WorkCtx

KIND = "channel_access"
CHANNEL_POSTS = ("announce", "session_cancelled")


@dataclass(frozen=True, slots=True)
class OrganizerChannelKey(DeliveryKey):
    """One DM per channel and organizer:
    "<kind>:<platform>:<workspace>:<channel>:<organizer>". Each feature that
    tells an organizer about a channel declares its own kind on a subclass."""

    platform: str
    workspace: str
    channel_id: str
    organizer_id: int


@dataclass(frozen=True, slots=True)
class AccessKey(OrganizerChannelKey):
    """A session channel ippo may not post in."""

    kind: ClassVar[str] = KIND


async def tell_organizer(
    work: WorkCtx, key: OrganizerChannelKey, organizer: Member, payload: dict[str, str]
) -> None:
    """Plan the one DM to `organizer` about the channel in `key`; planning it
    again is a no-op, since the key is unique per channel and organizer."""
    await work.uow.deliveries.add(
        NewDelivery(
            key=key.encode(),
            kind=key.kind,
            to=organizer.user,
            not_before=work.now,
            member_id=organizer.id,
            payload=payload,
        )
    )


async def addressee(work: WorkCtx, delivery: Delivery) -> Member | None:
    """The organizer a planned access DM goes to, if still known."""
    if delivery.member_id is None:
        return None
    return await work.uow.members.get_by_id(delivery.member_id)


def channel_label(channel: ChannelRef) -> str:
    """The channel as messages name it. Messages are plain text (renderers
    escape markup), so this is its id, as the session preview shows it."""
    return f"#{channel.id}"


def access_hint(t: Translator, channel: ChannelRef) -> str:
    """One line for the session preview: what ippo needs in that channel."""
    return t(f"sessions.access.hint_{channel.platform}", channel=channel_label(channel))


async def refused(work: WorkCtx, delivery: Delivery, err: PermanentFailure) -> None:
    """A channel post was refused for good: tell the organizer, once."""
    if not err.no_access or not isinstance(delivery.to, ChannelRef):
        return
    session_id = record_id(delivery.payload.get("session", ""))
    session = await work.uow.sessions.get(session_id) if session_id is not None else None
    if session is None or session.organizer is None:
        return
    organizer = await work.uow.members.get(session.organizer)
    if organizer is None:
        return
    channel = delivery.to
    key = AccessKey(channel.platform, channel.workspace, channel.id, organizer.id)
    await tell_organizer(work, key, organizer, {"session": str(session.id), "channel": channel.id})


async def compose(work: WorkCtx, delivery: Delivery) -> Message | None:
    organizer = await addressee(work, delivery)
    session_id = record_id(delivery.payload.get("session", ""))
    session = await work.uow.sessions.get(session_id) if session_id is not None else None
    if organizer is None or session is None:
        return None
    t = work.messages.for_lang(organizer.lang)
    channel = ChannelRef(
        delivery.to.platform, delivery.to.workspace, delivery.payload.get("channel", "")
    )
    how = t(f"sessions.access.how_{channel.platform}", channel=channel_label(channel))
    return Message(
        t("sessions.access.body", title=session.title, channel=channel_label(channel), how=how),
        title=t("sessions.access.title"),
        tone="warning",
    )


def scheduled_work() -> ScheduledWork:
    return ScheduledWork(
        composers={KIND: compose},
        on_refused=dict.fromkeys(CHANNEL_POSTS, refused),
    )


FEATURE = Feature("channel_access", work=scheduled_work)
