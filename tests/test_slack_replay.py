"""Slack requests are handled at most once, and only when Slack signed them.

Signed requests go to the HTTP app exactly as Slack sends them (a real core
on SQLite, the fake Slack Web API). Each adapter is given the store's
`SqlRequestLedger`, as `ippo run` does:
- a byte-identical replay (within the five minutes, or marked
  `X-Slack-Retry-Num`) is acknowledged with 200 and an empty body and
  changes nothing — also when it reaches another instance on the database;
- an Events API retry (a new signature, the same `event_id`) is dropped;
- a malformed `X-Slack-Request-Timestamp` or signature answers 401 and
  changes nothing, and no request body is ever logged;
- what a member types in the bot's DM (`message.im`) is the command it names,
  answered in that DM.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.runtime.clock import SystemClock
from adapters.slack.app import SlackAdapter
from bot.model import EntryKind, UserRef
from config.settings import Settings
from storage import SqlStore
from storage.seen_requests import SqlRequestLedger
from tests.corekit import build_core
from tests.fakes.slack_api import FakeSlackApi, button_ids
from tests.fakes.slack_requests import (
    FORM,
    event_callback,
    signed_headers,
    slash_command,
    view_submission,
)

SECRET = "test-signing-secret"
JSON = "application/json"
USERS = {"UAKI": {"locale": "en-US", "tz": "Asia/Tokyo", "profile": {"display_name": "Aki"}}}
AKI = UserRef("slack", "T0001", "UAKI")


@dataclass
class Instance:
    """One `ippo run` serving Slack's HTTP requests."""

    http: TestClient[Any, Any]
    adapter: SlackAdapter

    async def post(self, body: str, headers: dict[str, str]) -> tuple[int, str]:
        response = await self.http.post("/slack/events", data=body, headers=headers)
        text = await response.text()
        await self.adapter.drain()
        return response.status, text


@dataclass
class World:
    fake: FakeSlackApi
    store: SqlStore
    one: Instance
    two: Instance  # a second instance on the same database

    async def done_entries(self) -> int:
        async with self.store.unit() as uow:
            member = await uow.members.get(AKI)
            if member is None:
                return 0
            entries = await uow.journey.list(member.id)
        return sum(1 for e in entries if e.kind is EntryKind.DONE)

    async def members(self) -> int:
        async with self.store.unit() as uow:
            return await uow.members.count()


@asynccontextmanager
async def instance(fake: FakeSlackApi, store: SqlStore) -> AsyncIterator[Instance]:
    settings = Settings(
        slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=fake.api_url
    )
    adapter = SlackAdapter(
        core=build_core(store),
        store=store,
        settings=settings,
        serve_http=False,
        ledger=SqlRequestLedger(store.engine, clock=SystemClock()),
    )
    async with TestClient(TestServer(adapter.web_app())) as http:
        try:
            yield Instance(http, adapter)
        finally:
            await adapter.stop()


@pytest.fixture
async def world(sqlite_store: SqlStore) -> AsyncIterator[World]:
    async with (
        FakeSlackApi(users=USERS) as fake,
        instance(fake, sqlite_store) as one,
        instance(fake, sqlite_store) as two,
    ):
        yield World(fake, sqlite_store, one, two)


def work_calls(world: World) -> int:
    """Web API calls made for handling requests: all but Bolt's `auth.test`,
    which an instance makes (once) before its first listener runs. A replay
    to another instance is acknowledged by its listener, and only then found
    in the shared ledger (adapters.slack.app), so that instance may have
    made it for the replay."""
    return sum(1 for call in world.fake.calls if call.method != "auth.test")


def done_command(world: World) -> str:
    return slash_command(
        "done Lunch with the planning team", user="UAKI", response_url=world.fake.response_url("d")
    )


# --------------------------------------------------------------------------- replays


async def test_a_replayed_slash_command_changes_nothing(world: World) -> None:
    body = done_command(world)
    headers = signed_headers(SECRET, body, FORM)
    assert await world.one.post(body, headers) == (200, "")
    assert await world.done_entries() == 1
    calls, answers = work_calls(world), len(world.fake.responses["d"])

    assert await world.one.post(body, headers) == (200, "")  # the same bytes again
    assert await world.done_entries() == 1
    assert work_calls(world) == calls  # no users.info, no views.publish
    assert len(world.fake.responses["d"]) == answers  # no second answer


