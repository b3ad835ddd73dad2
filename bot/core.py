"""The core's front door: `Core.handle(event)` turns one inbound event into replies.

One event is one unit of work: the member is loaded (or created on first
contact), the feature handler runs, and the transaction commits. A `UserError`
rolls back and becomes a localized answer; any other exception rolls back,
is logged, and becomes a short apology — never a traceback to the member.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
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
from bot.model import Actor, CommandInvoked, Inbound, Lang, Member, Message, Platform, Reply
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
                ctx = Ctx(
                    event=as_member(event, member),
                    member=member,
                    uow=uow,
                    catalog=self.catalog,
                    config=self.config,
                    t=self.translator(member.lang),
                    messages=self.messages,
                    now=now,
                )
                return await self.router.dispatch(ctx)
        except UserError as err:
            t = self.translator(lang)
            return [Reply(Message(t(err.key, **err.values), tone="warning", ephemeral=True))]
        except ActionIdError:
            t = self.translator(lang)
            return [Reply(Message(t("errors.stale_button"), tone="warning", ephemeral=True))]
        except Exception:
            log.exception("handler failed", extra={"event_type": type(event).__name__})
            t = self.translator(lang)
            return [Reply(Message(t("errors.internal"), tone="error", ephemeral=True))]

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
            ctx = Ctx(
                event=as_member(event, member),
                member=member,
                uow=uow,
                catalog=self.catalog,
                config=self.config,
                t=self.translator(member.lang),
                messages=self.messages,
                now=self.clock.now(),
            )
            if self._home is None:
                raise LookupError("no feature offers the member's overview")
            return await self._home(ctx)
