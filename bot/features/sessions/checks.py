"""Reading a session form: each value checked, with an example of good input
for what is wrong — never a guess. A repeat that would start more than once
a day is refused outright; expanding a rule runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.features.sessions.access import channel_of
from bot.features.sessions.cards import fmt_when
from bot.features.sessions.dates import parse_duration, parse_start
from bot.features.sessions.model import Session, SessionFields
from bot.features.sessions.recurrence import (
    BadInterval,
    BadRepeat,
    NeverMatches,
    StartNotInRule,
    TooOften,
    parse_repeat,
)
from bot.features.settings import one_of
from bot.i18n import Translator
from bot.model import ChannelRef
from bot.parse import number
from bot.router import Ctx
from bot.timezones import TzLookup, lookup_tz

MAX_TITLE = 200
MAX_PLACE = 500
MAX_DESCRIPTION = 2000
MAX_COST = 100
MAX_CAPACITY = 10_000
START_KEY = "_start"  # the start as read when the form was submitted (UTC ISO)


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
