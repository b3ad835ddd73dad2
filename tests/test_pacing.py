"""The Slack pace (sliding windows, adapters.pace): whichever window the
platform counts, it never holds more than the budget; a window's allowance is
spread over part of the window, not sent in one burst; a channel gets about
one message a second; each workspace has its own budget; the dispatcher is
told how long a full window will keep a workspace waiting (`turn_in`)."""

from __future__ import annotations

import asyncio
import itertools

from adapters.slack.messenger import SENDS_AT_ONCE, Pace, SlackMessenger, make_client
from bot.delivery.pacing import Concurrent, Windowed
from bot.model import UserRef


def most_in_any_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


async def post(pace: Pace, workspace: str, channel: str, times: list[float]) -> None:
    async with pace.slot(workspace, channel):
        times.append(asyncio.get_running_loop().time())


async def test_no_window_holds_more_than_the_budget() -> None:
    pace = Pace(per_channel_per_second=1000, per_workspace_per_minute=6, budget_window_s=0.3)
    times: list[float] = []
    await asyncio.gather(*(post(pace, "T1", f"D{i}", times) for i in range(15)))
    assert len(times) == 15
    assert most_in_any_window(times, 0.3) <= 6


async def test_a_windows_allowance_is_spread_not_burst() -> None:
    """Six a window, spread over half of it: starts at least 0.5 * 0.3 / 6 apart."""
    pace = Pace(
        per_channel_per_second=1000, per_workspace_per_minute=6, budget_window_s=0.3, spread=0.5
    )
    times: list[float] = []
    await asyncio.gather(*(post(pace, "T1", f"D{i}", times) for i in range(6)))
    assert min(b - a for a, b in itertools.pairwise(sorted(times))) >= 0.025 * 0.99


async def test_a_channel_gets_about_one_message_a_second() -> None:
    pace = Pace(per_channel_per_second=20, per_workspace_per_minute=10_000)
    times: list[float] = []
    for _ in range(3):
        await post(pace, "T1", "C1", times)
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.05 * 0.99


async def test_each_workspace_has_its_own_budget() -> None:
    pace = Pace(
        per_channel_per_second=1000, per_workspace_per_minute=2, budget_window_s=60, spread=0
    )
    times: list[float] = []
    await post(pace, "T1", "D1", times)
    await post(pace, "T1", "D2", times)
    assert pace.delay("T1") > 50  # T1's budget is spent for a minute...
    assert pace.delay("T2") == 0.0  # ...T2's is not
    await post(pace, "T2", "D1", times)
    assert len(times) == 3


async def test_the_messenger_tells_the_dispatcher_how_it_wants_to_be_driven() -> None:
    messenger = SlackMessenger(
        client=make_client("xoxb-test", "http://127.0.0.1:9/api/"),
        per_workspace_per_minute=1,
        budget_window_s=60,
    )
    assert isinstance(messenger, Concurrent) and isinstance(messenger, Windowed)
    assert messenger.sends_at_once == SENDS_AT_ONCE
    member = UserRef("slack", "T1", "U1")
    assert messenger.turn_in(member) == 0.0
    async with messenger._pace.slot("T1", "D1"):
        pass
    assert messenger.turn_in(member) > 50  # the minute's one message is spent
    assert messenger.turn_in(UserRef("slack", "T2", "U1")) == 0.0
