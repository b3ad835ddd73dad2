"""How long the event loop was held: a watcher that sleeps a short interval
and measures how late it woke.

Every coroutine of `ippo run` shares one loop, so a handler or a planner that
computes for 200 ms delays every Slack acknowledgement and Discord response
by as much. The watcher sees that as a late wake-up: asked to sleep
`interval` seconds, it wakes `interval + lag`; `lag` is what someone else held
the loop for (less one interval at most, the time the stall overlapped the
sleep). The monitor keeps the worst lag since it started (or since `reset()`),
the last one, a count of wakes, and hands each lag to an optional `observe`
callback (the Prometheus histogram in `adapters.runtime.metrics`).

A late wake is not always this process's doing: on a busy machine the
operating system may give the CPU to another process meanwhile. So each
wake also reads how much CPU the loop's thread used since it went to sleep
(`time.thread_time`), and `worst_busy_s` keeps the worst of
``min(lag, that CPU)``: how long the loop could at most have been held by
its own work. On a quiet machine the two agree; where they part, the rest
was waiting for a CPU.

    monitor = LoopLagMonitor(interval=0.05)
    monitor.start()          # on the running loop
    ...
    monitor.worst_ms         # the longest stall seen, in milliseconds
    await monitor.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

LagObserver = Callable[[float], None]
"""Called with each wake's lag, in seconds."""


class LoopLagMonitor:
    """Watches the running loop's responsiveness (see the module docstring).

    `interval` is how long each sleep asks for, in seconds; a smaller one sees
    shorter stalls and costs a wake-up per interval (20 per second at 0.05).
    """

    __slots__ = ("_observe", "_task", "interval", "last_s", "samples", "worst_busy_s", "worst_s")

    def __init__(self, *, interval: float = 0.05, observe: LagObserver | None = None) -> None:
        if interval <= 0:
            raise ValueError("interval must be positive")
        self.interval = interval
        self._observe = observe
        self._task: asyncio.Task[None] | None = None
        self.worst_s = 0.0
        self.worst_busy_s = 0.0
        self.last_s = 0.0
        self.samples = 0

    @property
    def worst_busy_ms(self) -> float:
        """The longest stall seen, counting only the loop thread's own CPU
        time in it (see the module docstring), in milliseconds."""
        return self.worst_busy_s * 1000.0

    @property
    def worst_ms(self) -> float:
        """The longest stall seen since start (or `reset()`), in milliseconds."""
        return self.worst_s * 1000.0

    @property
    def last_ms(self) -> float:
        return self.last_s * 1000.0

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def reset(self) -> None:
        """Forget what was seen so far (a benchmark measuring one phase)."""
        self.worst_s = 0.0
        self.worst_busy_s = 0.0
        self.last_s = 0.0
        self.samples = 0

    def record(self, lag_s: float, cpu_s: float | None = None) -> None:
        """One measured lag (negative readings, clock jitter, count as 0), and
        the CPU time the loop's thread used since the watcher went to sleep
        (None: not measured, taken as the whole lag)."""
        lag = max(0.0, lag_s)
        self.last_s = lag
        self.samples += 1
        if lag > self.worst_s:
            self.worst_s = lag
        busy = lag if cpu_s is None else min(lag, max(0.0, cpu_s))
        if busy > self.worst_busy_s:
            self.worst_busy_s = busy
        if self._observe is not None:
            self._observe(lag)

    def start(self) -> None:
        """Start watching on the running loop; starting twice is a no-op."""
        if self.running:
            return
        self._task = asyncio.get_running_loop().create_task(self._watch(), name="ippo-loop-lag")

    async def stop(self) -> None:
        """Stop watching; what was measured stays readable."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _watch(self) -> None:
        while True:
            cpu = time.thread_time()
            asked = time.perf_counter() + self.interval
            await asyncio.sleep(self.interval)
            self.record(time.perf_counter() - asked, time.thread_time() - cpu)
