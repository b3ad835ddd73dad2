"""When "Did you try it?" is asked after "I'll try it": three days later,
moved off days off, off the member's busy days and the days of their next
nudges, at most one in an ISO week."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.catalog import Step
from bot.config import CoreConfig
from bot.features.coffee.budget import intro_days_of
from bot.features.nudges.routes import FOLLOWUP_KIND, FollowupKey
from bot.features.nudges.timing import calendar_for, effective_prefs, next_nudge_time, slot_rule
from bot.model import Member, UserRef
from bot.ports import DeliveryStatus, NewDelivery, Unit
from bot.router import Ctx
from bot.working_days import (
    WorkingDays,
    at_local,
    end_of_local_day,
    free_working_day,
    local_date,
    period_of,
)

FOLLOWUP_AFTER = timedelta(days=3)
FOLLOWUP_GRACE = timedelta(days=1)  # a follow-up delayed by downtime may still go a day late
LIVE_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.SENT)


def upcoming_nudge_days(member: Member, calendar: WorkingDays, count: int = 3) -> set[date]:
    """The local dates of the member's next `count` nudges, as planned now."""
    days: set[date] = set()
    at = member.next_nudge_at
    if not member.nudge.enabled or at is None:
        return days
    rule = slot_rule(member, member.nudge)
    for _ in range(count):
        day = local_date(at, member.tz)
        days.add(day)
        at = next_nudge_time(rule, at, calendar, last_period_day=day)
    return days


async def followup_time(uow: Unit, member: Member, now: datetime, config: CoreConfig) -> datetime:
    """Three days later, at the member's own nudge time of day (a moment they
    chose for messages), never in the middle of their night. Like every
    unsolicited message it moves to a working day, and it keeps the member's
    budget: never on a day that already carries a message to them (their
    nudges included), and at most one follow-up in an ISO week — a second
    "I'll try it" in one week asks how it went the week after."""
    prefs = effective_prefs(member, config)
    calendar = calendar_for(config)
    live = [
        d
        for d in await uow.deliveries.for_member(member.id)
        if d.status in LIVE_STATUSES and isinstance(d.to, UserRef)
    ]
    busy = {local_date(d.sent_at or d.not_before, member.tz) for d in live}
    busy |= upcoming_nudge_days(member, calendar)
    busy |= await intro_days_of(uow, member, now, config, calendar)  # coffee (#15)
    full = {
        period_of(local_date(d.sent_at or d.not_before, member.tz))
        for d in live
        if d.kind == FOLLOWUP_KIND
    }
    first = local_date(now + FOLLOWUP_AFTER, member.tz)
    day = free_working_day(first, calendar, busy_days=busy, full_weeks=full)
    return at_local(day, prefs.time, member.tz)


async def schedule_followup(ctx: Ctx, step: Step) -> datetime:
    member = ctx.member
    when = await followup_time(ctx.uow, member, ctx.now, ctx.config)
    period = period_of(local_date(ctx.now, member.tz))
    await ctx.uow.deliveries.add(
        NewDelivery(
            key=FollowupKey(member.id, step.id, period).encode(),
            kind=FOLLOWUP_KIND,
            to=member.user,
            not_before=when,
            expires_at=end_of_local_day(when, member.tz) + FOLLOWUP_GRACE,
            member_id=member.id,
            payload={"step_id": step.id},
        )
    )
    return when
