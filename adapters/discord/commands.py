"""The `/ippo` app command group, generated from the features' commands.

Every `Command` in `bot.features.FEATURES` becomes one subcommand; its `Arg`
specs become typed options (str, int with min/max, fixed choices,
autocomplete). Nothing here names a feature: a new command appears on
Discord from its declaration alone.

Each subcommand only flattens Discord's typed options back into the words the
core's command reads (`core_words`: `/ippo step count:2` -> `step 2`) and
hands them to the `CommandSink`; validation and answers stay in the core.

discord.py reads a command's options from its callback's signature, so each
subcommand gets one generic callback whose `__signature__` lists the options
(a supported override: `inspect.signature` honours it), plus discord.py's own
`describe`, `choices` and `autocomplete` decorators. Descriptions are English
by default (Discord's default locale) and Japanese for the `ja` locale, both
from the catalogs through `CatalogTranslator`. Discord's limits are checked
while building (`CommandSpecError`), not discovered at sync time.
"""

from __future__ import annotations

import inspect
import re
import zoneinfo
from collections.abc import Callable, Coroutine, Mapping, Sequence
from functools import cache
from typing import Any, Protocol

import discord
from discord import app_commands
from discord.app_commands import locale_str

from bot.catalog import Catalog
from bot.core import lang_from_locale
from bot.feature import Arg, Command, Completion, Feature
from bot.features import FEATURES
from bot.i18n import Messages
from bot.model import LANGS, Lang

GROUP = "ippo"
GROUP_DESCRIPTION = "discord.cmd.group"

# Discord's limits for chat-input commands (its API reference, "Application Commands").
NAME = re.compile(r"[-_'\w]{1,32}")
DESCRIPTION_MAX = 100
CHOICE_MAX = 100  # a choice's name, and a string choice's value
MANY_MAX = 25  # options of a command, subcommands of a group, choices of an option
COMMAND_CHARS_MAX = 4000  # names, descriptions and choices of one top-level command, per locale

AUTOCOMPLETE_MAX = MANY_MAX
CHOICE_NAME_MAX = CHOICE_MAX

Completer = Callable[
    [discord.Interaction[Any], str], Coroutine[Any, Any, list[app_commands.Choice[str]]]
]


class CommandSink(Protocol):
    async def command(
        self, interaction: discord.Interaction[Any], name: str, args: tuple[str, ...]
    ) -> None: ...


class CommandSpecError(ValueError):
    """A command declaration Discord would refuse, found while building the tree."""


def text(key: str, messages: Messages) -> locale_str:
    """A command string: English by default, translated per locale on sync."""
    return locale_str(messages.for_lang("en")(key), key=key)


