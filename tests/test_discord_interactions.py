"""The Discord adapter end to end: documented interaction payloads go through
discord.py's own dispatch (command tree, dynamic items, modal routing) and
the adapter into a real core and store; answers land on a local fake Discord
REST API, where they are asserted together with the stored effect."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.discord.client import sync_commands
from adapters.discord.respond import InteractionRunner
from bot.config import CoreConfig, OrganizerRule
from bot.model import EntryKind, UserRef
from storage import SqlStore
from tests.discordkit import GUILD, discord_world, settings_for
from tests.discordkit import DiscordWorld as World
from tests.fakes.discord_api import FakeDiscordApi
from tests.fakes.discord_payloads import (
    MANAGE_EVENTS,
    DiscordPerson,
    custom_ids,
    message_from_response,
)

# Interaction callback types (Discord API reference)
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
UPDATE_MESSAGE = 7
MODAL = 9
EPHEMERAL = 64


@pytest.fixture
async def world(sqlite_store: SqlStore) -> AsyncIterator[World]:
    async with discord_world(sqlite_store) as made:
        yield made


async def test_why_then_toggle_a_reason_edits_the_message(world: World) -> None:
    aki = DiscordPerson("100000000000000001")
    shown = await world.send(aki.slash("why"))
    assert shown["type"] == CHANNEL_MESSAGE
    assert shown["data"]["flags"] & EPHEMERAL
    assert "why:toggle:skills" in custom_ids(shown)
    assert "why:done" in custom_ids(shown)

    message = message_from_response(shown, aki.channel_id)
    toggled = await world.send(aki.press("why:toggle:skills", message))
    assert toggled["type"] == UPDATE_MESSAGE
    assert "✓" in str(toggled["data"])
    member = await world.member(aki.user_id)
    assert member.reasons == ("skills",)

    typed = await world.send(aki.slash("why", reasons="1 3"))
    assert typed["type"] == CHANNEL_MESSAGE
    member = await world.member(aki.user_id)
    assert member.reasons == ("skills", "career")


async def test_step_done_opens_a_modal_and_the_submission_is_logged(world: World) -> None:
    aki = DiscordPerson("100000000000000002", locale="en-US")
    offered = await world.send(aki.slash("step", count=1))
    assert offered["type"] == CHANNEL_MESSAGE
    embed = offered["data"]["embeds"][0]
    assert embed["title"] == "A step you could take this week"
    done_ids = [c for c in custom_ids(offered) if c.startswith("step:done:")]
    assert len(done_ids) == 1
    step_id = done_ids[0].removeprefix("step:done:")

    message = message_from_response(offered, aki.channel_id)
    modal = await world.send(aki.press(done_ids[0], message))
    assert modal["type"] == MODAL
    assert modal["data"]["custom_id"] == f"journey:done:{step_id}"
    inputs = [c["components"][0]["custom_id"] for c in modal["data"]["components"]]
    assert inputs == ["note"]

    logged = await world.send(
        aki.submit(f"journey:done:{step_id}", {"note": "met two people"}, message)
    )
    assert logged["type"] == UPDATE_MESSAGE  # the suggestion becomes the confirmation
    assert "Logged:" in logged["data"]["content"]
    member = await world.member(aki.user_id)
    async with world.store.unit() as uow:
        entries = await uow.journey.list(member.id)
    done = [e for e in entries if e.kind == EntryKind.DONE]
    assert [(e.step_id, e.note) for e in done] == [(step_id, "met two people")]


async def test_done_without_arguments_answers_with_the_form(world: World) -> None:
    aki = DiscordPerson("100000000000000003")
    modal = await world.send(aki.slash("done"))
    assert modal["type"] == MODAL
    assert modal["data"]["custom_id"] == "journey:done"
    logged = await world.send(aki.submit("journey:done", {"what": "お昼を他課の人と", "note": ""}))
    assert logged["type"] == CHANNEL_MESSAGE
    assert "お昼を他課の人と" in logged["data"]["content"]


async def test_done_with_typed_options_logs_directly(world: World) -> None:
    aki = DiscordPerson("100000000000000004")
    step_id = world.core.catalog.steps[0].id
    logged = await world.send(aki.slash("done", what=step_id, note="楽しかった"))
    assert logged["type"] == CHANNEL_MESSAGE
    member = await world.member(aki.user_id)
    async with world.store.unit() as uow:
        entries = await uow.journey.list(member.id)
    assert [(e.kind, e.step_id, e.note) for e in entries] == [
        (EntryKind.DONE, step_id, "楽しかった")
    ]


async def test_bad_input_gets_a_localized_answer_with_an_example(world: World) -> None:
    aki = DiscordPerson("100000000000000005", locale="en-US")
    answer = await world.send(aki.slash("tz", zone="Mars/Olympus"))
    assert answer["type"] == CHANNEL_MESSAGE
    assert answer["data"]["flags"] & EPHEMERAL
    assert "/ippo tz America/New_York" in answer["data"]["content"]


async def test_a_slow_core_is_deferred_then_the_answer_edits_the_placeholder(
    world: World,
) -> None:
    runner = InteractionRunner(
        core=world.core, messenger=world.adapter.messenger, first_response_timeout=0.0
    )
    world.adapter.client.attach(runner)
    aki = DiscordPerson("100000000000000006", locale="en-US")
    deferred = await world.send(aki.slash("privacy"))
    assert deferred["type"] == DEFERRED_CHANNEL_MESSAGE
    assert deferred["data"]["flags"] & EPHEMERAL
    await world.api.wait_for(lambda api: bool(api.followups))
    edit = world.api.followups[0]
    assert edit["kind"] == "edit" and edit["id"] == "@original"
    assert edit["embeds"][0]["title"] == "What ippo stores"

    # A form known only after deferring cannot open: its text says so.
    await world.send(aki.slash("done"))
    await world.api.wait_for(lambda api: len(api.followups) == 2)
    assert "run the command again" in world.api.followups[1]["content"]


async def test_organizer_facts_reach_the_core_and_the_core_decides(world: World) -> None:
    """The adapter reports Manage Events and role ids; `OrganizerRule` (the
    core's) decides (a refused session command: tests/test_discord_sessions.py)."""
    seen: list[Any] = []
    original = world.core.handle

    async def spy(event: Any) -> Any:
        seen.append(event.actor)
        return await original(event)

    world.core.handle = spy  # type: ignore[method-assign]
    rule = OrganizerRule(grants=frozenset({"manage_events", "role:555"}))
    organizer = DiscordPerson("100000000000000007", permissions=MANAGE_EVENTS | 1024)
    by_role = DiscordPerson("100000000000000008", roles=["555", "556"])
    other = DiscordPerson("100000000000000009", roles=["556"])
    for person in (organizer, by_role, other):
        await world.send(person.slash("help"))
    assert "manage_events" in seen[0].grants
    assert seen[1].grants == frozenset({"role:555", "role:556"})
    assert [rule.allows(a) for a in seen] == [True, True, False]
    assert CoreConfig().organizers.allows(seen[2]) is False


async def test_dm_interactions_have_no_guild_and_no_grants(world: World) -> None:
    dm = DiscordPerson("100000000000000010", guild_id=None, channel_id="700000000000000099")
    answer = await world.send(dm.slash("help"))
    assert answer["type"] == CHANNEL_MESSAGE
    async with world.store.unit() as uow:
        member = await uow.members.get(UserRef("discord", "dm", dm.user_id))
    assert member is not None


async def test_nudge_settings_through_the_slash_command(world: World) -> None:
    aki = DiscordPerson("100000000000000011", locale="en-US")
    on = await world.send(aki.slash("nudge", args="on"))
    assert on["type"] == CHANNEL_MESSAGE
    member = await world.member(aki.user_id)
    assert member.nudge.enabled and member.next_nudge_at is not None
    when = await world.send(aki.slash("nudge", args="when fri 12:15"))
    assert when["type"] == CHANNEL_MESSAGE
    member = await world.member(aki.user_id)
    assert (member.nudge.weekday, member.nudge.time) == (4, "12:15")
    off = await world.send(aki.slash("nudge", args="off"))
    assert off["type"] == CHANNEL_MESSAGE
    member = await world.member(aki.user_id)
    assert not member.nudge.enabled


async def test_sync_registers_the_group_with_japanese_descriptions() -> None:
    async with FakeDiscordApi() as api:
        count = await sync_commands(settings_for(api), guild_id=int(GUILD))
        assert count == 1
        (group,) = api.synced_commands[GUILD]
        assert group["name"] == "ippo"
        subs = {o["name"]: o for o in group["options"]}
        assert {"why", "step", "done", "journey", "nudge", "session", "sessions"} <= set(subs)
        assert subs["step"]["description_localizations"]["ja"] == "今のあなたに合う一歩を提案"
        assert subs["done"]["options"][0]["autocomplete"] is True
