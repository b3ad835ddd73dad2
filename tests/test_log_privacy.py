"""Issue #12: no token, secret, feed token, note or free-text step in the log,
at any level.

Each platform runs a whole conversation with ippo's real logging setup
(`adapters.runtime.logs.configure_logging`) at DEBUG, writing to a buffer instead of
stderr — exactly what would reach a log file — and every line written is
searched for the secrets, in the encodings a library might print them in
(raw, JSON-escaped, URL-encoded, bytes repr):

- Slack over HTTP: signed slash commands, `/ippo done` with the note typed in
  the command and again through the modal, the journey, the calendar feed URL
  and a fetch of `/ics/<token>.ics` from the same server, and a correctly
  signed request carrying the note that is ten minutes old (refused by the
  adapter's request gate; Bolt's own check, tested alone below, would log its
  whole body).
- Slack Socket Mode: the same conversation as envelopes over the WebSocket
  (slack_sdk logs every envelope at DEBUG), plus the feed fetch.
- Discord: interactions over the gateway (discord.py logs every gateway event
  and every REST body at DEBUG), the modal submitted with the note, the
  options variant, the feed, and the interaction tokens in callback URLs.

The same lines must still say what happened (the access log line with the
feed token masked, the refusal without its body, SQL without parameters),
and a DEBUG line with secrets in it must come out masked. Last, a real
`ippo run` at IPPO_LOG_LEVEL=DEBUG shows the composition root wires it all.
"""

from __future__ import annotations

import io
import json
import logging
import signal
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, quote, quote_plus

import aiohttp
import pytest
import structlog
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.discord.client import DiscordAdapter
from adapters.runtime.health import health_routes
from adapters.runtime.logs import MASK, PAYLOAD_LOGGERS, Redactor, configure_logging, secret_values
from adapters.sessions_cli import ics_feed_routes
from adapters.slack.app import SlackAdapter
from bot.config import CoreConfig
from bot.model import UserRef
from config.settings import Settings
from storage import SqlStore
from tests.conftest import sqlite_url
from tests.corekit import build_core
from tests.fakes.discord_api import FakeDiscordApi
from tests.fakes.discord_gateway import FakeDiscordGateway
from tests.fakes.discord_payloads import DiscordPerson
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import FORM, signed_headers, slash_command, view_submission
from tests.runkit import IppoProcess, free_port, until

NOTE = "NOTE-秘密-7f3a"
STEP = "STEP-一歩-c91e"  # a free-text step: one word, so `/ippo done STEP NOTE` works
SLACK_BOT_TOKEN = "xoxb-1111-2222-L0gPr1vacyT3st"
SLACK_APP_TOKEN = "xapp-1-A0LOG-3333-l0gpr1vacy"
SIGNING_SECRET = "signing-secret-for-log-privacy"
LEGACY_TOKEN = "legacy-verification-token"  # tests.fakes.slack_requests puts it in every body
DISCORD_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GlogPv.l0g-pr1vacy_test-t0ken-abcdefghijklmno"
PUBLIC_URL = "https://ippo.example.org"
SLACK_USERS = {"UAKI": {"locale": "en-US", "tz": "Asia/Tokyo"}}

Json = dict[str, Any]


# ---------------------------------------------------------------- the log


@dataclass
class Log:
    """What the configured handler wrote, and the secrets it must not hold."""

    stream: io.StringIO
    fmt: str
    secrets: set[str] = field(default_factory=set)

    def lines(self) -> list[str]:
        return [line for line in self.stream.getvalue().splitlines() if line.strip()]

    def records(self) -> list[Json]:
        assert self.fmt == "json"
        return [json.loads(line) for line in self.lines()]

    def assert_private(self) -> None:
        lines = self.lines()
        assert len(lines) > 20, "the conversation logged almost nothing: is logging set up?"
        for secret in self.secrets:
            for form in spellings(secret):
                leaks = [line for line in lines if form in line]
                assert not leaks, f"{secret!r} (as {form!r}) is in the log:\n" + "\n".join(leaks)
        if self.fmt == "json":
            for record in self.records():  # every line is one JSON object
                floor = floor_of(record.get("logger", ""))
                level = logging.getLevelName(str(record.get("level", "")).upper())
                assert not isinstance(level, int) or level >= floor, record


def spellings(secret: str) -> set[str]:
    """How a library might print `secret`: as is, JSON-escaped, URL-encoded,
    inside a bytes repr."""
    return {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        quote(secret),
        quote_plus(secret),
        repr(secret.encode())[2:-1],
    }


