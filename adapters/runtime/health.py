"""`GET /healthz` for load balancers and container health checks.

Served by `ippo run` whenever a platform adapter runs (Slack in either mode,
Discord), next to the calendar feeds and, in Slack HTTP mode, Slack's events.
It answers 200 ``{"ok": true}`` when the check passes and 503
``{"ok": false}`` when it does not; the check `ippo run` uses is "the database
answers `SELECT 1`".
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"

HealthCheck = Callable[[], Awaitable[bool]]


def health_routes(healthy: HealthCheck | None = None) -> list[web.RouteDef]:
    """The `/healthz` route; with no check it always answers 200."""

    async def health(request: web.Request) -> web.StreamResponse:
        ok = await healthy() if healthy is not None else True
        return web.json_response({"ok": ok}, status=200 if ok else 503)

    return [web.get(HEALTH_PATH, health)]


def database_check(engine: AsyncEngine) -> HealthCheck:
    """A check that passes when the database answers a trivial query."""

    async def healthy() -> bool:
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as err:  # any failure is "unhealthy", never a 500
            log.warning("health check: database unavailable: %s", type(err).__name__)
            return False
        return True

    return healthy
