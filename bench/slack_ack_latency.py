"""Slash-command acknowledgement latency: ippo's Slack app beside a bare Bolt app,
idle and while the same process plans and fans out the weekly nudge.

Both apps run in this process in HTTP mode against the same local fake Slack
Web API, and receive the same signed `/ippo step` requests from concurrent
clients. The bare app (Bolt's defaults) only acks; ippo's app acks and then
does the real work (users.info, the core on SQLite, response_url, App Home)
in the background, which competes for the same event loop, as it would in
production. Three phases, in order:

1. idle: `--requests` to the bare app, then as many to ippo's;
2. loaded: while the same process plans the weekly nudge for `--members` due
   members (`Dispatcher.plan`, on a SQLite file of its own: see below) and then sends it to
   the first `--fanout` of them through the real Slack messenger and the fake
   (no pace limit: as fast as the loop allows), ippo's app is sent the same
   burst of `--requests` every `--pause` seconds until that work is done.

Two layouts (`--layout`):

- ``production`` (the default): as `ippo run` is, one SQLite file holds the
  members, the planner's deliveries and the request ledger
  (`storage.seen_requests.SqlRequestLedger`, which every ack in HTTP mode
  writes before answering: at most once across instances). SQLite takes one
  writer at a time, so an ack waits for any planning or sending transaction
  that holds the write lock: this measures the database and the loop together.
- ``separate``: the load has a file of its own and the app the in-process
  ledger: the event loop alone.

An event-loop lag monitor (adapters.runtime.loop_lag) runs throughout; each
phase reports the worst stall it saw, and the worst counting only the loop
thread's own CPU time in it (on a shared machine the difference is time spent
waiting for a CPU that another process held).

    python -m bench.slack_ack_latency [--requests 400] [--concurrency 16]
        [--members 100000] [--fanout 10000] [--layout production|separate]

Prints one JSON line: p50/p99 (ms) and the worst stall per phase, ippo/bare
ratios when idle, and ippo's loaded/idle p99 ratio.
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

from adapters.runtime.loop_lag import LoopLagMonitor
from adapters.runtime.serve import settle_heap, warm_holidays
from adapters.slack.app import SlackAdapter, build_web_app
from adapters.slack.messenger import SlackMessenger, make_client
from bench.plan_nudges import DUE, populate
from bot.assembly import build_core
from bot.core import Core
from config.catalog_loader import default_catalog_path, load_catalog
from config.settings import Settings
from storage import open_store, upgrade_database
from storage.seen_requests import SqlRequestLedger
from tests.fakes.server import LocalServer
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import FORM, signed_headers, slash_command

SECRET = "bench-signing-secret"
EVENTS = "/slack/events"
LAG_INTERVAL_S = 0.005
UNLIMITED = 10**9  # the fan-out's minute budget: as fast as the loop allows
MAX_SEND_FAILURES = 5  # send passes that may fail before the load gives up


class RealClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class _Pinned:
    """The planner's clock: the instant every member is due."""

    def now(self) -> datetime:
        return DUE


def bare_app(api_url: str) -> web.Application:
    bolt = AsyncApp(client=make_client("xoxb-bench", api_url), signing_secret=SECRET)

    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    bolt.command("/ippo")(ack_only)
    return build_web_app(bolt)


