"""The Slack pace (aiolimiter buckets of one): whichever window the platform
counts, it never holds more than the budget; a channel gets about one message
a second; each workspace has its own budget."""

from __future__ import annotations

import asyncio
import itertools

from adapters.slack.messenger import Pace


def most_in_any_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


async def test_no_window_holds_more_than_the_budget() -> None:
    loop = asyncio.get_running_loop()
    pace = Pace(per_channel_per_second=1000, per_workspace_per_minute=6, budget_window_s=0.3)
    times: list[float] = []
    for i in range(15):
        await pace.wait("T1", f"D{i}")
        times.append(loop.time())
    assert most_in_any_window(times, 0.3) <= 6
    # ...and the budget is used: 15 requests need a little over two windows.
    assert times[-1] - times[0] >= 14 * 0.3 / 5 * 0.99


async def test_a_channel_gets_about_one_message_a_second() -> None:
    loop = asyncio.get_running_loop()
    pace = Pace(per_channel_per_second=20, per_workspace_per_minute=10_000)
    times = []
    for _ in range(3):
        await pace.wait("T1", "C1")
        times.append(loop.time())
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.05 * 0.99


async def test_each_workspace_has_its_own_budget() -> None:
    loop = asyncio.get_running_loop()
    pace = Pace(per_channel_per_second=1000, per_workspace_per_minute=2, budget_window_s=60)
    await pace.wait("T1", "D1")
    started = loop.time()
    await pace.wait("T2", "D1")  # T1's budget is spent for a minute; T2's is not
    assert loop.time() - started < 1.0
