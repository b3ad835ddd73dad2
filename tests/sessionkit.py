"""A core, a dispatcher and a fake messenger on one clock, for session tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.config import CoreConfig, OrganizerRule
from bot.delivery import Dispatcher
from bot.features.sessions.model import Session
from bot.model import ChannelRef, Reply
from bot.testing import FakeMessenger, FixedClock, Harness, Person, buttons, texts
from storage import SqlStore
from tests.corekit import START, build_core, build_dispatcher

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
        """Each channel post as read: its text, then its fields."""
        return [
            "\n".join([s.message.text, *(f"{f.label}: {f.value}" for f in s.message.fields)])
            for s in self.messenger.to_channel(channel)
        ]

    async def session(self, session_id: int) -> Session:
        async with self.store.unit() as uow:
            found = await uow.sessions.get(session_id)
        assert found is not None
        return found


def make_world(store: SqlStore, *, config: CoreConfig = CONFIG) -> World:
    clock = FixedClock(START)
    core = build_core(store, clock=clock, config=config)
    messenger = FakeMessenger()
    dispatcher = build_dispatcher(core, {"console": messenger})
    return World(store, clock, Harness(core), messenger, dispatcher)


def organizer(world: World, *, lang: str = "ja") -> Person:
    if lang == "en":
        return world.harness.member("orgen", locale="en-US", channel=CHANNEL)
    return world.harness.member("org", channel=CHANNEL)


PARTS = {
    "timing": ("repeat", "tz", "channel"),
    "seats": ("capacity", "cost", "rung"),
}


async def fill_form(
    person: Person, values: Mapping[str, str], command: str = "/ippo session add"
) -> list[Reply]:
    """Open the form with `command` as the person, fill in its first part, then
    each further part that `values` touches, as an organizer would: the preview."""
    answer = await person.fill(await person.say(command), values)
    for part, keys in PARTS.items():
        if any(key in values for key in keys):
            opened = await person.press(part_button(answer, part))
            answer = await person.fill(opened, values)
    return answer


def part_button(replies: list[Reply], part: str) -> str:
    """The preview's button that opens `part` of the draft's form."""
    return next(b.action_id for b in buttons(replies) if b.action_id.endswith(f".{part}"))


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
