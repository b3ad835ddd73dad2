"""Command, button and form routing: `Router.dispatch(ctx)` -> list[Reply].

The router is built from the features' declarations (bot.feature): commands
by name and alias, buttons and forms by their typed route (bot.actions). It
decides nothing else.
"""

from __future__ import annotations

import shlex
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

from bot.actions import ActionId, AnyPress, AnySubmit
from bot.catalog import Catalog
from bot.config import CoreConfig
from bot.feature import CommandHandler, ContactHook, Feature
from bot.i18n import Messages, Translator
from bot.model import (
    ButtonPressed,
    CommandInvoked,
    FormSubmitted,
    Inbound,
    Lang,
    Member,
    Reply,
)
from bot.ports import Unit

_H = TypeVar("_H")


class UserError(Exception):
    """Bad input from a member: answered with a localized message, never a trace.

    `key` and `values` name a message in the catalogs; the unit of work is
    rolled back, so nothing half-written remains.
    """

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True, slots=True)
class Ctx:
    """Everything a handler needs for one interaction, inside one transaction."""

    event: Inbound
    member: Member
    uow: Unit
    catalog: Catalog
    config: CoreConfig
    t: Translator
    messages: Messages
    now: datetime

    @property
    def lang(self) -> Lang:
        return self.t.lang


def split_command(text: str) -> tuple[str, tuple[str, ...]]:
    """ "step 2" -> ("step", ("2",)); quotes group words; a leading "/ippo" is dropped.

    Unbalanced quotes fall back to plain whitespace splitting rather than failing.
    A full-width space separates words as a space does, and the command name is
    read in any width ("／ｉｐｐｏ　ｎｕｄｇｅ" is "/ippo nudge").
    """
    text = text.replace("\u3000", " ")
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    if words and _word(words[0]) in ("/ippo", "ippo"):
        words = words[1:]
    if not words:
        return "", ()
    return _word(words[0]), tuple(words[1:])


def _word(word: str) -> str:
    return unicodedata.normalize("NFKC", word).lower()


class Router:
    """Finds the handler of an event among the features' declarations.

    Built once from the features; a command name, alias or route declared by
    two features is a mistake found at start, not a stale button at run time."""

    def __init__(self, features: Sequence[Feature]) -> None:
        self._commands: dict[str, CommandHandler] = {}
        self._presses: dict[tuple[str, str], AnyPress] = {}
        self._forms: dict[tuple[str, str], AnySubmit] = {}
        self._contact: list[ContactHook] = []
        self._fallback: CommandHandler | None = None
        for feature in features:
            self._add(feature)

    def _add(self, feature: Feature) -> None:
        for command in feature.commands:
            for word in (command.name, *command.aliases):
                if word in self._commands:
                    raise ValueError(f"command {word!r} declared twice ({feature.name})")
                self._commands[word] = command.run
        for press in feature.presses:
            _put(self._presses, (press.route.feature, press.route.verb), press, feature.name)
        for form in feature.forms:
            _put(self._forms, (form.route.feature, form.route.verb), form, feature.name)
        self._contact.extend(feature.contact)
        if feature.fallback is not None:
            if self._fallback is not None:
                raise ValueError(f"a second fallback command ({feature.name})")
            self._fallback = feature.fallback

    async def dispatch(self, ctx: Ctx) -> list[Reply]:
        for hook in self._contact:
            ctx = replace(ctx, member=await hook(ctx))
        event = ctx.event
        match event:
            case CommandInvoked():
                handler = self._commands.get(event.name) or self._fallback
                if handler is None:
                    raise UserError("errors.unknown_command", name=event.name)
                return await handler(ctx, event)
            case ButtonPressed():
                press, pressed = _route(self._presses, event.action_id)
                return await press(ctx, pressed)
            case FormSubmitted():
                form, submitted = _route(self._forms, event.form_id)
                return await form(ctx, submitted, event.values)


def _route(table: dict[tuple[str, str], _H], raw: str) -> tuple[_H, ActionId]:
    """The handler of a pressed or submitted id, and the id decoded; an id no
    feature declares (an old message's button) is stale."""
    action = ActionId.decode(raw)
    handler = table.get((action.feature, action.verb))
    if handler is None:
        raise UserError("errors.stale_button")
    return handler, action


def _put(table: dict[tuple[str, str], _H], key: tuple[str, str], value: _H, owner: str) -> None:
    if key in table:
        raise ValueError(f"route {':'.join(key)!r} declared twice ({owner})")
    table[key] = value
