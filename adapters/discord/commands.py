"""The `/ippo` app command group: one subcommand per core command.

Each subcommand only flattens Discord's typed options into the words the
core's command takes (`/ippo step count:2` -> `step 2`) and hands them to the
`CommandSink`; validation and answers stay in the core. Autocomplete offers
catalog steps for `/ippo done` and IANA names for `/ippo tz`.

Descriptions are English by default (Discord's default locale) and Japanese
for the `ja` locale, both from `bot/i18n/*/discord.toml` through
`CatalogTranslator`.
"""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any, Literal, Protocol

import discord
from discord import app_commands
from discord.app_commands import locale_str

from bot.catalog import Catalog
from bot.core import lang_from_locale
from bot.i18n import Messages
from bot.model import Lang

AUTOCOMPLETE_MAX = 25
CHOICE_NAME_MAX = 100


class CommandSink(Protocol):
    async def command(
        self, interaction: discord.Interaction[Any], name: str, args: tuple[str, ...]
    ) -> None: ...


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


def words(*values: str | int | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values if v is not None and str(v).strip())


def build_group(sink: CommandSink, catalog: Catalog, messages: Messages) -> app_commands.Group:
    def d(key: str) -> locale_str:
        return text(f"discord.cmd.{key}", messages)

    def o(key: str) -> locale_str:
        return text(f"discord.opt.{key}", messages)

    group = app_commands.Group(name="ippo", description=d("group"))

    @group.command(name="help", description=d("help"))
    async def help_(interaction: discord.Interaction[Any]) -> None:
        await sink.command(interaction, "help", ())

    @group.command(name="home", description=d("home"))
    async def home(interaction: discord.Interaction[Any]) -> None:
        await sink.command(interaction, "home", ())

    @group.command(name="why", description=d("why"))
    @app_commands.describe(reasons=o("reasons"))
    async def why(interaction: discord.Interaction[Any], reasons: str | None = None) -> None:
        await sink.command(interaction, "why", tuple((reasons or "").split()))

    @group.command(name="step", description=d("step"))
    @app_commands.describe(count=o("count"))
    async def step(
        interaction: discord.Interaction[Any], count: app_commands.Range[int, 1, 3] | None = None
    ) -> None:
        await sink.command(interaction, "step", words(count))

    @group.command(name="done", description=d("done"))
    @app_commands.describe(what=o("what"), note=o("note"))
    async def done(
        interaction: discord.Interaction[Any], what: str | None = None, note: str | None = None
    ) -> None:
        # The core reads a note after "note:" (bot.features.journey.note_mark),
        # so what was done keeps all its words.
        said = words(what, "note:", note) if note else words(what)
        await sink.command(interaction, "done", said if what else ())

    @done.autocomplete("what")
    async def done_what(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        lang = lang_from_locale(interaction.locale.value, "en")
        return step_choices(catalog, lang, current)

    @group.command(name="journey", description=d("journey"))
    @app_commands.describe(delete=o("delete"))
    async def journey(interaction: discord.Interaction[Any], delete: int | None = None) -> None:
        await sink.command(interaction, "journey", words("delete", delete) if delete else ())

    @group.command(name="nudge", description=d("nudge"))
    @app_commands.describe(args=o("args"))
    async def nudge(interaction: discord.Interaction[Any], args: str | None = None) -> None:
        await sink.command(interaction, "nudge", tuple((args or "").split()))

    @group.command(name="session", description=d("session"))
    @app_commands.describe(action=o("session_action"), args=o("session_args"))
    async def session(
        interaction: discord.Interaction[Any],
        action: Literal["add", "edit", "cancel", "move", "list", "lang"],
        args: str | None = None,
    ) -> None:
        await sink.command(interaction, "session", (action, *(args or "").split()))

    @group.command(name="sessions", description=d("sessions"))
    @app_commands.describe(args=o("args"))
    async def sessions(interaction: discord.Interaction[Any], args: str | None = None) -> None:
        await sink.command(interaction, "sessions", tuple((args or "").split()))

    @group.command(name="lang", description=d("lang"))
    @app_commands.describe(lang=o("lang"))
    async def lang(interaction: discord.Interaction[Any], lang: Literal["ja", "en"]) -> None:
        await sink.command(interaction, "lang", (lang,))

    @group.command(name="tz", description=d("tz"))
    @app_commands.describe(zone=o("zone"))
    async def tz(interaction: discord.Interaction[Any], zone: str | None = None) -> None:
        await sink.command(interaction, "tz", words(zone))

    @tz.autocomplete("zone")
    async def tz_zone(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

    @group.command(name="privacy", description=d("privacy"))
    async def privacy(interaction: discord.Interaction[Any]) -> None:
        await sink.command(interaction, "privacy", ())

    @group.command(name="forget", description=d("forget"))
    async def forget(interaction: discord.Interaction[Any]) -> None:
        await sink.command(interaction, "forget", ())

    return group
