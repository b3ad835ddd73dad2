"""One person, one member: which member an inbound event acts for.

A member is one person in one community (a Slack workspace, a Discord guild,
the console). Most events name both: Slack sends the team with every payload,
a Discord guild interaction carries its guild. A Discord interaction in a DM
with the bot names only the user (PLATFORM-FACTS: no `guild_id`, no
`member`), so its `UserRef.workspace` is `DM_WORKSPACE`, and the rule is:

1. A press on a message ippo sent as a DM acts on the member that DM was
   addressed to (the delivery ledger knows the posted message's id): "Stop"
   on a nudge stops the nudges of the member who was nudged.
2. Anything else in a DM (a typed command, a press on a reply) acts on the
   person's member seen most recently, in whichever community.
3. A person who has only ever written to the bot directly becomes a member
   of no community yet (`DM_WORKSPACE`); the first time they act in a
   community, that member moves there with their journey and schedule.

User ids are the platform's own (Discord ids are global), so a person is
matched on (platform, user id) and never across platforms.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.model import DM_WORKSPACE, ButtonPressed, Inbound, Lang, Member, UserRef
from bot.ports import Unit

SEEN_EVERY = timedelta(minutes=10)
"""`last_seen_at` is written at most this often per member: it ranks a
person's communities, it is not an activity log."""


async def resolve(uow: Unit, event: Inbound) -> Member | None:
    """The existing member `event` acts for, or None for someone new."""
    user = event.actor.user
    if user.workspace != DM_WORKSPACE:
        return await uow.members.get(user) or await _adopt_direct(uow, user)
    people = await uow.members.of_person(user.platform, user.id)
    if not people:
        return None
    if isinstance(event, ButtonPressed) and event.message is not None:
        recipient = await uow.deliveries.recipient_of(event.message)
        for member in people:
            if member.id == recipient:
                return member
    return people[0]


async def _adopt_direct(uow: Unit, user: UserRef) -> Member | None:
    """Rule 3: the person's direct-only member moves into this community."""
    direct = await uow.members.get(UserRef(user.platform, DM_WORKSPACE, user.id))
    if direct is None:
        return None
    return await uow.members.move(direct.id, user)


async def member_for(
    uow: Unit,
    event: Inbound,
    *,
    now: datetime,
    default_lang: Lang,
    default_tz: str,
) -> Member:
    """Resolve (or create on first contact) the member `event` acts for, and
    note that they were seen."""
    actor = event.actor
    member = await resolve(uow, event)
    if member is None:
        member = await uow.members.create(
            actor.user, lang=default_lang, tz=default_tz, display_name=actor.display_name, now=now
        )
    if actor.display_name and actor.display_name != member.display_name:
        member = await uow.members.save(replace(member, display_name=actor.display_name))
    if member.last_seen_at is None or now - member.last_seen_at >= SEEN_EVERY:
        await uow.members.seen(member.id, now)
        member = replace(member, last_seen_at=now)
    return member


def as_member(event: Inbound, member: Member) -> Inbound:
    """`event` told as the member it acts for: a DM press carries the member's
    own identity from here on, so every feature sees one person."""
    if event.actor.user == member.user:
        return event
    return replace(event, actor=replace(event.actor, user=member.user))
