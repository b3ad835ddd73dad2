"""When ippo may not open intro threads in the coffee channel, the organizer
who chose it hears why, once.

On Discord a group is introduced in a private thread of the coffee channel;
where ippo lacks View Channel or Create Private Threads, Discord answers
Missing Access and the introduction is refused for good
(`PermanentFailure.no_access`). Nobody would notice, so the first refusal
per channel and organizer becomes one DM to whoever chose the channel
(`/ippo coffee channel`), in their language, saying how to let ippo in, as
session posts do (`bot.features.channel_access`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.features.channel_access import OrganizerChannelKey, addressee, tell_organizer
from bot.features.coffee.ports import ACCESS_KIND
from bot.model import GroupRef, Message
from bot.ports import Delivery, PermanentFailure
from bot.scheduled import WorkCtx


@dataclass(frozen=True, slots=True)
class AccessKey(OrganizerChannelKey):
    """A coffee channel ippo may not open intro threads in:
    "coffee-access:<platform>:<workspace>:<channel>:<organizer>"."""

    kind: ClassVar[str] = ACCESS_KIND


async def refused(work: WorkCtx, delivery: Delivery, err: PermanentFailure) -> None:
    """An introduction was refused for good: tell the channel's organizer, once."""
    to = delivery.to
    if not err.no_access or not isinstance(to, GroupRef) or to.channel_id is None:
        return
    setter = await work.uow.coffee.channel_setter(to.platform, to.workspace)
    organizer = await work.uow.members.get_by_id(setter) if setter is not None else None
    if organizer is None:
        return
    key = AccessKey(to.platform, to.workspace, to.channel_id, organizer.id)
    await tell_organizer(work, key, organizer, {"channel": to.channel_id})


async def compose_access(work: WorkCtx, delivery: Delivery) -> Message | None:
    organizer = await addressee(work, delivery)
    if organizer is None:
        return None
    t = work.messages.for_lang(organizer.lang)
    return Message(
        t("coffee.access.body", channel=delivery.payload.get("channel", "")),
        title=t("coffee.access.title"),
        tone="warning",
    )
