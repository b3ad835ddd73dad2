"""Coffee introductions on Discord against the fake REST API: a coffee
channel ippo may not use is explained to the organizer who chose it, once;
a crash between opening a group's private thread and posting in it leaves
one thread and one message."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from adapters.discord.client import DiscordAdapter
from adapters.discord.threads import thread_token
from bot.features.coffee.rounds import Round, upcoming_rounds
from bot.model import Button, GroupRef, Message
from bot.testing import Harness, Person
from bot.working_days import WorkingDays
from storage import SqlStore
from tests.discordkit import GUILD, DiscordWorld, discord_world, settings_for

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


GROUP = GroupRef("discord", GUILD, ("101", "102", "103"), channel_id=CHANNEL)
KEY = "coffee:7:0"
INTRO = Message("Meet each other?", buttons=(Button("Let's meet", "coffee:meet:7"),))


async def test_a_crash_between_opening_the_thread_and_posting_leaves_one_thread(
    world: DiscordWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discord has no nonce for thread creation: the process that resends
    finds the thread by the key's token in its name, among the guild's
    active threads, and posts there once."""
    first = world.adapter.messenger

    async def dies(*_: object, **__: object) -> None:
        raise asyncio.CancelledError  # the process is killed before it posts

    monkeypatch.setattr(first, "_post", dies)
    with pytest.raises(asyncio.CancelledError):
        await first.send(GROUP, INTRO, delivery_key=KEY)
    [opened] = world.api.threads.values()
    assert opened.name.endswith(f" ({thread_token(KEY)})")
    assert world.api.channel_messages(opened.id) == []

    restarted = DiscordAdapter(core=world.core, store=world.store, settings=settings_for(world.api))
    await restarted.login()
    try:
        again = await restarted.messenger.send(GROUP, INTRO, delivery_key=KEY)
        once_more = await restarted.messenger.send(GROUP, INTRO, delivery_key=KEY)
        other = await restarted.messenger.send(GROUP, INTRO, delivery_key="coffee:8:0")
    finally:
        await restarted.stop()
    assert again == once_more and again.channel_id == opened.id
    assert len(world.api.channel_messages(opened.id)) == 1, "one thread, one message"
    assert other.channel_id != opened.id, "another group gets a thread of its own"
    assert len(world.api.threads) == 2
    listed = [c for c in world.api.calls if c.path.endswith(f"/guilds/{GUILD}/threads/active")]
    assert len(listed) == 2, "listed once by each process, not per group"
