"""`SqlDeliveryRepo.counts`: the ledger at a glance, for the metrics endpoint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.model import ChannelRef, UserRef
from bot.ports import DeliveryStatus, NewDelivery
from storage import SqlStore
from storage.deliveries import SqlDeliveryRepo

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


def _new(key: str, kind: str, at: datetime) -> NewDelivery:
    to = ChannelRef("slack", "T1", "C1") if kind == "announce" else UserRef("slack", "T1", key)
    return NewDelivery(key=key, kind=kind, to=to, not_before=at)


async def test_counts_by_kind_and_status_and_the_due_queue(store: SqlStore) -> None:
    async with store.unit() as uow:
        for n in range(3):  # due: an hour, two and three hours ago
            await uow.deliveries.add(_new(f"n{n}", "nudge", NOW - timedelta(hours=n + 1)))
        await uow.deliveries.add(_new("later", "nudge", NOW + timedelta(days=1)))  # not due
        await uow.deliveries.add(_new("a1", "announce", NOW - timedelta(minutes=5)))
        await uow.deliveries.add(_new("a2", "announce", NOW - timedelta(days=2)))
    async with store.unit() as uow:
        [sent] = await uow.deliveries.claim(NOW - timedelta(days=1), 1)  # takes a2
        await uow.deliveries.mark_sent(sent.id, at=NOW, message_id="m", channel_id="C1")
        [sending] = await uow.deliveries.claim(NOW - timedelta(minutes=150), 1)  # n2
    async with store.engine.connect() as conn:  # as the endpoint reads: no unit, no lock
        counts = await SqlDeliveryRepo(conn).counts(NOW)
    assert sent.key == "a2" and sending.key == "n2"
    assert dict(counts.by_status) == {
        DeliveryStatus.PENDING.value: 4,
        DeliveryStatus.SENDING.value: 1,
        DeliveryStatus.SENT.value: 1,
    }
    assert dict(counts.live) == {  # the sent announcement is not live
        ("nudge", DeliveryStatus.PENDING.value): 3,
        ("nudge", DeliveryStatus.SENDING.value): 1,
        ("announce", DeliveryStatus.PENDING.value): 1,
    }
    assert counts.due == 3  # n0, n1, a1: not the one in flight, nor tomorrow's
    assert counts.oldest_due == NOW - timedelta(hours=2)


async def test_an_empty_ledger_has_no_queue(store: SqlStore) -> None:
    async with store.engine.connect() as conn:
        counts = await SqlDeliveryRepo(conn).counts(NOW)
    assert counts.by_status == {} and counts.live == {}
    assert counts.due == 0 and counts.oldest_due is None
