"""Planning the weekly nudge: each due member becomes one delivery keyed by
the ISO week of their local date; `next_nudge_at` advances, the nudge counts
as unanswered and the cadence slows after silence (timing). A slot found late
(hourly cron ticks) is still sent within `CoreConfig.late_slot_window`; a
slot older than that (ippo was down) is skipped, not caught up."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.features.nudges.messages import compose_followup, compose_nudge
from bot.features.nudges.routes import FOLLOWUP_KIND, NUDGE_KIND, NudgeKey
from bot.features.nudges.timing import (
    cadence_after_silence,
    calendar_for,
    next_nudge_time,
    slot_rule,
)
from bot.model import Member
from bot.ports import NewDelivery
from bot.scheduled import ScheduledWork, WorkCtx
from bot.working_days import WorkingDays, local_date, period_of

PLAN_BATCH = 500


def plan_member(
    member: Member, now: datetime, calendar: WorkingDays, late_window: timedelta
) -> tuple[NewDelivery | None, Member]:
    """One due member: the delivery to add and the member advanced.

    A slot found late — planning runs every minute under `ippo run`, but cron
    may run `ippo tick` an hour apart, past local midnight — is still sent, up
    to `late_window` after its time. Older slots were missed while ippo was
    down: they are skipped, not caught up, and the first slot after the
    window's start is taken instead (sent at once if it has come, else
    scheduled). A slot inside a pause is dropped too.
    """
    prefs = member.nudge
    due = member.next_nudge_at or now
    due_day = local_date(due, member.tz)
    rule = slot_rule(member, prefs)
    if now - due > late_window:
        nxt = next_nudge_time(rule, now - late_window, calendar, last_period_day=due_day)
        if nxt > now:
            return None, replace(member, next_nudge_at=nxt)
        due, due_day = nxt, local_date(nxt, member.tz)
    if prefs.paused_until is not None and due_day < prefs.paused_until:
        nxt = next_nudge_time(rule, now, calendar, last_period_day=due_day)
        return None, replace(member, next_nudge_at=nxt)
    unanswered = prefs.unanswered + 1
    prefs = replace(prefs, unanswered=unanswered, cadence=cadence_after_silence(unanswered))
    nxt = next_nudge_time(slot_rule(member, prefs), now, calendar, last_period_day=due_day)
    delivery = NewDelivery(
        key=NudgeKey(member.id, period_of(due_day)).encode(),
        kind=NUDGE_KIND,
        to=member.user,
        not_before=due,
        expires_at=due + late_window,
        member_id=member.id,
    )
    return delivery, replace(member, nudge=prefs, next_nudge_at=nxt)


async def plan_nudges(work: WorkCtx, calendar: WorkingDays, *, batch: int = PLAN_BATCH) -> int:
    """Plan one batch of due members in the caller's unit; returns how many
    members it handled (0 when none is due). Every handled member's
    `next_nudge_at` moves past `now`, so calling again makes progress."""
    uow = work.uow
    due = await uow.members.due_for_nudge(work.now, batch)
    window = work.config.late_slot_window
    planned = [(member, *plan_member(member, work.now, calendar, window)) for member in due]
    inserted = await uow.deliveries.add_many([d for _, d, _ in planned if d is not None])
    advanced: list[Member] = []
    for member, delivery, moved in planned:
        if delivery is not None and delivery.key not in inserted:
            # This period's nudge exists already (settings changed within the
            # week): keep the silence count as it was.
            moved = replace(moved, nudge=member.nudge)
        advanced.append(moved)
    await uow.members.save_many(advanced)
    return len(due)


def scheduled_work() -> ScheduledWork:
    """The nudge planner and the composers for "nudge" and "followup"."""

    calendars: dict[str, WorkingDays] = {}  # one holiday table per country, for this work

    async def planner(work: WorkCtx) -> int:
        country = work.config.holiday_country
        calendar = calendars.get(country) or calendars.setdefault(
            country, calendar_for(work.config)
        )
        return await plan_nudges(work, calendar)

    return ScheduledWork(
        planners=(planner,),
        composers={NUDGE_KIND: compose_nudge, FOLLOWUP_KIND: compose_followup},
    )
