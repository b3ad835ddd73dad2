"""`ippo tick` sends through every configured platform, as `ippo run` does.

Members on Slack, on Discord and on the console turn weekly nudges on through
the core; then `ippo tick --at <their slot>` runs — once in this process
(`tick_command` with settings pointing at the local fake Slack Web API and
fake Discord REST API) and once as a real `ippo tick` process configured by
environment variables. Each due nudge reaches each platform exactly once
(asserted on what the fakes received), a second tick at the same moment sends
nothing, Discord is used over REST without a gateway connection, and no HTTP
client session is left unclosed.
"""

from __future__ import annotations

import asyncio
import gc
import io
import sys
import warnings
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from slack_sdk.oauth.installation_store import Installation

from adapters.runtime.tick import summary, tick_command, tick_main
from adapters.slack.oauth import installation_store
from bot.model import UserRef
from bot.testing import Harness
from config.settings import Settings
from storage import SqlStore, open_store, upgrade_database
from tests.conftest import sqlite_url
from tests.corekit import build_core
from tests.fakes.discord_api import FakeDiscordApi
from tests.fakes.slack_api import FakeSlackApi
from tests.runkit import clean_env

TEAM = "T0001"
GUILD = "700000000000000001"
SLACK_TOKEN = "xoxb-tick-test"
SLACK_USERS = ["UAKI", "UBOB"]
DISCORD_USERS = ["101", "102"]
CONSOLE_USER = "cho"
PROCESS_TIMEOUT_S = 120.0


async def opt_in(store: SqlStore, members: list[UserRef]) -> datetime:
    """Each member turns weekly nudges on through the core (the harness clock
    starts on Tuesday 24 November); returns their shared next slot."""
    core = build_core(store)
    for ref in members:
        harness = Harness(core, platform=ref.platform, workspace=ref.workspace)
        await harness.member(ref.id).say("/ippo nudge on")
    slots = set()
    async with store.unit() as uow:
        for ref in members:
            member = await uow.members.get(ref)
            assert member is not None and member.nudge.enabled, ref
            slots.add(member.next_nudge_at)
    (slot,) = slots
    assert slot is not None
    return slot


@dataclass
class World:
    slack: FakeSlackApi
    discord: FakeDiscordApi
    url: str
    slot: datetime

    def settings(self) -> Settings:
        """Slack (one workspace, HTTP mode) and Discord, as `ippo run` would be
        configured, pointed at the fakes."""
        return Settings(
            database_url=self.url,
            slack_bot_token=SecretStr(SLACK_TOKEN),
            slack_signing_secret=SecretStr("tick-test-secret"),
            slack_api_url=self.slack.api_url,
            discord_token=SecretStr("discord-tick-test-token"),
            discord_api_url=self.discord.base_url,
        )

    def env(self) -> dict[str, str]:
        """The same configuration as environment variables, for a real process."""
        return clean_env(
            {
                "DATABASE_URL": self.url,
                "SLACK_BOT_TOKEN": SLACK_TOKEN,
                "SLACK_SIGNING_SECRET": "tick-test-secret",
                "IPPO_SLACK_API_URL": self.slack.api_url,
                "DISCORD_TOKEN": "discord-tick-test-token",
                "IPPO_DISCORD_API_URL": self.discord.base_url,
                # Every unclosed resource would be reported on stderr.
                "PYTHONWARNINGS": "always::ResourceWarning",
            }
        )

    def slack_posts(self) -> list[dict[str, Any]]:
        return self.slack.calls_to("chat.postMessage")

    def discord_posts(self) -> dict[str, int]:
        """user id -> messages in their DM channel."""
        return {
            user: len(self.discord.channel_messages(channel))
            for user, channel in self.discord.dm_channels.items()
        }

    def assert_one_nudge_each(self) -> None:
        posts = self.slack_posts()
        assert Counter(str(p["channel"]) for p in posts) == Counter(SLACK_USERS)
        # The same messenger as `ippo run`: the bot token, and the delivery key
        # in metadata for crash recovery.
        tokens = {c.token for c in self.slack.calls if c.method == "chat.postMessage"}
        assert tokens == {SLACK_TOKEN}
        assert all(p["metadata"]["event_type"] == "ippo_delivery" for p in posts)
        assert self.discord_posts() == dict.fromkeys(DISCORD_USERS, 1)
        posted = [c for c in self.discord.calls_to("POST", "/channels/") if c.status == 200]
        assert posted and all(c.json["enforce_nonce"] is True for c in posted)
        # Discord over REST only: logged in, never asked for a gateway.
        assert self.discord.calls_to("GET", "/users/@me")
        assert not self.discord.calls_to("GET", "/gateway")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    url = sqlite_url(tmp_path)
    await upgrade_database(url)
    store = open_store(url)
    try:
        slot = await opt_in(
            store,
            [UserRef("slack", TEAM, u) for u in SLACK_USERS]
            + [UserRef("discord", GUILD, u) for u in DISCORD_USERS]
            + [UserRef("console", "console", CONSOLE_USER)],
        )
    finally:
        await store.close()
    async with FakeSlackApi(team_id=TEAM) as slack, FakeDiscordApi() as discord:
        yield World(slack, discord, url, slot)


@contextmanager
def unclosed_resources() -> Iterator[list[str]]:
    """What aiohttp (or anything else) reports as left unclosed meanwhile:
    ResourceWarnings and the event loop's "Unclosed client session" reports."""
    found: list[str] = []
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()

    def report(_: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        found.append(str(context.get("message")))

    loop.set_exception_handler(report)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ResourceWarning)
            yield found
            gc.collect()  # closes nothing; makes leaked sessions report now
        found.extend(str(w.message) for w in caught if issubclass(w.category, ResourceWarning))
    finally:
        loop.set_exception_handler(previous)


