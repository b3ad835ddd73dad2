"""The event-loop lag monitor sees a stall it is made to see."""

from __future__ import annotations

import asyncio
import time

import pytest

from adapters.runtime.loop_lag import LoopLagMonitor


async def test_a_blocked_loop_shows_as_the_worst_lag() -> None:
    seen: list[float] = []
    woke = asyncio.Event()

    def observe(lag: float) -> None:
        seen.append(lag)
        woke.set()

    monitor = LoopLagMonitor(interval=0.01, observe=observe)
    monitor.start()
    monitor.start()  # a second start is a no-op
    await woke.wait()  # it is asleep again, waiting for its next wake
    woke.clear()
    time.sleep(0.1)  # noqa: ASYNC251 - holding the loop is the point: the next wake is late
    await woke.wait()
    await monitor.stop()
    assert not monitor.running
    # It asked to wake at most one interval after the stall began.
    assert monitor.worst_ms >= 90.0
    assert monitor.worst_busy_ms <= monitor.worst_ms
    assert max(seen) == monitor.worst_s
    assert len(seen) == monitor.samples
    monitor.reset()
    assert monitor.worst_ms == 0.0 and monitor.worst_busy_ms == 0.0 and monitor.samples == 0
    await monitor.stop()  # stopping twice is harmless


def test_record_keeps_the_worst_and_the_last() -> None:
    monitor = LoopLagMonitor(interval=1.0)
    for lag in (0.002, 0.030, -0.001, 0.004):
        monitor.record(lag)
    assert monitor.worst_ms == pytest.approx(30.0)
    assert monitor.last_ms == pytest.approx(4.0)
    assert monitor.samples == 4


def test_a_stall_spent_off_the_cpu_is_not_counted_as_busy() -> None:
    """A wake late by 80 ms while the loop's thread used 10 ms of CPU was
    held by its own work for 10 ms at most: the rest it waited for a CPU."""
    monitor = LoopLagMonitor(interval=1.0)
    monitor.record(0.080, 0.010)
    monitor.record(0.020, 0.050)  # busier than late: the lag is the bound
    monitor.record(0.030)  # CPU not measured: the lag itself
    assert monitor.worst_ms == pytest.approx(80.0)
    assert monitor.worst_busy_ms == pytest.approx(30.0)


def test_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        LoopLagMonitor(interval=0)
