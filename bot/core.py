"""The core's front door: `Core.handle(event)` turns one inbound event into replies.

One event is one unit of work: the member is loaded (or created on first
contact), the feature handler runs, and the transaction commits. A `UserError`
rolls back and becomes a localized answer; any other exception rolls back,
is logged, and becomes a short apology — never a traceback to the member.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.actions import ActionIdError
from bot.catalog import Catalog
from bot.config import CoreConfig
from bot.features import register_all
from bot.features.home import home_view
from bot.i18n import Messages, Translator
from bot.identity import as_member, member_for, resolve
from bot.model import Actor, CommandInvoked, Inbound, Lang, Member, Message, Reply
from bot.parse import storable_event
from bot.ports import Clock, Store, Unit
from bot.router import Ctx, Router, UserError

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
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.clock = clock
        self.config = config
        self.messages = messages
        self.router = Router()
        register_all(self.router)

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
            return await home_view(ctx)