async def measure(
    url: str, fake: FakeSlackApi, *, requests: int, concurrency: int, users: int, tag: str = ""
) -> list[float]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)

    async def client(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            i = queue.get_nowait()
            body = slash_command(
                "step", user=f"U{i % users:05d}", response_url=fake.response_url(f"r{tag}{i}")
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


async def plan_and_fan_out(core: Core, fake: FakeSlackApi, fanout: int) -> dict[str, Any]:
    """The background load: plan every due member, then send until `fanout`
    nudges have reached the fake (the rest stay pending). `core` is on the
    load's own store."""
    messenger = SlackMessenger(
        client=make_client("xoxb-bench", fake.api_url), per_workspace_per_minute=UNLIMITED
    )
    dispatcher = core.dispatcher({"slack": messenger})
    began = time.perf_counter()
    planned = await dispatcher.plan(DUE)
    plan_s = time.perf_counter() - began
    sent_before = fake.requests["chat.postMessage"]
    began = time.perf_counter()
    failures: list[str] = []
    while fake.requests["chat.postMessage"] - sent_before < fanout:
        try:
            report = await dispatcher.send(DUE, budget_s=1.0)
        except Exception as err:  # reported, not hidden: e.g. SQLite's "database is locked"
            failures.append(f"{type(err).__name__}: {_innermost(err)}")
            if len(failures) >= MAX_SEND_FAILURES:
                break
            continue
        if report.claimed == 0:
            break
    return {
        "planned": planned,
        "plan_s": round(plan_s, 2),
        "sent": fake.requests["chat.postMessage"] - sent_before,
        "send_s": round(time.perf_counter() - began, 2),
        "send_failures": failures,
    }


def _innermost(err: BaseException) -> str:
    """The first leaf of an exception group, in one line."""
    while isinstance(err, BaseExceptionGroup) and err.exceptions:
        err = err.exceptions[0]
    return f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"


def forget(fake: FakeSlackApi) -> None:
    """Drop what the fake recorded (its counters stay): it lives in this
    process, and tens of thousands of kept requests would lengthen every full
    garbage collection here, a stall `ippo run` does not have."""
    fake.reset()
    fake.history.clear()


def _phase(latencies: list[float], monitor: LoopLagMonitor) -> dict[str, Any]:
    return {
        **percentiles(latencies),
        "worst_stall_ms": round(monitor.worst_ms, 1),
        "worst_busy_stall_ms": round(monitor.worst_busy_ms, 1),
    }


async def run(
    requests: int,
    concurrency: int,
    users: int,
    members: int,
    fanout: int,
    pause: float,
    layout: str = "production",
) -> dict[str, Any]:
    monitor = LoopLagMonitor(interval=LAG_INTERVAL_S)
    shared = layout == "production"
    async with FakeSlackApi() as fake:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            load_url = url if shared else f"sqlite:///{Path(tmp) / 'load.db'}"
            for db in {url, load_url} if members else {url}:
                await upgrade_database(db)
            if members:
                await populate(load_url, members)
            store = open_store(url)
            load_store = store if shared else open_store(load_url)
            ledger = SqlRequestLedger(store.engine, clock=RealClock()) if shared else None
            catalog = load_catalog(default_catalog_path())
            core = build_core(store, RealClock(), catalog=catalog)
            settings = Settings.model_validate(
                {
                    "slack_bot_token": "xoxb-bench",
                    "slack_signing_secret": SECRET,
                    "slack_api_url": fake.api_url,
                }
            )
            adapter = SlackAdapter(
                core=core, store=store, settings=settings, serve_http=False, ledger=ledger
            )
            ippo_server, bare_server = LocalServer(), LocalServer()
            ippo_url = await ippo_server.start(adapter.web_app()) + EVENTS
            bare_url = await bare_server.start(bare_app(fake.api_url)) + EVENTS
            results: dict[str, Any] = {}
            monitor.start()
            try:
                # warm up both (auth.test, imports, first connections)
                await measure(bare_url, fake, requests=20, concurrency=4, users=users)
                await measure(ippo_url, fake, requests=20, concurrency=4, users=users, tag="w")
                await adapter.drain()
                # as `ippo run` does while starting: without the holiday table
                # the first plan pass asks for it on the loop (a 0.3 s stall)
                await warm_holidays(settings)
                settle_heap()  # as `ippo run` does once started
                # the monitor's next wake reports settle_heap's own collection
                # (a start-up stall): let it pass before the phases reset it
                await asyncio.sleep(2 * LAG_INTERVAL_S)
                shape = {"requests": requests, "concurrency": concurrency, "users": users}
                for name, target in (("bare_bolt", bare_url), ("ippo", ippo_url)):
                    monitor.reset()
                    latencies = await measure(target, fake, **shape, tag=name)
                    await adapter.drain()
                    forget(fake)
                    results[name] = _phase(latencies, monitor)
                if members:
                    monitor.reset()
                    planner = build_core(load_store, _Pinned(), catalog=catalog)
                    load = asyncio.ensure_future(plan_and_fan_out(planner, fake, fanout))
                    loaded: list[float] = []
                    rounds = 0
                    while not load.done():
                        rounds += 1
                        loaded += await measure(ippo_url, fake, **shape, tag=f"l{rounds}")
                        forget(fake)
                        await asyncio.wait([load], timeout=pause)
                    results["ippo_loaded"] = _phase(loaded, monitor)
                    results["load"] = await load
                    await adapter.drain()
            finally:
                await monitor.stop()
                await ippo_server.stop()
                await bare_server.stop()
                await adapter.stop()
                await store.close()
                if load_store is not store:
                    await load_store.close()
    ippo, bare = results["ippo"], results["bare_bolt"]
    summary = {
        "benchmark": "slack_ack_latency",
        "requests": requests,
        "concurrency": concurrency,
        "members": members,
        "fanout": fanout,
        "layout": layout,
        **results,
        "ratio_p50": round(ippo["p50_ms"] / bare["p50_ms"], 2),
        "ratio_p99": round(ippo["p99_ms"] / bare["p99_ms"], 2),
    }
    if "ippo_loaded" in results:
        summary["loaded_over_idle_p99"] = round(
            results["ippo_loaded"]["p99_ms"] / ippo["p99_ms"], 2
        )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--members", type=int, default=100_000, help="due members planned under load (0: idle only)"
    )
    parser.add_argument("--fanout", type=int, default=10_000, help="nudges sent under load")
    parser.add_argument(
        "--pause",
        type=float,
        default=5.0,
        help="seconds between loaded bursts (each burst leaves --requests interactions to process)",
    )
    parser.add_argument(
        "--layout",
        choices=("production", "separate"),
        default="production",
        help="one SQLite file with the SQL request ledger (as ippo run), or the load apart",
    )
    args = parser.parse_args()
    result = asyncio.run(
        run(
            args.requests,
            args.concurrency,
            args.users,
            args.members,
            args.fanout,
            args.pause,
            args.layout,
        )
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
