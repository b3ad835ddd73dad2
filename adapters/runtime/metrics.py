"""`GET /metrics`: ippo's Prometheus metrics (prometheus-client).

`PrometheusMetrics` implements the core's `bot.metrics.Metrics` port on a
`CollectorRegistry` of its own (never the library's global default: one
process may hold several, as tests do), and serves it on ippo's HTTP server
next to `/healthz`. What it exposes:

- counted as it happens, by the Dispatcher: `ippo_sends_total{platform,kind}`,
  `ippo_send_failures_total{platform,reason}` (one per failed attempt; the
  reasons are `bot.metrics.FailureReason`), `ippo_rate_limited_total{platform}`
  (429s), `ippo_send_latency_seconds{platform}` (a histogram, pacing included);
- by the adapters: `ippo_ack_latency_seconds{platform}` (Slack HTTP mode: from
  the request reaching the server to the response; Discord: from the
  interaction reaching ippo to its first response);
- by the loop-lag monitor (`adapters.runtime.loop_lag`):
  `ippo_event_loop_lag_seconds` (a histogram of every wake's lag) and
  `ippo_event_loop_worst_lag_seconds` (the worst since start);
- read from the delivery ledger at each scrape (`SqlDeliveryRepo.counts`: two
  statements on the status index, on a plain connection, off the loop):
  `ippo_deliveries{state}` (every row), `ippo_deliveries_live{kind,state}`
  (pending and sending rows by kind; sent ones by kind are
  `ippo_sends_total`), `ippo_delivery_queue_depth` (pending rows already due)
  and `ippo_delivery_oldest_due_age_seconds`; `ippo_delivery_ledger_up` is 0
  when that read failed (the other figures are then the last ones read);
- `ippo_build_info{version}`.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import logging
from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    generate_latest,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.metrics import FailureReason
from bot.ports import Clock
from storage.deliveries import DeliveryCounts, SqlDeliveryRepo

log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"
LEDGER_READ_TIMEOUT_S = 5.0  # a scrape answers (with the last figures) even if the db hangs

SEND_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
LAG_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)

LedgerReader = Callable[[], Awaitable[DeliveryCounts]]


def ledger_reader(engine: AsyncEngine, clock: Clock) -> LedgerReader:
    """Reads the ledger's counts on a plain connection: no unit of work, so a
    scrape never takes SQLite's write lock."""

    async def read() -> DeliveryCounts:
        async with engine.connect() as conn:
            return await SqlDeliveryRepo(conn).counts(clock.now())

    return read


