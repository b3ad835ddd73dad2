"""The rest of the Slack conversation through signed requests: weekly nudge
settings and a nudge DM answered with one tap, and a session added by an
admin in two modals, announced by the dispatcher and answered with an RSVP.
Everything goes through the HTTP app and lands on the fake Web API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.slack.app import SlackAdapter
from bot.config import CoreConfig, OrganizerRule
from bot.delivery import TickReport
from bot.features.sessions.model import RsvpStatus
from bot.model import Member, UserRef
from bot.testing import FixedClock
from config.settings import Settings
from storage import SqlStore
from tests.corekit import START, build_core, build_dispatcher
from tests.fakes.slack_api import FakeSlackApi, button_ids
from tests.fakes.slack_requests import (
    FORM,
    block_action,
    signed_headers,
    slash_command,
    view_submission,
)

SECRET = "test-signing-secret"
CHANNEL = "C0001"
USERS = {
    "UAKI": {"locale": "en-US", "tz": "Asia/Tokyo", "profile": {"display_name": "Aki"}},
    "UBOSS": {"locale": "en-US", "tz": "Asia/Tokyo", "is_admin": True},
}
WEEK_BEFORE = datetime(2026, 12, 5, 5, 0, tzinfo=UTC)  # 7 days before 12 Dec 14:00 JST


@dataclass
class Slack:
    fake: FakeSlackApi
    http: TestClient[Any, Any]
    adapter: SlackAdapter
    store: SqlStore
    clock: FixedClock

    async def post(self, body: str) -> int:
        headers = signed_headers(SECRET, body, FORM)
        response = await self.http.post("/slack/events", data=body, headers=headers)
        await self.adapter.drain()
        return response.status

    async def command(self, text: str, user: str, name: str) -> dict[str, Any]:
        url = self.fake.response_url(name)
        assert await self.post(slash_command(text, user=user, response_url=url)) == 200
        return self.fake.responses[name][-1] if self.fake.responses[name] else {}

    async def press(
        self, action_id: str, user: str, name: str, *, channel: str | None = CHANNEL
    ) -> dict[str, Any]:
        url = self.fake.response_url(name)
        body = block_action(action_id, user=user, channel=channel, response_url=url)
        assert await self.post(body) == 200
        return self.fake.responses[name][-1] if self.fake.responses[name] else {}

    def last_modal(self) -> dict[str, Any]:
        view: dict[str, Any] = self.fake.calls_to("views.open")[-1]["view"]
        return view

    async def submit(self, view: dict[str, Any], values: dict[str, str], user: str) -> int:
        typed = {**initial_values(view), **values}
        body = view_submission(
            view["callback_id"], typed, user=user, private_metadata=view["private_metadata"]
        )
        return await self.post(body)

    async def tick(self, at: datetime) -> TickReport:
        self.clock.set(at)
        dispatcher = build_dispatcher(self.adapter.core, {"slack": self.adapter.messenger})
        return await dispatcher.tick(at)

    async def member(self, user: str) -> Member:
        async with self.store.unit() as uow:
            found = await uow.members.get(UserRef("slack", "T0001", user))
        assert found is not None
        return found


@pytest.fixture
async def slack(sqlite_store: SqlStore) -> AsyncIterator[Slack]:
    async with FakeSlackApi(users=USERS) as fake:
        settings = Settings(
            slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=fake.api_url
        )
        clock = FixedClock(START)
        config = CoreConfig(organizers=OrganizerRule(grants=frozenset({"workspace_admin"})))
        core = build_core(sqlite_store, clock=clock, config=config)
        adapter = SlackAdapter(core=core, store=sqlite_store, settings=settings, serve_http=False)
        async with TestClient(TestServer(adapter.web_app())) as http:
            yield Slack(fake, http, adapter, sqlite_store, clock)
            await adapter.stop()


def initial_values(view: dict[str, Any]) -> dict[str, str]:
    """What a modal's inputs hold before anyone types: block id -> initial value."""
    out: dict[str, str] = {}
    for block in view["blocks"]:
        if block["type"] == "input":
            out[block["block_id"]] = block["element"].get("initial_value", "")
    return out


async def test_nudge_settings_then_a_nudge_dm_stopped_with_one_tap(slack: Slack) -> None:
    on = await slack.command("nudge on", "UAKI", "on")
    assert on["response_type"] == "ephemeral"
    when = await slack.command("nudge when fri 12:15", "UAKI", "when")
    assert "12:15" in when["text"]
    member = await slack.member("UAKI")
    assert member.nudge.enabled and (member.nudge.weekday, member.nudge.time) == (4, "12:15")
    assert member.next_nudge_at is not None

    report = await slack.tick(member.next_nudge_at + timedelta(minutes=1))
    assert report.sent.sent == 1
    (dm,) = [c for c in slack.fake.calls_to("chat.postMessage") if c["channel"] == "UAKI"]
    assert dm["metadata"]["event_type"] == "ippo_delivery"  # for crash recovery
    ids = button_ids(dm)
    assert "nudge:stop" in ids and "nudge:skip" in ids

    stopped = await slack.press("nudge:stop", "UAKI", "stop", channel="DAKI")
    assert stopped["replace_original"] is True
    assert not (await slack.member("UAKI")).nudge.enabled
    later = await slack.tick(member.next_nudge_at + timedelta(days=7, minutes=1))
    assert later.planned == 0 and later.sent.sent == 0


