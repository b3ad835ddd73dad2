"""What is due for one session at a given moment: pure, no store.

Every occurrence has a few action times: an announcement at each lead time
before its start, a reminder `reminder_lead` before the start, and the
after-session question at its end. Planning at `now` returns the actions whose
time has come and that still make sense, and the next moment anything will be
due (the session's `next_plan_at`), so a planner only looks at sessions by an
indexed time.

Announcements: only the latest lead whose time has passed is due. A session
created three days ahead gets its "a week before" post at once, then the day
before and at the start, never three posts in a row after a restart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from bot.features.sessions.model import Occurrence, OccurrenceChange, Session
from bot.features.sessions.recurrence import iter_occurrences

ActionKind = Literal["announce", "reminder", "after_session"]
AFTER_SESSION_WINDOW = timedelta(hours=12)
"""How long after the end the after-session question may still go out."""
MAX_SCAN = 500  # occurrences looked at per call, a guard for odd rules


@dataclass(frozen=True, slots=True)
class DueAction:
    kind: ActionKind
    occurrence: Occurrence
    at: datetime  # when it became due
    expires_at: datetime
    lead_min: int = 0  # announcements only


def occurrence_key(original_start: datetime) -> str:
    """Compact UTC id of an occurrence for keys and button routes."""
    return original_start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def parse_occurrence_key(raw: str) -> datetime | None:
    try:
        return datetime.strptime(raw, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _actions(
    occ: Occurrence, leads: Sequence[int], reminder_min: int
) -> list[tuple[ActionKind, datetime, int]]:
    out: list[tuple[ActionKind, datetime, int]] = [
        ("announce", occ.start - timedelta(minutes=lead), lead) for lead in leads
    ]
    out.append(("reminder", occ.start - timedelta(minutes=reminder_min), 0))
    out.append(("after_session", occ.end, 0))
    return out


def plan(
    session: Session,
    changes: Sequence[OccurrenceChange],
    *,
    now: datetime,
    leads: Sequence[int],
    reminder_lead_min: int,
) -> tuple[list[DueAction], datetime | None]:
    """(actions due at `now`, the next time anything becomes due or None)."""
    leads = sorted(set(leads), reverse=True)
    earliest = timedelta(minutes=max([*leads, reminder_lead_min, 0]))
    due: list[DueAction] = []
    next_at: datetime | None = None
    occurrences = iter_occurrences(session, changes, ending_after=now - AFTER_SESSION_WINDOW)
    for scanned, occ in enumerate(occurrences, 1):
        if occ.start - earliest > now and (next_at is not None and occ.start - earliest >= next_at):
            break
        if scanned > MAX_SCAN:
            break
        passed = [lead for lead in leads if occ.start - timedelta(minutes=lead) <= now]
        if passed and now < occ.end:
            lead = passed[-1]  # the smallest lead whose time has come
            due.append(
                DueAction("announce", occ, occ.start - timedelta(minutes=lead), occ.end, lead)
            )
        remind_at = occ.start - timedelta(minutes=reminder_lead_min)
        if remind_at <= now < occ.start:
            due.append(DueAction("reminder", occ, remind_at, occ.start))
        if occ.end <= now < occ.end + AFTER_SESSION_WINDOW:
            due.append(DueAction("after_session", occ, occ.end, occ.end + AFTER_SESSION_WINDOW))
        for _, at, _ in _actions(occ, leads, reminder_lead_min):
            if at > now and (next_at is None or at < next_at):
                next_at = at
    return due, next_at
