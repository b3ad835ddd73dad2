"""The introduction, its two buttons, and the one "Did you meet?".

An introduction is composed at send time: in each reader's own language (a
group whose members read two languages gets both, each short), naming the
members (a quiet seat marked as here to listen), with a gentle prompt and
"Let's meet" / "Not this time". "Let's meet" plans exactly one "Did you
meet?" DM about a week later; its "Yes" logs a journey step at the "close by"
rung. Nothing else follows, and nobody is ever reported: a member's answer is
seen by nobody else.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.actions import ID, Route
from bot.features.coffee.commands import format_day
from bot.features.coffee.ports import CHECK_KIND, Answer, CheckKey, Group, IntroKey, Seat
from bot.features.coffee.rounds import intro_days, member_time
from bot.features.common import private
from bot.i18n import Translator
from bot.model import Button, EntryKind, Member, Message, Reply, UserRef
from bot.ports import Delivery, DeliveryStatus, NewDelivery, Unit
from bot.router import Ctx, UserError
from bot.scheduled import WorkCtx
from bot.working_days import WorkingDays, free_working_day, local_date

MEET = Route("coffee", "meet", ID)  # the group's id
PASS = Route("coffee", "pass", ID)
MET = Route("coffee", "met", ID)
NOT_YET = Route("coffee", "notyet", ID)
CHECK_SKIP = Route("coffee", "cskip", ID)
CHECK_AFTER = timedelta(days=7)
CHECK_GRACE = timedelta(days=2)
JOURNEY_STEP = "coffee-chat"  # a catalog step at the "close by" rung
LIVE = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.SENT)


async def seated(uow: Unit, group: Group) -> list[tuple[Seat, Member]] | None:
    """The group's seats with their members, or None when one of them
    stopped or can no longer be reached: the introduction no longer applies.
    A seat whose member used `/ippo forget` is left out (the ledger already
    dropped them from the group's destination); fewer than two left is None."""
    out: list[tuple[Seat, Member]] = []
    for seat in group.seats:
        if seat.member_id is None:
            continue
        member = await uow.members.get_by_id(seat.member_id)
        if member is None or member.unreachable:
            return None
        if not (await uow.coffee.prefs(member.id)).enabled:
            return None
        out.append((seat, member))
    return out if len(out) >= 2 else None


def names(t: Translator, seated: Sequence[tuple[Seat, Member]], reader: int = 0) -> str:
    labels = []
    for seat, member in seated:
        name = t("coffee.person", name=member.display_name or member.user.id)
        if member.id == reader:
            continue
        labels.append(t("coffee.intro.listener", name=name) if seat.quiet else name)
    return t("coffee.sep").join(labels)


def intro_text(
    t: Translator, group: Group, members: Sequence[tuple[Seat, Member]], reader: int
) -> str:
    lines = [
        t("coffee.intro.body", names=names(t, members, reader)),
        t("coffee.intro.prompt"),
    ]
    if not group.shares_hours:
        lines.append(t("coffee.intro.hours"))
    if not group.shares_lang:
        lines.append(t("coffee.intro.langs"))
    slowed = any(s.slowed and s.member_id == reader for s in group.seats)
    if slowed:
        lines.append(t("coffee.intro.slowed"))
    return "\n".join(lines)


def intro_message(
    ts: Sequence[Translator],
    group: Group,
    members: Sequence[tuple[Seat, Member]],
    reader: int = 0,
) -> Message:
    """`ts`: the readers' languages, the first one's buttons; one text per
    language. `reader`: the member of a DM (left out of the names), else 0."""
    first = ts[0]
    text = "\n\n".join(intro_text(t, group, members, reader) for t in ts)
    if not reader:
        text += "\n\n" + first("coffee.intro.footer")
    title = " / ".join(t("coffee.intro.title") for t in ts)
    return Message(
        text,
        title=title,
        buttons=(
            Button(first("coffee.intro.btn_meet"), MEET.id(group.id), style="primary"),
            Button(first("coffee.intro.btn_pass"), PASS.id(group.id)),
        ),
    )


async def compose_intro(work: WorkCtx, delivery: Delivery) -> Message | None:
    key = IntroKey.parse(delivery.key)
    group = await work.uow.coffee.group(key.group_id)
    if group is None:
        return None
    members = await seated(work.uow, group)
    if members is None:
        return None
    if key.member_id:
        reader = next((m for _, m in members if m.id == key.member_id), None)
        if reader is None:
            return None
        return intro_message([work.messages.for_lang(reader.lang)], group, members, reader.id)
    langs = list(dict.fromkeys(m.lang for _, m in members))
    return intro_message([work.messages.for_lang(lang) for lang in langs], group, members)


async def own_group(ctx: Ctx, group_id: int) -> Group:
    group = await ctx.uow.coffee.group(group_id)
    if group is None or all(s.member_id != ctx.member.id for s in group.seats):
        raise UserError("errors.stale_button")
    return group


async def answer(ctx: Ctx, group: Group, said: Answer) -> str:
    """Record the answer; a member who had gone quiet hears the pace is back."""
    seat = next(s for s in group.seats if s.member_id == ctx.member.id)
    await ctx.uow.coffee.answer(group.id, ctx.member.id, said)
    return "\n" + ctx.t("coffee.reply.back") if seat.slowed else ""


async def check_time(ctx: Ctx, calendar: WorkingDays) -> datetime:
    """A week later at the member's coffee time, on a working day that carries
    no other unsolicited message to them (their nudges and introductions)."""
    member = ctx.member
    live = [
        d
        for d in await ctx.uow.deliveries.for_member(member.id)
        if d.status in LIVE and isinstance(d.to, UserRef)
    ]
    busy = {local_date(d.sent_at or d.not_before, member.tz) for d in live}
    if member.nudge.enabled and member.next_nudge_at is not None:
        busy.add(local_date(member.next_nudge_at, member.tz))
    busy |= intro_days(ctx.now, ctx.config.coffee, calendar, member.tz)
    first = local_date(ctx.now + CHECK_AFTER, member.tz)
    day = free_working_day(first, calendar, busy_days=busy)
    return member_time(day, ctx.config.coffee, member.tz)


async def meet(ctx: Ctx, group_id: int) -> list[Reply]:
    group = await own_group(ctx, group_id)
    back = await answer(ctx, group, "meet")
    at = await check_time(ctx, WorkingDays(ctx.config.holiday_country))
    await ctx.uow.deliveries.add(
        NewDelivery(
            key=CheckKey(group.id, ctx.member.id).encode(),
            kind=CHECK_KIND,
            to=ctx.member.user,
            not_before=at,
            expires_at=at + CHECK_GRACE,
            member_id=ctx.member.id,
        )
    )
    day = format_day(ctx, local_date(at, ctx.member.tz))
    return [private(ctx.t("coffee.reply.meet", date=day) + back, tone="success")]


async def pass_(ctx: Ctx, group_id: int) -> list[Reply]:
    group = await own_group(ctx, group_id)
    back = await answer(ctx, group, "pass")
    await ctx.uow.deliveries.cancel_pending(key_prefix=CheckKey.prefix(group.id, ctx.member.id))
    return [private(ctx.t("coffee.reply.pass") + back)]


async def compose_check(work: WorkCtx, delivery: Delivery) -> Message | None:
    key = CheckKey.parse(delivery.key)
    group = await work.uow.coffee.group(key.group_id)
    member = await work.uow.members.get_by_id(key.member_id)
    if group is None or member is None or member.unreachable:
        return None
    others = [
        m
        for s in group.seats
        if s.member_id and s.member_id != member.id
        if (m := await work.uow.members.get_by_id(s.member_id)) is not None
    ]
    if not others:  # everyone else has left: there is no one to ask about
        return None
    t = work.messages.for_lang(member.lang)
    who = t("coffee.sep").join(t("coffee.person", name=m.display_name or m.user.id) for m in others)
    return Message(
        t("coffee.check.body", names=who),
        title=t("coffee.check.title"),
        buttons=(
            Button(t("coffee.check.btn_yes"), MET.id(group.id), style="primary"),
            Button(t("coffee.check.btn_not_yet"), NOT_YET.id(group.id)),
            Button(t("coffee.check.btn_skip"), CHECK_SKIP.id(group.id)),
        ),
    )


async def met(ctx: Ctx, group_id: int) -> list[Reply]:
    await own_group(ctx, group_id)
    step = ctx.catalog.step(JOURNEY_STEP)
    await ctx.uow.journey.add(
        ctx.member.id,
        EntryKind.DONE,
        ctx.now,
        step_id=step.id if step else None,
        text=None if step else ctx.t("coffee.check.title"),
    )
    return [private(ctx.t("coffee.check.yes"), tone="success", replace=True)]


async def not_yet(ctx: Ctx, group_id: int) -> list[Reply]:
    await own_group(ctx, group_id)
    return [private(ctx.t("coffee.check.not_yet"), replace=True)]


async def check_skip(ctx: Ctx, group_id: int) -> list[Reply]:
    await own_group(ctx, group_id)
    return [private(ctx.t("coffee.check.skip"), replace=True)]


PRESSES = (
    MEET.on(meet),
    PASS.on(pass_),
    MET.on(met),
    NOT_YET.on(not_yet),
    CHECK_SKIP.on(check_skip),
)
