"""adapters.pace.SlidingWindow on a fake clock (no real time is asserted)."""

from __future__ import annotations

import pytest

from adapters.pace import SlidingWindow, WindowFull


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def starts(window: SlidingWindow, clock: FakeClock, count: int) -> list[float]:
    """When each of `count` back-to-back requests started (each answered at once)."""
    began = []
    for _ in range(count):
        async with window.slot():
            began.append(clock.now)
    return began


async def test_at_most_limit_in_any_period() -> None:
    clock = FakeClock()
    window = SlidingWindow(3, 10.0, clock=clock, sleep=clock.sleep)
    assert await starts(window, clock, 7) == [0, 0, 0, 10, 10, 10, 20]


async def test_counted_from_the_answer() -> None:
    """A request's slot frees one period after its answer, not its start."""
    clock = FakeClock()
    window = SlidingWindow(1, 10.0, clock=clock, sleep=clock.sleep)
    async with window.slot():
        clock.now += 4.0  # a slow answer
    async with window.slot():
        assert clock.now == 14.0


async def test_spacing_spreads_the_allowance() -> None:
    clock = FakeClock()
    window = SlidingWindow(4, 10.0, spacing=2.0, clock=clock, sleep=clock.sleep)
    assert await starts(window, clock, 6) == [0, 2, 4, 6, 10, 12]


async def test_a_long_wait_is_refused_without_taking_a_slot() -> None:
    clock = FakeClock()
    window = SlidingWindow(2, 60.0, clock=clock, sleep=clock.sleep)
    await starts(window, clock, 2)
    with pytest.raises(WindowFull) as full:
        await window.acquire(max_wait_s=5.0)
    assert full.value.wait_s == 60.0
    clock.now = 60.0
    await window.acquire(max_wait_s=5.0)  # the refused attempt took nothing
    assert clock.slept == []