async def test_admin_adds_a_session_in_two_modals_and_a_member_rsvps(slack: Slack) -> None:
    await slack.command("session add", "UBOSS", "add")
    basics = slack.last_modal()
    assert basics["callback_id"] == "session:new"
    assert list(initial_values(basics)) == ["title", "start", "duration", "place", "description"]
    status = await slack.submit(
        basics, {"title": "Open data study", "start": "2026-12-12 14:00"}, "UBOSS"
    )
    assert status == 200
    preview = slack.fake.responses["add"][-1]  # the slash command's response_url
    assert preview["response_type"] == "ephemeral"
    seats = next(i for i in button_ids(preview) if i.endswith(".seats"))

    await slack.press(seats, "UBOSS", "preview")
    seats_view = slack.last_modal()
    assert list(initial_values(seats_view)) == ["capacity", "cost", "rung"]
    assert await slack.submit(seats_view, {"capacity": "12"}, "UBOSS") == 200
    updated = slack.fake.responses["preview"][-1]
    assert updated["replace_original"] is True  # the same preview, now with the seats
    assert "12" in json.dumps(updated)
    save = next(i for i in button_ids(updated) if i.startswith("session:save:"))
    saved = await slack.press(save, "UBOSS", "preview")
    assert "Open data study" in saved["text"]

    report = await slack.tick(WEEK_BEFORE)
    assert report.sent.sent == 1
    (post,) = [c for c in slack.fake.calls_to("chat.postMessage") if c["channel"] == CHANNEL]
    going = next(i for i in button_ids(post) if i.startswith("rsvp:going:"))

    await slack.press(going, "UAKI", "rsvp")
    aki = await slack.member("UAKI")
    async with slack.store.unit() as uow:
        (session,) = await uow.sessions.in_workspace("slack", "T0001")
        rsvp = await uow.sessions.rsvp(session.id, session.fields.start, aki.id)
    assert session.fields.capacity == 12
    assert rsvp is not None and rsvp.status is RsvpStatus.GOING


async def test_a_member_who_is_not_an_admin_gets_no_session_form(slack: Slack) -> None:
    refused = await slack.command("session add", "UAKI", "refused")
    assert "Only organizers" in refused["text"]
    assert slack.fake.calls_to("views.open") == []


async def test_an_expired_response_url_falls_back_to_an_ephemeral_post(slack: Slack) -> None:
    await slack.command("done", "UAKI", "done")
    view = slack.last_modal()
    metadata = json.loads(view["private_metadata"])
    metadata["response_url"] = f"{slack.fake.base_url}/expired"  # Slack answers 404 then
    view = {**view, "private_metadata": json.dumps(metadata)}
    assert await slack.submit(view, {"what": "Lunch with another team"}, "UAKI") == 200
    (posted,) = slack.fake.calls_to("chat.postEphemeral")
    assert posted["channel"] == CHANNEL and posted["user"] == "UAKI"
    assert "Lunch with another team" in posted["text"]


async def test_a_channel_ippo_was_not_invited_to_is_explained_to_the_organizer_once(
    slack: Slack,
) -> None:
    await slack.command("session add", "UBOSS", "add")
    await slack.submit(
        slack.last_modal(), {"title": "Open data study", "start": "2026-12-12 14:00"}, "UBOSS"
    )
    preview = slack.fake.responses["add"][-1]
    assert "/invite @ippo" in json.dumps(preview)  # said in advance, in the preview
    save = next(i for i in button_ids(preview) if i.startswith("session:save:"))
    await slack.press(save, "UBOSS", "preview")

    slack.fake.refuse(CHANNEL, "not_in_channel")
    report = await slack.tick(WEEK_BEFORE)
    assert report.sent.failed == 1
    await slack.tick(WEEK_BEFORE + timedelta(minutes=1))  # the DM to the organizer goes out
    dms = [c for c in slack.fake.calls_to("chat.postMessage") if c["channel"] == "UBOSS"]
    assert len(dms) == 1
    assert "Open data study" in dms[0]["text"] and "/invite @ippo" in dms[0]["text"]
    assert f"#{CHANNEL}" in dms[0]["text"]

    # The day-before announcement is refused too: the organizer is not told again.
    report = await slack.tick(WEEK_BEFORE + timedelta(days=6))
    await slack.tick(WEEK_BEFORE + timedelta(days=6, minutes=1))
    dms = [c for c in slack.fake.calls_to("chat.postMessage") if c["channel"] == "UBOSS"]
    assert len(dms) == 1
