"""One person, one member on Discord (bot/identity.py).

A nudge is a DM. Discord sends a press on it — and a slash command typed in
the bot's DM — with `user` and no `guild_id` or `member`. These tests replay
those payload shapes through discord.py's own dispatch and the adapter into a
real core, store and delivery engine, with the nudge posted on a local fake
Discord REST API, and check that every press acts on the member who was
nudged: "Stop these" stops *their* nudges, "Skip" and "I'll try it" land on
*their* journey, and no second member is ever created.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.delivery import Dispatcher
from bot.model import DM_WORKSPACE, EntryKind, Member, UserRef
from storage import SqlStore
from tests.discordkit import GUILD, discord_world
from tests.discordkit import DiscordWorld as World
from tests.fakes.discord_api import PostedMessage, message_json
from tests.fakes.discord_payloads import DiscordPerson

UPDATE_MESSAGE = 7
USER = "100000000000000042"


@pytest.fixture
async def world(sqlite_store: SqlStore) -> AsyncIterator[World]:
    async with discord_world(sqlite_store) as made:
        yield made


def dispatcher(world: World) -> Dispatcher:
    return world.dispatcher()


async def members_of(world: World, user_id: str) -> list[Member]:
    async with world.store.unit() as uow:
        return list(await uow.members.of_person("discord", user_id))


async def nudged(world: World) -> tuple[DiscordPerson, PostedMessage]:
    """Aki opts in from the guild, the clock reaches her slot, the engine
    posts the nudge into her DM; returns her DM self and that message."""
    in_guild = DiscordPerson(USER, locale="en-US")
    await world.send(in_guild.slash("nudge", args="on"))
    member = await world.member(USER)
    assert member is not None and member.next_nudge_at is not None
    world.clock.set(member.next_nudge_at + timedelta(minutes=1))
    report = await dispatcher(world).tick()
    assert report.sent.sent == 1
    dm_channel = world.api.dm_channels[USER]
    (posted,) = world.api.channel_messages(dm_channel)
    in_dm = DiscordPerson(USER, guild_id=None, channel_id=dm_channel, locale="en-US")
    return in_dm, posted


def button_ids(message: PostedMessage) -> list[str]:
    return [
        c["custom_id"]
        for row in message.payload.get("components") or []
        for c in row.get("components") or []
        if "custom_id" in c
    ]


async def test_stop_pressed_in_the_dm_stops_the_nudged_members_nudges(world: World) -> None:
    in_dm, posted = await nudged(world)
    assert "nudge:stop" in button_ids(posted)
    answer = await world.send(in_dm.press("nudge:stop", message_json(posted)))
    assert answer["type"] == UPDATE_MESSAGE
    people = await members_of(world, USER)
    assert [m.user for m in people] == [UserRef("discord", GUILD, USER)]  # no ghost
    assert not people[0].nudge.enabled and people[0].next_nudge_at is None
    # A week later nothing is planned or sent.
    world.clock.advance(days=7)
    report = await dispatcher(world).tick()
    assert (report.planned, report.sent.sent) == (0, 0)
    assert len(world.api.channel_messages(world.api.dm_channels[USER])) == 1


async def test_try_and_skip_in_the_dm_land_on_the_members_journey(world: World) -> None:
    in_dm, posted = await nudged(world)
    try_id = next(i for i in button_ids(posted) if i.startswith("nudge:try:"))
    await world.send(in_dm.press(try_id, message_json(posted)))
    member = await world.member(USER)
    assert member is not None
    async with world.store.unit() as uow:
        kinds = [e.kind for e in await uow.journey.list(member.id)]
        followups = [d for d in await uow.deliveries.for_member(member.id) if d.kind == "followup"]
    assert EntryKind.TRYING in kinds
    assert len(followups) == 1 and followups[0].to == member.user  # the follow-up DMs her
    await world.send(in_dm.press("nudge:skip", message_json(posted)))
    assert len(await members_of(world, USER)) == 1


async def test_a_slash_command_typed_in_the_dm_acts_on_the_guild_member(world: World) -> None:
    in_dm, _ = await nudged(world)
    answer = await world.send(in_dm.slash("nudge", args="off"))
    assert "Stopped" in str(answer["data"]) or "off" in str(answer["data"]).lower()
    (member,) = await members_of(world, USER)
    assert member.user.workspace == GUILD and not member.nudge.enabled


async def test_someone_met_first_in_a_dm_joins_the_guild_with_their_journey(
    world: World,
) -> None:
    first = DiscordPerson(USER, guild_id=None, channel_id="700000000000000099")
    await world.send(first.slash("done", what="Watched a meetup stream"))
    (direct,) = await members_of(world, USER)
    assert direct.user.workspace == DM_WORKSPACE
    await world.send(DiscordPerson(USER).slash("journey"))
    (member,) = await members_of(world, USER)
    assert member.id == direct.id and member.user.workspace == GUILD
    async with world.store.unit() as uow:
        entries = await uow.journey.list(member.id)
    assert [e.kind for e in entries] == [EntryKind.DONE]


async def test_a_press_on_another_guilds_nudge_acts_on_that_guilds_member(
    world: World,
) -> None:
    """One person in two guilds is two members; a DM press acts on the one the
    DM was for, even when the other was seen more recently."""
    other_guild = "700000000000000555"
    in_dm, posted = await nudged(world)
    await world.send(DiscordPerson(USER, guild_id=other_guild, locale="en-US").slash("home"))
    people = await members_of(world, USER)
    assert {m.user.workspace for m in people} == {GUILD, other_guild}
    await world.send(in_dm.press("nudge:stop", message_json(posted)))
    by_guild = {m.user.workspace: m for m in await members_of(world, USER)}
    assert not by_guild[GUILD].nudge.enabled
    assert by_guild[other_guild].nudge == next(
        m.nudge for m in people if m.user.workspace == other_guild
    )
