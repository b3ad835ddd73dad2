"""The nudge fan-out against fake Slack and Discord APIs that enforce the
platforms' published limits (tests.fanout): every member gets exactly one
nudge, nothing is lost, and the real messengers' pacing keeps 429s to a few.

The figures (wall time against the limits' floor) are printed, never
asserted: `make bench` (`python -m bench.fanout` at scale) records them.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from tests.fakes.discord_api import ROUTE_LIMITS, FakeDiscordApi
from tests.fakes.slack_api import FakeSlackApi
from tests.fanout import floor_seconds, run_fanout

MEMBERS = 2_000
SLACK_BUDGET = 6_000  # a minute's budget above N: only the client's own speed limits it
MAX_429S = 5
SLACK_AUTH = {"Authorization": "Bearer xoxb-bench"}
DISCORD_AUTH = {"Authorization": "Bot bench"}


def check(result: dict[str, Any], *, refused: int = 0) -> None:
    print(json.dumps(result))
    assert result["delivered"] == result["members"] - refused
    assert result["refused"] == refused
    assert result["duplicates"] == 0
    assert result["lost"] == 0
    assert result["429s"] <= MAX_429S


async def test_slack_fan_out_to_2000_members() -> None:
    check(await run_fanout("slack", MEMBERS, slack_budget=SLACK_BUDGET))


async def test_discord_fan_out_to_2000_members_at_the_real_global_limit() -> None:
    result = await run_fanout("discord", MEMBERS)
    check(result)
    assert result["requests"] == MEMBERS  # DM channels stored: one post each


async def test_slack_budget_crossed_several_times_without_429s() -> None:
    """A 2 s "minute" of 100 messages: 450 members need five windows. The
    pace spreads each window's budget evenly, so the fake never answers 429."""
    result = await run_fanout("slack", 450, slack_budget=100, slack_window_s=2.0, refusing=5)
    check(result, refused=5)
    assert result["429s"] == 0
    assert result["floor_s"] == 8.0


async def test_slack_workspaces_each_with_its_own_budget() -> None:
    """Three workspaces, each 150 members against a 2 s "minute" of 50: each
    workspace's floor is 4 s, and they share no budget."""
    result = await run_fanout(
        "slack", 450, slack_budget=50, slack_window_s=2.0, refusing=3, workspaces=3
    )
    check(result, refused=3)
    assert result["workspaces"] == 3
    assert result["429s"] == 0
    assert result["floor_s"] == 4.0


async def test_discord_refusals_and_dm_opening() -> None:
    result = await run_fanout("discord", 150, refusing=7, open_dms=True)
    check(result, refused=7)
    assert result["invalid_requests"] == 7  # one 50007 each, never retried
    assert result["requests"] == 2 * 150  # a DM opened and a message posted per member


def test_floor_of_a_sliding_window() -> None:
    assert floor_seconds(0, 50, 1.0) == 0.0
    assert floor_seconds(50, 50, 1.0) == 0.0
    assert floor_seconds(51, 50, 1.0) == 1.0
    assert floor_seconds(10_000, 50, 1.0) == 199.0
    assert floor_seconds(10_000, 3_000, 60.0) == 180.0


async def test_the_fakes_answer_429_beyond_their_limits() -> None:
    """Unpaced clients over the limits get 429s from both fakes (so the fan-out
    tests above would notice a pace that overdraws)."""
    async with (
        FakeSlackApi(enforce_pace=True, per_workspace_per_minute=3) as slack,
        aiohttp.ClientSession() as http,
    ):
        statuses = []
        for i in range(5):
            post = {"channel": f"U{i}", "text": "hi"}
            async with http.post(
                slack.api_url + "chat.postMessage", json=post, headers=SLACK_AUTH
            ) as response:
                statuses.append(response.status)
                if response.status == 429:
                    assert int(response.headers["Retry-After"]) >= 1
                    assert (await response.json())["error"] == "ratelimited"
        assert statuses == [200, 200, 200, 429, 429]
        assert slack.rate_limited == 2

    async with (
        FakeDiscordApi(route_limits=ROUTE_LIMITS) as api,
        aiohttp.ClientSession() as http,
    ):
        channel = api.dm_channel("42")
        url = f"{api.base_url}/channels/{channel}/messages"
        body = {"content": "hi", "nonce": "n1", "enforce_nonce": True}
        answers = []
        for _ in range(7):
            async with http.post(url, json=body, headers=DISCORD_AUTH) as response:
                answers.append((response.status, response.headers.get("X-RateLimit-Scope")))
                assert response.headers["X-RateLimit-Bucket"]
        # 5 per 5 s per channel, then the route's bucket answers 429; the
        # repeated nonce returned the first message instead of posting again.
        assert answers == [(200, None)] * 5 + [(429, "user")] * 2
        assert len(api.messages_to("42")) == 1
        assert api.nonce_hits == 4

    async with (
        FakeDiscordApi(global_limit_per_second=3) as api,
        aiohttp.ClientSession() as http,
    ):
        answers = []
        for user in range(5):
            async with http.post(
                f"{api.base_url}/users/@me/channels",
                json={"recipient_id": str(user)},
                headers=DISCORD_AUTH,
            ) as response:
                answers.append((response.status, response.headers.get("X-RateLimit-Global")))
                if response.status == 429:
                    assert (await response.json())["global"] is True
        assert answers == [(200, None)] * 3 + [(429, "true")] * 2
        assert api.invalid_requests == api.rate_limited == 2
