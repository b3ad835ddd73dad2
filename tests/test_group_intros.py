"""A message to a group (`bot.model.GroupRef`) on each platform, sent by the
real delivery engine: on Slack a group DM (against the fake Web API), on
Discord a private thread (against the fake REST API), on the console a post
naming every member that each of them sees in their inbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.console.messenger import ConsoleMessenger
from adapters.discord.messenger import nonce_for
from adapters.slack.messenger import DELIVERY_EVENT, SlackMessenger, make_client
from bot.delivery import Dispatcher
from bot.model import Button, GroupRef, Message, Platform
from bot.ports import Delivery, DeliveryStatus, Messenger, NewDelivery, PermanentFailure
from bot.scheduled import ScheduledWork, WorkCtx
from bot.testing import FixedClock
from storage import SqlStore
from storage.console_inbox import CONSOLE_WORKSPACE, SqlConsoleInbox
from tests.corekit import build_core
from tests.discordkit import GUILD, DiscordWorld, discord_world
from tests.fakes.slack_api import FakeSlackApi

KIND = "intro"
KEY = "intro:round-1:g1"
TEAM = "T0001"
INTRO = Message("Meet each other?", buttons=(Button("Let's meet", "intro:meet:1"),))


class Refusals:
    """The composer and refusal handler of the test's one delivery kind."""

    def __init__(self) -> None:
        self.refused: list[PermanentFailure] = []

    async def compose(self, ctx: WorkCtx, delivery: Delivery) -> Message:
        return INTRO

    async def on_refused(self, ctx: WorkCtx, delivery: Delivery, err: PermanentFailure) -> None:
        self.refused.append(err)

    def work(self) -> ScheduledWork:
        return ScheduledWork(composers={KIND: self.compose}, on_refused={KIND: self.on_refused})


def engine(
    store: SqlStore, clock: FixedClock, platform: Platform, messenger: Messenger, seen: Refusals
) -> Dispatcher:
    core = build_core(store, clock=clock)
    return core.dispatcher({platform: messenger}, work=seen.work())


async def plan(store: SqlStore, to: GroupRef, at: datetime) -> None:
    async with store.unit() as uow:
        assert await uow.deliveries.add(NewDelivery(KEY, KIND, to, at)) is True


async def delivery(store: SqlStore) -> Delivery:
    async with store.unit() as uow:
        found = await uow.deliveries.get(KEY)
    assert found is not None
    return found


# --------------------------------------------------------------------------- Slack

TRIO = GroupRef("slack", TEAM, ("UAKI", "UBEN", "UCAI"))


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlackApi]:
    async with FakeSlackApi(team_id=TEAM) as api:
        yield api


async def test_slack_group_dm_is_opened_for_every_member_and_carries_the_key(
    sqlite_store: SqlStore, slack: FakeSlackApi
) -> None:
    now = datetime.now(UTC)  # the fake stamps messages with the wall clock
    clock = FixedClock(now)
    messenger = SlackMessenger(client=make_client("xoxb-test", slack.api_url))
    await plan(sqlite_store, TRIO, now)
    report = await engine(sqlite_store, clock, "slack", messenger, Refusals()).tick(now)
    assert report.sent.sent == 1
    [opened] = slack.calls_to("conversations.open")
    assert opened["users"] == "UAKI,UBEN,UCAI"
    [group_dm] = slack.group_dms.values()
    [post] = slack.calls_to("chat.postMessage")
    assert post["channel"] == group_dm and post["text"] == "Meet each other?"
    assert post["metadata"] == {"event_type": DELIVERY_EVENT, "event_payload": {"key": KEY}}
    sent = await delivery(sqlite_store)
    assert sent.status is DeliveryStatus.SENT and sent.channel_id == group_dm
    assert sent.message_id == slack.history[group_dm][0]["ts"]


async def test_slack_recovery_finds_a_group_message_posted_before_a_crash(
    sqlite_store: SqlStore, slack: FakeSlackApi
) -> None:
    """A process claimed the delivery, posted it and died before recording
    it: recovery finds the message in the group DM's history by its key and
    records it, without posting again."""
    now = datetime.now(UTC)
    clock = FixedClock(now)
    messenger = SlackMessenger(client=make_client("xoxb-test", slack.api_url))
    await plan(sqlite_store, TRIO, now)
    async with sqlite_store.unit() as uow:
        [claimed] = await uow.deliveries.claim(now, 10)
    posted = await messenger.send(claimed.to, INTRO, delivery_key=KEY)  # then the crash

    later = now + timedelta(minutes=10)  # the crashed holder's lease has run out
    clock.set(later)
    report = await engine(sqlite_store, clock, "slack", messenger, Refusals()).tick(later)
    assert report.recovered.found == 1 and report.sent.sent == 0
    assert len(slack.calls_to("chat.postMessage")) == 1
    [history] = slack.calls_to("conversations.history")
    assert history["channel"] == posted.channel_id
    # Reordered members are the same group DM.
    reordered = GroupRef("slack", TEAM, ("UCAI", "UAKI", "UBEN"))
    assert await messenger.find_delivered(reordered, KEY, now - timedelta(minutes=1)) == posted
    recorded = await delivery(sqlite_store)
    assert recorded.status is DeliveryStatus.SENT
    assert (recorded.channel_id, recorded.message_id) == (posted.channel_id, posted.message_id)