def floor_of(name: str) -> int:
    while name:
        if name in PAYLOAD_LOGGERS:
            return PAYLOAD_LOGGERS[name]
        name = name.rpartition(".")[0]
    return logging.NOTSET


def canary(settings: Settings, feed_url: str) -> None:
    """A DEBUG line from ippo's own code holding secrets: it must be written,
    masked (the last line of defence works at DEBUG)."""
    logging.getLogger("adapters.canary").debug(
        "canary %s %s %s",
        secret_values(settings),
        feed_url,
        "Authorization: Bearer " + SLACK_BOT_TOKEN,
        extra={"canary_extra": {"url": feed_url}},
    )


@pytest.fixture(params=["json", "console"])
def log_format(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class StartLog(Protocol):
    def __call__(self, settings: Settings, fmt: str = "json") -> Log: ...


@pytest.fixture
def debug_log() -> Iterator[StartLog]:
    """`start(settings, fmt)` installs the real logging setup at DEBUG, writing
    to a buffer; everything it changed is put back afterwards."""
    root = logging.getLogger()
    saved_handlers = [h for h in root.handlers if type(h).__module__ != "_pytest.logging"]
    saved_root_level = root.level
    known = logging.Logger.manager.loggerDict
    saved_levels = {n: lg.level for n, lg in known.items() if isinstance(lg, logging.Logger)}
    installed: list[logging.Handler] = []

    def start(settings: Settings, fmt: str = "json") -> Log:
        stream = io.StringIO()
        secrets = secret_values(settings)
        installed.append(configure_logging(level="DEBUG", fmt=fmt, secrets=secrets, stream=stream))
        return Log(stream, fmt, {*secrets, NOTE, STEP, LEGACY_TOKEN})

    yield start

    for handler in installed:
        root.removeHandler(handler)
    for handler in saved_handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(saved_root_level)
    for name, lg in list(logging.Logger.manager.loggerDict.items()):
        if isinstance(lg, logging.Logger):
            lg.setLevel(saved_levels.get(name, logging.NOTSET))
    structlog.reset_defaults()


def feed_app(store: SqlStore, core_clock: Any) -> web.Application:
    app = web.Application()
    app.add_routes(health_routes())
    app.add_routes(ics_feed_routes(store, clock=core_clock))
    return app


def feed_token(url_text: str) -> str:
    return url_text.split("/ics/")[1].split(".ics")[0]


def initial_values(view: Json) -> dict[str, str]:
    return {
        block["block_id"]: block["element"].get("initial_value", "")
        for block in view["blocks"]
        if block["type"] == "input"
    }


def check_access_and_sql_lines(log: Log) -> None:
    text = log.stream.getvalue()
    assert "/ics/[feed]" in text, "the feed fetch is not in the access log"
    assert "[SQL parameters hidden" in text, "SQL at DEBUG should be logged, without parameters"
    assert "canary" in text and MASK in text


# ---------------------------------------------------------------- Slack, HTTP


async def test_slack_http_conversation_at_debug_leaks_nothing(
    sqlite_store: SqlStore, debug_log: StartLog, log_format: str
) -> None:
    async with FakeSlackApi(users=SLACK_USERS) as fake:
        settings = Settings(
            slack_bot_token=SecretStr(SLACK_BOT_TOKEN),
            slack_signing_secret=SecretStr(SIGNING_SECRET),
            slack_api_url=fake.api_url,
        )
        log = debug_log(settings, log_format)
        core = build_core(sqlite_store, config=CoreConfig(public_base_url=PUBLIC_URL))
        adapter = SlackAdapter(core=core, store=sqlite_store, settings=settings, serve_http=False)
        app = adapter.web_app()
        app.add_routes(ics_feed_routes(sqlite_store, clock=core.clock))
        async with TestClient(TestServer(app)) as http:

            async def post(body: str, *, age_s: int = 0) -> int:
                headers = signed_headers(
                    SIGNING_SECRET, body, FORM, timestamp=int(time.time()) - age_s
                )
                response = await http.post("/slack/events", data=body, headers=headers)
                await adapter.drain()
                return response.status

            async def command(text: str, name: str) -> Json:
                url = fake.response_url(name)
                assert await post(slash_command(text, user="UAKI", response_url=url)) == 200
                return fake.responses[name][-1]

            await command("step", "step")
            typed = await command(f"done {STEP} {NOTE}", "typed")
            assert STEP in typed["text"]

            assert (
                await post(
                    slash_command("done", user="UAKI", response_url=fake.response_url("form"))
                )
                == 200
            )
            view = fake.calls_to("views.open")[-1]["view"]
            values = {**initial_values(view), "what": STEP, "note": NOTE}
            submission = view_submission(
                view["callback_id"], values, user="UAKI", private_metadata=view["private_metadata"]
            )
            assert await post(submission) == 200
            assert STEP in json.dumps(fake.responses["form"][-1], ensure_ascii=False)

            journey = await command("journey", "journey")
            assert NOTE in json.dumps(journey, ensure_ascii=False)  # the member sees it

            feed = await command("sessions feed", "feed")
            token = feed_token(feed["text"])
            log.secrets.add(token)
            ics = await http.get(f"/ics/{token}.ics")
            assert ics.status == 200 and "BEGIN:VCALENDAR" in await ics.text()

            # Correctly signed, carrying the note, ten minutes old: refused,
            # and Bolt's refusal line would hold the whole body.
            assert await post(submission, age_s=600) == 401
            canary(settings, feed["text"])
        await adapter.stop()

    log.assert_private()
    check_access_and_sql_lines(log)
    assert "slack request refused" in log.stream.getvalue().lower()


# ---------------------------------------------------------------- Slack, Socket Mode


async def test_slack_socket_mode_conversation_at_debug_leaks_nothing(
    sqlite_store: SqlStore, debug_log: StartLog
) -> None:
    async with FakeSlackApi(users=SLACK_USERS) as fake:
        settings = Settings(
            slack_bot_token=SecretStr(SLACK_BOT_TOKEN),
            slack_app_token=SecretStr(SLACK_APP_TOKEN),
            slack_api_url=fake.api_url,
        )
        log = debug_log(settings)
        core = build_core(sqlite_store, config=CoreConfig(public_base_url=PUBLIC_URL))
        adapter = SlackAdapter(core=core, store=sqlite_store, settings=settings)
        envelopes = iter(range(1, 100))

        async def push(kind: str, payload: Json) -> None:
            envelope_id = f"env-{next(envelopes)}"
            ack = await fake.push({"envelope_id": envelope_id, "type": kind, "payload": payload})
            assert ack["envelope_id"] == envelope_id
            await adapter.drain()

        async def command(text: str, name: str) -> list[Json]:
            url = fake.response_url(name)
            await push(
                "slash_commands",
                dict(parse_qsl(slash_command(text, user="UAKI", response_url=url))),
            )
            return fake.responses[name]

        await adapter.start()
        try:
            assert await command(f"done {STEP} {NOTE}", "typed")
            await command("done", "form")
            view = fake.calls_to("views.open")[-1]["view"]
            values = {**initial_values(view), "what": STEP, "note": NOTE}
            body = view_submission(
                view["callback_id"], values, user="UAKI", private_metadata=view["private_metadata"]
            )
            await push("interactive", json.loads(dict(parse_qsl(body))["payload"]))
            await fake.wait_for(lambda: bool(fake.responses["form"]))
            journey = await command("journey", "journey")
            assert NOTE in json.dumps(journey, ensure_ascii=False)
            feed = await command("sessions feed", "feed")
            token = feed_token(feed[-1]["text"])
            log.secrets.add(token)
            async with TestClient(TestServer(feed_app(sqlite_store, core.clock))) as http:
                assert (await http.get(f"/ics/{token}.ics")).status == 200
            canary(settings, feed[-1]["text"])
        finally:
            await adapter.stop()

    log.assert_private()
    check_access_and_sql_lines(log)


# ---------------------------------------------------------------- Discord


async def test_discord_gateway_conversation_at_debug_leaks_nothing(
    sqlite_store: SqlStore, debug_log: StartLog
) -> None:
    async with FakeDiscordApi() as api, FakeDiscordGateway() as gateway:
        settings = Settings(
            discord_token=SecretStr(DISCORD_TOKEN),
            discord_api_url=api.base_url,
            discord_gateway_url=gateway.url,
        )
        log = debug_log(settings)
        core = build_core(sqlite_store, config=CoreConfig(public_base_url=PUBLIC_URL))
        adapter = DiscordAdapter(core=core, store=sqlite_store, settings=settings)
        aki = DiscordPerson("100000000000000301", locale="en-US")

        async def send(payload: Json) -> Json:
            log.secrets.add(payload["token"])  # each interaction's token is a credential
            before = len(api.interaction_responses)
            await gateway.dispatch("INTERACTION_CREATE", payload)
            await api.wait_for(lambda a: len(a.interaction_responses) > before)
            answer: Json = api.interaction_responses[before]
            return answer

        await adapter.start()
        try:
            assert (await gateway.wait_identified())["token"] == DISCORD_TOKEN
            await send(aki.slash("done", what=STEP, note=NOTE))
            modal = await send(aki.slash("done"))
            assert modal["data"]["custom_id"] == "journey:done"
            await send(aki.submit("journey:done", {"what": STEP, "note": NOTE}))
            journey = await send(aki.slash("journey"))
            assert NOTE in json.dumps(journey, ensure_ascii=False)
            feed = await send(aki.slash("sessions", args="feed"))
            text = feed["data"]["content"] or json.dumps(feed["data"]["embeds"])
            token = feed_token(text)
            log.secrets.add(token)
            async with TestClient(TestServer(feed_app(sqlite_store, core.clock))) as http:
                assert (await http.get(f"/ics/{token}.ics")).status == 200
            canary(settings, text)
        finally:
            await adapter.stop()

    log.assert_private()
    check_access_and_sql_lines(log)
    assert any("discord" in line for line in log.lines()), "discord.py logged nothing at INFO"


# ---------------------------------------------------------------- the layers, one by one


def test_shapes_are_masked_without_configuration() -> None:
    redact = Redactor()
    m = MASK
    samples = [
        ("xoxb-123-456-abcDEF", m),
        ("xoxe.xoxp-1-abc", m),
        ("xapp-1-A1-2-abc", m),
        (DISCORD_TOKEN, m),
        ("GET /ics/abcdefghijklmnopqrstuvwx.ics HTTP/1.1", "GET /ics/[feed].ics HTTP/1.1"),
        ("https://hooks.slack.com/commands/T1/2/abc", f"https://hooks.slack.com/{m}"),
        ("/api/v10/interactions/123/tok-abc/callback", f"/api/v10/interactions/123/{m}/callback"),
        ("/webhooks/42/aW50ZXJhY3Rpb24/messages/@original", f"/webhooks/42/{m}/messages/@original"),
        ("/slack/oauth_redirect?code=1.2&state=xy", f"/slack/oauth_redirect?code={m}&state={m}"),
        ("{'Authorization': 'Bot abc.def'}", "{'Authorization': 'Bot " + m + "'}"),
    ]
    for text, masked in samples:
        assert redact(text) == masked, text
    assert (
        redact("sqlalchemy.engine.Engine BEGIN (implicit)")
        == "sqlalchemy.engine.Engine BEGIN (implicit)"
    )


def test_configured_secrets_are_masked_by_value_and_short_ones_ignored() -> None:
    redact = Redactor(["signing-secret-value", "abc"])
    assert redact("sig signing-secret-value!") == f"sig {MASK}!"
    assert redact("abc") == "abc"


def test_secret_values_finds_every_secret_setting_and_the_database_password() -> None:
    settings = Settings(
        slack_bot_token=SecretStr(SLACK_BOT_TOKEN),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        discord_token=SecretStr(DISCORD_TOKEN),
        database_url="postgresql://ippo:db-pass-word@db/ippo",
    )
    assert set(secret_values(settings)) >= {
        SLACK_BOT_TOKEN,
        SIGNING_SECRET,
        DISCORD_TOKEN,
        "db-pass-word",
    }


def test_bolt_refusal_keeps_its_timestamp_and_loses_its_body(debug_log: StartLog) -> None:
    log = debug_log(Settings(slack_signing_secret=SecretStr(SIGNING_SECRET)))
    logging.getLogger("slack_bolt.AsyncRequestVerification").info(
        "Invalid request signature detected (signature: v0=abc, timestamp: 1700000000, "
        f"body: token={LEGACY_TOKEN}&text=done+{quote_plus(NOTE)})"
    )
    logging.getLogger("slack_sdk.web.async_base_client").warning(
        f"Received the following response - status: 200, body: {{'text': '{NOTE}'}}"
    )
    logging.getLogger("slack_sdk.socket_mode.aiohttp").debug(f"Received message: {NOTE}")
    [refused, response] = log.records()
    assert refused["event"].startswith("Slack request refused")
    assert "1700000000" in refused["event"]
    assert response["event"].endswith("body: [not logged]")
    for secret in (NOTE, LEGACY_TOKEN):
        assert all(form not in log.stream.getvalue() for form in spellings(secret))


def test_exceptions_and_extras_are_masked(debug_log: StartLog) -> None:
    log = debug_log(Settings(slack_bot_token=SecretStr(SLACK_BOT_TOKEN)))
    try:
        raise RuntimeError(f"refused {SLACK_BOT_TOKEN}")
    except RuntimeError:
        logging.getLogger("bot.delivery").exception(
            "send failed", extra={"url": f"{PUBLIC_URL}/ics/abcdefghijklmnopqrstuv.ics"}
        )
    [record] = log.records()
    assert SLACK_BOT_TOKEN not in log.stream.getvalue()
    assert MASK in record["exception"] and record["url"].endswith("/ics/[feed].ics")


async def test_bolts_own_verification_failure_is_logged_without_the_body(
    debug_log: StartLog,
) -> None:
    """Bolt's check, if it is ever turned back on (the adapter replaces it
    with adapters.slack.verify): its line names the timestamp, not the body."""
    log = debug_log(Settings(slack_signing_secret=SecretStr(SIGNING_SECRET)))
    bolt = AsyncApp(signing_secret=SIGNING_SECRET, token=SLACK_BOT_TOKEN)
    body = view_submission("journey:done", {"what": STEP, "note": NOTE}, user="UAKI")
    stale = int(time.time()) - 600
    headers: dict[str, str | Sequence[str]] = {
        **signed_headers(SIGNING_SECRET, body, FORM, timestamp=stale)
    }
    response = await bolt.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
    assert response.status == 401
    text = log.stream.getvalue()
    assert f"Slack request refused: invalid or expired signature (timestamp {stale}" in text
    for secret in (NOTE, STEP, LEGACY_TOKEN, SLACK_BOT_TOKEN, SIGNING_SECRET):
        assert all(form not in text for form in spellings(secret)), secret


async def test_a_fetch_from_a_real_server_is_logged_with_the_token_masked(
    sqlite_store: SqlStore, debug_log: StartLog
) -> None:
    """aiohttp's access line, through a runner as `ippo run` builds one."""
    log = debug_log(Settings())
    app = feed_app(sqlite_store, build_core(sqlite_store).clock)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    token = "secretfeedtoken-0123456789"
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/ics/{token}.ics") as answer,
        ):
            assert answer.status == 404
    finally:
        await runner.cleanup()
    text = log.stream.getvalue()
    assert "/ics/[feed]" in text and token not in text


