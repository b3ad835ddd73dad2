"""The core's own configuration: plain values, built by `config.settings` at start."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.model import Actor, Lang


@dataclass(frozen=True, slots=True)
class OrganizerRule:
    """Who may create, edit and cancel sessions.

    A member is an organizer when their platform user id is listed in
    `user_ids` (written "<platform>:<id>", e.g. "slack:U012AB", "console:aki")
    or when the adapter reported one of `grants` for them (e.g.
    "workspace_admin" on Slack, "manage_events" or "role:<id>" on Discord).
    """

    user_ids: frozenset[str] = frozenset()
    grants: frozenset[str] = frozenset({"workspace_admin", "manage_events"})

    def allows(self, actor: Actor) -> bool:
        if f"{actor.user.platform}:{actor.user.id}" in self.user_ids:
            return True
        return bool(self.grants & actor.grants)


@dataclass(frozen=True, slots=True)
class CoreConfig:
    default_lang: Lang = "ja"
    default_tz: str = "Asia/Tokyo"
    nudge_weekday: int = 0  # Monday
    nudge_time: str = "09:30"
    holiday_country: str = "JP"
    organizers: OrganizerRule = field(default_factory=OrganizerRule)
    # Session announcements: lead times before the start, in minutes.
    announce_leads_min: tuple[int, ...] = (7 * 24 * 60, 24 * 60, 0)
    reminder_lead_min: int = 60
    # Base URL of the HTTP server for calendar feeds; empty when none runs.
    public_base_url: str = ""