class CatalogTranslator(app_commands.Translator):
    """Command descriptions in Japanese for Discord's `ja` locale."""

    def __init__(self, messages: Messages) -> None:
        self._messages = messages

    async def translate(
        self,
        string: locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        if locale is not discord.Locale.japanese or not key:
            return None
        t = self._messages.for_lang("ja")
        return t(key) if t.has(key) else None


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def zone_choices(current: str) -> list[app_commands.Choice[str]]:
    needle = current.strip().lower()
    found = [z for z in _zones() if needle in z.lower()] if needle else ["Asia/Tokyo", "UTC"]
    return [app_commands.Choice(name=z, value=z) for z in found[:AUTOCOMPLETE_MAX]]


def step_choices(catalog: Catalog, lang: Lang, current: str) -> list[app_commands.Choice[str]]:
    needle = current.strip().lower()
    out: list[app_commands.Choice[str]] = []
    for step in catalog.steps:
        title = step.title(lang)
        if needle and needle not in title.lower() and needle not in step.id:
            continue
        out.append(app_commands.Choice(name=title[:CHOICE_NAME_MAX], value=step.id))
        if len(out) == AUTOCOMPLETE_MAX:
            break
    return out


def completers(catalog: Catalog) -> dict[Completion, Completer]:
    """Where each kind of suggestion comes from while a member types."""

    async def steps(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return step_choices(catalog, lang_from_locale(interaction.locale.value, "en"), current)

    async def zones(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

    return {"step": steps, "zone": zones}


def core_words(command: Command, values: Mapping[str, object]) -> tuple[str, ...]:
    """The words the core reads for the options a member filled in.

    In declaration order: a "words" option is split into words, any other
    stays one word, and a `flag` goes before its value (`journey delete:12`
    -> `delete 12`; `done what:x note:y` -> `x note: y`). Blank options count
    as not given. A flagged option qualifies the plain ones: when a command
    has plain options and none is given, nothing is passed (a note without a
    step means `/ippo done` with its form, as typed on Slack).
    """
    given = {
        arg.name: str(value)
        for arg in command.args
        if (value := values.get(arg.name)) is not None and str(value).strip()
    }
    plain = [arg.name for arg in command.args if not arg.flag]
    if plain and not given.keys() & set(plain):
        return ()
    out: list[str] = []
    for arg in command.args:
        if arg.name not in given:
            continue
        if arg.flag:
            out.append(arg.flag)
        value = given[arg.name]
        out.extend(value.split() if arg.kind == "words" else (value,))
    return tuple(out)


def _described(key: str, messages: Messages, where: str) -> locale_str:
    """The description under `key`, checked in every language."""
    for lang in LANGS:
        t = messages.for_lang(lang)
        if not t.has(key):
            raise CommandSpecError(
                f"{where}: description {key!r} is missing from the {lang} catalog"
            )
        if not 1 <= len(t(key)) <= DESCRIPTION_MAX:
            raise CommandSpecError(
                f"{where}: description {key!r} in {lang} is {len(t(key))} characters; "
                f"Discord takes 1-{DESCRIPTION_MAX}"
            )
    return text(key, messages)


def _check_name(name: str, where: str) -> None:
    if not NAME.fullmatch(name) or name != name.lower():
        raise CommandSpecError(
            f"{where}: {name!r} is not a Discord command or option name "
            "(1-32 lowercase letters, digits, - or _)"
        )


def _check_arg(arg: Arg, where: str, known: Mapping[Completion, Completer]) -> None:
    _check_name(arg.name, where)
    if arg.kind == "choice":
        if not 1 <= len(arg.choices) <= MANY_MAX:
            raise CommandSpecError(f"{where}: {len(arg.choices)} choices; Discord takes 1-25")
        if any(not 1 <= len(choice) <= CHOICE_MAX for choice in arg.choices):
            raise CommandSpecError(f"{where}: a choice is longer than {CHOICE_MAX} characters")
    elif arg.choices:
        raise CommandSpecError(f"{where}: choices need kind 'choice', not {arg.kind!r}")
    if (arg.low is not None or arg.high is not None) and arg.kind != "int":
        raise CommandSpecError(f"{where}: low/high need kind 'int', not {arg.kind!r}")
    if arg.complete and (arg.complete not in known or arg.kind not in ("words", "text")):
        raise CommandSpecError(
            f"{where}: autocomplete {arg.complete!r} needs a text option and one of {sorted(known)}"
        )


def _annotation(arg: Arg) -> Any:
    """The type discord.py turns into the option's type and limits."""
    if arg.kind != "int":
        return str
    if arg.low is None and arg.high is None:
        return int
    return app_commands.Range[int, arg.low, arg.high]


def _callback(command: Command, sink: CommandSink) -> Callable[..., Coroutine[Any, Any, None]]:
    """One subcommand's callback: its signature lists the command's options
    (keyword-only, so required and optional ones may come in any order)."""

    async def run(interaction: discord.Interaction[Any], **values: object) -> None:
        await sink.command(interaction, command.name, core_words(command, values))

    params = [
        inspect.Parameter(
            "interaction",
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=discord.Interaction,
        ),
        *(
            inspect.Parameter(
                arg.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_annotation(arg),
                default=inspect.Parameter.empty if arg.required else None,
            )
            for arg in command.args
        ),
    ]
    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return run


def subcommand(
    command: Command,
    sink: CommandSink,
    messages: Messages,
    known: Mapping[Completion, Completer],
) -> app_commands.Command[Any, ..., None]:
    """`/ippo <command.name>`, with its options, checked against Discord's limits."""
    where = f"/{GROUP} {command.name}"
    _check_name(command.name, where)
    if len(command.args) > MANY_MAX:
        raise CommandSpecError(f"{where}: {len(command.args)} options; Discord takes 25")
    if len({arg.name for arg in command.args}) < len(command.args) or any(
        arg.name == "interaction" for arg in command.args
    ):
        raise CommandSpecError(f"{where}: option names must differ (and not be 'interaction')")
    callback = _callback(command, sink)
    for arg in command.args:
        at = f"{where} {arg.name}"
        _check_arg(arg, at, known)
        app_commands.describe(**{arg.name: _described(arg.description_key, messages, at)})(callback)
        if arg.choices:
            options = [app_commands.Choice(name=c, value=c) for c in arg.choices]
            app_commands.choices(**{arg.name: options})(callback)
        if arg.complete:
            app_commands.autocomplete(**{arg.name: known[arg.complete]})(callback)
    return app_commands.Command(
        name=command.name,
        description=_described(command.description_key, messages, where),
        callback=callback,
    )


def _check_size(commands: Sequence[Command], messages: Messages) -> None:
    """Discord counts the names, descriptions and choices of a top-level
    command with all its subcommands, in each locale."""
    if len(commands) > MANY_MAX:
        raise CommandSpecError(f"/{GROUP}: {len(commands)} subcommands; Discord takes 25")
    for lang in LANGS:
        t = messages.for_lang(lang)
        size = len(GROUP) + len(t(GROUP_DESCRIPTION))
        for command in commands:
            size += len(command.name) + len(t(command.description_key))
            for arg in command.args:
                size += len(arg.name) + len(t(arg.description_key))
                size += 2 * sum(len(choice) for choice in arg.choices)  # name and value
        if size > COMMAND_CHARS_MAX:
            raise CommandSpecError(
                f"/{GROUP} in {lang}: {size} characters of names, descriptions and choices; "
                f"Discord takes {COMMAND_CHARS_MAX}"
            )


def build_group(
    sink: CommandSink,
    catalog: Catalog,
    messages: Messages,
    features: Sequence[Feature] = FEATURES,
) -> app_commands.Group:
    """`/ippo` with one subcommand per command of `features`, in their order."""
    commands = [command for feature in features for command in feature.commands]
    names = [command.name for command in commands]
    for twice in sorted({name for name in names if names.count(name) > 1}):
        raise CommandSpecError(f"/{GROUP} {twice} is declared twice")
    known = completers(catalog)
    group = app_commands.Group(
        name=GROUP, description=_described(GROUP_DESCRIPTION, messages, f"/{GROUP}")
    )
    subcommands = [subcommand(command, sink, messages, known) for command in commands]
    _check_size(commands, messages)
    for each in subcommands:
        group.add_command(each)
    return group
