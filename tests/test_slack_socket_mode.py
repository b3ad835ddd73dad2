"""Socket Mode (internal installs, no public URL): the adapter opens a
connection with `apps.connections.open`, acknowledges each envelope Slack
pushes, and answers through the interaction's response_url — the same
conversation as over HTTP, against the fake Web API and its WebSocket."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl

import pytest

from adapters.slack.app import SlackAdapter
from bot.model import UserRef
from config.settings import Settings
from storage import SqlStore
from tests.corekit import build_core
from tests.fakes.slack_api import FakeSlackApi, button_ids
from tests.fakes.slack_requests import block_action, slash_command


@pytest.fixture
async def socket_mode(sqlite_store: SqlStore) -> AsyncIterator[tuple[FakeSlackApi, SlackAdapter]]:
    async with FakeSlackApi(users={"UAKI": {"locale": "en-US", "tz": "Asia/Tokyo"}}) as fake:
        settings = Settings(
            slack_bot_token="xoxb-test", slack_app_token="xapp-1-test", slack_api_url=fake.api_url
        )
        assert not settings.slack_http_mode
        adapter = SlackAdapter(core=build_core(sqlite_store), store=sqlite_store, settings=settings)
        await adapter.start()
        try:
            yield fake, adapter
        finally:
            await adapter.stop()


async def answered(fake: FakeSlackApi, name: str, count: int = 1) -> list[Any]:
    await fake.wait_for(lambda: len(fake.responses[name]) >= count)
    return fake.responses[name]


async def test_commands_and_buttons_arrive_over_the_socket(
    socket_mode: tuple[FakeSlackApi, SlackAdapter], sqlite_store: SqlStore
) -> None:
    fake, adapter = socket_mode
    url = fake.response_url("s")
    command = dict(parse_qsl(slash_command("step", user="UAKI", response_url=url)))
    ack = await fake.push(
        {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": command,
        }
    )
    assert ack["envelope_id"] == "env-1"
    [step] = await answered(fake, "s")
    assert step["response_type"] == "ephemeral"
    another = next(a for a in button_ids(step) if a.startswith("step:another:"))
    assert fake.calls_to("apps.connections.open"), "never asked for a socket URL"

    action = block_action(another, user="UAKI", response_url=url)
    payload = json.loads(dict(parse_qsl(action))["payload"])
    await fake.push({"envelope_id": "env-2", "type": "interactive", "payload": payload})
    [_, replaced] = await answered(fake, "s", 2)
    assert replaced["replace_original"] is True

    await adapter.drain()
    async with sqlite_store.unit() as uow:
        member = await uow.members.get(UserRef("slack", "T0001", "UAKI"))
    assert member is not None and member.lang == "en"