async def test_a_replay_to_another_instance_changes_nothing(world: World) -> None:
    body = done_command(world)
    headers = signed_headers(SECRET, body, FORM)
    assert (await world.one.post(body, headers))[0] == 200
    calls = work_calls(world)
    assert await world.two.post(body, headers) == (200, "")
    assert await world.done_entries() == 1
    assert work_calls(world) == calls


async def test_a_replay_marked_as_a_retry_changes_nothing(world: World) -> None:
    body = done_command(world)
    headers = signed_headers(SECRET, body, FORM)
    assert (await world.one.post(body, headers))[0] == 200
    retry = {**headers, "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert await world.one.post(body, retry) == (200, "")
    assert await world.two.post(body, {**retry, "X-Slack-Retry-Num": "2"}) == (200, "")
    assert await world.done_entries() == 1


async def test_the_same_command_signed_anew_is_a_new_request(world: World) -> None:
    """Only the signed request is deduped, not what it says: a member who
    logs the same thing twice (two requests, two timestamps) logs it twice."""
    body = done_command(world)
    assert (await world.one.post(body, signed_headers(SECRET, body, FORM)))[0] == 200
    later = signed_headers(SECRET, body, FORM, timestamp=int(time_now()) + 1)
    assert (await world.one.post(body, later))[0] == 200
    assert await world.done_entries() == 2


async def test_a_replayed_view_submission_changes_nothing(world: World) -> None:
    body = view_submission(
        "journey:done", {"what": "Lunch with the planning team", "note": ""}, user="UAKI"
    )
    headers = signed_headers(SECRET, body, FORM)
    assert await world.one.post(body, headers) == (200, "")
    assert await world.done_entries() == 1
    posted = len(world.fake.calls_to("chat.postMessage"))
    assert posted == 1
    assert await world.one.post(body, headers) == (200, "")
    assert await world.two.post(body, headers) == (200, "")
    assert await world.done_entries() == 1
    assert len(world.fake.calls_to("chat.postMessage")) == posted


async def test_an_events_api_retry_is_dropped_by_its_event_id(world: World) -> None:
    """Slack's retry of an event is a new request (new timestamp, new
    signature) with the same event_id: handled once, by either instance."""
    event = dm_event("step")
    body = event_callback(event, event_id="EvSTEP1")
    assert (await world.one.post(body, signed_headers(SECRET, body, JSON)))[0] == 200
    retry = signed_headers(SECRET, body, JSON, timestamp=int(time_now()) + 2)
    retry |= {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert await world.two.post(body, retry) == (200, "")
    assert len(world.fake.calls_to("chat.postMessage")) == 1


# --------------------------------------------------------------------------- bad signatures


@pytest.mark.parametrize(
    "timestamp",
    ["abc", "", "1e9", "9" * 40, "9" * 5000, "-1", " 1700000000", "１７００００００００", "17_0"],
    ids=[
        "letters",
        "empty",
        "exponent",
        "huge",
        "enormous",
        "negative",
        "space",
        "fullwidth",
        "us",
    ],
)
async def test_a_malformed_timestamp_is_refused_and_changes_nothing(
    world: World, timestamp: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = done_command(world)
    headers = signed_headers(SECRET, body, FORM)
    headers["X-Slack-Request-Timestamp"] = timestamp
    response = await world.one.http.post("/slack/events", data=body, headers=headers)
    await world.one.adapter.drain()
    assert response.status == 401
    assert await response.json() == {"error": "invalid request"}
    assert world.fake.calls == [] and dict(world.fake.responses) == {}
    assert await world.members() == 0
    assert "planning" not in caplog.text and SECRET not in caplog.text  # no body, no secret


@pytest.mark.parametrize(
    "signature",
    ["", "v0=", "v0=xyz", "v1=" + "0" * 64, "v0=" + "é" * 64, "v0=" + "A" * 64],
    ids=["empty", "bare", "short", "version", "non-ascii", "upper"],
)
async def test_a_malformed_signature_is_refused_and_changes_nothing(
    world: World, signature: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = done_command(world)
    headers = signed_headers(SECRET, body, FORM) | {"X-Slack-Signature": signature}
    response = await world.one.http.post("/slack/events", data=body, headers=headers)
    await world.one.adapter.drain()
    assert response.status == 401
    assert world.fake.calls == []
    assert await world.members() == 0
    assert "planning" not in caplog.text


async def test_a_wrong_signature_is_refused_without_logging_the_body(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = done_command(world)
    headers = signed_headers("not-the-secret", body, FORM)
    assert (await world.one.post(body, headers))[0] == 401
    assert await world.members() == 0
    assert "planning" not in caplog.text
    # a refused request is not remembered: the genuine one still goes through
    assert (await world.one.post(body, signed_headers(SECRET, body, FORM)))[0] == 200
    assert await world.done_entries() == 1


# --------------------------------------------------------------------------- the Messages tab


def dm_event(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": "DAKI",
        "channel_type": "im",
        "user": "UAKI",
        "text": text,
        "ts": "1700000000.000100",
        "event_ts": "1700000000.000100",
        **extra,
    }


async def typed(world: World, event: dict[str, Any], event_id: str) -> int:
    body = event_callback(event, event_id=event_id)
    status, _ = await world.one.post(body, signed_headers(SECRET, body, JSON))
    return status


@pytest.mark.parametrize("text", ["step", "ippo step", "/ippo step", "Step", "<@UBOT> step"])
async def test_step_typed_in_the_dm_is_answered_in_the_dm(world: World, text: str) -> None:
    assert await typed(world, dm_event(text), "EvTYPED") == 200
    [answer] = world.fake.calls_to("chat.postMessage")
    assert answer["channel"] == "UAKI"  # the member's DM with the bot
    assert [a.split(":")[1] for a in button_ids(answer)] == ["try", "another", "easier", "done"]


async def test_help_typed_in_the_dm_is_answered(world: World) -> None:
    assert await typed(world, dm_event("help"), "EvHELP") == 200
    [answer] = world.fake.calls_to("chat.postMessage")
    assert answer["channel"] == "UAKI"
    assert "/ippo" in answer["text"] or "step" in answer["text"]


async def test_done_with_words_typed_in_the_dm_logs_it(world: World) -> None:
    text = 'done "Lunch with the planning team &amp; friends"'
    assert await typed(world, dm_event(text), "EvDONE") == 200
    [answer] = world.fake.calls_to("chat.postMessage")
    assert answer["channel"] == "UAKI"
    assert "Lunch with the planning team" in answer["text"]
    async with world.store.unit() as uow:
        member = await uow.members.get(AKI)
        assert member is not None
        [entry] = await uow.journey.list(member.id)
    assert entry.text == "Lunch with the planning team & friends"  # Slack's escape undone


async def test_a_form_asked_for_in_the_dm_says_to_use_the_slash_command(world: World) -> None:
    """ "done" alone asks for a form; Slack opens none without a trigger id."""
    assert await typed(world, dm_event("done"), "EvFORM") == 200
    assert world.fake.calls_to("views.open") == []
    [answer] = world.fake.calls_to("chat.postMessage")
    assert answer["channel"] == "UAKI"
    assert "/ippo done" in answer["text"]


@pytest.mark.parametrize(
    "event",
    [
        dm_event("step", user="UBOT"),  # the bot's own message
        dm_event("step", bot_id="B0001", user="UOTHERBOT"),  # another bot's
        dm_event("step", subtype="bot_message", bot_id="B0001"),
        dm_event("step", subtype="message_changed"),  # an edit
        dm_event("step", subtype="message_deleted"),
        dm_event("step", subtype="file_share"),
        dm_event("step", channel_type="channel", channel="C0001"),  # not a DM
        dm_event("   "),
    ],
    ids=["own", "other-bot", "bot-message", "edit", "deletion", "file", "channel", "blank"],
)
async def test_other_messages_are_not_answered(world: World, event: dict[str, Any]) -> None:
    assert await typed(world, event, "EvOTHER") == 200
    assert world.fake.calls_to("chat.postMessage") == []
    assert await world.members() == 0


def time_now() -> float:
    import time

    return time.time()
