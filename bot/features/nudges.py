"""The weekly "try one thing" nudge: `/ippo nudge ...`, its buttons, and the
scheduled work that plans and composes it.

- Members opt in (`/ippo nudge on`); nobody else is ever nudged.
- Planning (`plan_nudges`) turns each due member into one delivery keyed by
  the ISO week of their local date, advances `next_nudge_at`, counts the nudge
  as unanswered and slows the cadence after silence (bot.schedule). A slot
  found late (hourly cron ticks) is still sent within
  `CoreConfig.late_slot_window`; a slot older than that (ippo was down) is
  skipped, not caught up.
- Sending composes the message at send time (`compose_nudge`): the step is
  picked then, so it reflects what the member did since, and a member who
  stopped, paused or left meanwhile gets nothing.
- Any interaction with ippo is a response (`on_contact`): it restores the
  weekly cadence. "I'll try it" schedules exactly one follow-up three days
  later, moved off days off and off the day of the next nudge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from bot.actions import TEXT, Route, Tap
from bot.catalog import Catalog, Step
from bot.config import CoreConfig
from bot.feature import Arg, Command, Feature
from bot.features.common import private, step_fields, step_text
from bot.features.journey import done_form
from bot.features.steps import ANOTHER_ARG, turn_after
from bot.i18n import Translator
from bot.keys import DeliveryKey
from bot.model import (
    Button,
    Cadence,
    CommandInvoked,
    EntryKind,
    Member,
    Message,
    NudgePrefs,
    Reply,
    UserRef,
)
from bot.parse import normalize, number
from bot.ports import Delivery, DeliveryStatus, NewDelivery, Unit
from bot.router import Ctx, UserError
from bot.schedule import (
    SlotRule,
    WorkingDays,
    at_local,
    cadence_after_silence,
    end_of_local_day,
    free_working_day,
    local_date,
    next_nudge_time,
    parse_when,
    period_of,
)
from bot.scheduled import ScheduledWork, WorkCtx
from bot.suggest import suggest

NUDGE_KIND = "nudge"
FOLLOWUP_KIND = "followup"


@dataclass(frozen=True, slots=True)
class NudgeKey(DeliveryKey):
    """The week's nudge of a member: "nudge:<member>:<ISO week>"."""

    kind: ClassVar[str] = NUDGE_KIND
    member_id: int
    period: str


@dataclass(frozen=True, slots=True)
class FollowupKey(DeliveryKey):
    """ "Did you try it?" after "I'll try it": "followup:<member>:<step>:<ISO week>"."""

    kind: ClassVar[str] = FOLLOWUP_KIND
    member_id: int
    step_id: str
    period: str


ON = Tap("nudge", "on")
OFF = Tap("nudge", "off")
STOP = Tap("nudge", "stop")
SKIP = Tap("nudge", "skip")
ANOTHER = Route("nudge", "another", ANOTHER_ARG)
TRY = Route("nudge", "try", TEXT)
FOLLOWUP_DONE = Route("nudge", "fdone", TEXT)
FOLLOWUP_NOT_YET = Route("nudge", "fnotyet", TEXT)
FOLLOWUP_SKIP = Route("nudge", "fskip", TEXT)
SHOWN_QUIET = timedelta(weeks=6)  # a step nudged or suggested within this is not nudged again
FOLLOWUP_AFTER = timedelta(days=3)
FOLLOWUP_GRACE = timedelta(days=1)  # a follow-up delayed by downtime may still go a day late
MAX_PAUSE_WEEKS = 26
PLAN_BATCH = 500
LIVE_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.SENT)

NUDGE_VERBS = ("on", "off", "when", "pause")


# --------------------------------------------------------------------------- schedule helpers


def calendar_for(config: CoreConfig) -> WorkingDays:
    return WorkingDays(config.holiday_country)


