"""The core's own configuration: plain values, built by `config.settings` at start."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.model import Actor, Lang


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
        scoped = f"{user.platform}:{user.workspace}:{user.id}"
        unscoped = f"{user.platform}:{user.id}"  # console:<name>, or the older form
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
