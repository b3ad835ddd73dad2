"""One weekly nudge to N members, sent through the real Dispatcher and the
real Slack or Discord messenger (their own pacing) to a fake API that
enforces the platform's published limits (tests.fakes, with limits on).

tests/test_bench_fanout.py runs it for a few thousand members in `make test`;
the benchmark runs it at scale and records the figures:

    python -m bench.fanout --platform discord --members 10000
    python -m bench.fanout --platform slack --members 10000 --slack-budget 3000
    python -m bench.fanout --platform slack --members 30000 --slack-budget 3000 --workspaces 3

Set-up: a temporary SQLite database, migrated; N members opted in, in the
timezone where it is now closest to noon (so today's nudge is far from
expiring), due a minute ago. On Discord each member's DM channel is already
stored (a regular week; `open_dms` makes every member's first nudge open the
DM too). On Slack the members may be spread over several workspaces
(`workspaces`; member i in workspace i mod N, each with its own token and
budget on the fake), to show workspaces are sent in parallel: N workspaces
of M members each take about the time of one. Timed: from the first send
pass until no delivery is pending, with `Dispatcher.send` passes back to back
(planning is timed separately as `plan_s`; bench.plan_nudges measures it at
scale).

Prints one JSON line: platform, members, workspaces, delivered (members who got the
nudge), duplicates (messages beyond one per member), lost (reachable members
who got nothing), 429s (answered by the fake), wall_s, floor_s and ratio
(wall_s / floor_s; null when the floor is 0), then refused, requests,
invalid_requests, plan_s and the limit used.

floor_s is the least time the fake's limits allow for the requests the
fan-out needs. A server accepting at most L requests in any W seconds (a
sliding window) takes R requests no faster than: L at once, the next L one
window later, and so on, the last batch after (ceil(R / L) - 1) * W seconds.
- Slack: R = one chat.postMessage per member of the largest workspace
  (refusals count too; workspaces do not share a budget), L = the
  workspace's minute budget, W = 60 s. The per-channel limit (1 a second)
  never binds: each member's DM is its own channel and gets one message.
  With N <= budget the floor is 0 (all may go at once) and ratio is null.
- Discord: R = one message post per member, plus one DM open per member with
  `open_dms`; L = 50 (the global limit), W = 1 s. The per-route buckets do
  not bind: 5 messages per 5 s per channel, one message per DM channel, and
  the DM-opening bucket is no tighter than the global limit.
"""

from __future__ import annotations

import asyncio
import math
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, cast
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from sqlalchemy import Table, func, insert, select

from adapters.discord.client import DiscordAdapter
from adapters.runtime.clock import SystemClock
from adapters.slack.messenger import (
    BUDGET_WINDOW_S,
    WORKSPACE_MINUTE_BUDGET,
    SlackMessenger,
    make_client,
)
from bot.assembly import build_core
from bot.core import Core
from bot.delivery import Dispatcher
from bot.model import Platform
from bot.ports import Clock, DeliveryStatus, Messenger
from config.catalog_loader import default_catalog_path, load_catalog
from config.settings import load_settings
from storage import SqlStore, open_store, upgrade_database
from storage.tables import DeliveryRow, MemberRow
from tests.fakes.discord_api import ROUTE_LIMITS, FakeDiscordApi
from tests.fakes.slack_api import FakeSlackApi