async def test_tick_sends_each_due_nudge_once_on_slack_and_discord(world: World) -> None:
    out = io.StringIO()
    with unclosed_resources() as unclosed:
        report = await tick_command(world.settings(), world.slot, out)
    assert unclosed == []
    assert (report.planned, report.sent.sent, report.sent.failed) == (5, 5, 0)
    assert "planned 5, sent 5" in summary(report)
    world.assert_one_nudge_each()
    # Console members still print, and only they: scripts read these lines.
    printed = out.getvalue()
    assert f"→ @{CONSOLE_USER}: " in printed
    assert not any(u in printed for u in SLACK_USERS + DISCORD_USERS)

    again = io.StringIO()
    with unclosed_resources() as unclosed:
        second = await tick_command(world.settings(), world.slot, again)
    assert unclosed == []
    assert (second.planned, second.sent.sent) == (0, 0)
    assert again.getvalue() == ""
    world.assert_one_nudge_each()  # nothing more reached either platform


async def run_ippo_tick(world: World, workdir: Path) -> tuple[int, str, str]:
    """`ippo tick --at <slot>` as a real process; (exit code, stdout, stderr).
    Awaited without blocking this loop, where the fakes serve it."""
    script = Path(sys.executable).with_name("ippo")  # the installed console script
    ippo = [str(script)] if script.exists() else [sys.executable, "-m", "adapters.main"]
    process = await asyncio.create_subprocess_exec(
        *ippo,
        "tick",
        "--at",
        world.slot.isoformat(),
        cwd=workdir,  # no developer's .env
        env=world.env(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), PROCESS_TIMEOUT_S)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_ippo_tick_process_sends_once_and_exits_cleanly(world: World, tmp_path: Path) -> None:
    code, out, err = await run_ippo_tick(world, tmp_path)
    assert code == 0, err
    assert "planned 5, sent 5, " in err and "failed 0" in err
    assert f"→ @{CONSOLE_USER}: " in out and "ippo tick at" not in out
    for leak in ("Unclosed", "unclosed", "ResourceWarning", "Traceback"):
        assert leak not in err, err
    world.assert_one_nudge_each()

    code, out, err = await run_ippo_tick(world, tmp_path)
    assert code == 0, err
    assert "planned 0, sent 0, " in err and out == ""
    assert "Unclosed" not in err and "ResourceWarning" not in err, err
    world.assert_one_nudge_each()


async def test_tick_uses_each_installed_workspace_token(tmp_path: Path) -> None:
    """Multi-workspace (OAuth) Slack: each nudge goes out with its own
    workspace's installed token; a workspace with no install gets nothing."""
    url = sqlite_url(tmp_path)
    await upgrade_database(url)
    async with FakeSlackApi() as fake:
        settings = Settings(
            database_url=url,
            slack_client_id="1111.2222",
            slack_client_secret=SecretStr("client-secret"),
            slack_signing_secret=SecretStr("tick-test-secret"),
            slack_api_url=fake.api_url,
        )
        store = open_store(url)
        try:
            installations = installation_store(settings, store.engine)
            for team in ("T0002", "T0003"):
                await installations.async_save(
                    Installation(
                        app_id="AFAKE",
                        team_id=team,
                        bot_token=f"xoxb-{team}",
                        bot_id="BFAKE",
                        bot_user_id="UBOT",
                        user_id="UINSTALLER",
                    )
                )
            slot = await opt_in(
                store,
                [
                    UserRef("slack", "T0002", "UONE"),
                    UserRef("slack", "T0003", "UTWO"),
                    UserRef("slack", "T0009", "USTRANGER"),  # never installed
                ],
            )
        finally:
            await store.close()

        with unclosed_resources() as unclosed:
            report = await tick_command(settings, slot, io.StringIO())
        assert unclosed == []
        assert (report.sent.sent, report.sent.failed) == (2, 1)
        sent = {
            str(c.body["channel"]): c.token for c in fake.calls if c.method == "chat.postMessage"
        }
        assert sent == {"UONE": "xoxb-T0002", "UTWO": "xoxb-T0003"}


async def test_a_platform_that_cannot_be_set_up_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Slack needs an app token or a signing secret for `ippo run`, and so
    for `ippo tick`: a short message and exit 1, not a traceback."""
    settings = Settings(database_url=sqlite_url(tmp_path), slack_bot_token=SecretStr("xoxb-x"))
    assert await tick_main(settings, at="2026-11-30T09:30") == 1
    err = capsys.readouterr().err
    assert err.startswith("ippo tick: configuration: ") and "SLACK_SIGNING_SECRET" in err
    assert "xoxb-x" not in err


def test_the_command_line_loads_no_platform_library_until_one_is_configured() -> None:
    """`ippo --help`, and importing tick and serve, leave slack_bolt and
    discord unloaded: they load only for a configured platform. (slack_sdk is
    loaded by storage, for the Slack installation tables.)"""
    import subprocess

    probe = (
        "import sys, contextlib, io\n"
        "import adapters.runtime.tick, adapters.runtime.serve, adapters.runtime.platforms\n"
        "from adapters.main import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        "roots = {m.split('.')[0] for m in sys.modules}\n"
        "print(','.join(sorted(roots & {'slack_bolt', 'discord'})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=clean_env({}),
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.stdout.strip() == "", done.stdout