async def test_slack_a_refused_group_marks_no_member_unreachable(
    sqlite_store: SqlStore, slack: FakeSlackApi
) -> None:
    now = datetime.now(UTC)
    messenger = SlackMessenger(client=make_client("xoxb-test", slack.api_url))
    slack.refuse("UBEN", "user_not_found")
    with pytest.raises(PermanentFailure) as refused:
        await messenger.send(TRIO, INTRO, delivery_key=KEY)
    assert refused.value.reason == "user_not_found"
    assert not refused.value.unreachable_member
    assert slack.calls_to("chat.postMessage") == []
    nine = GroupRef("slack", TEAM, tuple(f"U{n}" for n in range(9)))
    with pytest.raises(PermanentFailure, match="too_many_users"):
        await messenger.send(nine, INTRO)
    seen = Refusals()
    await plan(sqlite_store, TRIO, now)
    report = await engine(sqlite_store, FixedClock(now), "slack", messenger, seen).tick(now)
    assert report.sent.failed == 1 and [e.reason for e in seen.refused] == ["user_not_found"]


# --------------------------------------------------------------------------- Discord

COFFEE_CHANNEL = "555000000000000077"
MEMBERS = ("101", "102", "103")
THREAD_GROUP = GroupRef("discord", GUILD, MEMBERS, channel_id=COFFEE_CHANNEL)


@pytest.fixture
async def world(sqlite_store: SqlStore) -> AsyncIterator[DiscordWorld]:
    async with discord_world(sqlite_store) as made:
        yield made


async def test_discord_group_gets_a_private_thread_with_every_member(world: DiscordWorld) -> None:
    now = world.clock.now()
    await plan(world.store, THREAD_GROUP, now)
    dispatcher = world.core.dispatcher({"discord": world.adapter.messenger}, work=Refusals().work())
    report = await dispatcher.tick(now)
    assert report.sent.sent == 1
    [thread] = world.api.threads.values()
    assert thread.parent_id == COFFEE_CHANNEL
    assert (thread.type, thread.invitable, thread.auto_archive_duration) == (12, False, 10080)
    assert thread.name.startswith("コーヒー ")  # the deployment's default language
    assert thread.members == list(MEMBERS)
    [posted] = world.api.channel_messages(thread.id)
    assert posted.nonce == nonce_for(KEY) and posted.payload["enforce_nonce"] is True
    sent = await delivery(world.store)
    assert sent.status is DeliveryStatus.SENT
    assert (sent.channel_id, sent.message_id) == (thread.id, posted.id)
    assert world.api.channel_messages(COFFEE_CHANNEL) == []  # nothing in the channel itself


async def test_discord_a_resend_reuses_the_thread_and_posts_once(world: DiscordWorld) -> None:
    messenger = world.adapter.messenger
    world.api.gone_users.add("102")  # left the server: the others still meet
    first = await messenger.send(THREAD_GROUP, INTRO, delivery_key=KEY)
    again = await messenger.send(THREAD_GROUP, INTRO, delivery_key=KEY)
    assert first == again
    [thread] = world.api.threads.values()
    assert thread.members == ["101", "103"]
    assert len(world.api.channel_messages(thread.id)) == 1


async def test_discord_a_channel_without_access_is_no_access(world: DiscordWorld) -> None:
    now = world.clock.now()
    world.api.refuse_channel[COFFEE_CHANNEL] = 50001  # Missing Access
    seen = Refusals()
    await plan(world.store, THREAD_GROUP, now)
    dispatcher = world.core.dispatcher({"discord": world.adapter.messenger}, work=seen.work())
    report = await dispatcher.tick(now)
    assert report.sent.failed == 1
    [refusal] = seen.refused
    assert refusal.no_access and not refusal.unreachable_member
    assert world.api.threads == {}
    assert (await delivery(world.store)).status is DeliveryStatus.FAILED


async def test_discord_a_group_without_a_channel_is_refused_plainly(world: DiscordWorld) -> None:
    calls = len(world.api.calls)
    with pytest.raises(PermanentFailure, match="needs a channel") as refused:
        await world.adapter.messenger.send(GroupRef("discord", GUILD, MEMBERS), INTRO)
    assert not refused.value.unreachable_member and not refused.value.no_access
    assert len(world.api.calls) == calls  # nothing asked of Discord


# --------------------------------------------------------------------------- console

CONSOLE_GROUP = GroupRef("console", CONSOLE_WORKSPACE, ("ana", "bo", "cy"))


async def test_console_group_intro_names_every_member_and_reaches_each(
    sqlite_store: SqlStore,
) -> None:
    now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    clock = FixedClock(now)
    inbox = SqlConsoleInbox(sqlite_store.engine)
    printed: list[str] = []
    messenger = ConsoleMessenger(inbox=inbox, clock=clock, echo=printed.append)
    await plan(sqlite_store, CONSOLE_GROUP, now)
    report = await engine(sqlite_store, clock, "console", messenger, Refusals()).tick(now)
    assert report.sent.sent == 1
    assert printed == ["→ @ana, @bo, @cy: Meet each other?\n  [1] Let's meet"]
    for name in CONSOLE_GROUP.members:
        [item] = await inbox.take_unshown(name, now=now)
        assert item.to == CONSOLE_GROUP and item.actions == ("intro:meet:1",)
    assert await inbox.take_unshown("dee", now=now) == []
    sent = await delivery(sqlite_store)
    assert sent.channel_id == "ana,bo,cy"
    # A resend of the same delivery (recovery) finds the first post.
    ref = await messenger.send(CONSOLE_GROUP, INTRO, delivery_key=KEY)
    assert (ref.channel_id, ref.message_id) == (sent.channel_id, sent.message_id)
    assert len(printed) == 1
