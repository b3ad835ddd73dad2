"""Coffee introductions on Discord against the fake REST API: a coffee
channel ippo may not use is explained to the organizer who chose it, once;
a crash between opening a group's private thread and posting in it leaves
one thread and one message."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.features.coffee.rounds import Round, upcoming_rounds
from bot.testing import Harness, Person
from bot.working_days import WorkingDays
from storage import SqlStore
from tests.discordkit import GUILD, DiscordWorld, discord_world

CHANNEL = "555000000000000077"
ORG = "100000000000000109"


@pytest.fixture
async def world(sqlite_store: SqlStore) -> AsyncIterator[DiscordWorld]:
    async with discord_world(sqlite_store) as made:
        yield made


async def sign_up(world: DiscordWorld) -> tuple[Person, list[Person]]:
    """The organizer chooses the coffee channel; three members sign up."""
    harness = Harness(world.core, platform="discord", workspace=GUILD)
    org = harness.member(ORG, locale="en-US", grants=frozenset({"manage_events"}))
    await org.say(f"/ippo coffee channel <#{CHANNEL}>")
    people = []
    for n, dept in enumerate(("Finance", "Parks", "IT")):
        person = harness.member(f"10000000000000020{n}", locale="en-US")
        await person.say("/ippo coffee on")
        await person.say(f"/ippo coffee dept {dept}")
        people.append(person)
    return org, people


def rounds(world: DiscordWorld, count: int) -> list[Round]:
    config = world.core.config
    calendar = WorkingDays(config.holiday_country)
    found = upcoming_rounds(world.clock.now(), config.coffee, calendar, count + 1)
    return [r for r in found if r.opens() > world.clock.now()][:count]


async def run_round(world: DiscordWorld, rnd: Round) -> None:
    """Plan the round as it opens, send its introductions, then whatever
    they caused (a minute later)."""
    for at in (
        rnd.opens(),
        rnd.opens() + timedelta(days=2),
        rnd.opens() + timedelta(days=2, minutes=1),
    ):
        world.clock.set(at)
        await world.dispatcher().tick(at)


async def test_a_coffee_channel_ippo_may_not_use_is_explained_once(world: DiscordWorld) -> None:
    await sign_up(world)
    world.api.refuse_channel[CHANNEL] = 50001  # Missing Access
    first, second = rounds(world, 2)
    await run_round(world, first)
    assert world.api.threads == {}
    dm = world.api.dm_channels[ORG]
    (told,) = world.api.channel_messages(dm)
    text = str(told.payload)
    assert f"<#{CHANNEL}>" in text and "Create Private Threads" in text
    await run_round(world, second)  # refused again: told once
    assert len(world.api.channel_messages(dm)) == 1
    assert set(world.api.dm_channels) == {ORG}, "members hear nothing of it"
