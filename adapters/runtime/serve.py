"""`ippo run`: one asyncio loop for every configured adapter and the scheduler.

With no platform token the console chat is the adapter, and scheduled
messages (nudges, announcements) go to the console inbox and show in the
chat as they arrive. With a platform adapter (Slack in either mode, Discord)
an HTTP server on `IPPO_HTTP_HOST:IPPO_HTTP_PORT` serves `/healthz`,
`/readyz` (adapters.runtime.health), `/metrics` (Prometheus,
adapters.runtime.metrics, with the loop-lag monitor) and the calendar feeds,
and in Slack HTTP mode Slack's events too. SIGTERM and SIGINT stop taking new
work, let in-flight sends finish or release, and exit 0.

Starting (`serve`) listens first and loads afterwards, so a container's
health check answers within a second of the process starting:

1. the listening socket is bound and a small *starting* server answers on it
   (`/healthz`: the database answers; `/readyz` and every other path: 503
   "starting") — only aiohttp and SQLAlchemy's engine are loaded by then;
2. the modules the platforms need are imported in a worker thread (`warm`),
   and the public holidays fetched in another (`warm_holidays`), so the loop
   keeps answering meanwhile; then the database is migrated, the core built
   and the platforms opened;
3. the full application takes the socket over: the starting server stops
   accepting (connections arriving meanwhile wait in the socket's backlog)
   and the full one starts on the same socket; `/readyz` answers 200.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web

from adapters.runtime.health import (
    Readiness,
    database_check,
    health_routes,
    readiness_routes,
    starting_routes,
)
from adapters.runtime.loop_lag import LoopLagMonitor
from config.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from adapters.main import Runtime
    from adapters.runtime.metrics import PrometheusMetrics
    from adapters.runtime.platforms import Platforms
    from adapters.runtime.scheduler import Intervals, Scheduler
    from bot.delivery import Dispatcher
    from bot.metrics import Metrics
    from bot.model import Platform
    from bot.ports import Messenger

log = logging.getLogger(__name__)
STOP_GRACE_S = 8.0  # SIGTERM to exit stays within 10 s
LOOP_LAG_INTERVAL_S = 0.05  # the loop-lag monitor's wake-up (adapters.runtime.loop_lag)
BACKLOG = 512  # connections that wait in the socket while the servers hand over

RuntimeOpener = Callable[["AsyncEngine"], Awaitable["Runtime"]]
"""Migrates the database behind the engine and builds the runtime on it
(adapters.main.open_runtime)."""


def build_dispatcher(
    runtime: Runtime, messengers: dict[Platform, Messenger], metrics: Metrics | None = None
) -> Dispatcher:
    from adapters.runtime.factory import dispatcher_from

    return dispatcher_from(runtime.settings, runtime.core, messengers, metrics=metrics)


def scheduler_intervals(settings: Settings) -> Intervals:
    from adapters.runtime.scheduler import Intervals

    return Intervals(
        plan_s=settings.plan_interval_s,
        send_s=settings.send_interval_s,
        recover_s=settings.recover_interval_s,
    )


def build_scheduler(
    runtime: Runtime, messengers: dict[Platform, Messenger], metrics: Metrics | None = None
) -> Scheduler:
    from adapters.runtime.scheduler import Scheduler

    return Scheduler(
        build_dispatcher(runtime, messengers, metrics),
        intervals=scheduler_intervals(runtime.settings),
    )


async def serve_console(runtime: Runtime, *, user: str) -> int:
    """The console deployment: the chat and the scheduler in one loop. What the
    scheduler sends lands in the console inbox and shows in the chat at once
    (a member's own DMs and every channel post); logs go to the log file, never
    into the chat (adapters.main.console_logging)."""
    from adapters.console.chat import ConsoleChat
    from adapters.console.messenger import ConsoleMessenger
    from storage.console_inbox import SqlConsoleInbox

    log.info("no platform token configured: starting the console adapter")
    inbox = SqlConsoleInbox(runtime.store.engine)
    chat = ConsoleChat(runtime.core, user=user, inbox=inbox)
    messenger = ConsoleMessenger(inbox=inbox, clock=runtime.core.clock, on_post=chat.notice)
    chat.messenger = messenger
    scheduler = build_scheduler(runtime, {"console": messenger})
    scheduler.start()
    try:
        return await chat.run()
    finally:
        await scheduler.shutdown(timeout_s=STOP_GRACE_S)


def start_modules(settings: Settings) -> list[str]:
    """What serving the configured platforms imports, beyond this module."""
    modules = [
        "storage.store",
        "adapters.runtime.clock",
        "adapters.runtime.factory",
        "adapters.runtime.metrics",
        "adapters.runtime.platforms",
        "adapters.runtime.scheduler",
        "adapters.sessions_cli",
    ]
    if settings.slack_enabled:
        modules += ["adapters.slack.app", "adapters.slack.oauth"]
    if settings.discord_enabled:
        modules.append("adapters.discord.client")
    return modules


def warm(settings: Settings) -> None:
    """Import `start_modules` (in a worker thread: the loop answers health
    checks meanwhile; ippo's modules do nothing at import but define)."""
    for name in start_modules(settings):
        importlib.import_module(name)


async def warm_holidays(settings: Settings) -> None:
    """Get the deployment's country's public holidays for this decade (a
    child process asks the holidays library: 0.3 s of CPU, none of its memory
    stays here) while starting: the first plan pass, a second after start,
    asks for working days, and would otherwise wait for them on the loop.
    Every later calendar of the country shares the dates. Never fails the
    start: the planner would ask itself."""
    from bot.working_days import WorkingDays

    try:
        await WorkingDays(settings.core_config().holiday_country).load()
    except Exception as err:
        log.warning("holiday table not preloaded", extra={"error": type(err).__name__})


# The collector's thresholds once the heap is settled: CPython's young ones
# (700, 10), and a full collection after 100 middle-generation ones, not 10.
GC_THRESHOLDS = (700, 10, 100)


def settle_heap() -> int:
    """Put what is alive once started (modules, classes, the catalog, the
    apps: ~130,000 objects) out of the garbage collector's reach
    (`gc.freeze`), make full collections rarer (`GC_THRESHOLDS`), and say how
    many objects were frozen.

    Every collection runs on the loop and walks what its generations hold.
    Frozen, the start-up objects are never walked again (they were 50-250 ms
    of every full collection under load) and are never freed, which is what
    start-up objects are anyway. What a busy process keeps for a while
    (interactions waiting their turn, a planning batch, SQLAlchemy's caches,
    connections) is still walked by each full collection: 20-95 ms under
    bench.slack_ack_latency's load, and with CPython's thresholds one ran
    after about every 70,000 allocations (eight in a two-minute run, each a
    stall over 20 ms). After 100 middle-generation collections instead of
    10 (700,000 allocations) that is about one in two minutes under the
    same load, still a stall of that size each. Young
    collections stay as they are: at most a few milliseconds each (raising
    the first threshold to 5,000 made middle ones take up to 33 ms). The
    cost is memory held by reference cycles that outlive the young
    generations, until the next full collection; nearly everything ippo
    frees goes by reference counting, which no threshold delays."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return gc.get_freeze_count()


def listening_sockets(host: str, port: int) -> list[socket.socket]:
    """Bound, listening sockets for every address `host` resolves to."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in dict.fromkeys(found):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
            sock.listen(BACKLOG)
            sock.setblocking(False)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


async def start_server(app: web.Application, sockets: list[socket.socket]) -> web.AppRunner:
    # In-flight requests get a short grace at stop, so SIGTERM exits within 10 s.
    runner = web.AppRunner(app, shutdown_timeout=STOP_GRACE_S / 4)
    await runner.setup()
    for sock in sockets:
        await web.SockSite(runner, sock).start()
    return runner


def full_app(
    runtime: Runtime, platforms: Platforms, metrics: PrometheusMetrics, readiness: Readiness
) -> web.Application:
    """Every route: Slack's (HTTP mode), the feeds, /metrics, /healthz, /readyz."""
    from adapters.runtime.metrics import instrument_discord
    from adapters.sessions_cli import ics_feed_routes

    settings, slack = runtime.settings, platforms.slack
    healthy = database_check(runtime.store.engine)
    # Slack's events (and /healthz) in HTTP mode, else /healthz alone.
    app = slack.web_app() if slack is not None and settings.slack_http_mode else None
    if app is None:
        app = web.Application()
        app.add_routes(health_routes(healthy))
    app.add_routes(readiness_routes(readiness, healthy))
    app.add_routes(ics_feed_routes(runtime.store, clock=runtime.core.clock))
    app.add_routes(metrics.routes())
    if slack is not None and settings.slack_http_mode:
        from adapters.slack.app import EVENTS_PATH

        app.middlewares.append(metrics.ack_timer("slack", EVENTS_PATH))
    instrument_discord(platforms.adapters, metrics)
    return app


def _engine(settings: Settings) -> AsyncEngine:
    from sqlalchemy.exc import ArgumentError

    from storage.db import make_engine
    from storage.errors import DatabaseUnavailable, explain_url

    try:
        return make_engine(settings.database_url)
    except (ArgumentError, ValueError) as err:
        raise DatabaseUnavailable(explain_url(settings.database_url)) from err


async def serve(settings: Settings, *, open_runtime: RuntimeOpener) -> int:
    """Serve the configured platforms (see the module docstring)."""
    engine = _engine(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    readiness = Readiness()
    starting = web.Application()
    starting.add_routes(starting_routes(readiness, database_check(engine)))
    sockets: list[socket.socket] = []
    runners: list[web.AppRunner] = []
    holidays: asyncio.Task[None] | None = None
    try:
        sockets = listening_sockets(settings.http_host, settings.http_port)
        runners.append(await start_server(starting, [sock.dup() for sock in sockets]))
        log.info(
            "http server listening: starting",
            extra={"host": settings.http_host, "port": settings.http_port},
        )
        holidays = asyncio.create_task(warm_holidays(settings), name="ippo-warm-holidays")
        await asyncio.to_thread(warm, settings)
        runtime = await open_runtime(engine)
        from prometheus_client import CollectorRegistry

        from adapters.runtime.metrics import PrometheusMetrics, ledger_reader
        from adapters.runtime.platforms import open_platforms

        clock = runtime.core.clock
        metrics = PrometheusMetrics(
            registry=CollectorRegistry(), clock=clock, ledger=ledger_reader(engine, clock)
        )
        loop_lag = LoopLagMonitor(interval=LOOP_LAG_INTERVAL_S, observe=metrics.loop_lag)
        async with open_platforms(
            runtime,
            serving=True,
            healthy=database_check(engine),
            stop_timeout_s=STOP_GRACE_S / 4,
        ) as platforms:
            app = full_app(runtime, platforms, metrics, readiness)
            scheduler = build_scheduler(runtime, platforms.messengers, metrics)
            try:
                log.info("heap settled", extra={"frozen_objects": settle_heap()})
                # The hand-over: what arrives in between waits in the backlog.
                await runners.pop().cleanup()
                runners.append(await start_server(app, sockets))
                await holidays
                scheduler.start()
                loop_lag.start()
                readiness.status = "ready"
                log.info("ippo is running", extra={"adapters": platforms.names})
                await stop.wait()
                readiness.status = "stopping"
                log.info("stopping: no new work; finishing in-flight sends")
            finally:
                await loop_lag.stop()
                # Sends finish (or release) before the platforms' clients close.
                await scheduler.shutdown(timeout_s=STOP_GRACE_S / 2)
    finally:
        if holidays is not None:
            holidays.cancel()  # a start that failed half-way
        for runner in runners:
            await runner.cleanup()
        for sock in sockets:
            sock.close()
        await engine.dispose()
        sys.stdout.flush()
    return 0
