"""The Slack adapter end to end: signed requests posted to the HTTP app exactly
as Slack sends them, a real core on SQLite, and a fake Slack Web API whose
recorded calls are what we assert on."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.slack.app import SlackAdapter
from bot.model import Message, UserRef
from config.settings import Settings
from storage import SqlStore
from tests.corekit import build_core
from tests.fakes.slack_api import FakeSlackApi, button_ids
from tests.fakes.slack_requests import (
    FORM,
    block_action,
    event_callback,
    signed_headers,
    slash_command,
    view_submission,
)

SECRET = "test-signing-secret"
USERS = {
    "UAKI": {
        "locale": "en-US",
        "tz": "Europe/London",
        "profile": {"display_name": "Aki"},
    },
    "UBOSS": {"locale": "ja-JP", "tz": "Asia/Tokyo", "is_admin": True},
}


@dataclass
class Slack:
    fake: FakeSlackApi
    http: TestClient[Any, Any]
    adapter: SlackAdapter
    store: SqlStore

    async def post(self, body: str, *, content_type: str = FORM, **sign: Any) -> int:
        headers = signed_headers(SECRET, body, content_type, **sign)
        response = await self.http.post("/slack/events", data=body, headers=headers)
        await self.adapter.drain()
        return response.status

    async def command(self, text: str, user: str = "UAKI", name: str = "r") -> list[Any]:
        url = self.fake.response_url(name)
        status = await self.post(slash_command(text, user=user, response_url=url))
        assert status == 200
        return self.fake.responses[name]

    async def press(self, action_id: str, user: str = "UAKI", name: str = "r") -> list[Any]:
        url = self.fake.response_url(name)
        status = await self.post(block_action(action_id, user=user, response_url=url))
        assert status == 200
        return self.fake.responses[name]


@pytest.fixture
async def slack(sqlite_store: SqlStore) -> AsyncIterator[Slack]:
    async with FakeSlackApi(users=USERS) as fake:
        settings = Settings(
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
        )
        adapter = SlackAdapter(
            core=build_core(sqlite_store), store=sqlite_store, settings=settings, serve_http=False
        )
        async with TestClient(TestServer(adapter.web_app())) as http:
            yield Slack(fake, http, adapter, sqlite_store)
            await adapter.stop()


def all_text(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


async def test_full_conversation_why_step_done(slack: Slack) -> None:
    # /ippo why: the reasons as buttons, answered ephemerally through response_url
    [why] = await slack.command("why", name="why")
    assert why["response_type"] == "ephemeral"
    toggles = [a for a in button_ids(why) if a.startswith("why:toggle:")]
    assert toggles and "why:done" in button_ids(why)
    assert "Your reasons for connecting" in why["text"]  # users.info locale en-US -> English

    # pressing a reason replaces the message, now showing it ticked
    [_, ticked] = await slack.press(toggles[0], name="why")
    assert ticked["replace_original"] is True
    assert "✓" in all_text(ticked)
    [*_, done] = await slack.press("why:done", name="why")
    assert "Your reasons:" in done["text"]

    # /ippo step: a suggestion with the four step buttons
    [step] = await slack.command("step", name="step")
    step_ids = button_ids(step)
    assert [a.split(":")[1] for a in step_ids] == ["try", "another", "easier", "done"]
    step_id = step_ids[0].split(":", 2)[2]

    # "Done it" opens a modal with the interaction's trigger id
    await slack.press(f"step:done:{step_id}", name="step")
    [opened] = slack.fake.calls_to("views.open")
    assert opened["trigger_id"] == "trigger-2"
    view = opened["view"]
    assert view["callback_id"] == f"journey:done:{step_id}"
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == ["note"]
    assert json.loads(view["private_metadata"]) == {
        "channel": "C0001",
        "response_url": slack.fake.response_url("step"),
    }

    # submitting it logs the step; the suggestion becomes the confirmation,
    # for the member alone
    body = view_submission(
        view["callback_id"],
        {"note": "Nice people"},
        user="UAKI",
        private_metadata=view["private_metadata"],
    )
    assert await slack.post(body) == 200
    logged = slack.fake.responses["step"][-1]
    assert logged["replace_original"] is True and logged["response_type"] == "ephemeral"
    assert "Logged:" in logged["text"]
    async with slack.store.unit() as uow:
        member = await uow.members.get(UserRef("slack", "T0001", "UAKI"))
        assert member is not None
        assert member.lang == "en" and member.tz == "Europe/London"
        assert member.display_name == "Aki"
        notes = [e.note for e in await uow.journey.list(member.id) if e.note]
    assert notes == ["Nice people"]

    # /ippo journey shows it
    [journey] = await slack.command("journey", name="journey")
    assert "Steps taken so far: 1" in journey["text"]

    # the App Home was refreshed after each interaction, for that member only
    published = slack.fake.calls_to("views.publish")
    assert len(published) == 7
    assert {p["user_id"] for p in published} == {"UAKI"}
    assert published[-1]["view"]["type"] == "home"
    assert "Your ippo" in all_text(published[-1]["view"])


async def test_users_info_is_asked_once_per_user(slack: Slack) -> None:
    await slack.command("help")
    await slack.command("help")
    assert len(slack.fake.calls_to("users.info")) == 1


async def test_command_reply_in_japanese_for_ja_locale(slack: Slack) -> None:
    [answer] = await slack.command("step 9", user="UBOSS")
    assert answer["response_type"] == "ephemeral"
    assert "1〜3の数字" in answer["text"]


async def test_done_without_args_opens_a_modal_from_the_slash_command(slack: Slack) -> None:
    await slack.command("done")
    [opened] = slack.fake.calls_to("views.open")
    assert opened["trigger_id"] == "trigger-1"
    inputs = [b["block_id"] for b in opened["view"]["blocks"] if b["type"] == "input"]
    assert inputs == ["what", "note"]
    assert opened["view"]["close"]["text"] == "Cancel"


async def test_view_submission_without_channel_answers_in_dm(slack: Slack) -> None:
    body = view_submission(
        "journey:done", {"what": "Lunch with the planning team", "note": ""}, user="UAKI"
    )
    assert await slack.post(body) == 200
    [dm] = slack.fake.calls_to("chat.postMessage")
    assert dm["channel"] == "UAKI"
    assert "Lunch with the planning team" in dm["text"]


async def test_home_button_answers_in_dm(slack: Slack) -> None:
    body = block_action("home:why", user="UAKI", channel=None, response_url=None)
    assert await slack.post(body) == 200
    [dm] = slack.fake.calls_to("chat.postMessage")
    assert dm["channel"] == "UAKI"
    assert any(a.startswith("why:toggle:") for a in button_ids(dm))


async def test_select_option_routes_its_value(slack: Slack) -> None:
    url = slack.fake.response_url("sel")
    body = block_action("ippo-choices", user="UAKI", response_url=url, selected="journey:show")
    assert await slack.post(body) == 200
    [answer] = slack.fake.responses["sel"]
    assert "Your journey" in answer["text"]


async def test_app_home_opened_publishes_without_creating_a_member(slack: Slack) -> None:
    event = {"type": "app_home_opened", "user": "UAKI", "channel": "DAKI", "tab": "home"}
    body = event_callback(event, event_id="Ev1")
    assert await slack.post(body, content_type="application/json") == 200
    # Slack's retry of the same event is acknowledged and ignored
    assert await slack.post(body, content_type="application/json") == 200
    [published] = slack.fake.calls_to("views.publish")
    assert published["user_id"] == "UAKI"
    blocks = published["view"]["blocks"]
    assert blocks[0]["type"] == "header"
    assert any(a == "step:more" for a in button_ids(published["view"]))
    async with slack.store.unit() as uow:
        assert await uow.members.count() == 0


async def test_forget_then_home_does_not_recreate_the_member(slack: Slack) -> None:
    await slack.command("help")
    await slack.press("privacy:forget-yes")
    async with slack.store.unit() as uow:
        assert await uow.members.count() == 0


@pytest.mark.parametrize(
    "sign",
    [
        {"secret": "not-the-secret"},
        {"timestamp": 1_600_000_000},  # far older than five minutes
    ],
    ids=["bad-signature", "stale-timestamp"],
)
async def test_bad_or_stale_signature_is_refused_and_changes_nothing(
    slack: Slack, sign: dict[str, Any]
) -> None:
    body = slash_command("why 1", user="UAKI", response_url=slack.fake.response_url("x"))
    headers = signed_headers(
        sign.get("secret", SECRET), body, FORM, timestamp=sign.get("timestamp")
    )
    response = await slack.http.post("/slack/events", data=body, headers=headers)
    await slack.adapter.drain()
    assert response.status == 401
    assert [c.method for c in slack.fake.calls] == []
    assert slack.fake.responses == {}
    async with slack.store.unit() as uow:
        assert await uow.members.count() == 0


async def test_healthz(slack: Slack) -> None:
    response = await slack.http.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"ok": True}


async def test_http_mode_start_listens_on_the_configured_port(sqlite_store: SqlStore) -> None:
    import socket

    import aiohttp

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with FakeSlackApi() as fake:
        settings = Settings(
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
            http_host="127.0.0.1",
            http_port=port,
        )
        adapter = SlackAdapter(core=build_core(sqlite_store), store=sqlite_store, settings=settings)
        await adapter.start()
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"http://127.0.0.1:{port}/healthz") as response,
            ):
                assert response.status == 200
        finally:
            await adapter.stop()


async def test_web_api_calls_share_one_connection(sqlite_store: SqlStore) -> None:
    """Sends reuse a kept-alive connection (no new connection, on Slack a TLS
    handshake, per message), and stopping closes it."""
    async with FakeSlackApi(users=USERS) as fake:
        settings = Settings(
            slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=fake.api_url
        )
        adapter = SlackAdapter(
            core=build_core(sqlite_store), store=sqlite_store, settings=settings, serve_http=False
        )
        await adapter.open_connections()
        session = adapter.client.session
        assert session is not None
        for user in ("UAKI", "UAKI", "UAKI"):
            await adapter.messenger.send(UserRef("slack", "T0001", user), Message("hello"))
        assert len(fake.calls) >= 3 and len(fake.client_ports) == 1
        await adapter.stop()
        assert session.closed and adapter.client.session is None
