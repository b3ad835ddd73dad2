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
    assert max(seen) == monitor.worst_s
    assert len(seen) == monitor.samples
    monitor.reset()
    assert monitor.worst_ms == 0.0 and monitor.samples == 0
    await monitor.stop()  # stopping twice is harmless


def test_record_keeps_the_worst_and_the_last() -> None:
    monitor = LoopLagMonitor(interval=1.0)
    for lag in (0.002, 0.030, -0.001, 0.004):
        monitor.record(lag)
    assert monitor.worst_ms == pytest.approx(30.0)
    assert monitor.last_ms == pytest.approx(4.0)
    assert monitor.samples == 4


def test_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        LoopLagMonitor(interval=0)