def ippo_version() -> str:
    try:
        return importlib.metadata.version("ippo")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class PrometheusMetrics:
    """`bot.metrics.Metrics` on one registry, and the `/metrics` route."""

    def __init__(
        self,
        *,
        registry: CollectorRegistry,
        clock: Clock,
        ledger: LedgerReader | None = None,
        version: str | None = None,
    ) -> None:
        self.registry = registry
        self._clock = clock
        self._ledger = ledger
        r = registry
        self._sends = Counter(
            "ippo_sends", "Deliveries posted or edited.", ["platform", "kind"], registry=r
        )
        self._failures = Counter(
            "ippo_send_failures",
            "Failed send attempts (a retried delivery may fail several times).",
            ["platform", "reason"],
            registry=r,
        )
        self._limited = Counter(
            "ippo_rate_limited", "429 answers (sends and lookups).", ["platform"], registry=r
        )
        self._send_latency = Histogram(
            "ippo_send_latency_seconds",
            "One send to the platform, pacing waits included.",
            ["platform"],
            buckets=SEND_BUCKETS,
            registry=r,
        )
        self._ack_latency = Histogram(
            "ippo_ack_latency_seconds",
            "Until an incoming request was acknowledged.",
            ["platform"],
            buckets=ACK_BUCKETS,
            registry=r,
        )
        self._lag = Histogram(
            "ippo_event_loop_lag_seconds",
            "How late the loop-lag monitor woke (what others held the loop for).",
            buckets=LAG_BUCKETS,
            registry=r,
        )
        self._worst_lag_s = 0.0
        self._worst_lag = Gauge(
            "ippo_event_loop_worst_lag_seconds", "The longest loop stall seen.", registry=r
        )
        self._deliveries = Gauge(
            "ippo_deliveries", "Delivery ledger rows by state.", ["state"], registry=r
        )
        self._live = Gauge(
            "ippo_deliveries_live",
            "Pending and sending deliveries by kind.",
            ["kind", "state"],
            registry=r,
        )
        self._depth = Gauge(
            "ippo_delivery_queue_depth", "Pending deliveries already due.", registry=r
        )
        self._oldest = Gauge(
            "ippo_delivery_oldest_due_age_seconds",
            "How long the oldest due pending delivery has waited.",
            registry=r,
        )
        self._ledger_up = Gauge(
            "ippo_delivery_ledger_up", "1 if the last ledger read worked.", registry=r
        )
        Info("ippo_build", "The running ippo.", registry=r).info(
            {"version": version or ippo_version()}
        )

    # ------------------------------------------------------------- Metrics port

    def sent(self, platform: str, kind: str) -> None:
        self._sends.labels(platform, kind).inc()

    def failed(self, platform: str, reason: FailureReason) -> None:
        self._failures.labels(platform, reason.value).inc()

    def rate_limited(self, platform: str) -> None:
        self._limited.labels(platform).inc()

    def send_latency(self, platform: str, seconds: float) -> None:
        self._send_latency.labels(platform).observe(seconds)

    def ack_latency(self, platform: str, seconds: float) -> None:
        self._ack_latency.labels(platform).observe(seconds)

    # ------------------------------------------------------------- the loop

    def loop_lag(self, seconds: float) -> None:
        """`LoopLagMonitor(observe=...)`: one wake's lag."""
        self._lag.observe(seconds)
        if seconds > self._worst_lag_s:
            self._worst_lag_s = seconds
            self._worst_lag.set(seconds)

    # ------------------------------------------------------------- scraping

    async def refresh(self) -> None:
        """Read the ledger's counts into the gauges (each scrape does)."""
        if self._ledger is None:
            return
        try:
            counts = await asyncio.wait_for(self._ledger(), LEDGER_READ_TIMEOUT_S)
        except Exception as err:  # a scrape still answers, with the ledger marked down
            log.warning("metrics: the delivery ledger could not be read: %s", type(err).__name__)
            self._ledger_up.set(0)
            return
        self._ledger_up.set(1)
        self._deliveries.clear()  # a state or kind with no rows left disappears
        for state, count in counts.by_status.items():
            self._deliveries.labels(state).set(count)
        self._live.clear()
        for (kind, state), count in counts.live.items():
            self._live.labels(kind, state).set(count)
        self._depth.set(counts.due)
        oldest = counts.oldest_due
        age = 0.0 if oldest is None else (self._clock.now() - oldest).total_seconds()
        self._oldest.set(max(0.0, age))

    async def exposition(self) -> bytes:
        await self.refresh()
        return generate_latest(self.registry)

    def routes(self) -> list[web.RouteDef]:
        async def metrics(request: web.Request) -> web.StreamResponse:
            body = await self.exposition()
            return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

        return [web.get(METRICS_PATH, metrics)]

    def ack_timer(self, platform: str, path: str) -> Middleware:
        """An aiohttp middleware timing the requests to `path` (a platform's
        events endpoint) as that platform's acknowledgements."""

        @web.middleware
        async def timed(request: web.Request, handler: Handler) -> web.StreamResponse:
            if request.path != path:
                return await handler(request)
            started = asyncio.get_running_loop().time()
            try:
                return await handler(request)
            finally:
                self.ack_latency(platform, asyncio.get_running_loop().time() - started)

        return timed


def instrument_discord(adapters: Iterable[object], metrics: PrometheusMetrics) -> None:
    """Have a Discord adapter's interactions report their first-response time."""
    for adapter in adapters:
        if getattr(adapter, "platform", None) != "discord":
            continue
        from adapters.discord.client import DiscordAdapter  # loaded: Discord runs

        if isinstance(adapter, DiscordAdapter):
            adapter.client.runner.metrics = metrics
