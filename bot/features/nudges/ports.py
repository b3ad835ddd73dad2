"""The rows nudge planning reads and writes through the store's narrow
methods (`MemberRepo.due_nudges`, `advance_nudges`,
`DeliveryRepo.add_for_members` in bot.ports): plain tuples, so a batch of
thousands costs little to build and to send."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from bot.model import Cadence


class DueNudge(NamedTuple):
    """What nudge planning reads of a due member (`MemberRepo.due_nudges`):
    the slot and its state, nothing else, so a batch of thousands is cheap."""

    member_id: int
    tz: str
    weekday: int
    time: str
    cadence: Cadence
    unanswered: int
    paused_until: date | None
    next_nudge_at: datetime


class NudgeAdvance(NamedTuple):
    """A planned member's new nudge state (`MemberRepo.advance_nudges`)."""

    member_id: int
    next_nudge_at: datetime
    cadence: Cadence
    unanswered: int


class MemberDm(NamedTuple):
    """A DM to a member, addressed by the store from the member's own row
    (`DeliveryRepo.add_for_members`); the payload is empty."""

    key: str
    member_id: int
    not_before: datetime
    expires_at: datetime | None
