"""Slash-command acknowledgement latency: ippo's Slack app beside a bare Bolt app.

Both run in this process in HTTP mode against the same local fake Slack Web
API, and receive the same signed `/ippo step` requests from concurrent
clients. The bare app only acks; ippo's app acks and then does the real work
(users.info, the core on SQLite, response_url, App Home) in the background —
which competes for the same event loop, as it would in production.

    python -m bench.slack_ack_latency [--requests 400] [--concurrency 16]

Prints one JSON line: p50/p99 (ms) for both apps and ippo/bare ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.async_app import AsyncAck

import storage
from adapters.slack.app import SlackAdapter, build_web_app
from adapters.slack.messenger import make_client
from bot.config import CoreConfig
from bot.core import Core
from bot.i18n import Messages
from config.catalog_loader import default_catalog_path, load_catalog
from config.settings import Settings
from tests.fakes.server import LocalServer
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import FORM, signed_headers, slash_command

SECRET = "bench-signing-secret"
EVENTS = "/slack/events"


class RealClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def bare_app(api_url: str) -> web.Application:
    bolt = AsyncApp(client=make_client("xoxb-bench", api_url), signing_secret=SECRET)

    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    bolt.command("/ippo")(ack_only)
    return build_web_app(bolt)


async def measure(
    url: str, fake: FakeSlackApi, *, requests: int, concurrency: int, users: int
) -> list[float]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)

    async def client(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            i = queue.get_nowait()
            body = slash_command(
                "step", user=f"U{i % users:05d}", response_url=fake.response_url(f"r{i}")
            )
            headers = signed_headers(SECRET, body, FORM)
            start = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                assert response.status == 200, response.status
            latencies.append((time.perf_counter() - start) * 1000)

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(client(session) for _ in range(concurrency)))
    return latencies


def percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": round(cuts[49], 2), "p99_ms": round(cuts[98], 2), "n": len(values)}


async def run(requests: int, concurrency: int, users: int) -> dict[str, Any]:
    async with FakeSlackApi() as fake:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            await storage.upgrade_database(url)
            store = storage.open_store(url)
            core = Core(
                store=store,
                catalog=load_catalog(default_catalog_path()),
                clock=RealClock(),
                config=CoreConfig(),
                messages=Messages.load(),
            )
            settings = Settings(
                slack_bot_token="xoxb-bench",
                slack_signing_secret=SECRET,
                slack_api_url=fake.api_url,
            )
            adapter = SlackAdapter(core=core, store=store, settings=settings, serve_http=False)
            ippo_server, bare_server = LocalServer(), LocalServer()
            ippo_url = await ippo_server.start(adapter.web_app()) + EVENTS
            bare_url = await bare_server.start(bare_app(fake.api_url)) + EVENTS
            try:
                # warm up both (auth.test, imports, first connections)
                await measure(bare_url, fake, requests=20, concurrency=4, users=users)
                await measure(ippo_url, fake, requests=20, concurrency=4, users=users)
                await adapter.drain()
                results: dict[str, Any] = {}
                for name, target in (("bare_bolt", bare_url), ("ippo", ippo_url)):
                    latencies = await measure(
                        target, fake, requests=requests, concurrency=concurrency, users=users
                    )
                    results[name] = percentiles(latencies)
                    await adapter.drain()
            finally:
                await ippo_server.stop()
                await bare_server.stop()
                await adapter.stop()
                await store.close()
    ippo, bare = results["ippo"], results["bare_bolt"]
    return {
        "benchmark": "slack_ack_latency",
        "requests": requests,
        "concurrency": concurrency,
        **results,
        "ratio_p50": round(ippo["p50_ms"] / bare["p50_ms"], 2),
        "ratio_p99": round(ippo["p99_ms"] / bare["p99_ms"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.requests, args.concurrency, args.users))))


if __name__ == "__main__":
    main()
