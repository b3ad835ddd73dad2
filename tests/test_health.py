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

from adapters.runtime.health import HEALTH_PATH, database_check, health_routes
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
            assert answers[-1] == (200, {"ok": True})
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
