"""Messages about sessions, shared by commands, buttons and scheduled posts.

Channel posts show counts only, never who answered (gentle: nobody is exposed
for coming or not). Times are shown in the session's timezone, with the
reader's own timezone added when it differs.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.catalog import Catalog
from bot.features.sessions.model import Occurrence, RsvpCounts, RsvpStatus, Session
from bot.features.sessions.routes import ANSWERS, RSVP, SOURCE_POST, OccRef
from bot.i18n import Translator
from bot.i18n.dates import DateWords, format_date, format_when
from bot.model import Button, Field, Message

STARTING_NOW = timedelta(minutes=5)
"""How close to the start (either side) a post says "starting now"."""


SESSION_DATES = DateWords("sessions.date", "sessions.datetime", "sessions.wd")


def fmt_when(t: Translator, instant: datetime, tz: str) -> str:
    return format_when(t, instant, tz, SESSION_DATES)


def fmt_day(t: Translator, day: date) -> str:
    return format_date(t, day, SESSION_DATES)


def fmt_span(t: Translator, session: Session, occ: Occurrence, reader_tz: str | None) -> str:
    tz = session.fields.tz
    text = t(
        "sessions.span",
        start=fmt_when(t, occ.start, tz),
        end=occ.end.astimezone(ZoneInfo(tz)).strftime("%H:%M"),
        tz=tz,
    )
    if reader_tz and reader_tz != tz:
        text += " " + t("sessions.your_time", when=fmt_when(t, occ.start, reader_tz))
    return text


def counts_line(t: Translator, counts: RsvpCounts, capacity: int | None) -> str:
    line = t(
        "sessions.counts",
        going=counts.going,
        watching=counts.watching,
        maybe=counts.maybe,
        cant=counts.cant,
    )
    if capacity is not None:  # the seats are a field; here, what is left (en: " (…)")
        left = capacity - counts.going
        if left > 0 and not counts.waitlisted:
            line += t("sessions.seats_left", count=left)
        elif counts.waitlisted:
            line += t("sessions.full", count=counts.waitlisted)
        else:
            line += t("sessions.full_none")
    return line


def lead_line(t: Translator, start: datetime, now: datetime, tz: str) -> str:
    """How soon `start` is, seen from `now` (when the post is sent, not the
    configured lead that planned it: a session created two days ahead is "in
    2 days", not "in 7 days"). Days count calendar dates in the session's
    timezone, so "tomorrow" is tomorrow there."""
    zone = ZoneInfo(tz)
    local_start, local_now = start.astimezone(zone), now.astimezone(zone)
    time = local_start.strftime("%H:%M")
    left = start - now
    if abs(left) <= STARTING_NOW:
        return t("sessions.lead.now")
    if left < timedelta(0):
        return t("sessions.lead.started", time=time)
    if left < timedelta(hours=1):
        minutes = -(-left // timedelta(minutes=1))  # rounded up: never "in 0 minutes"
        return t("sessions.lead.minutes", count=minutes, time=time)
    days = (local_start.date() - local_now.date()).days
    if days == 0:
        return t("sessions.lead.today", time=time)
    if days == 1:
        return t("sessions.lead.tomorrow", time=time)
    return t("sessions.lead.days", days=days)


def rung_label(t: Translator, catalog: Catalog, level: int) -> str:
    """A level by its name, never its number (a level the catalog no longer
    has shows its number)."""
    found = next((r for r in catalog.rungs if r.level == level), None)
    return found.name(t.lang) if found is not None else str(level)


def session_fields(
    t: Translator,
    catalog: Catalog,
    session: Session,
    occ: Occurrence,
    reader_tz: str | None = None,
) -> tuple[Field, ...]:
    f = session.fields
    out = [Field(t("sessions.f.when"), fmt_span(t, session, occ, reader_tz))]
    if f.place:
        out.append(Field(t("sessions.f.place"), f.place))
    if f.rung is not None:
        out.append(Field(t("sessions.f.rung"), rung_label(t, catalog, f.rung)))
    out.append(Field(t("sessions.f.cost"), f.cost or t("sessions.free")))
    if f.capacity is not None:
        out.append(Field(t("sessions.f.capacity"), t("sessions.seats", count=f.capacity)))
    return tuple(out)


def rsvp_buttons(
    t: Translator, session: Session, occ: Occurrence, source: str
) -> tuple[Button, ...]:
    arg = OccRef(session.id, occ.original_start, source)
    return tuple(
        Button(
            t(f"sessions.btn.{status.value}"),
            RSVP[status.value].id(arg),
            style="primary" if status is RsvpStatus.GOING else "default",
        )
        for status in ANSWERS
    )


def announcement(
    t: Translator,
    catalog: Catalog,
    session: Session,
    occ: Occurrence,
    counts: RsvpCounts,
    *,
    now: datetime | None,
) -> Message:
    """The channel post: what, when, where, live counts, the four answers.
    With `now` (a new post), it opens with how soon that is; a redrawn post
    (counts, an edit) has no such line, as it would be wrong for its readers."""
    f = session.fields
    lines = [lead_line(t, occ.start, now, f.tz)] if now is not None else []
    if f.description:
        lines.append(f.description)
    lines.append(counts_line(t, counts, f.capacity))
    # The title is the message's title and date, place and cost its fields:
    # the text says only what they do not (how soon, what, who is coming).
    return Message(
        "\n".join(lines),
        title=f.title,
        fields=session_fields(t, catalog, session, occ),
        buttons=rsvp_buttons(t, session, occ, SOURCE_POST),
        lang=t.lang,  # the channel's language, also when redrawn after a member's answer
    )


def cancelled_card(t: Translator, session: Session, occ: Occurrence | None) -> Message:
    """What an announcement turns into, and the notice, after a cancellation
    (the title heads it, so the text does not repeat it)."""
    if occ is None:
        text = t("sessions.cancelled_all")
    else:
        text = t("sessions.cancelled_one", when=fmt_when(t, occ.start, session.fields.tz))
    return Message(text, title=session.title, tone="warning", lang=t.lang)


def answer_text(t: Translator, status: RsvpStatus) -> str:
    return t(f"sessions.answer.{status.value}")
