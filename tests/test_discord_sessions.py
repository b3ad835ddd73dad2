"""Sessions through Discord: `/ippo session add` as an organizer (a modal of
five inputs, the preview, a second modal for the seats, Save), the
announcement posted by the dispatcher to the fake REST API, an RSVP pressed
on it, and a member without organizer rights refused by the core."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.config import CoreConfig, OrganizerRule
from bot.features.sessions.model import RsvpStatus
from bot.model import FORM_INPUTS_MAX, UserRef
from bot.testing import Harness
from storage import SqlStore
from tests.discordkit import GUILD, discord_world
from tests.discordkit import DiscordWorld as World
from tests.fakes.discord_api import message_json
from tests.fakes.discord_payloads import (
    MANAGE_EVENTS,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    DiscordPerson,
    custom_ids,
    message_from_response,
)
from tests.sessionkit import add_session

CHANNEL = "700000000000000002"
CHANNEL_MESSAGE = 4
UPDATE_MESSAGE = 7
MODAL = 9
EPHEMERAL = 64
WEEK_BEFORE = datetime(2026, 12, 5, 5, 0, tzinfo=UTC)  # 7 days before 12 Dec 14:00 JST


@pytest.fixture
async def world(sqlite_store: SqlStore) -> AsyncIterator[World]:
    config = CoreConfig(organizers=OrganizerRule(grants=frozenset({"manage_events"})))
    async with discord_world(sqlite_store, config=config) as made:
        yield made


async def sessions(world: World) -> list[Any]:
    async with world.store.unit() as uow:
        return list(await uow.sessions.in_workspace("discord", GUILD))


def modal_inputs(response: dict[str, Any]) -> dict[str, str]:
    """The text inputs of a MODAL callback: custom_id -> prefilled value."""
    rows = response["data"]["components"]
    inputs = [row["components"][0] for row in rows]
    return {i["custom_id"]: i.get("value", "") for i in inputs}


def organizer() -> DiscordPerson:
    return DiscordPerson(
        "100000000000000101",
        name="org",
        locale="en-US",
        permissions=VIEW_CHANNEL | SEND_MESSAGES | MANAGE_EVENTS,
    )


async def test_organizer_adds_a_session_in_two_modals_and_a_member_rsvps(world: World) -> None:
    org = organizer()
    opened = await world.send(org.slash("session", action="add"))
    assert opened["type"] == MODAL
    assert opened["data"]["custom_id"] == "session:new"
    basics = modal_inputs(opened)
    assert len(basics) <= FORM_INPUTS_MAX
    assert set(basics) == {"title", "start", "duration", "place", "description"}
    assert basics["duration"] == "90"

    preview = await world.send(
        org.submit(
            "session:new",
            {**basics, "title": "Open data study", "start": "2026-12-12 14:00", "place": "3F"},
        )
    )
    assert preview["type"] == CHANNEL_MESSAGE and preview["data"]["flags"] & EPHEMERAL
    ids = custom_ids(preview)
    seats_id = next(i for i in ids if i.endswith(".seats"))
    assert any(i.startswith("session:save:") for i in ids)
    assert await sessions(world) == []  # nothing saved before Save

    shown = message_from_response(preview, org.channel_id)
    seats_modal = await world.send(org.press(seats_id, shown))
    assert seats_modal["type"] == MODAL
    assert set(modal_inputs(seats_modal)) == {"capacity", "cost", "rung"}
    updated = await world.send(
        org.submit(seats_id, {"capacity": "12", "cost": "free", "rung": "1"}, shown)
    )
    assert updated["type"] == UPDATE_MESSAGE  # the preview is replaced, not repeated
    assert "12" in str(updated["data"]["embeds"])
    save_id = next(i for i in custom_ids(updated) if i.startswith("session:save:"))
    saved = await world.send(org.press(save_id, message_from_response(updated, org.channel_id)))
    assert "Open data study" in str(saved["data"])

    (session,) = await sessions(world)
    assert session.title == "Open data study" and session.fields.capacity == 12
    assert session.channel.id == CHANNEL and session.fields.place == "3F"

    # A week before, the dispatcher announces it in the channel.
    world.clock.set(WEEK_BEFORE)
    report = await world.dispatcher().tick()
    assert report.sent.sent == 1
    (post,) = world.api.channel_messages(CHANNEL)
    going = next(i for i in custom_ids({"data": post.payload}) if i.startswith("rsvp:going:"))

    aki = DiscordPerson("100000000000000102", locale="en-US")
    answered = await world.send(aki.press(going, message_json(post)))
    assert answered["type"] == UPDATE_MESSAGE  # the post's counts change in place
    # the channel's language (the deployment's default, ja), not the organizer's or aki's
    assert "参加1人" in str(answered["data"]["embeds"])
    async with world.store.unit() as uow:
        member = await uow.members.get(UserRef("discord", GUILD, aki.user_id))
        assert member is not None
        rsvp = await uow.sessions.rsvp(session.id, session.fields.start, member.id)
    assert rsvp is not None and rsvp.status is RsvpStatus.GOING


async def test_a_member_without_organizer_rights_is_refused_by_the_core(world: World) -> None:
    aki = DiscordPerson("100000000000000103", locale="en-US", roles=["556"])
    refused = await world.send(aki.slash("session", action="add"))
    assert refused["type"] == CHANNEL_MESSAGE  # an answer, not a form
    assert refused["data"]["flags"] & EPHEMERAL
    assert "organizer" in refused["data"]["content"].lower()

    # Submitting the form's route directly (a forged or stale modal) is refused too.
    forged = await world.send(
        aki.submit("session:new", {"title": "Mine", "start": "2026-12-12 14:00"})
    )
    assert "organizer" in forged["data"]["content"].lower()
    assert await sessions(world) == []


async def test_a_channel_ippo_may_not_post_in_is_explained_to_the_organizer_once(
    world: World,
) -> None:
    """Discord answers a post in a channel where ippo lacks View Channel or
    Send Messages with 403 Missing Access (50001): the session's organizer
    gets one DM saying what to ask a server admin, in their language."""
    harness = Harness(world.core, platform="discord", workspace=GUILD)
    org = harness.member(
        "100000000000000109", locale="en-US", grants=frozenset({"manage_events"}), channel=CHANNEL
    )
    await add_session(org, {"title": "Open data study", "start": "2026-12-12 14:00"})
    world.api.refuse_channel[CHANNEL] = 50001
    world.clock.set(WEEK_BEFORE)
    report = await world.dispatcher().tick()
    assert report.sent.failed == 1
    world.clock.set(WEEK_BEFORE + timedelta(minutes=1))
    await world.dispatcher().tick()
    dm = world.api.dm_channels[org.actor.user.id]
    (told,) = world.api.channel_messages(dm)
    text = str(told.payload)
    assert "Open data study" in text and "View Channel and Send Messages" in text
    world.clock.set(WEEK_BEFORE + timedelta(days=6))  # the day-before post is refused too
    await world.dispatcher().tick()
    world.clock.set(WEEK_BEFORE + timedelta(days=6, minutes=1))
    await world.dispatcher().tick()
    assert len(world.api.channel_messages(dm)) == 1  # told once
