"""`ippo run`: one asyncio loop for every configured adapter and the scheduler.

With no platform token the console chat is the adapter, and scheduled
messages (nudges, announcements) go to the console inbox and show in the
chat as they arrive. With a platform adapter (Slack in either mode, Discord)
an HTTP server on
`IPPO_HTTP_HOST:IPPO_HTTP_PORT` serves `/healthz`, `/metrics` (Prometheus,
adapters.runtime.metrics, with the loop-lag monitor) and the calendar feeds,
and in Slack HTTP mode Slack's events too. SIGTERM and SIGINT stop taking new
work, let in-flight sends finish or release, and exit 0.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CollectorRegistry

from adapters.console.chat import ConsoleChat
from adapters.console.messenger import ConsoleMessenger
from adapters.runtime.factory import dispatcher_from
from adapters.runtime.health import database_check, health_routes
from adapters.runtime.loop_lag import LoopLagMonitor
from adapters.runtime.metrics import PrometheusMetrics, instrument_discord, ledger_reader
from adapters.runtime.platforms import open_platforms
from adapters.runtime.scheduler import Intervals, Scheduler
from adapters.sessions_cli import ics_feed_routes
from bot.delivery import Dispatcher
from bot.metrics import Metrics
from bot.model import Platform
from bot.ports import Messenger
from config.settings import Settings
from storage.console_inbox import SqlConsoleInbox

if TYPE_CHECKING:
    from adapters.main import Runtime

log = logging.getLogger(__name__)
STOP_GRACE_S = 8.0  # SIGTERM to exit stays within 10 s
LOOP_LAG_INTERVAL_S = 0.05  # the loop-lag monitor's wake-up (adapters.runtime.loop_lag)


def build_dispatcher(
    runtime: Runtime, messengers: dict[Platform, Messenger], metrics: Metrics | None = None
) -> Dispatcher:
    return dispatcher_from(runtime.settings, runtime.core, messengers, metrics=metrics)


def scheduler_intervals(settings: Settings) -> Intervals:
    return Intervals(
        plan_s=settings.plan_interval_s,
        send_s=settings.send_interval_s,
        recover_s=settings.recover_interval_s,
    )


def build_scheduler(
    runtime: Runtime, messengers: dict[Platform, Messenger], metrics: Metrics | None = None
) -> Scheduler:
    return Scheduler(
        build_dispatcher(runtime, messengers, metrics),
        intervals=scheduler_intervals(runtime.settings),
    )


async def serve_console(runtime: Runtime, *, user: str) -> int:
    """The console deployment: the chat and the scheduler in one loop. What the
    scheduler sends lands in the console inbox and shows in the chat at once
    (a member's own DMs and every channel post); logs go to the log file, never
    into the chat (adapters.main.console_logging)."""
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


async def serve(runtime: Runtime, *, user: str) -> int:
    settings = runtime.settings
    if not (settings.slack_enabled or settings.discord_enabled):
        return await serve_console(runtime, user=user)

    healthy = database_check(runtime.store.engine)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runner: web.AppRunner | None = None
    clock = runtime.core.clock
    metrics = PrometheusMetrics(
        registry=CollectorRegistry(), clock=clock, ledger=ledger_reader(runtime.store.engine, clock)
    )
    loop_lag = LoopLagMonitor(interval=LOOP_LAG_INTERVAL_S, observe=metrics.loop_lag)
    try:
        async with open_platforms(
            runtime, serving=True, healthy=healthy, stop_timeout_s=STOP_GRACE_S / 4
        ) as platforms:
            slack = platforms.slack
            # Slack's events (and /healthz) in HTTP mode, else /healthz alone.
            app = slack.web_app() if slack is not None and settings.slack_http_mode else None
            if app is None:
                app = web.Application()
                app.add_routes(health_routes(healthy))
            app.add_routes(ics_feed_routes(runtime.store, clock=runtime.core.clock))
            app.add_routes(metrics.routes())
            if slack is not None and settings.slack_http_mode:
                from adapters.slack.app import EVENTS_PATH

                app.middlewares.append(metrics.ack_timer("slack", EVENTS_PATH))
            instrument_discord(platforms.adapters, metrics)
            # In-flight requests get a short grace at stop, so SIGTERM exits within 10 s.
            runner = web.AppRunner(app, shutdown_timeout=STOP_GRACE_S / 4)
            scheduler = build_scheduler(runtime, platforms.messengers, metrics)
            try:
                await runner.setup()
                await web.TCPSite(runner, settings.http_host, settings.http_port).start()
                log.info(
                    "http server listening",
                    extra={"host": settings.http_host, "port": settings.http_port},
                )
                scheduler.start()
                loop_lag.start()
                log.info("ippo is running", extra={"adapters": platforms.names})
                await stop.wait()
                log.info("stopping: no new work; finishing in-flight sends")
            finally:
                await loop_lag.stop()
                # Sends finish (or release) before the platforms' clients close.
                await scheduler.shutdown(timeout_s=STOP_GRACE_S / 2)
    finally:
        if runner is not None:
            await runner.cleanup()
        sys.stdout.flush()
    return 0
