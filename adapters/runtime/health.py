"""`GET /healthz` and `GET /readyz` for load balancers and container checks.

Served by `ippo run` whenever a platform adapter runs (Slack in either mode,
Discord), next to the calendar feeds and, in Slack HTTP mode, Slack's events.

- `/healthz` (liveness) answers 200 ``{"ok": true}`` when the check passes
  and 503 ``{"ok": false}`` when it does not; the check `ippo run` uses is
  "the database answers `SELECT 1`". It answers from the first moment the
  HTTP server listens, while ippo is still migrating and loading the platforms.
- `/readyz` (readiness) answers 200 ``{"ok": true, "status": "ready"}`` once
  ippo takes work (platforms open, scheduler running) and the check passes;
  else 503 with the `Readiness` status: ``"starting"``, ``"ready"`` (the
  database does not answer) or ``"stopping"`` (SIGTERM: drain me).

While starting, every other path answers 503 ``{"ok": false, "status":
"starting"}`` with ``Retry-After: 1`` (`starting_routes`): Slack retries an
event it could not deliver.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from aiohttp import web
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
RETRY_AFTER_S = 1

Status = Literal["starting", "ready", "stopping"]

HealthCheck = Callable[[], Awaitable[bool]]


def health_routes(healthy: HealthCheck | None = None) -> list[web.RouteDef]:
    """The `/healthz` route; with no check it always answers 200."""

    async def health(request: web.Request) -> web.StreamResponse:
        ok = await healthy() if healthy is not None else True
        return web.json_response({"ok": ok}, status=200 if ok else 503)

    return [web.get(HEALTH_PATH, health)]


def _select_one(connection: Connection) -> None:
    # On the DBAPI connection, outside any transaction: through SQLAlchemy the
    # query would begin one first, and ippo begins SQLite's IMMEDIATE
    # (storage.db), which waits behind any writer: a migration at start, a
    # planning batch. Being busy is not being unhealthy.
    dbapi: Any = connection.connection.dbapi_connection
    cursor = dbapi.cursor()
    try:
        cursor.execute("SELECT 1")
        cursor.fetchall()
    finally:
        cursor.close()


def database_check(engine: AsyncEngine) -> HealthCheck:
    """A check that passes when the database answers a trivial query (without
    waiting for SQLite's write lock)."""

    async def healthy() -> bool:
        try:
            async with engine.connect() as conn:
                await conn.run_sync(_select_one)
        except Exception as err:  # any failure is "unhealthy", never a 500
            log.warning("health check: database unavailable: %s", type(err).__name__)
            return False
        return True

    return healthy


class Readiness:
    """Where `ippo run` is in its life (see the module docstring)."""

    __slots__ = ("status",)

    def __init__(self) -> None:
        self.status: Status = "starting"


def readiness_routes(
    readiness: Readiness, healthy: HealthCheck | None = None
) -> list[web.RouteDef]:
    """The `/readyz` route."""

    async def ready(request: web.Request) -> web.StreamResponse:
        status = readiness.status
        ok = status == "ready" and (await healthy() if healthy is not None else True)
        return web.json_response({"ok": ok, "status": status}, status=200 if ok else 503)

    return [web.get(READY_PATH, ready)]


def starting_routes(readiness: Readiness, healthy: HealthCheck | None = None) -> list[web.RouteDef]:
    """What the HTTP server serves while ippo starts: `/healthz`, `/readyz`,
    and 503 "starting" for anything else."""

    async def starting(request: web.Request) -> web.StreamResponse:
        return web.json_response(
            {"ok": False, "status": readiness.status},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )

    return [
        *health_routes(healthy),
        *readiness_routes(readiness, healthy),
        web.route("*", "/{tail:.*}", starting),
    ]
