"""A feature is one declaration: `Feature(name, commands, presses, forms, work, …)`.

Each package in `bot/features/` exports one `FEATURE`; `bot.features.FEATURES`
lists them, and the core, the Dispatcher (scheduled work), help and the
platforms' command lists (Discord's app commands, Slack's help) are all
built from that list. Nothing else names a feature.

A command declares its arguments as `Arg` specs: the core still reads the
words a member typed (the console and Slack send text), and the Discord
adapter generates its typed options (names, localized descriptions, limits,
choices, autocomplete) from the same specs.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bot.actions import AnyPress, AnySubmit
from bot.scheduled import ScheduledWork

if TYPE_CHECKING:
    from bot.model import CommandInvoked, Member, Message, Reply
    from bot.router import Ctx

CommandHandler = Callable[["Ctx", "CommandInvoked"], Awaitable[list["Reply"]]]
ContactHook = Callable[["Ctx"], Awaitable["Member"]]
"""Sees every interaction first; returns the member as it now is."""
HomeView = Callable[["Ctx"], Awaitable["Message"]]

ArgKind = Literal["words", "text", "int", "choice"]
"""How a platform with typed options asks for an argument:
- "words": free text, handed to the core as its words (`args:"pause 2"`);
- "text": free text kept as one argument (a step's title, a note);
- "int": a whole number within `low`..`high`;
- "choice": one of `choices`."""

Completion = Literal["", "step", "zone"]
"""Where suggestions come from while typing: catalog steps, IANA timezones."""


@dataclass(frozen=True, slots=True)
class Arg:
    """One argument of a command, as platforms with typed options show it.

    `flag` is a word put before the value in the words the core reads
    (`/ippo journey delete:12` -> `journey delete 12`). `describe` names the
    catalog key of the option's description (default `discord.opt.<name>`).
    """

    name: str
    kind: ArgKind = "words"
    required: bool = False
    low: int | None = None
    high: int | None = None
    choices: tuple[str, ...] = ()
    flag: str = ""
    complete: Completion = ""
    describe: str = ""

    @property
    def description_key(self) -> str:
        return self.describe or f"discord.opt.{self.name}"


@dataclass(frozen=True, slots=True)
class Command:
    """A command: `/ippo <name> …`; `aliases` are other words typed for it."""

    name: str
    run: CommandHandler
    aliases: tuple[str, ...] = ()
    args: tuple[Arg, ...] = ()
    describe: str = ""
    """Catalog key of the one-line description platforms show beside the
    command (default `discord.cmd.<name>`; a new feature keeps it in its own
    catalog file, e.g. `coffee.cmd`)."""
    help: tuple[str, ...] = ()
    """Catalog keys of its lines in `/ippo help` (at least one; in the
    feature's own catalog file, e.g. `("coffee.help.on",)`)."""

    @property
    def description_key(self) -> str:
        return self.describe or f"discord.cmd.{self.name}"


@dataclass(frozen=True, slots=True)
class Feature:
    """Everything one feature adds to ippo."""

    name: str
    commands: tuple[Command, ...] = ()
    help_section: str = ""
    """Catalog key of the title of the `/ippo help` section its commands are
    listed under; features naming the same key share a section (e.g.
    `help.section.steps`), a new key brings a new section."""
    presses: tuple[AnyPress, ...] = ()
    forms: tuple[AnySubmit, ...] = ()
    contact: tuple[ContactHook, ...] = ()
    """Run before every handler of any feature: any command, press or form of
    a member is contact with ippo (e.g. an answer to the weekly nudge)."""
    fallback: CommandHandler | None = None
    """Answers an empty or unknown command (help's job; at most one feature)."""
    home: HomeView | None = None
    """The member's overview, e.g. Slack's App Home (at most one feature)."""
    work: Callable[[], ScheduledWork] = ScheduledWork
    """Makes the planners, composers and refusal handlers of the messages it
    sends on its own; called once per Dispatcher, so what they cache (a
    holiday table) belongs to that Dispatcher."""


def lazy_exports(package: str, module: str, *names: str) -> Callable[[str], object]:
    """A package's module `__getattr__` that imports `names` from `module` on
    first use (PEP 562).

    Storage imports a feature's ports (`bot.features.coffee.ports`), which
    runs its package's `__init__`; the package still exports `FEATURE`, but
    must not load the whole feature (and every module it imports) for that.
    """

    def exported(name: str) -> object:
        if name in names:
            return getattr(importlib.import_module(module), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return exported
