"""`/healthz` whenever a platform adapter runs, not only in Slack HTTP mode:
the shared route's answers, and a Discord-only `ippo run` process serving it
(and the calendar feeds) on IPPO_HTTP_PORT."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.runtime.health import (
    HEALTH_PATH,
    READY_PATH,
    Readiness,
    Status,
    database_check,
    health_routes,
    readiness_routes,
    starting_routes,
)
from bot.model import UserRef
from storage import SqlStore
from storage.db import make_engine
from tests.conftest import sqlite_url
from tests.fakes.discord_api import FakeDiscordApi
from tests.runkit import IppoProcess, free_port, until

FEED_TOKEN = "feed-token-for-health-test"


@pytest.fixture
async def client_for() -> AsyncIterator[list[TestClient[web.Request, web.Application]]]:
    clients: list[TestClient[web.Request, web.Application]] = []
    yield clients
    for client in clients:
        await client.close()


async def serve(
    app: web.Application, clients: list[TestClient[web.Request, web.Application]]
) -> TestClient[web.Request, web.Application]:
    client = TestClient(TestServer(app))
    await client.start_server()
    clients.append(client)
    return client


async def test_healthz_is_200_while_the_database_answers(
    sqlite_store: SqlStore, client_for: list[TestClient[web.Request, web.Application]]
) -> None:
    app = web.Application()
    app.add_routes(health_routes(database_check(sqlite_store.engine)))
    response = await (await serve(app, client_for)).get(HEALTH_PATH)
    assert response.status == 200
    assert await response.json() == {"ok": True}


async def test_healthz_is_503_when_the_database_does_not_answer(
    client_for: list[TestClient[web.Request, web.Application]],
) -> None:
    # PostgreSQL on a port where nothing listens: the connection is refused.
    engine = make_engine(f"postgresql+psycopg://ippo@127.0.0.1:{free_port()}/ippo")
    try:
        app = web.Application()
        app.add_routes(health_routes(database_check(engine)))
        response = await (await serve(app, client_for)).get(HEALTH_PATH)
        assert response.status == 503
        assert await response.json() == {"ok": False}
    finally:
        await engine.dispose()


async def test_while_starting_healthz_answers_and_everything_else_is_503(
    sqlite_store: SqlStore, client_for: list[TestClient[web.Request, web.Application]]
) -> None:
    readiness = Readiness()
    app = web.Application()
    app.add_routes(starting_routes(readiness, database_check(sqlite_store.engine)))
    client = await serve(app, client_for)
    assert (await client.get(HEALTH_PATH)).status == 200
    ready = await client.get(READY_PATH)
    assert ready.status == 503
    assert await ready.json() == {"ok": False, "status": "starting"}
    events = await client.post("/slack/events", data=b"{}")
    assert events.status == 503
    assert events.headers["Retry-After"] == "1"


async def test_readyz_follows_the_status_and_the_database(
    sqlite_store: SqlStore, client_for: list[TestClient[web.Request, web.Application]]
) -> None:
    readiness = Readiness()
    app = web.Application()
    app.add_routes(readiness_routes(readiness, database_check(sqlite_store.engine)))
    client = await serve(app, client_for)
    answers = []
    statuses: tuple[Status, ...] = ("starting", "ready", "stopping")
    for status in statuses:
        readiness.status = status
        response = await client.get(READY_PATH)
        answers.append((response.status, await response.json()))
    assert answers == [
        (503, {"ok": False, "status": "starting"}),
        (200, {"ok": True, "status": "ready"}),
        (503, {"ok": False, "status": "stopping"}),
    ]


async def test_discord_only_run_serves_healthz_and_calendar_feeds(
    tmp_path: Path, sqlite_store: SqlStore
) -> None:
    """The process opens the file `sqlite_store` migrated (`tmp_path/ippo.db`),
    where the member's feed token already is."""
    async with sqlite_store.unit() as uow:
        member = await uow.members.create(
            UserRef("discord", "900", "901"),
            lang="en",
            tz="Asia/Tokyo",
            display_name="aki",
            now=datetime.now(UTC),
        )
        await uow.sessions.feed_token(member.id, FEED_TOKEN)
    async with FakeDiscordApi() as discord_api:
        process = IppoProcess(
            {
                "DISCORD_TOKEN": "discord-health-test-token",
                "IPPO_DISCORD_API_URL": discord_api.base_url,
                # Nothing listens there: the gateway keeps reconnecting, as
                # during a Discord outage; health is about ippo and its database.
                "IPPO_DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{free_port()}/",
                "IPPO_HTTP_HOST": "127.0.0.1",
                "IPPO_HTTP_PORT": str(free_port()),
                "DATABASE_URL": sqlite_url(tmp_path),
            },
            workdir=tmp_path,
            name="discord",
        ).start()
        try:
            answers: list[tuple[int, object]] = []

            async def answered() -> bool:
                answer = await process.healthz()
                if answer is not None:
                    answers.append(answer)
                return answer is not None

            await until(answered, "/healthz to answer", timeout_s=60, every_s=0.1, process=process)
            assert answers[-1] == (200, {"ok": True})  # answered while starting, too
            await until(process.ready, "/readyz to answer", timeout_s=60, process=process)
            assert await process.healthz() == (200, {"ok": True})
            assert await process.healthz("/readyz") == (200, {"ok": True, "status": "ready"})
            base = f"http://127.0.0.1:{process.port}"
            async with aiohttp.ClientSession() as session:
                async with session.get(f"{base}/ics/{FEED_TOKEN}.ics") as feed:
                    assert feed.status == 200
                    assert feed.content_type == "text/calendar"
                    assert "BEGIN:VCALENDAR" in await feed.text()
                async with session.post(f"{base}/slack/events", data=b"{}") as slack:
                    assert slack.status == 404  # Slack is not configured
            assert any(c.path == "/users/@me" for c in discord_api.calls), "never logged in"
            process.send_signal(signal.SIGTERM)
            assert await process.exited(timeout_s=10) == 0, process.log_tail()
        finally:
            await process.stop()
