"""`ippo tick` (adapters/runtime/tick.py) and the periodic scheduler (runtime/scheduler.py)."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from adapters.runtime.scheduler import Intervals, Scheduler
from adapters.runtime.tick import parse_at, summary, tick_command
from bot.delivery import Dispatcher, RecoverReport, SendReport
from config.settings import Settings
from storage import open_store, upgrade_database
from tests.corekit import build_harness


def test_at_is_read_in_the_deployment_timezone_unless_it_has_an_offset() -> None:
    assert parse_at("2026-11-30T09:30", "Asia/Tokyo") == datetime(2026, 11, 30, 0, 30, tzinfo=UTC)
    assert parse_at("2026-11-30T09:30Z", "Asia/Tokyo") == datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    assert parse_at("2026-11-30T09:30+01:00", "UTC") == datetime(2026, 11, 30, 8, 30, tzinfo=UTC)


async def test_tick_prints_due_nudges_with_their_destination(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'ippo.db'}"
    await upgrade_database(url)
    store = open_store(url)
    try:
        harness = build_harness(store)  # the clock starts on Tuesday 24 November
        await harness.member("aki").say("/ippo nudge on")
        await harness.member("bob", locale="en").say("/ippo nudge on")
        await harness.member("cho").say("/ippo nudge")  # not opted in
    finally:
        await store.close()

    settings = Settings(database_url=url)
    out = io.StringIO()
    monday = parse_at("2026-11-30T09:30", "Asia/Tokyo")
    report = await tick_command(settings, monday, out)
    printed = out.getvalue()
    assert "→ @aki: " in printed and "→ @bob: " in printed and "@cho" not in printed
    assert "One small thing for this week" in printed
    assert (report.planned, report.sent.sent) == (2, 2)
    assert "planned 2, sent 2" in summary(report)

    again = io.StringIO()
    second = await tick_command(settings, monday, again)  # the same moment: nothing new
    assert again.getvalue() == "" and second.sent.sent == 0


class BlockingDispatcher:
    """Stands in for Dispatcher: `send` blocks until released."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.started = asyncio.Event()
        self.finished = False
        self.stopped = False
        self.clock = self

    def now(self) -> datetime:
        return datetime(2026, 11, 30, tzinfo=UTC)

    async def plan(self, now: datetime) -> int:
        return 0

    async def recover(self, now: datetime) -> RecoverReport:
        return RecoverReport()

    async def send(self, now: datetime, *, budget_s: float) -> SendReport:
        self.started.set()
        await self.release.wait()
        self.finished = True
        return SendReport()

    def stop_sending(self) -> None:
        self.stopped = True

    def resume_sending(self) -> None:
        self.stopped = False


async def test_scheduler_runs_three_fixed_jobs_and_lets_a_send_finish() -> None:
    stub = BlockingDispatcher()
    scheduler = Scheduler(cast(Dispatcher, stub), intervals=Intervals(send_s=5, plan_s=60))
    scheduler.start()
    assert sorted(scheduler.job_ids()) == ["plan", "recover", "send"]
    assert scheduler._scheduler is not None
    for job in scheduler._scheduler.get_jobs():
        assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 300)
    send_job = scheduler._scheduler.get_job("send")
    assert send_job.trigger.interval.total_seconds() == 5

    running = asyncio.ensure_future(send_job.func())  # a send tick in flight
    await stub.started.wait()
    stopping = asyncio.ensure_future(scheduler.shutdown())
    await asyncio.sleep(0)
    assert not stopping.done() and not stub.finished  # shutdown waits for it
    assert stub.stopped  # and tells the engine to claim nothing more
    stub.release.set()
    await stopping
    await running
    assert stub.finished and not scheduler.running
    await send_job.func()  # a tick after shutdown does nothing