def effective_prefs(member: Member, config: CoreConfig) -> NudgePrefs:
    """A member who never chose a day and time gets the deployment's default.

    Storage creates members with `NudgePrefs()`; while nudges have never been
    on (off, nothing scheduled, still the model's default slot) the
    deployment's `nudge_weekday`/`nudge_time` apply instead.
    """
    prefs = member.nudge
    untouched = NudgePrefs()
    never_set = (
        not prefs.enabled
        and member.next_nudge_at is None
        and (prefs.weekday, prefs.time) == (untouched.weekday, untouched.time)
    )
    if never_set:
        return replace(prefs, weekday=config.nudge_weekday, time=config.nudge_time)
    return prefs


def slot_rule(member: Member, prefs: NudgePrefs) -> SlotRule:
    return SlotRule(prefs.weekday, prefs.time, member.tz, prefs.cadence, prefs.paused_until)


def rescheduled(member: Member, now: datetime, config: CoreConfig) -> Member:
    """`member` with `next_nudge_at` recomputed from their current settings
    (None while nudges are off)."""
    if not member.nudge.enabled:
        return replace(member, next_nudge_at=None)
    at = next_nudge_time(slot_rule(member, member.nudge), now, calendar_for(config))
    return replace(member, next_nudge_at=at)


async def follow_tz_change(ctx: Ctx) -> Member:
    """Called by `/ippo tz` after the member's timezone changed: the next nudge
    moves to their day and time in the new zone."""
    if not ctx.member.nudge.enabled:
        return ctx.member
    return await ctx.uow.members.save(rescheduled(ctx.member, ctx.now, ctx.config))


def format_when(t: Translator, instant: datetime, tz: str) -> str:
    local = instant.astimezone(ZoneInfo(tz))
    return t(
        "nudge.datetime",
        year=local.year,
        month=local.month,
        day=local.day,
        weekday=t(f"nudge.day.d{local.weekday()}"),
        time=local.strftime("%H:%M"),
    )


def format_date(t: Translator, day: date) -> str:
    return t(
        "nudge.date",
        year=day.year,
        month=day.month,
        day=day.day,
        weekday=t(f"nudge.day.d{day.weekday()}"),
    )


def is_paused(member: Member, now: datetime) -> bool:
    until = member.nudge.paused_until
    return until is not None and local_date(now, member.tz) < until


# --------------------------------------------------------------------------- commands


def status_reply(
    ctx: Ctx, *, lead: str = "", tone: str = "info", pause_said: bool = False
) -> Reply:
    """The member's nudge settings. `lead` (what just changed) takes the place
    of the on/off line, so nothing is said twice; `pause_said` leaves out the
    pause line when the lead already names the date."""
    t, member = ctx.t, ctx.member
    prefs = effective_prefs(member, ctx.config)
    lines = [lead or (t("nudge.status.on") if prefs.enabled else t("nudge.status.off"))]
    lines.append(
        t(
            "nudge.status.when",
            weekday=t(f"nudge.day.d{prefs.weekday}"),
            time=prefs.time,
            tz=member.tz,
        )
    )
    paused = prefs.enabled and is_paused(member, ctx.now) and prefs.paused_until is not None
    if paused and not pause_said and prefs.paused_until is not None:
        lines.append(t("nudge.status.paused", date=format_date(t, prefs.paused_until)))
    if prefs.enabled and prefs.cadence != Cadence.WEEKLY:
        lines.append(t(f"nudge.slower_{prefs.cadence.value}"))
    if prefs.enabled and member.next_nudge_at is not None:
        lines.append(t("nudge.status.next", when=format_when(t, member.next_nudge_at, member.tz)))
    lines.append(t("nudge.status.holidays"))
    button = (
        Button(t("nudge.btn.off"), OFF.id())
        if prefs.enabled
        else Button(t("nudge.btn.on"), ON.id(), style="primary")
    )
    return private(
        "\n".join(lines),
        title=t("nudge.status.title"),
        buttons=(button,),
        tone="success" if tone == "success" else "info",
    )


async def saved(ctx: Ctx, member: Member) -> Ctx:
    """`member` stored, and the context that carries it on."""
    return replace(ctx, member=await ctx.uow.members.save(member))


