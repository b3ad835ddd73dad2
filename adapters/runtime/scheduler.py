"""APScheduler running the core's few periodic ticks (DESIGN.md).

A fixed, small set of interval jobs — plan, send, recover — recreated at every
start in an in-memory job store: nothing durable lives in APScheduler, the
store is the schedule. Each job runs at most one instance at a time and
coalesces missed runs; the misfire grace is generous because a late tick is
still a useful tick (the planner itself decides what is too late to send).

Shutdown stops new ticks and lets a tick already running finish: APScheduler's
asyncio executor cancels running jobs on shutdown, so each job runs its work
in a task of our own, shielded, which `shutdown()` then awaits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery import Dispatcher

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Intervals:
    plan_s: float = 60.0
    send_s: float = 5.0
    recover_s: float = 60.0
    send_budget_s: float = 20.0  # one send pass; max_instances=1 skips overlapping runs
    misfire_grace_s: int = 300


class Scheduler:
    """Runs `Dispatcher.plan`, `.send` and `.recover` periodically on the
    running event loop."""

    def __init__(self, dispatcher: Dispatcher, *, intervals: Intervals | None = None) -> None:
        self.dispatcher = dispatcher
        self.intervals = intervals or Intervals()
        self._scheduler: AsyncIOScheduler | None = None
        self._inflight: set[asyncio.Task[Any]] = set()
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._scheduler is not None

    def job_ids(self) -> list[str]:
        return [] if self._scheduler is None else [j.id for j in self._scheduler.get_jobs()]

    def start(self) -> None:
        """Create the jobs and start ticking; call from inside the event loop."""
        if self._scheduler is not None:
            raise RuntimeError("scheduler already started")
        self._stopping = False
        self.dispatcher.resume_sending()
        every = self.intervals
        scheduler = AsyncIOScheduler(
            job_defaults={
                "max_instances": 1,
                "coalesce": True,
                "misfire_grace_time": every.misfire_grace_s,
            }
        )
        clock = self.dispatcher.clock
        dispatcher = self.dispatcher

        async def plan() -> None:
            await dispatcher.plan(clock.now())

        async def send() -> None:
            await dispatcher.send(clock.now(), budget_s=every.send_budget_s)

        async def recover() -> None:
            await dispatcher.recover(clock.now())

        for name, work, seconds in (
            ("recover", recover, every.recover_s),
            ("plan", plan, every.plan_s),
            ("send", send, every.send_s),
        ):
            scheduler.add_job(
                self._guarded(name, work),
                "interval",
                seconds=seconds,
                id=name,
                name=f"ippo {name}",
                replace_existing=True,
                next_run_time=None if name == "recover" else _soon(),
            )
        # Recovery first, shortly after start: a crash's leftovers are resolved
        # before anything new is claimed.
        scheduler.modify_job("recover", next_run_time=_soon())
        scheduler.start()
        self._scheduler = scheduler

    def _guarded(
        self, name: str, work: Callable[[], Awaitable[None]]
    ) -> Callable[[], Awaitable[None]]:
        async def job() -> None:
            if self._stopping:
                return
            task = asyncio.ensure_future(self._logged(name, work))
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)
            await asyncio.shield(task)

        job.__name__ = f"ippo_{name}"
        return job

    @staticmethod
    async def _logged(name: str, work: Callable[[], Awaitable[None]]) -> None:
        try:
            await work()
        except Exception:
            log.exception("scheduled %s failed; the next tick tries again", name)

    async def shutdown(self, *, timeout_s: float = 60.0) -> None:
        """Stop ticking; wait (up to `timeout_s`) for a running tick to finish."""
        self._stopping = True
        self.dispatcher.stop_sending()
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        pending = [t for t in self._inflight if not t.done()]
        if pending:
            _, still = await asyncio.wait(pending, timeout=timeout_s)
            for task in still:
                log.warning("scheduled work still running at shutdown; cancelling it")
                task.cancel()
        await asyncio.sleep(0)  # let the scheduler's own shutdown callback run


def _soon() -> datetime:
    return datetime.now(UTC) + timedelta(seconds=1)
