"""Command, button and form routing: `Router.dispatch(ctx)` -> list[Reply].

Features register handlers by name (commands) or by route prefix (buttons and
forms, see bot.actions). The router decides nothing else.
"""

from __future__ import annotations

import shlex
import unicodedata
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.actions import ActionId
from bot.catalog import Catalog
from bot.config import CoreConfig
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


class UserError(Exception):
    """Bad input from a member: answered with a localized message, never a trace.

    `key` and `values` name a message in the catalogs; the unit of work is
    rolled back, so nothing half-written remains.
    """

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(slots=True)
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


CommandHandler = Callable[[Ctx, CommandInvoked], Awaitable[list[Reply]]]
ActionHandler = Callable[[Ctx, ActionId], Awaitable[list[Reply]]]
FormHandler = Callable[[Ctx, ActionId, Mapping[str, str]], Awaitable[list[Reply]]]
ContactHook = Callable[[Ctx], Awaitable[None]]


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
    def __init__(self) -> None:
        self._commands: dict[str, CommandHandler] = {}
        self._names: dict[str, tuple[str, ...]] = {}
        self._actions: dict[str, ActionHandler] = {}
        self._forms: dict[str, FormHandler] = {}
        self._fallback: CommandHandler | None = None
        self._contact: list[ContactHook] = []

    def command(self, name: str, handler: CommandHandler, *aliases: str) -> None:
        for key in (name, *aliases):
            if key in self._commands:
                raise ValueError(f"command {key!r} registered twice")
            self._commands[key] = handler
        self._names[name] = aliases

    def fallback(self, handler: CommandHandler) -> None:
        """Handles an empty or unknown command (help's job)."""
        self._fallback = handler

    def actions(self, feature: str, handler: ActionHandler) -> None:
        if feature in self._actions:
            raise ValueError(f"action feature {feature!r} registered twice")
        self._actions[feature] = handler

    def forms(self, feature: str, handler: FormHandler) -> None:
        if feature in self._forms:
            raise ValueError(f"form feature {feature!r} registered twice")
        self._forms[feature] = handler

    @property
    def commands(self) -> Mapping[str, tuple[str, ...]]:
        """Each command's name (the one help shows) with its aliases."""
        return dict(self._names)

    def on_contact(self, hook: ContactHook) -> None:
        """Run `hook` before every handler: any command, press or form of a
        member is contact with ippo (e.g. an answer to the weekly nudge)."""
        self._contact.append(hook)

    async def dispatch(self, ctx: Ctx) -> list[Reply]:
        for hook in self._contact:
            await hook(ctx)
        event = ctx.event
        match event:
            case CommandInvoked():
                handler = self._commands.get(event.name) or self._fallback
                if handler is None:
                    raise UserError("errors.unknown_command", name=event.name)
                return await handler(ctx, event)
            case ButtonPressed():
                route = ActionId.decode(event.action_id)
                action_handler = self._actions.get(route.feature)
                if action_handler is None:
                    raise UserError("errors.stale_button")
                return await action_handler(ctx, route)
            case FormSubmitted():
                route = ActionId.decode(event.form_id)
                form_handler = self._forms.get(route.feature)
                if form_handler is None:
                    raise UserError("errors.stale_button")
                return await form_handler(ctx, route, event.values)