PLATFORMS: tuple[Platform, ...] = ("slack", "discord")
DISCORD_GLOBAL_PER_SECOND = 50
GUILD = "710000000000000001"
DISCORD_USER_BASE = 320_000_000_000_000_000
# One zone every few hours around the globe: one of them is always within
# about 90 minutes of noon.
ZONES = (
    "Pacific/Honolulu",
    "America/Los_Angeles",
    "America/Chicago",
    "America/Sao_Paulo",
    "Atlantic/Cape_Verde",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Bangkok",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)
CHUNK = 5_000


def floor_seconds(requests: int, limit: int, window_s: float) -> float:
    """The least time `requests` take through a server accepting at most
    `limit` in any `window_s` seconds (see the module docstring)."""
    if requests <= 0:
        return 0.0
    return (math.ceil(requests / limit) - 1) * window_s


def noon_zone(now: datetime) -> str:
    """The zone in ZONES where `now` is closest to local noon."""

    def from_noon(zone: str) -> float:
        local = now.astimezone(ZoneInfo(zone))
        return abs(local.hour * 60 + local.minute - 12 * 60)

    return min(ZONES, key=from_noon)


def user_id(platform: Platform, i: int) -> str:
    return f"U{i:08d}" if platform == "slack" else str(DISCORD_USER_BASE + i)


def refusing_indices(members: int, refusing: int) -> set[int]:
    """`refusing` members spread evenly over the N."""
    if refusing <= 0:
        return set()
    step = max(1, members // refusing)
    return {i * step for i in range(min(refusing, members))}


async def add_members(
    store: SqlStore,
    platform: Platform,
    workspace: str | Sequence[str],
    members: int,
    now: datetime,
    dm_channels: dict[int, str],
) -> None:
    """N members due a minute ago, inserted in bulk (not one unit each);
    with several workspaces, member i is in workspace i mod their number."""
    spaces = [workspace] if isinstance(workspace, str) else list(workspace)
    zone = noon_zone(now)
    due = now - timedelta(minutes=1)
    local = due.astimezone(ZoneInfo(zone))
    table = cast(Table, MemberRow.__table__)
    for start in range(0, members, CHUNK):
        rows: list[dict[str, Any]] = [
            {
                "platform": platform,
                "workspace": spaces[i % len(spaces)],
                "user_id": user_id(platform, i),
                "display_name": "",
                "lang": "ja" if i % 2 else "en",
                "tz": zone,
                "reasons": [],
                "rung": 1,
                "nudge_enabled": True,
                "nudge_weekday": local.weekday(),
                "nudge_time": local.strftime("%H:%M"),
                "nudge_cadence": "weekly",
                "nudge_unanswered": 0,
                "next_nudge_at": due,
                "unreachable": False,
                "dm_channel_id": dm_channels.get(i),
                "created_at": now - timedelta(days=30),
            }
            for i in range(start, min(members, start + CHUNK))
        ]
        async with store.engine.begin() as conn:
            await conn.execute(insert(table), rows)


async def ledger(store: SqlStore) -> dict[str, int]:
    """Deliveries by status."""
    d = DeliveryRow
    async with store.engine.connect() as conn:
        rows = await conn.execute(select(d.status, func.count()).group_by(d.status))
        return {str(status): int(count) for status, count in rows}


async def next_pending(store: SqlStore) -> tuple[int, datetime | None]:
    """How many deliveries are pending, and the earliest time one is due."""
    d = DeliveryRow
    query = select(func.count(), func.min(d.not_before)).where(
        d.status == DeliveryStatus.PENDING.value
    )
    async with store.engine.connect() as conn:
        count, earliest = (await conn.execute(query)).one()
    return int(count), earliest


async def drain(dispatcher: Dispatcher, store: SqlStore, clock: Clock, limit_s: float) -> int:
    """Send passes back to back until nothing is pending (or `limit_s` has
    passed); sleeps only while every pending delivery is held back for later.
    Returns the number of passes."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + limit_s
    passes = 0
    while loop.time() < give_up:
        await dispatcher.send(clock.now())
        passes += 1
        pending, earliest = await next_pending(store)
        if pending == 0:
            break
        if earliest is not None:
            ahead = (earliest - clock.now()).total_seconds()
            if ahead > 0:
                await asyncio.sleep(min(ahead, max(0.0, give_up - loop.time())))
    return passes


async def run_fanout(
    platform: Platform,
    members: int,
    *,
    slack_budget: int = WORKSPACE_MINUTE_BUDGET,
    refusing: int = 0,
    open_dms: bool = False,
    slack_window_s: float = BUDGET_WINDOW_S,
    workspaces: int = 1,
) -> dict[str, Any]:
    """Run one fan-out and return its figures (the JSON line's fields).

    `workspaces` (Slack only) spreads the members over that many workspaces.

    `refusing` members refuse DMs (Slack `user_not_found`, Discord 50007).
    `slack_window_s` shortens Slack's minute (on the fake and in the messenger
    alike) so tests can cross several windows in seconds; the benchmark keeps
    Slack's 60 s.
    """
    if platform not in PLATFORMS:
        raise ValueError(f"platform must be one of {PLATFORMS}, not {platform!r}")
    if workspaces < 1 or (platform == "discord" and workspaces > 1):
        raise ValueError("workspaces: 1 or more on Slack; Discord's limit is per bot, not guild")
    clock = SystemClock()
    refused = refusing_indices(members, refusing)
    with tempfile.TemporaryDirectory(prefix="ippo-fanout-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'fanout.db'}"
        await upgrade_database(url)
        store = open_store(url)
        core = build_core(store, clock, catalog=load_catalog(default_catalog_path()))
        try:
            if platform == "slack":
                return await _slack(
                    core, store, members, refused, slack_budget, slack_window_s, workspaces
                )
            return await _discord(core, store, members, refused, open_dms)
        finally:
            await store.close()


class TeamTokens:
    """A bot token per workspace (the bench's installations)."""

    def __init__(self, tokens: dict[str, str]) -> None:
        self._tokens = tokens

    async def token(self, team_id: str) -> str | None:
        return self._tokens.get(team_id)


async def _slack(
    core: Core,
    store: SqlStore,
    members: int,
    refused: set[int],
    budget: int,
    window_s: float,
    workspaces: int,
) -> dict[str, Any]:
    teams = [f"T{k + 1:04d}" for k in range(workspaces)]
    tokens = {team: f"xoxb-bench-{team}" for team in teams}
    async with FakeSlackApi(
        team_id=teams[0],
        tokens={token: team for team, token in tokens.items()},
        enforce_pace=True,
        per_workspace_per_minute=budget,
        window_s=window_s,
    ) as fake:
        for i in refused:
            fake.refuse(user_id("slack", i), "user_not_found")
        await add_members(store, "slack", teams, members, core.clock.now(), {})
        messenger = SlackMessenger(
            client=make_client(None, fake.api_url),
            tokens=TeamTokens(tokens),
            per_workspace_per_minute=budget,
            budget_window_s=window_s,
        )
        per_workspace = math.ceil(members / workspaces)
        return await _fan_out(
            core,
            store,
            "slack",
            messenger,
            fake,
            members,
            refused,
            floor=floor_seconds(per_workspace, budget, window_s),
            limit=f"{budget} chat.postMessage per {window_s:g} s per workspace",
            workspaces=workspaces,
        )


async def _discord(
    core: Core, store: SqlStore, members: int, refused: set[int], open_dms: bool
) -> dict[str, Any]:
    async with FakeDiscordApi(
        global_limit_per_second=DISCORD_GLOBAL_PER_SECOND, route_limits=ROUTE_LIMITS
    ) as fake:
        users = [user_id("discord", i) for i in range(members)]
        fake.refuse_dm.update(users[i] for i in refused)
        stored = {} if open_dms else {i: fake.dm_channel(u) for i, u in enumerate(users)}
        await add_members(store, "discord", GUILD, members, core.clock.now(), stored)
        settings = load_settings(
            discord_token=SecretStr("bench-token"), discord_api_url=fake.base_url
        )
        adapter = DiscordAdapter(core=core, store=store, settings=settings)
        await adapter.login()
        try:
            needed = members * (2 if open_dms else 1)
            return await _fan_out(
                core,
                store,
                "discord",
                adapter.messenger,
                fake,
                members,
                refused,
                floor=floor_seconds(needed, DISCORD_GLOBAL_PER_SECOND, 1.0),
                limit=f"{DISCORD_GLOBAL_PER_SECOND} requests per 1 s (global)",
            )
        finally:
            await adapter.stop()


class CountingFake(Protocol):
    """What both fakes count."""

    requests: Counter[str]
    rate_limited: int
    invalid_requests: int

    def duplicates(self) -> int: ...

    def messages_to(self, user_id: str) -> Sequence[object]: ...


async def _fan_out(
    core: Core,
    store: SqlStore,
    platform: Platform,
    messenger: Messenger,
    fake: CountingFake,
    members: int,
    refused: set[int],
    *,
    floor: float,
    limit: str,
    workspaces: int = 1,
) -> dict[str, Any]:
    """Plan, then send until nothing is pending, wired as `ippo run` wires
    the dispatcher (adapters.runtime.serve.build_dispatcher)."""
    clock = core.clock
    dispatcher = core.dispatcher({platform: messenger})
    began = time.perf_counter()
    planned = await dispatcher.plan(clock.now())
    plan_s = time.perf_counter() - began
    if planned != members:
        raise RuntimeError(f"planned {planned} of {members} members")
    requests_before = fake.requests.total()
    began = time.perf_counter()
    await drain(dispatcher, store, clock, limit_s=3 * floor + 120 + 0.05 * members)
    wall = time.perf_counter() - began
    got = [len(fake.messages_to(user_id(platform, i))) for i in range(members)]
    reachable = [n for i, n in enumerate(got) if i not in refused]
    delivered = sum(1 for n in reachable if n > 0)
    statuses = await ledger(store)
    return {
        "platform": platform,
        "members": members,
        "workspaces": workspaces,
        "delivered": delivered,
        "duplicates": fake.duplicates(),
        "lost": len(reachable) - delivered,
        "429s": fake.rate_limited,
        "wall_s": round(wall, 2),
        "floor_s": round(floor, 2),
        "ratio": round(wall / floor, 3) if floor > 0 else None,
        "refused": statuses.get(DeliveryStatus.FAILED.value, 0),
        "requests": fake.requests.total() - requests_before,
        "invalid_requests": fake.invalid_requests,
        "plan_s": round(plan_s, 2),
        "limit": limit,
    }
