"""Scheduled work of the sessions feature: the planner and the composers.

The planner picks sessions by their indexed `next_plan_at`, asks
`bot.features.sessions.planning.plan` what is due, writes one delivery per message
(keys make re-planning a no-op) and stores the next time to look. Composers
build each message at send time from the store, so counts are live and a
cancelled session or a changed answer turns a pending message into a skip
(and an announcement says how soon the session is as of sending).
Recurrence expansion (planning a batch, finding an occurrence) runs in a
worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.features.sessions.cards import announcement, cancelled_card, lead_line, session_fields
from bot.features.sessions.keys import AfterSessionKey, AnnounceKey, ReminderKey, member_dm
from bot.features.sessions.model import (
    REMINDED,
    Occurrence,
    OccurrenceChange,
    Session,
    SessionStatus,
)
from bot.features.sessions.planning import DueAction, occurrence_key, parse_occurrence_key, plan
from bot.features.sessions.posts import channel_translator
from bot.features.sessions.recurrence import find_occurrence
from bot.features.sessions.routes import MADE, MISSED, RSVP, SOURCE_PRIVATE, OccRef
from bot.i18n import Translator
from bot.model import Button, Message
from bot.parse import record_id
from bot.ports import Delivery, NewDelivery
from bot.scheduled import ScheduledWork, WorkCtx

PLAN_BATCH = 200


def _payload(session: Session, occ: Occurrence, **extra: str) -> dict[str, str]:
    return {"session": str(session.id), "occurrence": occurrence_key(occ.original_start), **extra}


async def _add_action(work: WorkCtx, session: Session, due: DueAction) -> int:
    occ, okey = due.occurrence, occurrence_key(due.occurrence.original_start)
    repo = work.uow.sessions
    if due.kind == "announce":
        added = await work.uow.deliveries.add(
            NewDelivery(
                key=AnnounceKey(session.id, okey, due.lead_min).encode(),
                kind="announce",
                to=session.channel,
                not_before=due.at,
                expires_at=due.expires_at,
                payload=_payload(session, occ, lead=str(due.lead_min)),
            )
        )
        return int(added)
    member_key = ReminderKey if due.kind == "reminder" else AfterSessionKey
    count = 0
    for rsvp in await repo.rsvps(session.id, occ.original_start, statuses=REMINDED):
        member = await work.uow.members.get_by_id(rsvp.member_id)
        if member is None or member.unreachable:
            continue
        count += await work.uow.deliveries.add(
            member_dm(
                member_key(session.id, okey, member.id),
                member.user,
                not_before=due.at,
                expires_at=due.expires_at,
                payload=_payload(session, occ),
            )
        )
    return count


def plan_batch(
    sessions: Sequence[Session],
    changes: Mapping[int, Sequence[OccurrenceChange]],
    *,
    now: datetime,
    leads: Sequence[int],
    reminder_lead_min: int,
) -> list[tuple[list[DueAction], datetime | None]]:
    """`plan` for each session: pure, run in a worker thread."""
    return [
        plan(
            session,
            changes.get(session.id, []),
            now=now,
            leads=leads,
            reminder_lead_min=reminder_lead_min,
        )
        for session in sessions
    ]


async def plan_sessions(work: WorkCtx, *, batch: int = PLAN_BATCH) -> int:
    repo = work.uow.sessions
    sessions = await repo.due_for_planning(work.now, batch)
    changes = await repo.changes_for([s.id for s in sessions])
    plans = await asyncio.to_thread(
        plan_batch,
        sessions,
        changes,
        now=work.now,
        leads=work.config.announce_leads_min,
        reminder_lead_min=work.config.reminder_lead_min,
    )
    added = 0
    for session, (due, next_at) in zip(sessions, plans, strict=True):
        for item in due:
            added += await _add_action(work, session, item)
        await repo.set_next_plan(session.id, next_at)
    # The dispatcher calls again while this is above 0: a full batch means
    # more sessions may be due even when this one added nothing.
    return max(added, 1) if len(sessions) == batch else added


# --------------------------------------------------------------------------- composers


async def _load(
    work: WorkCtx, payload: Mapping[str, str]
) -> tuple[Session, Occurrence | None] | None:
    """The session of a delivery and its occurrence (None when the occurrence
    no longer exists or is cancelled); None when the session is gone."""
    raw_id, raw_occ = payload.get("session", ""), payload.get("occurrence", "")
    original = parse_occurrence_key(raw_occ)
    session_id = record_id(raw_id)
    if session_id is None:
        return None
    session = await work.uow.sessions.get(session_id)
    if session is None:
        return None
    if original is None:
        return session, None
    changes = await work.uow.sessions.changes(session.id)
    occ = await asyncio.to_thread(find_occurrence, session, changes, original)
    return session, None if occ is None or occ.cancelled else occ


async def compose_announce(work: WorkCtx, delivery: Delivery) -> Message | None:
    loaded = await _load(work, delivery.payload)
    if loaded is None:
        return None
    session, occ = loaded
    t = await channel_translator(work.uow, work.messages, work.config, session.channel)
    is_update = "update_of" in delivery.payload
    if session.status is SessionStatus.CANCELLED:
        return cancelled_card(t, session, None) if is_update else None
    if occ is None:
        if not is_update:
            return None
        original = parse_occurrence_key(delivery.payload.get("occurrence", ""))
        changes = await work.uow.sessions.changes(session.id)
        if original is not None and any(c.original_start == original for c in changes):
            gone = Occurrence(session.id, original, original, original + session.duration)
            return cancelled_card(t, session, gone)
        return Message(t("sessions.changed", title=session.title), title=session.title)
    if occ.end <= work.now and not is_update:
        return None
    counts = await work.uow.sessions.counts(session.id, occ.original_start)
    return announcement(t, work.catalog, session, occ, counts, now=None if is_update else work.now)


async def _member_view(
    work: WorkCtx, delivery: Delivery
) -> tuple[Translator, Session, Occurrence, str] | None:
    """For DMs about one occurrence: only while the member's answer is still
    going/watching and the occurrence still happens."""
    loaded = await _load(work, delivery.payload)
    if loaded is None or delivery.member_id is None:
        return None
    session, occ = loaded
    if occ is None or session.status is SessionStatus.CANCELLED:
        return None
    rsvp = await work.uow.sessions.rsvp(session.id, occ.original_start, delivery.member_id)
    member = await work.uow.members.get_by_id(delivery.member_id)
    if rsvp is None or rsvp.status not in REMINDED or member is None:
        return None
    if rsvp.attended is not None:
        return None
    return work.messages.for_lang(member.lang), session, occ, member.tz


async def compose_reminder(work: WorkCtx, delivery: Delivery) -> Message | None:
    view = await _member_view(work, delivery)
    if view is None:
        return None
    t, session, occ, tz = view
    if occ.start <= work.now:
        return None
    arg = OccRef(session.id, occ.original_start, SOURCE_PRIVATE)
    soon = lead_line(t, occ.start, work.now, session.fields.tz)  # the date is a field
    return Message(
        t("sessions.reminder.text", soon=soon),
        title=t("sessions.reminder.title", title=session.title),
        fields=session_fields(t, work.catalog, session, occ, tz),
        buttons=(Button(t("sessions.reminder.cant"), RSVP["cant"].id(arg)),),
    )


async def compose_after_session(work: WorkCtx, delivery: Delivery) -> Message | None:
    view = await _member_view(work, delivery)
    if view is None:
        return None
    t, session, occ, _ = view
    arg = OccRef(session.id, occ.original_start)
    return Message(
        t("sessions.after.text", title=session.title),
        buttons=(
            Button(t("sessions.after.yes"), MADE.id(arg), style="primary"),
            Button(t("sessions.after.no"), MISSED.id(arg)),
        ),
    )


async def compose_cancelled(work: WorkCtx, delivery: Delivery) -> Message | None:
    raw_id = delivery.payload.get("session", "")
    session_id = record_id(raw_id)
    session = await work.uow.sessions.get(session_id) if session_id is not None else None
    if session is None:
        return None
    if delivery.member_id is not None:  # a DM: the member's language
        member = await work.uow.members.get_by_id(delivery.member_id)
        if member is None:
            return None
        t = work.messages.for_lang(member.lang)
    else:  # a channel post: the channel's
        t = await channel_translator(work.uow, work.messages, work.config, session.channel)
    original = parse_occurrence_key(delivery.payload.get("occurrence", ""))
    if original is None:
        return cancelled_card(t, session, None)
    when: datetime = original
    return cancelled_card(t, session, Occurrence(session.id, original, when, when))


def scheduled_work() -> ScheduledWork:
    async def planner(work: WorkCtx) -> int:
        return await plan_sessions(work)

    return ScheduledWork(
        planners=(planner,),
        composers={
            "announce": compose_announce,
            "reminder": compose_reminder,
            "after_session": compose_after_session,
            "session_cancelled": compose_cancelled,
        },
    )
