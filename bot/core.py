"""The core's front door: `Core.handle(event)` turns one inbound event into replies.

One event is one unit of work: the member is loaded (or created on first
contact), the feature handler runs, and the transaction commits. A `UserError`
rolls back and becomes a localized answer; any other exception rolls back,
is logged, and becomes a short apology — never a traceback to the member.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.actions import ActionIdError
from bot.catalog import Catalog
from bot.config import CoreConfig
from bot.delivery import Dispatcher
from bot.feature import Feature, HomeView
from bot.i18n import Messages, Translator
from bot.identity import as_member, member_for, resolve
from bot.model import (
    Actor,
    CommandInvoked,
    Inbound,
    Lang,
    Member,
    Message,
    Platform,
    Reply,
    Tone,
    UserRef,
)
from bot.parse import storable_event
from bot.ports import Clock, Messenger, Store, Unit
from bot.router import Ctx, Router, UserError
from bot.scheduled import ScheduledWork

log = logging.getLogger(__name__)


def lang_from_locale(locale: str | None, default: Lang) -> Lang:
    """Seed a new member's language from the platform's locale hint."""
    if locale:
        head = locale.replace("_", "-").split("-")[0].lower()
        if head == "en":
            return "en"
        if head == "ja":
            return "ja"
    return default


def valid_tz(name: str | None) -> bool:
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


async def in_their_languages(uow: Unit, replies: list[Reply], member: Member) -> list[Reply]:
    """Each reply marked with the language of the person it is for: the member
    who acted as they now are (a reply to `/ippo lang en` is in English), or
    the member a DM goes to. Channel posts keep what their feature set."""
    now = await uow.members.get_by_id(member.id)
    own = now.lang if now is not None else member.lang
    out: list[Reply] = []
    for reply in replies:
        lang = reply.message.lang
        if lang is None and reply.to is None:
            lang = own
        elif lang is None and isinstance(reply.to, UserRef):
            other = await uow.members.get(reply.to)
            lang = other.lang if other is not None else None
        out.append(replace(reply, message=replace(reply.message, lang=lang)) if lang else reply)
    return out


class Core:
    def __init__(
        self,
        *,
        store: Store,
        catalog: Catalog,
        clock: Clock,
        config: CoreConfig,
        messages: Messages,
        features: Sequence[Feature],
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.clock = clock
        self.config = config
        self.messages = messages
        self.features = tuple(features)
        self.router = Router(features)
        views = [f.home for f in features if f.home is not None]
        if len(views) > 1:
            raise ValueError("more than one feature offers the member's overview")
        self._home: HomeView | None = views[0] if views else None

    def dispatcher(
        self,
        messengers: Mapping[Platform, Messenger],
        *,
        work: ScheduledWork | None = None,
        **options: Any,
    ) -> Dispatcher:
        """The delivery engine for this core's store, clock and features
        (`work` replaces the features' scheduled work, for tests); `options`
        tune the engine (bot.delivery.Dispatcher's keywords)."""
        if work is None:
            work = ScheduledWork()
            for feature in self.features:
                work += feature.work()
        return Dispatcher(
            store=self.store,
            catalog=self.catalog,
            config=self.config,
            messages=self.messages,
            work=work,
            messengers=messengers,
            clock=self.clock,
            **options,
        )

    def translator(self, lang: Lang) -> Translator:
        return self.messages.for_lang(lang)

    async def member_for(self, uow: Unit, event: Inbound, now: datetime) -> Member:
        """The member `event` acts for (bot.identity), created on first contact."""
        actor = event.actor
        return await member_for(
            uow,
            event,
            now=now,
            default_lang=lang_from_locale(actor.locale, self.config.default_lang),
            default_tz=actor.tz if valid_tz(actor.tz) and actor.tz else self.config.default_tz,
        )

    async def handle(self, event: Inbound) -> list[Reply]:
        event = storable_event(event)
        lang: Lang = lang_from_locale(event.actor.locale, self.config.default_lang)
        try:
            async with self.store.unit() as uow:
                now = self.clock.now()
                member = await self.member_for(uow, event, now)
                lang = member.lang
                replies = await self.router.dispatch(self._ctx(uow, event, member, now))
                return await in_their_languages(uow, replies, member)
        except UserError as err:
            return [self._trouble(lang, err.key, "warning", **err.values)]
        except ActionIdError:
            return [self._trouble(lang, "errors.stale_button", "warning")]
        except Exception:
            log.exception("handler failed", extra={"event_type": type(event).__name__})
            return [self._trouble(lang, "errors.internal", "error")]

    def _ctx(self, uow: Unit, event: Inbound, member: Member, now: datetime) -> Ctx:
        return Ctx(
            event=as_member(event, member),
            member=member,
            uow=uow,
            catalog=self.catalog,
            config=self.config,
            t=self.translator(member.lang),
            messages=self.messages,
            now=now,
        )

    def _trouble(self, lang: Lang, key: str, tone: Tone, **values: object) -> Reply:
        text = self.translator(lang)(key, **values)
        return Reply(Message(text, tone=tone, ephemeral=True, lang=lang))

    async def language_of(self, actor: Actor) -> Lang:
        """The language to answer `actor` in: their member's, else what their
        platform's locale suggests (read-only: nothing is stored)."""
        async with self.store.unit() as uow:
            member = await resolve(uow, CommandInvoked(actor, None, "", (), ""))
        if member is not None:
            return member.lang
        return lang_from_locale(actor.locale, self.config.default_lang)

    async def home(self, actor: Actor) -> Message:
        """The member's overview (`bot.features.home`), e.g. Slack's App Home.

        Read-only: someone who never used ippo (or used `/ippo forget`) sees
        the overview of a fresh member, and nothing is stored about them."""
        event = CommandInvoked(actor, None, "home", (), "")
        async with self.store.unit() as uow:
            member = await resolve(uow, event) or Member(
                id=0,
                user=actor.user,
                lang=lang_from_locale(actor.locale, self.config.default_lang),
                tz=actor.tz if valid_tz(actor.tz) and actor.tz else self.config.default_tz,
                display_name=actor.display_name,
            )
            if self._home is None:
                raise LookupError("no feature offers the member's overview")
            view = await self._home(self._ctx(uow, event, member, self.clock.now()))
            return replace(view, lang=member.lang)