async def turn_on(ctx: Ctx) -> list[Reply]:
    member = ctx.member
    if member.nudge.enabled and not is_paused(member, ctx.now):
        return [status_reply(ctx, lead=ctx.t("nudge.set.already_on"))]
    prefs = replace(
        effective_prefs(member, ctx.config),
        enabled=True,
        paused_until=None,
        cadence=Cadence.WEEKLY,
        unanswered=0,
    )
    ctx = await saved(ctx, rescheduled(replace(member, nudge=prefs), ctx.now, ctx.config))
    return [status_reply(ctx, lead=ctx.t("nudge.set.on"), tone="success")]


async def cancel_pending(uow: Unit, member_id: int) -> None:
    await uow.deliveries.cancel_pending(key_prefix=NudgeKey.prefix(member_id))
    await uow.deliveries.cancel_pending(key_prefix=FollowupKey.prefix(member_id))


async def turn_off(ctx: Ctx) -> list[Reply]:
    member = ctx.member
    if not member.nudge.enabled:
        return [private(ctx.t("nudge.set.already_off"))]
    prefs = replace(member.nudge, enabled=False, paused_until=None, unanswered=0)
    await saved(ctx, replace(member, nudge=prefs, next_nudge_at=None))
    await cancel_pending(ctx.uow, member.id)
    return [private(ctx.t("nudge.set.off"), tone="success")]


async def set_when(ctx: Ctx, args: tuple[str, ...]) -> list[Reply]:
    """`/ippo nudge when Fri 6pm`, `金曜 18時`, `monday`, `09:30`: a weekday,
    a time, or both (bot.schedule.parse_when)."""
    raw = " ".join(args)
    if not raw.strip():
        raise UserError("nudge.when_usage")
    parsed = parse_when(raw)
    if parsed is None:
        raise UserError("nudge.bad_when", value=raw)
    weekday, hhmm = parsed
    member = ctx.member
    current = effective_prefs(member, ctx.config)
    prefs = replace(
        member.nudge,
        weekday=current.weekday if weekday is None else weekday,
        time=current.time if hhmm is None else hhmm,
        cadence=Cadence.WEEKLY,
        unanswered=0,
    )
    ctx = await saved(ctx, rescheduled(replace(member, nudge=prefs), ctx.now, ctx.config))
    member = ctx.member
    values = {"weekday": ctx.t(f"nudge.day.d{prefs.weekday}"), "time": prefs.time, "tz": member.tz}
    if not prefs.enabled:
        return [private(ctx.t("nudge.set.when_while_off", **values), tone="success")]
    return [status_reply(ctx, lead=ctx.t("nudge.set.when"), tone="success")]


async def pause(ctx: Ctx, args: tuple[str, ...]) -> list[Reply]:
    raw = normalize(" ".join(args))
    if not raw:
        raise UserError("nudge.pause_usage", most=MAX_PAUSE_WEEKS)
    weeks = number(raw, low=1, high=MAX_PAUSE_WEEKS)
    if weeks is None:
        raise UserError("nudge.bad_weeks", value=raw, most=MAX_PAUSE_WEEKS)
    member = ctx.member
    if not member.nudge.enabled:
        return [private(ctx.t("nudge.set.paused_while_off"))]
    until = local_date(ctx.now, member.tz) + timedelta(weeks=weeks)
    prefs = replace(member.nudge, paused_until=until, cadence=Cadence.WEEKLY, unanswered=0)
    ctx = await saved(ctx, rescheduled(replace(member, nudge=prefs), ctx.now, ctx.config))
    await ctx.uow.deliveries.cancel_pending(key_prefix=NudgeKey.prefix(member.id))
    lead = ctx.t("nudge.set.paused", date=format_date(ctx.t, until))
    return [status_reply(ctx, lead=lead, pause_said=True)]


