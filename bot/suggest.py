"""Choosing steps for a member: at their rung, fitting their reasons, skipping
what they did, found too much or were shown recently. Pure functions over the
catalog and the member's journey, shared by `/ippo step` and the weekly nudge.

"Another one" is not a refusal: it walks a `rotation` (the steps of one rung,
those for the member's reasons or the others, in the member's own stable
order) and comes round again, so it never runs dry."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Literal

from bot.catalog import Catalog, Step
from bot.model import EntryKind, JourneyEntry, Member

DONE_QUIET = timedelta(days=60)  # a step done recently is not suggested again
TOO_MUCH_QUIET = timedelta(days=30)  # nor one found too much
SHOWN_KINDS = {EntryKind.SUGGESTED, EntryKind.TRYING, EntryKind.DECLINED}
"""Entries that only mean "was shown": DECLINED rows were written by "Another one"
before it cycled, and count as shown, never as a refusal."""
SHOWN_QUIET = timedelta(days=7)  # one just shown goes to the back of the queue


def _spread(member_id: int, step_id: str, salt: str) -> int:
    """A stable per-member shuffle, so members do not all see the same order."""
    digest = hashlib.sha256(f"{member_id}:{step_id}:{salt}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def recent_ids(
    entries: Iterable[JourneyEntry], now: datetime, kinds: set[EntryKind], within: timedelta
) -> set[str]:
    return {e.step_id for e in entries if e.step_id and e.kind in kinds and now - e.at <= within}


def suggest(
    catalog: Catalog,
    member: Member,
    entries: Sequence[JourneyEntry],
    now: datetime,
    *,
    count: int = 1,
    rung: int | None = None,
    exclude: Iterable[str] = (),
    shown_quiet: timedelta = SHOWN_QUIET,
    salt: str = "",
) -> list[Step]:
    """Up to `count` steps at `rung` (default: the member's), falling back to
    easier rungs when the member's own has nothing left. Steps that serve one
    of the member's reasons come first; members with no reasons see them all."""
    target = rung if rung is not None else member.rung
    blocked = set(exclude)
    blocked |= recent_ids(entries, now, {EntryKind.DONE}, DONE_QUIET)
    blocked |= recent_ids(entries, now, {EntryKind.TOO_MUCH}, TOO_MUCH_QUIET)
    shown = recent_ids(entries, now, SHOWN_KINDS, shown_quiet)
    reasons = set(member.reasons)

    def rank(step: Step) -> tuple[int, int, int]:
        fits = len(reasons & set(step.reasons)) if reasons else 1
        return (step.id in shown, -min(fits, 1), _spread(member.id, step.id, salt))

    picked: list[Step] = []
    for level in range(target, 0, -1):
        pool = [s for s in catalog.steps if s.rung == level and s.id not in blocked]
        if reasons:
            fitting = [s for s in pool if reasons & set(s.reasons)]
            pool = fitting or pool
        picked.extend(sorted(pool, key=rank)[: count - len(picked)])
        if len(picked) >= count:
            break
    return picked


def ready_to_move_up(catalog: Catalog, member: Member, entries: Sequence[JourneyEntry]) -> bool:
    """Offer (never push) the next rung after two steps done at the current one."""
    if member.rung >= catalog.top_rung:
        return False
    steps = catalog.steps_by_id
    done_here = [
        e
        for e in entries
        if e.kind == EntryKind.DONE
        and (e.step_id is None or (s := steps.get(e.step_id)) is None or s.rung >= member.rung)
    ]
    return len(done_here) >= 2


Pool = Literal["fit", "other"]
"""Which steps of a rung a rotation walks: those serving one of the member's
reasons ("fit"; every step when they chose none), or the others."""


def fits(member: Member, step: Step) -> bool:
    return not member.reasons or bool(set(member.reasons) & set(step.reasons))


def pool_of(member: Member, step: Step) -> Pool:
    return "fit" if fits(member, step) else "other"


def rotation(
    catalog: Catalog,
    member: Member,
    entries: Sequence[JourneyEntry],
    now: datetime,
    *,
    rung: int,
    pool: Pool,
) -> list[Step]:
    """The steps "Another one" cycles through: at `rung`, in `pool`, not done
    or found too much recently, in the member's stable order. What was shown
    does not change the order, so a round visits every step once."""
    blocked = recent_ids(entries, now, {EntryKind.DONE}, DONE_QUIET)
    blocked |= recent_ids(entries, now, {EntryKind.TOO_MUCH}, TOO_MUCH_QUIET)
    steps = [
        s
        for s in catalog.steps
        if s.rung == rung and s.id not in blocked and pool_of(member, s) == pool
    ]
    return sorted(steps, key=lambda s: _spread(member.id, s.id, ""))


def after(steps: Sequence[Step], current: str) -> Step | None:
    """The step after `current` in `steps`, coming round to the first; the
    first when `current` is not among them; None when there are none."""
    ids = [s.id for s in steps]
    if not steps:
        return None
    if current not in ids:
        return steps[0]
    return steps[(ids.index(current) + 1) % len(steps)]


def done_before(catalog: Catalog, entries: Sequence[JourneyEntry]) -> list[Step]:
    """Catalog steps the member has done, the one done longest ago first:
    doing a step again is a step too."""
    last: dict[str, datetime] = {}
    for e in entries:
        if e.kind == EntryKind.DONE and e.step_id and catalog.step(e.step_id) is not None:
            last[e.step_id] = e.at
    return sorted((s for s in catalog.steps if s.id in last), key=lambda s: last[s.id])
