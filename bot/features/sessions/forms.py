"""The session form, its preview and Save.

A submitted form becomes a draft row at once (even with mistakes, so Edit can
reopen it filled in); the preview shows exactly what will be saved — the start
as read, the next occurrences of a repeat — with Save / Edit / Cancel buttons
whose routes name the draft. Nothing is held in memory between the steps.

The form comes in parts of at most `FORM_INPUTS_MAX` inputs (a Discord modal
holds five): "basics" opens first and is enough to save; the preview offers
the other parts ("repeat and channel", "seats and cost"), each a small form
whose answers are merged into the same draft.

A repeat that would start more than once a day is refused outright (a
`UserError`, nothing written): expanding it is what could stall the bot.
Everything that expands a rule runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.features.channel_access import access_hint
from bot.features.common import private
from bot.features.sessions.cards import fmt_when, rung_label
from bot.features.sessions.routes import DISCARD, NEW_FORM, REDO, SAVE
from bot.features.sessions.work import channel_lang, post_updates
from bot.features.settings import one_of
from bot.i18n import Translator
from bot.model import (
    FORM_INPUTS_MAX,
    Button,
    ChannelRef,
    Field,
    Form,
    FormInput,
    Message,
    Reply,
)
from bot.parse import number, record_id
from bot.router import Ctx, UserError
from bot.features.sessions.dates import parse_duration, parse_start
from bot.features.sessions.model import Draft, Session, SessionFields
from bot.features.sessions.recurrence import (
    BadInterval,
    BadRepeat,
    NeverMatches,
    StartNotInRule,
    TooOften,
    first_starts,
    parse_repeat,
    too_often,
)
from bot.timezones import TzLookup, lookup_tz

MAX_TITLE = 200
MAX_PLACE = 500
MAX_DESCRIPTION = 2000
MAX_COST = 100
MAX_CAPACITY = 10_000
PREVIEW_OCCURRENCES = 3
START_KEY = "_start"  # the start as read when the form was submitted (UTC ISO)
PARTS: dict[str, tuple[str, ...]] = {
    "basics": ("title", "start", "duration", "place", "description"),
    "timing": ("repeat", "tz", "channel"),
    "seats": ("capacity", "cost", "rung"),
}
FIRST_PART = "basics"
_MULTILINE = frozenset({"description"})
_REQUIRED = frozenset({"title", "start", "duration"})
_CHANNEL = re.compile(r"<?#?(?P<id>[A-Za-z0-9_\-]{1,64})(?:\|[^>]*)?>?")


def require_organizer(ctx: Ctx) -> None:
    """Enforced here, in the core, not by hiding buttons."""
    if not ctx.config.organizers.allows(ctx.event.actor):
        raise UserError("sessions.only_organizers")


def in_workspace(ctx: Ctx, channel: ChannelRef) -> bool:
    user = ctx.event.actor.user
    return channel.platform == user.platform and channel.workspace == user.workspace


def local_input(when: datetime, tz: str) -> str:
    return when.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def values_of(session: Session) -> dict[str, str]:
    f = session.fields
    return {
        "title": f.title,
        "start": local_input(f.start, f.tz),
        "duration": str(f.duration_min),
        "tz": f.tz,
        "place": f.place,
        "description": f.description,
        "rung": "" if f.rung is None else str(f.rung),
        "cost": f.cost,
        "capacity": "" if f.capacity is None else str(f.capacity),
        "repeat": f.rrule or "",
        "channel": session.channel.id,
    }


def session_form(
    ctx: Ctx, form_id: str, values: Mapping[str, str], part: str = FIRST_PART
) -> Reply:
    """One part of the session form, filled in with `values`."""
    t = ctx.t
    levels = t("sessions.form.sep").join(
        t("sessions.form.level", level=r.level, name=r.name(t.lang)) for r in ctx.catalog.rungs
    )
    inputs = tuple(
        FormInput(
            key,
            t(f"sessions.form.{key}"),
            kind="multiline" if key in _MULTILINE else "text",
            required=key in _REQUIRED,
            initial=values.get(key, ""),
            hint=t(f"sessions.form.{key}_hint", levels=levels)
            if key == "rung"
            else t(f"sessions.form.{key}_hint"),
        )
        for key in PARTS[part]
    )
    assert len(inputs) <= FORM_INPUTS_MAX
    title = t("sessions.form.heading") if part == FIRST_PART else t(f"sessions.part.{part}")
    form = Form(form_id, title, t("sessions.form.submit"), inputs)
    return Reply(Message(t("sessions.form.fallback"), form=form, ephemeral=True))


def defaults(ctx: Ctx) -> dict[str, str]:
    """What a new session starts from: 90 minutes, the organizer's timezone,
    announced where the form was opened."""
    where = ctx.event.where
    return {"duration": "90", "tz": ctx.member.tz, "channel": where.id if where else ""}


def new_form(ctx: Ctx) -> Reply:
    return session_form(ctx, NEW_FORM.id(), defaults(ctx))


def part_route(draft_id: int, part: str) -> str:
    return REDO.id(f"{draft_id}.{part}")


def parse_part_route(arg: str) -> tuple[str, str]:
    """ "12.seats" -> ("12", "seats"); a bare draft id is the first part."""
    raw_id, _, part = arg.partition(".")
    return raw_id, part if part in PARTS else FIRST_PART


@dataclass(frozen=True, slots=True)
class Checked:
    fields: SessionFields
    channel: ChannelRef


def _int_in(raw: str, low: int, high: int) -> int | None:
    return number(raw, low=low, high=high)


async def check(ctx: Ctx, values: Mapping[str, str], target: Session | None) -> Checked | list[str]:
    """The draft's values as session fields, or the problems (each with an
    example of good input) — never a guess."""
    t, problems = ctx.t, []

    def get(key: str) -> str:
        return (values.get(key) or "").strip()

    title = get("title")
    if not title or len(title) > MAX_TITLE:
        problems.append(t("sessions.bad.title", most=MAX_TITLE))
    tz = ctx.member.tz
    if get("tz"):
        found = lookup_tz(get("tz"))  # as /ippo tz reads it: a city, a zone
        if found.zone is not None:
            tz = found.zone
        else:
            problems.append(_tz_problem(t, get("tz"), found))
    start: datetime | None = None
    if values.get(START_KEY):
        start = datetime.fromisoformat(values[START_KEY])
    elif target is not None and get("start") == local_input(target.fields.start, target.fields.tz):
        start = target.fields.start  # unchanged (a series may have begun in the past)
    else:
        start = parse_start(get("start"), now=ctx.now, tz=tz)
    if start is None:
        problems.append(t("sessions.bad.start", value=get("start")))
    duration = parse_duration(get("duration"))
    if duration is None:
        problems.append(t("sessions.bad.duration", value=get("duration")))
    rung = _int_in(get("rung"), 1, ctx.catalog.top_rung) if get("rung") else None
    if get("rung") and rung is None:
        problems.append(t("sessions.bad.rung", value=get("rung"), top=ctx.catalog.top_rung))
    capacity = _int_in(get("capacity"), 1, MAX_CAPACITY) if get("capacity") else None
    if get("capacity") and capacity is None:
        problems.append(t("sessions.bad.capacity", value=get("capacity")))
    if len(get("place")) > MAX_PLACE or len(get("description")) > MAX_DESCRIPTION:
        problems.append(t("sessions.bad.too_long", place=MAX_PLACE, description=MAX_DESCRIPTION))
    if len(get("cost")) > MAX_COST:
        problems.append(t("sessions.bad.cost", most=MAX_COST))
    channel = channel_of(ctx, get("channel"))
    if channel is None:
        key = "sessions.bad.channel_typed" if get("channel") else "sessions.bad.channel"
        problems.append(t(key, value=get("channel")))
    rrule: str | None = None
    if start is not None:
        try:
            rrule = await asyncio.to_thread(parse_repeat, get("repeat"), start, tz)
        except BadRepeat as err:
            problems.append(_repeat_problem(t, err, get("repeat"), start, tz))
    if problems or start is None or duration is None or channel is None:
        return problems
    fields = SessionFields(
        title=title,
        start=start,
        duration_min=duration,
        tz=tz,
        place=get("place"),
        description=get("description"),
        rung=rung,
        cost=get("cost"),
        capacity=capacity,
        rrule=rrule,
    )
    return Checked(fields, channel)


def _tz_problem(t: Translator, value: str, found: TzLookup) -> str:
    """A timezone not taken, with the zones it may mean (as `/ippo tz`)."""
    if not found.suggestions:
        return t("sessions.bad.tz_fixed_none" if found.fixed else "sessions.bad.tz", value=value)
    key = "sessions.bad.tz_fixed" if found.fixed else "sessions.bad.tz_unsure"
    return t(key, value=value, zones=one_of(t, found.suggestions))


def _repeat_problem(t: Translator, err: BadRepeat, value: str, start: datetime, tz: str) -> str:
    """What is wrong with a repeat, by its real cause."""
    match err:
        case TooOften():  # a draft or session from before the rule was refused
            return t("sessions.bad.too_often", value=value)
        case BadInterval():
            return t("sessions.bad.repeat_interval", value=value)
        case NeverMatches():
            return t("sessions.bad.repeat_never", value=value)
        case StartNotInRule(first=first) if first is not None:
            return t(
                "sessions.bad.repeat_start",
                value=value,
                start=fmt_when(t, start, tz),
                first=fmt_when(t, first, tz),
            )
        case StartNotInRule():
            return t("sessions.bad.repeat_never", value=value)
    return t("sessions.bad.repeat", value=value)


def channel_of(ctx: Ctx, raw: str) -> ChannelRef | None:
    """A typed channel (an id, #name or a Slack <#C…|name> mention) in the
    actor's workspace; blank is the channel the actor typed in, if any."""
    user = ctx.event.actor.user
    if not raw:
        where = ctx.event.where
        return where if where is not None and in_workspace(ctx, where) else None
    m = _CHANNEL.fullmatch(raw)
    return ChannelRef(user.platform, user.workspace, m["id"]) if m else None


async def own_draft(ctx: Ctx, raw_id: str) -> Draft:
    draft_id = record_id(raw_id)
    draft = await ctx.uow.sessions.get_draft(draft_id) if draft_id is not None else None
    if draft is None or draft.author_member_id != ctx.member.id:
        raise UserError("sessions.draft_gone")
    return draft


async def target_of(ctx: Ctx, draft: Draft) -> Session | None:
    if draft.target is None:
        return None
    session = await ctx.uow.sessions.get(draft.target)
    if session is None or not in_workspace(ctx, session.channel):
        raise UserError("sessions.draft_gone")
    return session


async def submit(
    ctx: Ctx,
    values: Mapping[str, str],
    *,
    target: Session | None,
    draft: Draft | None,
    part: str = FIRST_PART,
) -> list[Reply]:
    """Merge one part's values into the draft (new or updated) and show the
    preview. A new draft starts from the session being edited, or from the
    defaults; only the part's own inputs are taken from `values`."""
    if draft is not None:
        base: Mapping[str, str] = draft.values
    else:
        base = values_of(target) if target is not None else defaults(ctx)
    kept = {k: v for k, v in base.items() if not k.startswith("_")}
    kept |= {k: v for k, v in values.items() if k in PARTS[part]}
    if "repeat" in PARTS[part] and too_often(kept.get("repeat", "")):
        raise UserError("sessions.bad.too_often", value=kept["repeat"].strip())
    where = ctx.event.where
    user = ctx.event.actor.user
    channel = where or ChannelRef(user.platform, user.workspace, "")
    probe = await check(ctx, kept, target)
    if isinstance(probe, Checked):
        kept[START_KEY] = probe.fields.start.isoformat()
        kept["channel"] = probe.channel.id  # as resolved now (the default is where typed)
    replace_preview = draft is not None  # a later part: its preview takes the old one's place
    if draft is None:
        draft = await ctx.uow.sessions.add_draft(
            author_member_id=ctx.member.id,
            channel=channel,
            target=target.id if target else None,
            values=kept,
            now=ctx.now,
        )
    else:
        await ctx.uow.sessions.update_draft(draft.id, kept)
    return [await preview(ctx, draft.id, probe, replace=replace_preview)]


async def preview(
    ctx: Ctx, draft_id: int, checked: Checked | list[str], *, replace: bool = False
) -> Reply:
    t = ctx.t
    edits = tuple(
        Button(t(f"sessions.btn.edit_{part}"), part_route(draft_id, part)) for part in PARTS
    )
    discard = Button(t("sessions.btn.discard"), DISCARD.id(str(draft_id)))
    if isinstance(checked, list):
        text = t("sessions.preview.problems") + "\n" + "\n".join(f"- {p}" for p in checked)
        return private(text, tone="warning", buttons=(*edits, discard), replace=replace)
    f = checked.fields
    starts = await asyncio.to_thread(first_starts, f, PREVIEW_OCCURRENCES)
    dates = t("sessions.form.sep").join(fmt_when(t, start, f.tz) for start in starts)
    dates = t("sessions.and_more", dates=dates)
    fields = [
        Field(
            t("sessions.f.when"), t("sessions.with_tz", when=fmt_when(t, f.start, f.tz), tz=f.tz)
        ),
        Field(t("sessions.f.duration"), t("sessions.minutes", minutes=f.duration_min)),
        Field(t("sessions.f.repeat"), dates if f.rrule else t("sessions.once")),
        Field(t("sessions.f.cost"), f.cost or t("sessions.free")),
        Field(
            t("sessions.f.capacity"),
            t("sessions.seats", count=f.capacity) if f.capacity else t("sessions.no_limit"),
        ),
    ]  # where it is announced: the access hint says
    if f.place:
        fields.insert(3, Field(t("sessions.f.place"), f.place))
    if f.rung is not None:
        fields.append(Field(t("sessions.f.rung"), rung_label(t, ctx.catalog, f.rung)))
    return private(
        t("sessions.preview.body", title=f.title) + "\n" + access_hint(t, checked.channel),
        title=t("sessions.preview.title"),
        fields=fields,
        buttons=(
            Button(t("sessions.btn.save"), SAVE.id(str(draft_id)), style="primary"),
            *edits,
            discard,
        ),
        replace=replace,
    )


async def save(ctx: Ctx, draft: Draft) -> tuple[Session, bool]:
    """Apply the draft: (the session, whether it was an edit)."""
    target = await target_of(ctx, draft)
    checked = await check(ctx, draft.values, target)
    if isinstance(checked, list):
        raise UserError("sessions.draft_invalid")
    repo = ctx.uow.sessions
    await repo.delete_draft(draft.id)
    if target is None:
        session = await repo.create(
            checked.fields,
            uid=f"{uuid.uuid4()}@ippo",
            channel=checked.channel,
            organizer=ctx.event.actor.user,
            lang=await channel_lang(ctx.uow, checked.channel, ctx.config.default_lang),
            now=ctx.now,
        )
        return session, False
    if target.status.value != "active":
        raise UserError("sessions.not_active", id=target.id)
    edited = replace(
        target, fields=checked.fields, channel=checked.channel, version=target.version + 1
    )
    await repo.save(edited, plan_at=ctx.now)
    await post_updates(ctx.uow, edited, ctx.now)
    return edited, True