async def nudge_command(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
    if not cmd.args:
        return [status_reply(ctx)]
    sub = ctx.messages.pick(cmd.args[0], "nudge.words", NUDGE_VERBS)
    rest = cmd.args[1:]
    match sub:
        case "on" if not rest:
            return await turn_on(ctx)
        case "off" if not rest:
            return await turn_off(ctx)
        case "when":
            return await set_when(ctx, rest)
        case "pause":
            return await pause(ctx, rest)
    raise UserError("nudge.usage", value=" ".join(cmd.args))


# --------------------------------------------------------------------------- messages


def nudge_buttons(
    t: Translator, step: Step, *, seen: int = 1, extras: Sequence[Button] = ()
) -> tuple[Button, ...]:
    return (
        Button(t("nudge.btn.try"), TRY.id(step.id), style="primary"),
        Button(t("nudge.btn.another"), ANOTHER.id((seen, step.id))),
        Button(t("nudge.btn.skip"), SKIP.id()),
        Button(t("nudge.btn.stop"), STOP.id()),
        *extras,
    )


def nudge_message(
    t: Translator,
    catalog: Catalog,
    step: Step,
    *,
    cadence: Cadence = Cadence.WEEKLY,
    seen: int = 1,
    notice: str = "",
    extras: Sequence[Button] = (),
) -> Message:
    """The weekly message: the step as every surface shows it (bot.features.
    common: title, action, why; where, cost, online or in person, level)."""
    lines = [notice or t("nudge.intro"), "", step_text(t, catalog, step)]
    if cadence != Cadence.WEEKLY:
        lines += ["", t(f"nudge.slower_{cadence.value}")]
    lines += ["", t("nudge.footer")]
    return Message(
        "\n".join(lines),
        title=t("nudge.title"),
        fields=step_fields(t, catalog, step),
        buttons=nudge_buttons(t, step, seen=seen, extras=extras),
    )


def followup_message(t: Translator, step: Step) -> Message:
    return Message(
        t("nudge.followup.body", title=step.title(t.lang)),
        title=t("nudge.followup.title"),
        buttons=(
            Button(t("nudge.btn.done"), FOLLOWUP_DONE.id(step.id), style="primary"),
            Button(t("nudge.btn.not_yet"), FOLLOWUP_NOT_YET.id(step.id)),
            Button(t("nudge.btn.followup_skip"), FOLLOWUP_SKIP.id(step.id)),
        ),
    )


# --------------------------------------------------------------------------- buttons


async def responded(ctx: Ctx) -> Member:
    """Any answer to a nudge resets the silence count and brings back weekly."""
    member = ctx.member
    prefs = member.nudge
    if prefs.unanswered == 0 and prefs.cadence == Cadence.WEEKLY:
        return member
    slowed = prefs.cadence != Cadence.WEEKLY
    member = replace(member, nudge=replace(prefs, unanswered=0, cadence=Cadence.WEEKLY))
    if slowed and member.nudge.enabled:
        member = rescheduled(member, ctx.now, ctx.config)
    return (await saved(ctx, member)).member


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


async def another(ctx: Ctx, arg: tuple[int, str]) -> list[Reply]:
    """The next step of the round, as `/ippo step`'s "Another one" does: no
    decline is recorded, and the round comes round again."""
    seen, step_id = arg
    step = ctx.catalog.step(step_id)
    if step is None:
        raise UserError("errors.stale_button")
    turn = await turn_after(ctx, step, seen)
    if turn.step is None:
        return [private(turn.notice, buttons=turn.extras, replace=True)]
    message = nudge_message(
        ctx.t, ctx.catalog, turn.step, seen=turn.seen, notice=turn.notice, extras=turn.extras
    )
    return [Reply(message, replace=True)]


def next_line(ctx: Ctx) -> str:
    member = ctx.member
    if member.nudge.enabled and member.next_nudge_at is not None:
        return format_when(ctx.t, member.next_nudge_at, member.tz)
    return "-"


async def on(ctx: Ctx, _: None) -> list[Reply]:
    return await turn_on(ctx)


async def off(ctx: Ctx, _: None) -> list[Reply]:
    return await turn_off(ctx)


async def stop(ctx: Ctx, _: None) -> list[Reply]:
    await turn_off(ctx)
    return [private(ctx.t("nudge.reply.stopped"), tone="success", replace=True)]


async def skip(ctx: Ctx, _: None) -> list[Reply]:
    return [private(ctx.t("nudge.reply.skipped", when=next_line(ctx)), replace=True)]


def nudged_step(ctx: Ctx, step_id: str) -> Step:
    step = ctx.catalog.step(step_id)
    if step is None:
        raise UserError("errors.stale_button")
    return step


async def try_it(ctx: Ctx, step_id: str) -> list[Reply]:
    step, t = nudged_step(ctx, step_id), ctx.t
    await ctx.uow.journey.add(ctx.member.id, EntryKind.TRYING, ctx.now, step_id=step.id)
    when = await schedule_followup(ctx, step)
    text = t(
        "nudge.reply.trying", title=step.title(ctx.lang), when=format_when(t, when, ctx.member.tz)
    )
    return [private(text, tone="success", replace=True)]


async def followup_done(ctx: Ctx, step_id: str) -> list[Reply]:
    return [done_form(ctx, nudged_step(ctx, step_id))]


async def followup_not_yet(ctx: Ctx, step_id: str) -> list[Reply]:
    step, t = nudged_step(ctx, step_id), ctx.t
    done = Button(t("nudge.btn.done"), FOLLOWUP_DONE.id(step.id), style="primary")
    text = t("nudge.followup.not_yet", title=step.title(ctx.lang))
    return [private(text, buttons=(done,), replace=True)]


async def followup_skip(ctx: Ctx, step_id: str) -> list[Reply]:
    nudged_step(ctx, step_id)
    return [private(ctx.t("nudge.followup.skip"), replace=True)]


# --------------------------------------------------------------------------- scheduled work


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


async def member_to_nudge(work: WorkCtx, delivery: Delivery) -> Member | None:
    if delivery.member_id is None:
        return None
    member = await work.uow.members.get_by_id(delivery.member_id)
    if member is None or member.unreachable or not member.nudge.enabled:
        return None
    if is_paused(member, work.now):
        return None
    return member


async def pick_step(work: WorkCtx, member: Member, delivery: Delivery) -> Step | None:
    """The step for this nudge, recorded as SUGGESTED.

    A retry (or a resend after a crash) shows the step recorded by the first
    attempt, found as the latest suggestion since the start of the nudge's
    local day, so a failed send never uses up a second step.
    """
    journey = work.uow.journey
    entries = await journey.list(member.id)
    if delivery.attempts > 1:
        since = (delivery.expires_at or work.now) - timedelta(days=1)
        earlier = [
            e for e in entries if e.kind == EntryKind.SUGGESTED and e.at >= since and e.step_id
        ]
        if earlier and earlier[-1].step_id and (step := work.catalog.step(earlier[-1].step_id)):
            return step
    picked = suggest(
        work.catalog, member, entries, work.now, shown_quiet=SHOWN_QUIET, salt=delivery.key
    )
    if not picked:
        return None
    await journey.add(member.id, EntryKind.SUGGESTED, work.now, step_id=picked[0].id)
    return picked[0]


async def compose_nudge(work: WorkCtx, delivery: Delivery) -> Message | None:
    member = await member_to_nudge(work, delivery)
    if member is None:
        return None
    step = await pick_step(work, member, delivery)
    if step is None:
        return None
    t = work.messages.for_lang(member.lang)
    return nudge_message(t, work.catalog, step, cadence=member.nudge.cadence)


async def compose_followup(work: WorkCtx, delivery: Delivery) -> Message | None:
    member = await member_to_nudge(work, delivery)
    step = work.catalog.step(delivery.payload.get("step_id", ""))
    if member is None or step is None:
        return None
    return followup_message(work.messages.for_lang(member.lang), step)


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


async def on_contact(ctx: Ctx) -> Member:
    """Any command, press or form is an answer: `/ippo done` every week
    restores the weekly cadence as surely as a press on the nudge itself."""
    return await responded(ctx)


FEATURE = Feature(
    "nudges",
    commands=(Command("nudge", nudge_command, ("nudges",), (Arg("args"),)),),
    presses=(
        ON.on(on),
        OFF.on(off),
        STOP.on(stop),
        SKIP.on(skip),
        ANOTHER.on(another),
        TRY.on(try_it),
        FOLLOWUP_DONE.on(followup_done),
        FOLLOWUP_NOT_YET.on(followup_not_yet),
        FOLLOWUP_SKIP.on(followup_skip),
    ),
    contact=(on_contact,),
    work=scheduled_work,
)
