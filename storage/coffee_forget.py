"""A forgotten person leaves the group destinations of the delivery ledger.

A group introduction (`bot.model.GroupRef`) keeps its members' platform user
ids in `deliveries.to_id` ("a,b,c"), and the console records the same joined
ids as the channel a group post went to (`channel_id`). The rows have no
`member_id` (they are the group's, not one member's), so deleting the member
does not remove them. `/ippo forget` calls `forget_in_groups`:

- a pending introduction goes to the others, or is skipped when fewer than
  two remain (a group needs two);
- one being sent right now (SENDING) is treated the same way; skipping it
  ends its lease, so a sender still holding it records nothing more;
- a sent, failed or skipped one keeps only the others' ids, which may leave a
  single id: such a row is finished and read by nothing but its key.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.model import Platform, split_members
from bot.ports import DeliveryStatus
from storage.tables import DeliveryRow

__all__ = ["FORGOTTEN", "forget_in_groups"]

_deliveries = cast(Table, DeliveryRow.__table__)
FORGOTTEN = "a member of the group was forgotten"
_UNSENT = (DeliveryStatus.PENDING.value, DeliveryStatus.SENDING.value)


def _without(joined: str | None, user_id: str) -> str | None:
    """`joined` without `user_id`, or None when it does not name them."""
    if joined is None:
        return None
    members = split_members(joined)
    if user_id not in members:
        return None
    return ",".join(m for m in members if m != user_id)


async def forget_in_groups(
    conn: AsyncConnection, platform: Platform, workspace: str, user_id: str
) -> int:
    """Take `user_id` out of every group destination of their community;
    how many rows changed."""
    d = _deliveries.c
    rows = await conn.execute(
        select(d.id, d.status, d.to_id, d.channel_id).where(
            d.to_kind == "group",
            d.to_platform == platform,
            d.to_workspace == workspace,
            # A substring match narrowed by `_without` (ids are split on ",").
            d.to_id.contains(user_id, autoescape=True),
        )
    )
    changed = 0
    for row in rows.all():
        to_id = _without(row.to_id, user_id)
        if to_id is None:
            continue
        values: dict[str, Any] = {"to_id": to_id}
        if (channel := _without(row.channel_id, user_id)) is not None:
            values["channel_id"] = channel  # the console's record of where it went
        if row.status in _UNSENT and len(split_members(to_id)) < 2:
            values |= {
                "status": DeliveryStatus.SKIPPED.value,
                "error": FORGOTTEN,
                "claim_token": None,
                "lease_until": None,
            }
        await conn.execute(update(_deliveries).where(d.id == row.id).values(**values))
        changed += 1
    return changed
