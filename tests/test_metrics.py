"""`GET /metrics` after a small fan-out through the real Dispatcher and Slack
messenger to the fake Slack API: the counters moved by exactly what was sent,
and the queue gauges follow the ledger."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from adapters.runtime.clock import SystemClock
from adapters.runtime.metrics import (
    METRICS_PATH,
    PrometheusMetrics,
    ippo_version,
    ledger_reader,
)
from adapters.slack.messenger import SlackMessenger, make_client
from bot.assembly import build_core
from bot.metrics import FailureReason
from config.catalog_loader import default_catalog_path, load_catalog
from storage import SqlStore
from storage.deliveries import DeliveryCounts
from tests.conftest import sqlite_url
from tests.fakes.discord_api import FakeDiscordApi
from tests.fakes.slack_api import FakeSlackApi
from tests.fanout import add_members, drain, user_id
from tests.runkit import IppoProcess, free_port, until

MEMBERS = 7
REFUSING = 2  # members 0 and 1 refuse DMs (user_not_found)


@asynccontextmanager
async def served(metrics: PrometheusMetrics) -> AsyncIterator[str]:
    """The routes on a real HTTP server at 127.0.0.1; yields its /metrics URL."""
    app = web.Application()
    app.add_routes(metrics.routes())
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}{METRICS_PATH}"
    finally:
        await runner.cleanup()


class Scrape:
    def __init__(self, text: str) -> None:
        self.samples = {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
        }

    def value(self, name: str, **labels: str) -> float:
        return self.samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def scrape(session: aiohttp.ClientSession, url: str) -> Scrape:
    async with session.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        return Scrape(await response.text())


async def test_metrics_after_a_small_fan_out(sqlite_store: SqlStore) -> None:
    clock = SystemClock()
    core = build_core(sqlite_store, clock, catalog=load_catalog(default_catalog_path()))
    metrics = PrometheusMetrics(
        registry=CollectorRegistry(),
        clock=clock,
        ledger=ledger_reader(sqlite_store.engine, clock),
        version="1.2.3",
    )
    async with (
        FakeSlackApi() as fake,
        served(metrics) as url,
        aiohttp.ClientSession() as session,
    ):
        for i in range(REFUSING):
            fake.refuse(user_id("slack", i), "user_not_found")
        await add_members(sqlite_store, "slack", fake.team_id, MEMBERS, clock.now(), {})
        messenger = SlackMessenger(client=make_client("xoxb-test", fake.api_url))
        dispatcher = core.dispatcher({"slack": messenger}, metrics=metrics)

        empty = await scrape(session, url)
        assert empty.value("ippo_build_info", version="1.2.3") == 1
        assert empty.value("ippo_delivery_queue_depth") == 0
        assert empty.value("ippo_delivery_ledger_up") == 1

        assert await dispatcher.plan(clock.now()) == MEMBERS
        planned = await scrape(session, url)
        assert planned.value("ippo_delivery_queue_depth") == MEMBERS
        assert planned.value("ippo_deliveries_live", kind="nudge", state="pending") == MEMBERS
        assert planned.value("ippo_deliveries", state="pending") == MEMBERS
        assert planned.value("ippo_delivery_oldest_due_age_seconds") > 0  # due a minute ago

        await drain(dispatcher, sqlite_store, clock, limit_s=60)
        done = await scrape(session, url)

    delivered = sum(len(fake.messages_to(user_id("slack", i))) for i in range(MEMBERS))
    assert delivered == MEMBERS - REFUSING
    sends = done.value("ippo_sends_total", platform="slack", kind="nudge")
    assert sends - planned.value("ippo_sends_total", platform="slack", kind="nudge") == delivered
    refused = FailureReason.REFUSED.value
    assert done.value("ippo_send_failures_total", platform="slack", reason=refused) == REFUSING
    assert done.value("ippo_send_latency_seconds_count", platform="slack") == MEMBERS
    assert done.value("ippo_rate_limited_total", platform="slack") == 0
    assert done.value("ippo_delivery_queue_depth") == 0
    assert done.value("ippo_delivery_oldest_due_age_seconds") == 0
    assert done.value("ippo_deliveries_live", kind="nudge", state="pending") == 0
    assert done.value("ippo_deliveries", state="pending") == 0
    assert done.value("ippo_deliveries", state="sent") == delivered
    assert done.value("ippo_deliveries", state="failed") == REFUSING


async def test_a_ledger_that_cannot_be_read_is_marked_down() -> None:
    async def broken() -> DeliveryCounts:
        raise OSError("database away")

    metrics = PrometheusMetrics(
        registry=CollectorRegistry(), clock=SystemClock(), ledger=broken, version="x"
    )
    metrics.loop_lag(0.004)
    metrics.loop_lag(0.120)
    metrics.loop_lag(0.010)
    metrics.ack_latency("slack", 0.02)
    text = (await metrics.exposition()).decode()
    got = Scrape(text)
    assert got.value("ippo_delivery_ledger_up") == 0
    assert got.value("ippo_event_loop_worst_lag_seconds") == 0.120
    assert got.value("ippo_event_loop_lag_seconds_count") == 3
    assert got.value("ippo_ack_latency_seconds_count", platform="slack") == 1


def test_two_registries_in_one_process() -> None:
    """No global registry: a second instance registers its own metrics."""
    first = PrometheusMetrics(registry=CollectorRegistry(), clock=SystemClock(), version="a")
    second = PrometheusMetrics(registry=CollectorRegistry(), clock=SystemClock(), version="b")
    first.sent("slack", "nudge")
    assert (
        first.registry.get_sample_value("ippo_sends_total", {"platform": "slack", "kind": "nudge"})
        == 1
    )
    assert (
        second.registry.get_sample_value("ippo_sends_total", {"platform": "slack", "kind": "nudge"})
        is None
    )


async def test_ack_timer_times_the_events_path_only() -> None:
    metrics = PrometheusMetrics(registry=CollectorRegistry(), clock=SystemClock(), version="x")

    async def ok(request: web.Request) -> web.StreamResponse:
        return web.Response(text="")

    app = web.Application(middlewares=[metrics.ack_timer("slack", "/slack/events")])
    app.router.add_post("/slack/events", ok)
    app.router.add_get("/healthz", ok)
    async with TestClient(TestServer(app)) as client:
        assert (await client.post("/slack/events")).status == 200
        assert (await client.get("/healthz")).status == 200
    count = metrics.registry.get_sample_value(
        "ippo_ack_latency_seconds_count", {"platform": "slack"}
    )
    assert count == 1


async def test_ippo_run_serves_metrics(tmp_path: Path, sqlite_store: SqlStore) -> None:
    """A Discord-only `ippo run` (the gateway unreachable, as in test_health)
    answers /metrics with its version, the ledger and the loop-lag monitor."""
    async with FakeDiscordApi() as discord_api:
        process = IppoProcess(
            {
                "DISCORD_TOKEN": "discord-metrics-test-token",
                "IPPO_DISCORD_API_URL": discord_api.base_url,
                "IPPO_DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{free_port()}/",
                "IPPO_HTTP_HOST": "127.0.0.1",
                "IPPO_HTTP_PORT": str(free_port()),
                "DATABASE_URL": sqlite_url(tmp_path),
            },
            workdir=tmp_path,
            name="metrics",
        ).start()
        try:
            # /metrics comes with the platforms (while starting, only /healthz answers)
            await until(process.ready, "/readyz", timeout_s=60, every_s=0.1, process=process)
            url = f"http://127.0.0.1:{process.port}{METRICS_PATH}"
            seen: list[Scrape] = []

            async def lag_measured() -> bool:
                try:
                    async with aiohttp.ClientSession() as session:
                        got = await scrape(session, url)
                except aiohttp.ClientConnectionError:
                    return False
                seen.append(got)
                return got.value("ippo_event_loop_lag_seconds_count") > 0

            await until(
                lag_measured, "/metrics with a loop lag", timeout_s=60, every_s=0.1, process=process
            )
            got = seen[-1]
            assert got.value("ippo_build_info", version=ippo_version()) == 1
            assert got.value("ippo_delivery_ledger_up") == 1
            assert got.value("ippo_delivery_queue_depth") == 0
            process.send_signal(signal.SIGTERM)
            assert await process.exited(timeout_s=10) == 0, process.log_tail()
        finally:
            await process.stop()
