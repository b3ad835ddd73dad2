"""The core's own configuration: plain values, built by `config.settings` at start."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import get_args

from bot.model import Actor, Lang, Platform, UserRef

PLATFORMS: tuple[Platform, ...] = get_args(Platform)


class OrganizerEntryError(ValueError):
    """Not `<platform>:<workspace>:<id>` nor `<platform>:<id>`. `platform`
    names the platform when the entry is one of its entries in the wrong
    shape (every part filled in, but too many), else ""."""

    def __init__(self, raw: str, platform: str = "") -> None:
        super().__init__(f"not an organizer entry: {raw!r}")
        self.platform = platform


@dataclass(frozen=True, slots=True)
class OrganizerEntry:
    """A person written as `<platform>:<workspace>:<id>` (IPPO_ORGANIZERS,
    the CLI's --channel/--member), or in the older unscoped form
    `<platform>:<id>` (`workspace` ""). Parsed and written here only;
    whether the ids look like Slack's or Discord's is `ippo doctor`'s to say."""

    platform: Platform
    workspace: str
    id: str

    @classmethod
    def parse(cls, raw: str) -> OrganizerEntry:
        platform, *rest = raw.split(":")
        if not rest or not all(rest) or platform not in PLATFORMS:
            raise OrganizerEntryError(raw)
        if len(rest) > 2:
            raise OrganizerEntryError(raw, platform)
        return cls(platform, rest[0] if len(rest) == 2 else "", rest[-1])

    @classmethod
    def of(cls, user: UserRef, *, scoped: bool = True) -> OrganizerEntry:
        return cls(user.platform, user.workspace if scoped else "", user.id)

    def text(self) -> str:
        return ":".join(p for p in (self.platform, self.workspace, self.id) if p)


@dataclass(frozen=True, slots=True)
class OrganizerRule:
    """Who may create, edit and cancel sessions.

    A member is an organizer when they are listed in `user_ids` or when the
    adapter reported one of `grants` for them in the workspace where they act
    (e.g. "workspace_admin" on Slack, "manage_events" or "role:<id>" on
    Discord).

    Entries name a person in one workspace: "<platform>:<workspace>:<id>",
    e.g. "slack:T012AB:U345CD" (team, user) or "discord:<guild>:<user>";
    the console has a single workspace, so "console:aki" names its member.
    The older unscoped "slack:U345CD" / "discord:<user>" still match, in
    every workspace (a Discord user id is the same in every guild), and
    `ippo doctor` asks for the scoped form.
    """

    user_ids: frozenset[str] = frozenset()
    grants: frozenset[str] = frozenset({"workspace_admin", "manage_events"})

    def allows(self, actor: Actor) -> bool:
        user = actor.user
        scoped = OrganizerEntry.of(user).text()
        unscoped = OrganizerEntry.of(user, scoped=False).text()  # console:<name>, or older
        if scoped in self.user_ids or unscoped in self.user_ids:
            return True
        return bool(self.grants & actor.grants)


@dataclass(frozen=True, slots=True)
class CoffeeConfig:
    """Coffee introductions (bot.features.coffee): a round every `every_weeks`
    weeks on `weekday` (0 = Monday) at `time` in each member's timezone; no
    pair is made again within `no_repeat_rounds` rounds when avoidable."""

    every_weeks: int = 2
    weekday: int = 1
    time: str = "10:00"
    no_repeat_rounds: int = 12


@dataclass(frozen=True, slots=True)
class CoreConfig:
    default_lang: Lang = "ja"
    default_tz: str = "Asia/Tokyo"
    nudge_weekday: int = 0  # Monday
    nudge_time: str = "09:30"
    holiday_country: str = "JP"
    # A weekly slot found late by planning (ticks an hour apart from cron, a
    # restart) is still sent up to this long after its time; only downtime
    # longer than this skips it, so a long outage never ends in a burst.
    late_slot_window: timedelta = timedelta(hours=6)
    organizers: OrganizerRule = field(default_factory=OrganizerRule)
    # Session announcements: lead times before the start, in minutes.
    announce_leads_min: tuple[int, ...] = (7 * 24 * 60, 24 * 60, 0)
    reminder_lead_min: int = 60
    # Base URL of the HTTP server for calendar feeds; empty when none runs.
    public_base_url: str = ""
    coffee: CoffeeConfig = field(default_factory=CoffeeConfig)
