"""Two ippo instances on one database ticking at the same moment deliver each
nudge exactly once. Runs on SQLite and, with TEST_DATABASE_URL, on
PostgreSQL, where planning and claiming use FOR UPDATE SKIP LOCKED."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.assembly import build_core
from bot.delivery import Dispatcher
from bot.ports import Store
from storage import open_store, upgrade_database
from tests.nudgekit import ClockedMessenger, build_world

TUESDAY = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
MONDAY = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)  # 09:30 in Tokyo
MEMBERS = 120


def instance(store: Store, template: Dispatcher, messenger: ClockedMessenger) -> Dispatcher:
    core = build_core(store, template.clock, catalog=template.catalog, config=template.config)
    # small claims, so the two instances interleave
    return core.dispatcher({"console": messenger}, batch_size=10)


async def test_two_instances_deliver_each_nudge_once(db_url: str) -> None:
    await upgrade_database(db_url)
    first, second = open_store(db_url), open_store(db_url)
    try:
        world = build_world(first, TUESDAY)
        for i in range(MEMBERS):
            await world.harness.member(f"m{i:03d}").say("/ippo nudge on")
        world.clock.set(MONDAY)
        platform_a = ClockedMessenger(clock=world.clock)
        platform_b = ClockedMessenger(clock=world.clock)
        a = instance(first, world.dispatcher, platform_a)
        b = instance(second, world.dispatcher, platform_b)
        # Both plan at once, then both send at once, then a few whole ticks.
        planned = await asyncio.gather(a.plan(MONDAY), b.plan(MONDAY))
        assert sum(planned) == MEMBERS
        await asyncio.gather(a.send(MONDAY), b.send(MONDAY))
        for minute in range(1, 3):
            now = MONDAY + timedelta(minutes=minute)
            await asyncio.gather(a.tick(now), b.tick(now))
        delivered = Counter(s.to.id for s in platform_a.sent + platform_b.sent)
        assert delivered == Counter({f"m{i:03d}": 1 for i in range(MEMBERS)})
        assert platform_a.sent and platform_b.sent, "both instances took a share"
        async with first.unit() as uow:
            assert await uow.members.due_for_nudge(MONDAY + timedelta(minutes=3), 10) == []
    finally:
        await first.close()
        await second.close()
