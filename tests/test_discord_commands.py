"""Discord's `/ippo` tree is generated from the features' command specs.

Every core command (every `Command` in `FEATURES`) exists on Discord with
its options; every description it shows is in both catalogs within Discord's
limits; options map back to the words the core reads, as the hand-written
commands did. Slack's help naming every command is
tests/test_replies_settings.py::test_help_lists_every_command, over the same
`commands()` list this module checks Discord against.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, cast

import discord
import pytest
from discord import app_commands

from adapters.discord.commands import (
    DESCRIPTION_MAX,
    CommandSpecError,
    build_group,
    core_words,
)
from adapters.discord.respond import InteractionRunner
from bot.feature import Arg, Command, Feature
from bot.features import FEATURES
from bot.i18n import Messages
from bot.model import LANGS, Lang
from config.catalog_loader import default_catalog_path, load_catalog
from storage import SqlStore
from tests.discordkit import DiscordWorld, discord_world
from tests.fakes.discord_payloads import DiscordPerson
from tests.test_replies_settings import commands

AUTOCOMPLETE_RESULT = 8
ALL_COMMANDS = [command for feature in FEATURES for command in feature.commands]


@dataclass
class Said:
    """A `CommandSink` that records what reaches the core."""

    calls: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    async def command(
        self, interaction: discord.Interaction[Any], name: str, args: tuple[str, ...]
    ) -> None:
        self.calls.append((name, args))
        await interaction.response.send_message("ok")


def group(features: tuple[Feature, ...] = FEATURES) -> app_commands.Group:
    return build_group(Said(), load_catalog(default_catalog_path()), Messages.load(), features)


def option_types(command: Command) -> dict[str, discord.AppCommandOptionType]:
    kinds = {"int": discord.AppCommandOptionType.integer}
    return {a.name: kinds.get(a.kind, discord.AppCommandOptionType.string) for a in command.args}


def test_every_core_command_is_a_discord_subcommand_with_its_options() -> None:
    tree = {sub.name: sub for sub in group().commands}
    assert sorted(tree) == commands()  # the list Slack's help is checked against
    for command in ALL_COMMANDS:
        sub = tree[command.name]
        assert isinstance(sub, app_commands.Command)
        params = {p.name: p for p in sub.parameters}
        assert list(params) == sorted(params, key=lambda n: not params[n].required)
        assert {n: p.type for n, p in params.items()} == option_types(command)
        for arg in command.args:
            param = params[arg.name]
            assert param.required is arg.required
            assert [c.value for c in param.choices] == list(arg.choices)
            assert (param.min_value, param.max_value) == (arg.low, arg.high)
            assert param.autocomplete is bool(arg.complete)


@pytest.mark.parametrize("lang", LANGS)
def test_every_description_is_in_the_catalog_within_discords_limit(lang: Lang) -> None:
    t = Messages.load().for_lang(lang)
    keys = ["discord.cmd.group"]
    for command in ALL_COMMANDS:
        keys += [command.description_key, *(arg.description_key for arg in command.args)]
    assert [key for key in keys if not t.has(key)] == []
    assert [key for key in keys if not 1 <= len(t(key)) <= DESCRIPTION_MAX] == []


def test_options_map_back_to_the_words_the_core_reads() -> None:
    specs = {command.name: command for command in ALL_COMMANDS}

    def said(name: str, **values: object) -> tuple[str, ...]:
        return core_words(specs[name], values)

    assert said("why", reasons="1 3") == ("1", "3")
    assert said("why", reasons="  ") == said("why") == ()
    assert said("step", count=2) == ("2",)
    assert said("done", what="Lunch with the planning team") == ("Lunch with the planning team",)
    assert said("done", what="x", note="was fun") == ("x", "note:", "was fun")
    assert said("done", note="a note without a step") == ()
    assert said("journey", delete=12) == ("delete", "12")
    assert said("journey") == ()
    assert said("nudge", args="when fri 12:15") == ("when", "fri", "12:15")
    assert said("session", action="edit", args="3 2026-12-12") == ("edit", "3", "2026-12-12")
    assert said("session", action="list", args=None) == ("list",)
    assert said("lang", lang="en") == ("en",)
    assert said("tz", zone="America/New_York") == ("America/New_York",)


def feature_with(*args: Arg, name: str = "extra", describe: str = "", many: int = 1) -> Any:
    async def run(ctx: Any, cmd: Any) -> list[Any]:
        return []

    names = [name] if many == 1 else [f"{name}{i}" for i in range(many)]
    made = tuple(Command(n, run, args=args, describe=describe or "discord.cmd.help") for n in names)
    return (*FEATURES, Feature("extra", commands=made))


@pytest.mark.parametrize(
    ("features", "message"),
    [
        (feature_with(name="Extra"), "'Extra' is not a Discord command or option name"),
        (feature_with(name="x" * 33), "is not a Discord command or option name"),
        (feature_with(name="help"), "/ippo help is declared twice"),
        (feature_with(describe="no.such.key"), "'no.such.key' is missing from the ja catalog"),
        (feature_with(describe="help.line.done"), "Discord takes 1-100"),
        (
            feature_with(Arg("a", "choice", choices=tuple("abcdefghijklmnopqrstuvwxyz"))),
            "26 choices",
        ),
        (
            feature_with(*(Arg(f"o{i}", describe="discord.opt.args") for i in range(26))),
            "26 options",
        ),
        (feature_with(Arg("count", "text", low=1)), "low/high need kind 'int'"),
        (feature_with(Arg("zone", "int", complete="zone")), "autocomplete 'zone' needs a text"),
        (feature_with(Arg("count"), Arg("count")), "option names must differ"),
        (feature_with(many=20), "subcommands; Discord takes 25"),
    ],
)
def test_a_spec_discord_would_refuse_fails_the_build_clearly(
    features: tuple[Feature, ...], message: str
) -> None:
    with pytest.raises(CommandSpecError, match=re.escape(message)):
        group(features)


# --------------------------------------------------------------------------- replayed payloads


@pytest.fixture
async def world(sqlite_store: SqlStore) -> AsyncIterator[tuple[DiscordWorld, Said]]:
    async with discord_world(sqlite_store) as made:
        said = Said()
        made.adapter.client.attach(cast(InteractionRunner, said))
        yield made, said


async def test_typed_options_reach_the_core_as_its_words(world: tuple[DiscordWorld, Said]) -> None:
    made, said = world
    aki = DiscordPerson("900000000000000001")
    await made.send(aki.slash("journey", delete=12))
    await made.send(aki.slash("done", what="Lunch with the planning team", note="fun"))
    await made.send(aki.slash("session", action="cancel", args="3 2026-12-10"))
    await made.send(aki.slash("sessions"))
    assert said.calls == [
        ("journey", ("delete", "12")),
        ("done", ("Lunch with the planning team", "note:", "fun")),
        ("session", ("cancel", "3", "2026-12-10")),
        ("sessions", ()),
    ]


def typing_into(person: DiscordPerson, sub: str, option: str, current: str) -> dict[str, Any]:
    """An APPLICATION_COMMAND_AUTOCOMPLETE (type 4) while `option` is focused."""
    payload = person.slash(sub, **{option: current})
    payload["type"] = 4
    payload["data"]["options"][0]["options"][0]["focused"] = True
    return payload


async def test_autocomplete_offers_steps_and_zones(world: tuple[DiscordWorld, Said]) -> None:
    made, _ = world
    aki = DiscordPerson("900000000000000001", locale="en-US")
    step = made.core.catalog.steps[0]
    steps = await made.send(typing_into(aki, "done", "what", step.id))
    assert steps["type"] == AUTOCOMPLETE_RESULT
    assert {"name": step.title("en"), "value": step.id} in steps["data"]["choices"]
    zones = await made.send(typing_into(aki, "tz", "zone", "new_y"))
    assert zones["data"]["choices"] == [{"name": "America/New_York", "value": "America/New_York"}]
