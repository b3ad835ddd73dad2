"""A core, a dispatcher and a fake messenger on one clock, for session tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.config import CoreConfig, OrganizerRule
from bot.delivery import Dispatcher
from bot.features import scheduled_work
from bot.model import ChannelRef, Reply
from bot.sessions.model import Session
from bot.testing import FakeMessenger, FixedClock, Harness, Person, texts
from storage import SqlStore
from tests.corekit import START, build_core

CHANNEL = "C-study"
CONFIG = CoreConfig(
    organizers=OrganizerRule(user_ids=frozenset({"console:org", "console:orgen"})),
    public_base_url="https://ippo.example.org",
)


@dataclass
class World:
    store: SqlStore
    clock: FixedClock
    harness: Harness
    messenger: FakeMessenger
    dispatcher: Dispatcher

    async def tick(self, at: datetime | None = None) -> None:
        if at is not None:
            self.clock.set(at)
        await self.dispatcher.tick(self.clock.now(), budget_s=30)

    def posts(self, channel: str = CHANNEL) -> list[str]:
        return [s.message.text for s in self.messenger.to_channel(channel)]

    async def session(self, session_id: int) -> Session:
        async with self.store.unit() as uow:
            found = await uow.sessions.get(session_id)
        assert found is not None
        return found


def make_world(store: SqlStore, *, config: CoreConfig = CONFIG) -> World:
    clock = FixedClock(START)
    core = build_core(store, clock=clock, config=config)
    messenger = FakeMessenger()
    dispatcher = Dispatcher(
        store=store,
        catalog=core.catalog,
        config=config,
        messages=core.messages,
        work=scheduled_work(),
        messengers={"console": messenger},
        clock=clock,
    )
    return World(store, clock, Harness(core), messenger, dispatcher)


def organizer(world: World, *, lang: str = "ja") -> Person:
    if lang == "en":
        return world.harness.member("orgen", locale="en-US", channel=CHANNEL)
    return world.harness.member("org", channel=CHANNEL)


FORM_DEFAULTS = {
    "title": "",
    "start": "",
    "duration": "90",
    "tz": "Asia/Tokyo",
    "place": "",
    "description": "",
    "rung": "",
    "cost": "",
    "capacity": "",
    "repeat": "",
    "channel": "",
}


async def fill_form(person: Person, values: Mapping[str, str]) -> list[Reply]:
    """Open the add form as the person and submit it: the preview."""
    opened = await person.say("/ippo session add")
    form = opened[0].message.form
    assert form is not None, texts(opened)
    return await person.submit(form.form_id, {**FORM_DEFAULTS, **values})


async def add_session(person: Person, values: Mapping[str, str]) -> int:
    """Create a session through the form, preview and Save; its id."""
    preview = await fill_form(person, values)
    saved = await person.press(preview, "session:save:")
    assert saved[0].message.tone == "success", texts(saved)
    async with person.harness.core.store.unit() as uow:
        user = person.actor.user
        sessions = await uow.sessions.in_workspace(user.platform, user.workspace)
    return max(s.id for s in sessions)


def rsvp_id(replies_buttons: list[str], verb: str) -> str:
    return next(b for b in replies_buttons if b.startswith(f"rsvp:{verb}:"))


def post_buttons(world: World, index: int = -1, channel: str = CHANNEL) -> list[str]:
    sent = world.messenger.to_channel(channel)[index]
    return [b.action_id for b in sent.message.buttons]


def channel(id_: str = CHANNEL) -> ChannelRef:
    return ChannelRef("console", "console", id_)
