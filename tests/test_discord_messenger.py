"""The Discord messenger against a local fake Discord REST API: a nudge
fan-out driven by the real Dispatcher (bot.delivery) with 429s and 50007s,
DM channels stored and reused, nonce dedupe, and errors classified."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
import yarl

from adapters.discord.buckets import SeldomSweep
from adapters.discord.endpoints import api_base, gateway_url_for
from adapters.discord.messenger import nonce_for
from adapters.discord.pace import GlobalPace, is_paced
from bot.delivery import Dispatcher
from bot.model import ChannelRef, Message, MessageRef, UserRef
from bot.ports import DeliveryStatus, PermanentFailure, TransientFailure
from bot.testing import Harness
from storage import SqlStore
from tests.discordkit import GUILD, discord_world
from tests.discordkit import DiscordWorld as World
from tests.fakes.discord_api import FakeDiscordApi

MEMBERS = 30
REFUSING = {f"{100 + i}" for i in (3, 11, 17, 24, 29)}  # DMs closed (50007)
RATE_LIMITED_POSTS = 4
AUTH = {"Authorization": "Bot test"}


@pytest.fixture
async def world(sqlite_store: SqlStore) -> AsyncIterator[World]:
    async with discord_world(sqlite_store) as made:
        yield made


def dispatcher(world: World) -> Dispatcher:
    return world.dispatcher()


async def move_to_next_nudge(world: World, user_id: str) -> None:
    """Every member turned nudges on at the same moment, so they share a slot."""
    async with world.store.unit() as uow:
        member = await uow.members.get(UserRef("discord", GUILD, user_id))
    assert member is not None and member.next_nudge_at is not None
    world.clock.set(member.next_nudge_at + timedelta(minutes=1))


async def test_nudge_fan_out_with_429s_and_closed_dms(world: World) -> None:
    harness = Harness(world.core, platform="discord", workspace=GUILD)
    ids = [f"{100 + i}" for i in range(MEMBERS)]
    for user_id in ids:
        await harness.member(user_id).say("/ippo nudge on")
    world.api.refuse_dm.update(REFUSING)
    world.api.rate_limit_next(RATE_LIMITED_POSTS, retry_after=0.02)

    await move_to_next_nudge(world, ids[0])
    report = await dispatcher(world).tick()
    assert report.planned == MEMBERS
    assert report.sent.sent == MEMBERS - len(REFUSING)
    assert report.sent.failed == len(REFUSING)

    reachable = [u for u in ids if u not in REFUSING]
    for user_id in reachable:
        channel = world.api.dm_channels[user_id]
        assert len(world.api.channel_messages(channel)) == 1, user_id
    for user_id in REFUSING:
        assert world.api.channel_messages(world.api.dm_channels[user_id]) == []

    async with world.store.unit() as uow:
        for user_id in ids:
            member = await uow.members.get(UserRef("discord", GUILD, user_id))
            assert member is not None
            assert member.unreachable == (user_id in REFUSING)
            # Where each DM landed is recorded by the Dispatcher, the one writer.
            landed = None if user_id in REFUSING else world.api.dm_channels[user_id]
            assert member.dm_channel_id == landed
            (delivery,) = await uow.deliveries.for_member(member.id)
            expected = DeliveryStatus.FAILED if user_id in REFUSING else DeliveryStatus.SENT
            assert delivery.status == expected

    # Every post carried the delivery's nonce with enforce_nonce.
    posts = [c for c in world.api.calls_to("POST", "/channels/") if c.status == 200]
    assert all(c.json["enforce_nonce"] is True and len(c.json["nonce"]) <= 25 for c in posts)
    # One refusal per closed DM, the injected 429s, and nothing else invalid:
    # no global 429, though the login's requests, the 60 of the fan-out and
    # discord.py's own retries of the injected 429s all fall within a second
    # or two (the client's pace counts every one of them).
    assert world.api.global_limited == 0
    assert world.api.invalid_requests == len(REFUSING) + RATE_LIMITED_POSTS
    opened = [c for c in world.api.calls_to("POST", "/users/@me/channels") if c.status == 200]
    assert len(opened) == MEMBERS

    # A week later: the refused are never tried again, DM channels are reused.
    calls_before = len(world.api.calls)
    await move_to_next_nudge(world, ids[0])
    report = await dispatcher(world).tick()
    assert report.sent.sent == MEMBERS - len(REFUSING)
    assert report.sent.failed == 0
    new_calls = world.api.calls[calls_before:]
    assert not [c for c in new_calls if c.path == "/users/@me/channels"]
    refused_channels = {world.api.dm_channels[u] for u in REFUSING}
    touched = {c.path.split("/")[2] for c in new_calls if c.path.startswith("/channels/")}
    assert not touched & refused_channels
    for user_id in reachable:
        assert len(world.api.channel_messages(world.api.dm_channels[user_id])) == 2


async def test_a_resend_with_the_same_delivery_key_posts_once(world: World) -> None:
    to = ChannelRef("discord", GUILD, "555000000000000001")
    first = await world.adapter.messenger.send(to, Message("hello"), delivery_key="announce:1:x")
    again = await world.adapter.messenger.send(to, Message("hello"), delivery_key="announce:1:x")
    assert first == again
    assert len(world.api.channel_messages("555000000000000001")) == 1
    assert nonce_for("announce:1:x") == nonce_for("announce:1:x")
    assert len(nonce_for("x" * 500)) == 25


async def test_update_edits_the_posted_message(world: World) -> None:
    to = ChannelRef("discord", GUILD, "555000000000000002")
    ref = await world.adapter.messenger.send(to, Message("v1", title="Session"))
    await world.adapter.messenger.update(ref, Message("v2", title="Session (moved)"))
    (posted,) = world.api.channel_messages("555000000000000002")
    assert posted.edits[0]["embeds"][0]["title"] == "Session (moved)"


async def test_errors_are_classified(world: World) -> None:
    messenger = world.adapter.messenger
    world.api.refuse_dm.add("999")
    with pytest.raises(PermanentFailure) as refused:
        await messenger.send(UserRef("discord", GUILD, "999"), Message("hi"))
    assert refused.value.unreachable_member
    # A long 429 (beyond discord.py's own waiting) comes back as transient.
    world.api.rate_limit_next(1, retry_after=120.0)
    with pytest.raises(TransientFailure) as limited:
        await messenger.send(ChannelRef("discord", GUILD, "555000000000000003"), Message("x"))
    assert limited.value.retry_after == pytest.approx(120.0)
    # An unknown channel is permanent but says nothing about a member.
    with pytest.raises(PermanentFailure):
        await messenger.update(
            MessageRef("discord", GUILD, "555000000000000004", "123"), Message("x")
        )


def test_endpoint_urls() -> None:
    assert api_base("http://127.0.0.1:9000") == "http://127.0.0.1:9000/api/v10"
    assert api_base("http://127.0.0.1:9000/api/v10/") == "http://127.0.0.1:9000/api/v10"
    target = yarl.URL("ws://127.0.0.1:9001/gateway")
    moved = gateway_url_for("wss://gateway.discord.gg/?v=10&encoding=json", target)
    assert moved == "ws://127.0.0.1:9001/gateway?v=10&encoding=json"
    resume = "wss://gateway-us-east1-b.discord.gg/?v=10"
    assert gateway_url_for(resume, target) == resume


async def test_every_request_of_a_session_keeps_within_the_global_limit() -> None:
    """`GlobalPace` on a session of its own against a fake allowing 3 requests a
    second: 8 requests at once all pass, exempt interaction callbacks are not
    counted, and a global 429 (the server allowing less than the pace) holds it."""
    pace = GlobalPace(3, reserve=0)
    async with (
        FakeDiscordApi(global_limit_per_second=3) as api,
        aiohttp.ClientSession(trace_configs=[pace.trace_config()]) as http,
    ):

        async def open_dm(user: int) -> int:
            url = f"{api.base_url}/users/@me/channels"
            async with http.post(url, json={"recipient_id": str(user)}, headers=AUTH) as answer:
                return answer.status

        assert await asyncio.gather(*(open_dm(u) for u in range(8))) == [200] * 8
        assert api.global_limited == 0
        callback = f"{api.base_url}/interactions/1/tok/callback"
        async with http.post(callback, json={"type": 5}) as answer:
            assert answer.status == 200
        assert not is_paced(yarl.URL(callback))
        assert not is_paced(yarl.URL("ws://127.0.0.1:1/gateway?v=10"))
        assert is_paced(yarl.URL(f"{api.base_url}/channels/1/messages"))

    # A pace that allows more than the server does (another process using the
    # same token would have that effect): the global 429 holds its window.
    loose = GlobalPace(5, reserve=0)
    async with (
        FakeDiscordApi(global_limit_per_second=3) as api,
        aiohttp.ClientSession(trace_configs=[loose.trace_config()]) as http,
    ):
        statuses = []
        for user in range(4):
            url = f"{api.base_url}/users/@me/channels"
            async with http.post(url, json={"recipient_id": str(user)}, headers=AUTH) as answer:
                statuses.append(answer.status)
        assert statuses == [200, 200, 200, 429]
        assert api.global_limited == 1
        assert loose.window.delay() > 0  # held for the 429's Retry-After


def test_discord_py_sweeps_its_idle_buckets_seldom(world: World) -> None:
    """One bucket per DM channel: discord.py's sweep of idle buckets (a walk
    over all of them) runs at most every SWEEP_EVERY_S, not on every new one."""
    http = world.adapter.client.http
    assert isinstance(http._try_clear_expired_ratelimits, SeldomSweep)
    swept: list[float] = []
    now = [0.0]
    seldom = SeldomSweep(lambda: swept.append(now[0]), 30.0, monotonic=lambda: now[0])
    for step in range(100):
        now[0] = step * 1.0
        seldom()
    assert swept == [30.0, 60.0, 90.0]
