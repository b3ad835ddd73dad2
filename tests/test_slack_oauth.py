"""Multi-workspace install: Slack's OAuth flow through Bolt into slack_sdk's
installation store on ippo's database, then signed requests from each
workspace answered with that workspace's own token, workspaces kept apart,
and an uninstall forgetting the token."""

from __future__ import annotations

import asyncio
import re
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from adapters.slack.app import SlackAdapter
from adapters.slack.oauth import InstalledTokens, installation_store, oauth_settings
from bot.model import UserRef
from config.settings import Settings
from storage import SqlStore
from tests.conftest import sqlite_url
from tests.corekit import build_core, build_dispatcher
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import FORM, event_callback, signed_headers, slash_command
from tests.runkit import IppoProcess, free_port, until

SECRET = "test-signing-secret"


@dataclass
class Install:
    fake: FakeSlackApi
    http: TestClient[Any, Any]
    adapter: SlackAdapter
    store: SqlStore

    async def install(self, team: str) -> int:
        """An admin of `team` goes through Slack's install flow; the status of
        the redirect page ippo shows at the end."""
        page = await self.http.get("/slack/install")
        assert page.status == 200
        html = await page.text()
        state = re.search(r"state=([\w\-]+)", html)
        assert state is not None, html
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        code = f"code-{team}"
        self.fake.install_codes[code] = team
        done = await self.http.get(
            "/slack/oauth_redirect",
            params={"code": code, "state": state.group(1)},
            headers={"Cookie": cookie},
        )
        return done.status

    async def command(self, text: str, *, team: str, user: str) -> int:
        body = slash_command(
            text, user=user, team=team, response_url=self.fake.response_url(f"{team}-{user}")
        )
        response = await self.http.post(
            "/slack/events", data=body, headers=signed_headers(SECRET, body, FORM)
        )
        await self.adapter.drain()
        return response.status

    def tokens_used(self, method: str) -> set[str | None]:
        return {c.token for c in self.fake.calls if c.method == method}


@pytest.fixture
async def world(sqlite_store: SqlStore) -> AsyncIterator[Install]:
    async with FakeSlackApi() as fake:
        settings = Settings(
            slack_client_id="1111.2222",
            slack_client_secret=SecretStr("client-secret"),
            slack_signing_secret=SecretStr(SECRET),
            slack_api_url=fake.api_url,
            public_base_url="https://ippo.example.org",
        )
        installations = installation_store(settings, sqlite_store.engine)
        adapter = SlackAdapter(
            core=build_core(sqlite_store),
            store=sqlite_store,
            settings=settings,
            serve_http=False,
            oauth=oauth_settings(settings, sqlite_store.engine, installations),
            tokens=InstalledTokens(installations, ttl_s=0),
        )
        async with TestClient(TestServer(adapter.web_app())) as http:
            yield Install(fake, http, adapter, sqlite_store)
            await adapter.stop()


async def test_two_workspaces_install_and_each_is_answered_with_its_own_token(
    world: Install,
) -> None:
    assert world.adapter.settings.slack_oauth_enabled
    assert await world.install("T0002") == 200
    assert await world.install("T0003") == 200

    assert await world.command("nudge on", team="T0002", user="UONE") == 200
    assert await world.command("help", team="T0003", user="UTWO") == 200
    assert world.fake.responses["T0002-UONE"] and world.fake.responses["T0003-UTWO"]
    assert world.tokens_used("views.publish") == {"xoxb-T0002", "xoxb-T0003"}

    async with world.store.unit() as uow:
        one = await uow.members.get(UserRef("slack", "T0002", "UONE"))
        two = await uow.members.get(UserRef("slack", "T0003", "UTWO"))
        stray = await uow.members.get(UserRef("slack", "T0003", "UONE"))
    assert one is not None and two is not None and stray is None
    assert one.nudge.enabled and one.next_nudge_at is not None

    # The weekly nudge to the member of T0002 goes out with T0002's token.
    core = world.adapter.core
    core.clock.set(one.next_nudge_at)  # type: ignore[attr-defined]
    report = await build_dispatcher(core, {"slack": world.adapter.messenger}).tick()
    assert report.sent.sent == 1
    (nudge,) = [c for c in world.fake.calls if c.method == "chat.postMessage"]
    assert nudge.token == "xoxb-T0002" and nudge.body["channel"] == "UONE"


async def test_a_workspace_that_never_installed_is_not_served(world: Install) -> None:
    await world.install("T0002")
    await world.command("help", team="T0009", user="USTRANGER")
    (answer,) = world.fake.responses["T0009-USTRANGER"]  # Bolt's own "please install"
    assert "install" in answer["text"]
    async with world.store.unit() as uow:
        assert await uow.members.get(UserRef("slack", "T0009", "USTRANGER")) is None


async def test_uninstalling_forgets_the_workspace_token(world: Install) -> None:
    await world.install("T0002")
    assert await world.adapter.tokens.token("T0002") == "xoxb-T0002"
    body = event_callback({"type": "app_uninstalled"}, event_id="Ev1", team="T0002")
    response = await world.http.post(
        "/slack/events", data=body, headers=signed_headers(SECRET, body, "application/json")
    )
    assert response.status == 200
    await world.adapter.drain()
    for _ in range(50):  # Bolt runs the uninstall listener after acknowledging
        if await world.adapter.tokens.token("T0002") is None:
            break
        await asyncio.sleep(0.05)
    assert await world.adapter.tokens.token("T0002") is None


async def test_ippo_run_in_multi_workspace_mode_serves_the_install_page(
    tmp_path: Path, sqlite_store: SqlStore
) -> None:
    """`ippo run` with client id and secret (no bot token) starts Slack in HTTP
    mode with the install flow on IPPO_HTTP_PORT."""
    async with FakeSlackApi() as fake:
        process = IppoProcess(
            {
                "SLACK_CLIENT_ID": "1111.2222",
                "SLACK_CLIENT_SECRET": "client-secret",
                "SLACK_SIGNING_SECRET": SECRET,
                "IPPO_SLACK_API_URL": fake.api_url,
                "IPPO_PUBLIC_URL": "https://ippo.example.org",
                "IPPO_HTTP_PORT": str(free_port()),
                "DATABASE_URL": sqlite_url(tmp_path),
            },
            workdir=tmp_path,
            name="oauth",
        ).start()
        try:
            await until(
                process.ready, "/readyz to answer", timeout_s=60, every_s=0.1, process=process
            )
            async with aiohttp.ClientSession() as session:
                base = f"http://127.0.0.1:{process.port}"
                async with session.get(f"{base}/slack/install") as page:
                    assert page.status == 200
                    html = await page.text()
            assert "https://slack.com/oauth/v2/authorize?state=" in html
            assert "redirect_uri=https://ippo.example.org/slack/oauth_redirect" in html
            assert "scope=commands,chat:write" in html  # the manifest's scopes
            process.send_signal(signal.SIGTERM)
            assert await process.exited(timeout_s=10) == 0, process.log_tail()
        finally:
            await process.stop()
