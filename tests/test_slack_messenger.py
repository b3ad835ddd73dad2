"""SlackMessenger against the fake Slack Web API: DMs and channel posts,
edits, the delivery key in metadata and recovery by it, Slack errors mapped to
Transient/Permanent failures, and the pace kept under Slack's limits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.slack.messenger import SlackMessenger, make_client
from bot.model import Button, ChannelRef, Message, UserRef
from bot.ports import PermanentFailure, TransientFailure
from tests.fakes.slack_api import FakeSlackApi

AKI = UserRef("slack", "T0001", "UAKI")
CHANNEL = ChannelRef("slack", "T0001", "C0042")
NUDGE = Message("Try one thing this week?", buttons=(Button("Skip", "nudge:skip:1"),))


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    async with FakeSlackApi(
        users={"UAKI": {"locale": "ja-JP", "tz": "Asia/Tokyo", "is_owner": True}}
    ) as api:
        yield api


@pytest.fixture
def messenger(fake: FakeSlackApi) -> SlackMessenger:
    return SlackMessenger(client=make_client("xoxb-test", fake.api_url))


async def test_dm_goes_to_the_user_id_with_the_delivery_key(
    fake: FakeSlackApi, messenger: SlackMessenger
) -> None:
    ref = await messenger.send(AKI, NUDGE, delivery_key="nudge:1:2026-W48")
    [call] = fake.calls_to("chat.postMessage")
    assert call["channel"] == "UAKI"
    assert call["text"] == "Try one thing this week?"
    assert call["metadata"] == {
        "event_type": "ippo_delivery",
        "event_payload": {"key": "nudge:1:2026-W48"},
    }
    assert call["blocks"][-1]["elements"][0]["value"] == "nudge:skip:1"
    assert ref.channel_id == "DAKI" and ref.workspace == "T0001" and ref.message_id


async def test_channel_post_and_update(fake: FakeSlackApi, messenger: SlackMessenger) -> None:
    ref = await messenger.send(CHANNEL, Message("Study group on Friday"))
    await messenger.update(ref, Message("Study group moved to Monday"))
    [update] = fake.calls_to("chat.update")
    assert update["channel"] == "C0042" and update["ts"] == ref.message_id
    assert fake.history["C0042"][0]["text"] == "Study group moved to Monday"


async def test_find_delivered_looks_up_the_key_in_history(
    fake: FakeSlackApi, messenger: SlackMessenger
) -> None:
    since = datetime.now(UTC) - timedelta(minutes=5)
    await messenger.send(AKI, NUDGE, delivery_key="nudge:1:2026-W47")
    sent = await messenger.send(AKI, NUDGE, delivery_key="nudge:1:2026-W48")
    found = await messenger.find_delivered(AKI, "nudge:1:2026-W48", since)
    assert found == sent
    assert await messenger.find_delivered(AKI, "nudge:1:2026-W49", since) is None
    [history, *_] = fake.calls_to("conversations.history")
    assert history["channel"] == "DAKI"
    assert history["include_all_metadata"] in ("1", "true", "True")
    channel_ref = await messenger.send(CHANNEL, NUDGE, delivery_key="announce:7:week")
    assert await messenger.find_delivered(CHANNEL, "announce:7:week", since) == channel_ref
    later = datetime.now(UTC) + timedelta(minutes=5)
    assert await messenger.find_delivered(CHANNEL, "announce:7:week", later) is None


async def test_rate_limit_is_retried_after_retry_after(
    fake: FakeSlackApi, messenger: SlackMessenger
) -> None:
    fake.rate_limit("chat.postMessage", times=1, retry_after=0)
    await messenger.send(AKI, NUDGE)
    assert len(fake.calls_to("chat.postMessage")) == 2


async def test_rate_limit_beyond_retries_is_transient_with_retry_after(
    fake: FakeSlackApi, messenger: SlackMessenger
) -> None:
    fake.rate_limit("chat.postMessage", times=2, retry_after=0)
    with pytest.raises(TransientFailure) as caught:
        await messenger.send(AKI, NUDGE)
    assert caught.value.retry_after == 0


async def test_server_error_is_transient(fake: FakeSlackApi, messenger: SlackMessenger) -> None:
    fake.server_error("chat.postMessage", status=503)
    with pytest.raises(TransientFailure):
        await messenger.send(AKI, NUDGE)


@pytest.mark.parametrize(
    ("error", "unreachable"),
    [
        ("user_not_found", True),
        ("account_inactive", True),
        ("cannot_dm_bot", True),
        ("channel_not_found", False),
        ("not_in_channel", False),
        ("is_archived", False),
    ],
)
async def test_refusals_are_permanent(
    fake: FakeSlackApi, messenger: SlackMessenger, error: str, unreachable: bool
) -> None:
    fake.refuse("UAKI", error)
    with pytest.raises(PermanentFailure) as caught:
        await messenger.send(AKI, NUDGE)
    assert caught.value.reason == error
    assert caught.value.unreachable_member is unreachable


async def test_user_facts_seed_locale_timezone_and_admin(messenger: SlackMessenger) -> None:
    who = await messenger.user("T0001", "UAKI")
    assert (who.locale, who.tz, who.admin) == ("ja-JP", "Asia/Tokyo", True)


async def test_pace_keeps_under_the_per_channel_limit() -> None:
    async with FakeSlackApi(enforce_pace=True, per_channel_per_second=20) as fake:
        messenger = SlackMessenger(
            client=make_client("xoxb-test", fake.api_url, rate_limit_retries=0),
            per_channel_per_second=20,
        )
        for _ in range(4):
            await messenger.send(CHANNEL, Message("hello"))
        assert len(fake.calls_to("chat.postMessage")) == 4


async def test_fake_enforces_the_pace_when_unpaced() -> None:
    async with FakeSlackApi(enforce_pace=True) as fake:
        messenger = SlackMessenger(
            client=make_client("xoxb-test", fake.api_url, rate_limit_retries=0),
            per_channel_per_second=1000,
        )
        await messenger.send(CHANNEL, Message("one"))
        with pytest.raises(TransientFailure) as caught:
            await messenger.send(CHANNEL, Message("two"))
        assert caught.value.reason == "ratelimited"
