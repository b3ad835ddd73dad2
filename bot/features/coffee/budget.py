"""Coffee introductions count toward a member's one unsolicited message a
day: other features (the nudge follow-up) keep off these days."""

from __future__ import annotations

from datetime import date, datetime

from bot.config import CoreConfig
from bot.features.coffee.rounds import intro_days
from bot.model import Member
from bot.ports import Unit
from bot.working_days import WorkingDays


async def intro_days_of(
    uow: Unit, member: Member, now: datetime, config: CoreConfig, calendar: WorkingDays
) -> set[date]:
    """The local dates of the member's next introductions; none unless they
    opted in."""
    if not (await uow.coffee.prefs(member.id)).enabled:
        return set()
    return intro_days(now, config.coffee, calendar, member.tz)