# ---------------------------------------------------------------- `ippo run`, as deployed


async def test_ippo_run_at_debug_writes_no_secret(tmp_path: Path, sqlite_store: SqlStore) -> None:
    """The composition root wires it: a Discord-only `ippo run` with
    IPPO_LOG_LEVEL=DEBUG, a note logged over the gateway and the member's
    feed fetched; its whole stderr holds none of them."""
    feed = "feed-token-0f-the-ippo-run-test"
    async with sqlite_store.unit() as uow:
        member = await uow.members.create(
            UserRef("discord", "700000000000000001", "100000000000000401"),
            lang="en",
            tz="Asia/Tokyo",
            display_name="aki",
            now=datetime.now(UTC),
        )
        await uow.sessions.feed_token(member.id, feed)
    async with FakeDiscordApi() as api, FakeDiscordGateway() as gateway:
        process = IppoProcess(
            {
                "DISCORD_TOKEN": DISCORD_TOKEN,
                "IPPO_DISCORD_API_URL": api.base_url,
                "IPPO_DISCORD_GATEWAY_URL": gateway.url,
                "IPPO_HTTP_HOST": "127.0.0.1",
                "IPPO_HTTP_PORT": str(free_port()),
                "IPPO_LOG_LEVEL": "DEBUG",
                "DATABASE_URL": sqlite_url(tmp_path),
            },
            workdir=tmp_path,
            name="privacy",
        ).start()
        try:
            await until(lambda: bool(gateway.identified), "IDENTIFY", timeout_s=60, process=process)
            aki = DiscordPerson("100000000000000401", locale="en-US")
            done = aki.slash("done", what=STEP, note=NOTE)
            await gateway.dispatch("INTERACTION_CREATE", done)
            await api.wait_for(lambda a: bool(a.interaction_responses))
            base = f"http://127.0.0.1:{process.port}"
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"{base}/ics/{feed}.ics") as answer,
            ):
                assert answer.status == 200
            process.send_signal(signal.SIGTERM)
            assert await process.exited(timeout_s=10) == 0, process.log_tail()
        finally:
            await process.stop()
    text = process.log_path.read_text()
    assert '"logger": "aiohttp.access"' in text and "/ics/[feed].ics" in text
    assert "[SQL parameters hidden" in text  # DEBUG was on
    for secret in (NOTE, STEP, DISCORD_TOKEN, feed, done["token"]):
        for form in spellings(secret):
            assert form not in text, f"{secret!r} (as {form!r}) is in the log"
