"""What nudge planning reads and writes through the store's narrow methods
(`MemberRepo.due_nudge_runs`, `due_nudge_groups`, `advance_nudge_groups` in
bot.ports).

Planning works on *slot groups*, never on single members: the store hands
out the due members of a batch grouped by everything the planner's outcome
depends on (`DueGroup`), the planner decides once per group (`GroupPlan`),
and the store applies each decision to all of the group's members in
set-based statements. The members of a group travel as the store's own
handle (`MemberSet`), which the core passes back untouched: a batch of
thousands costs the core a few dozen small tuples.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple, NewType

from bot.model import Cadence

MemberSet = NewType("MemberSet", str)
"""Some members, in the store's own encoding: the core only passes it back."""


class DueGroup(NamedTuple):
    """Due members who share a slot: the columns the planner reads, once."""

    tz: str
    weekday: int
    time: str
    cadence: Cadence
    paused_until: date | None
    next_nudge_at: datetime
    silence: int
    """The members' unanswered nudges, counted up to 2 (more slow alike)."""
    size: int
    members: MemberSet


class GroupNudge(NamedTuple):
    """The nudge each member of a group gets: one delivery per member, keyed
    `key_head + <member id> + key_tail`, addressed from the member's row."""

    key_head: str
    key_tail: str
    not_before: datetime
    expires_at: datetime | None
    cadence: Cadence
    """The member's cadence once this nudge counts as unanswered."""


class GroupPlan(NamedTuple):
    """What planning does to every member of one group.

    Every member's `next_nudge_at` becomes `next_at`. With a `nudge`, each
    member whose key is new gets the delivery, one more unanswered nudge and
    the nudge's cadence; a member whose key exists already (settings changed
    within the week) keeps their count and cadence."""

    members: MemberSet
    next_at: datetime
    nudge: GroupNudge | None
