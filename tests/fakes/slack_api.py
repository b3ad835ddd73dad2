"""A fake Slack Web API on 127.0.0.1, for adapter tests and benchmarks.

Point slack_sdk at it with `AsyncWebClient(base_url=fake.api_url)` (or
`IPPO_SLACK_API_URL`). It records every call (`calls`, with the merged query,
form and JSON body), answers the methods ippo uses, and keeps posted messages
per channel so `conversations.history` returns them with their metadata. A
`response_url` endpoint (`fake.response_url(name)`) records what interactions
answered through it.

Failures are configurable: `rate_limit(method, times, retry_after)`,
`server_error(method, times, status)`, `refuse(user_or_channel, error)` for
`ok: false` answers (a refused user refuses a group DM with them too); and
`slow(method, seconds)` makes a method take effect at once but answer only
`seconds` later (`unanswered` holds those calls meanwhile): a client killed
in between has posted a message it never heard about. A call with no token
at all is answered `not_authed`.

`conversations.open` with several `users` opens a group DM: one `G…` id per
set of users (`group_dms`), whatever their order.

Limits, as Slack publishes them (`enforce_pace=True`; the benchmarks use it):
about 1 message per second per channel (a DM addressed by user id is the
channel "D" + the rest of the id) and a per-workspace budget, at most
`per_workspace_per_minute` posts in any `window_s` seconds (a sliding window).
A post over either limit is answered HTTP 429 with `Retry-After` (whole
seconds) and `ratelimited`, and is not posted. The limits are checked before
refusals, so a refused post counts toward them, as on Slack.

Counts, for benchmarks: `requests` per method, `rate_limited` (429s),
`invalid_requests` (every `ok: false` answer, 429s included), and per
recipient `messages_to(user_id)` and `duplicates()`.

    async with FakeSlackApi() as fake:
        client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.server import LocalServer, Window, whole_seconds

Json = dict[str, Any]
POSTING = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})
MAX_GROUP_USERS = 8  # conversations.open: a group DM of 2 to 8 users


@dataclass
class Call:
    method: str
    body: Json
    token: str | None
    at: float


@dataclass
class Failures:
    rate_limited: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    server_errors: dict[str, deque[int]] = field(default_factory=lambda: defaultdict(deque))
    refused: dict[str, str] = field(default_factory=dict)


class FakeSlackApi:
    def __init__(
        self,
        *,
        team_id: str = "T0001",
        bot_user_id: str = "UBOT",
        users: Mapping[str, Json] | None = None,
        tokens: Mapping[str, str] | None = None,
        enforce_pace: bool = False,
        per_channel_per_second: float = 1.0,
        per_workspace_per_minute: int = 300,
        window_s: float = 60.0,
    ) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.users: dict[str, Json] = dict(users or {})
        self.tokens: dict[str, str] = dict(tokens or {})  # token -> team id
        self.enforce_pace = enforce_pace
        self.per_channel_interval = 1.0 / per_channel_per_second
        self.per_workspace_per_minute = per_workspace_per_minute
        self.window_s = window_s
        self.calls: list[Call] = []
        self.requests: Counter[str] = Counter()
        self.rate_limited = 0
        self.invalid_requests = 0
        self.responses: dict[str, list[Json]] = defaultdict(list)
        self.history: dict[str, list[Json]] = defaultdict(list)
        self.group_dms: dict[frozenset[str], str] = {}  # conversations.open users -> G… id
        self.failures = Failures()
        self.delays: dict[str, float] = {}
        self.install_codes: dict[str, str] = {}  # OAuth code -> the team installing
        self.sockets: list[web.WebSocketResponse] = []  # Socket Mode connections
        self.client_ports: set[int] = set()  # the Web API client's connections, by port
        self.socket_acks: list[Json] = []
        self._changed = asyncio.Condition()
        self.unanswered: list[Json] = []
        self._last_ts = 0.0
        self._channel_windows: dict[str, Window] = {}
        self._workspace_windows: dict[str, Window] = {}
        self._server = LocalServer()
        self.base_url = ""

    # --------------------------------------------------------------- lifecycle

    async def start(self) -> FakeSlackApi:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/socket", self._socket)
        self.base_url = await self._server.start(app)
        return self

    async def stop(self) -> None:
        await self._server.stop()

    async def __aenter__(self) -> FakeSlackApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base_url}/response/{name}"

    # --------------------------------------------------------------- configuring

    def rate_limit(self, method: str, times: int = 1, retry_after: float = 1) -> None:
        self.failures.rate_limited[method].extend([retry_after] * times)

    def server_error(self, method: str, times: int = 1, status: int = 503) -> None:
        self.failures.server_errors[method].extend([status] * times)

    def slow(self, method: str, seconds: float) -> None:
        """Answer every `method` call `seconds` after it took effect."""
        self.delays[method] = seconds

    def refuse(self, target: str, error: str) -> None:
        """`ok: false, error` for every call addressed to this user or channel id."""
        self.failures.refused[target] = error

    # --------------------------------------------------------------- inspecting

    def calls_to(self, method: str) -> list[Json]:
        return [c.body for c in self.calls if c.method == method]

    def reset(self) -> None:
        self.calls.clear()
        self.responses.clear()

    def messages_to(self, user_id: str) -> list[Json]:
        """What was posted to the DM with `user_id`."""
        return self.history.get(dm_channel(user_id), [])

    def duplicates(self) -> int:
        """Messages beyond the first in any channel (a fan-out sends one each)."""
        return sum(len(messages) - 1 for messages in self.history.values() if messages)

    # --------------------------------------------------------------- Socket Mode

    async def wait_for(self, predicate: Callable[[], bool], *, timeout_s: float = 10.0) -> None:
        """Block until `predicate()` holds, re-checked whenever a response URL
        is posted to or the socket changes; a broken test fails, never hangs."""
        async with asyncio.timeout(timeout_s), self._changed:
            await self._changed.wait_for(predicate)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def push(self, envelope: Json) -> Json:
        """Send a Socket Mode envelope to the connected app, as Slack does, and
        return the app's acknowledgement (`{"envelope_id": ...}`)."""
        await self.wait_for(lambda: bool(self.sockets) and not self.sockets[-1].closed)
        await self.sockets[-1].send_json(envelope)

        def acked() -> Json | None:
            wanted = envelope["envelope_id"]
            return next((a for a in self.socket_acks if a.get("envelope_id") == wanted), None)

        await self.wait_for(lambda: acked() is not None)
        found = acked()
        assert found is not None
        return found

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self.sockets.append(socket)
        await self._notify()
        await socket.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "debug_info": {"host": "fake", "approximate_connection_time": 18060},
                "connection_info": {"app_id": "AFAKE"},
            }
        )
        async for frame in socket:
            if frame.type == web.WSMsgType.TEXT:
                self.socket_acks.append(json.loads(frame.data))
                await self._notify()
        return socket

    # --------------------------------------------------------------- handlers

    async def _response_url(self, request: web.Request) -> web.StreamResponse:
        self.responses[request.match_info["name"]].append(await request.json())
        await self._notify()
        return web.Response(text="ok")

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        body: Json = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                body.update(await request.json())
            else:
                body.update(dict(await request.post()))
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") or body.get("token")
        now = time.monotonic()
        self.calls.append(Call(method, body, token, now))
        if (peer := request.transport and request.transport.get_extra_info("peername")) is not None:
            self.client_ports.add(peer[1])  # one port per connection the client opened
        self.requests[method] += 1

        if not token:
            return self._fail("not_authed")
        if self.failures.rate_limited.get(method):
            wait = self.failures.rate_limited[method].popleft()
            return self._too_many(str(int(wait)))
        if self.failures.server_errors.get(method):
            return web.Response(status=self.failures.server_errors[method].popleft(), text="")
        team = self.tokens.get(token, self.team_id)
        if self.enforce_pace and method in POSTING:
            wait = self._pace(team, dm_channel(str(body.get("channel", ""))), now)
            if wait > 0:
                return self._too_many(str(whole_seconds(wait)))
        for key in ("channel", "user", "users", "user_id"):
            target = body.get(key)
            # `users` of conversations.open is a comma-separated list: any one refuses it.
            for one in target.split(",") if isinstance(target, str) else ():
                if one in self.failures.refused:
                    return self._fail(self.failures.refused[one])
        if method == "conversations.open" and (refused := _group_size(body)):
            return self._fail(refused)
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        if answer is None:
            return self._fail("unknown_method")
        result: Json = answer(body, team)
        delay = self.delays.get(method)
        if delay:
            self.unanswered.append(body)
            try:
                await asyncio.sleep(delay)
            finally:
                self.unanswered.remove(body)
        return web.json_response({"ok": True, **result})

    def _fail(self, error: str) -> web.Response:
        self.invalid_requests += 1
        return web.json_response({"ok": False, "error": error})

    def _too_many(self, retry_after: str) -> web.Response:
        self.rate_limited += 1
        self.invalid_requests += 1
        return web.json_response(
            {"ok": False, "error": "ratelimited"},
            status=429,
            headers={"Retry-After": retry_after},
        )

    def _pace(self, team: str, channel: str, now: float) -> float:
        """0 and the post counted, or seconds until the post would fit."""
        per_channel = self._channel_windows.get(channel)
        if per_channel is None:
            per_channel = self._channel_windows[channel] = Window(1, self.per_channel_interval)
        budget = self._workspace_windows.get(team)
        if budget is None:
            budget = Window(self.per_workspace_per_minute, self.window_s)
            self._workspace_windows[team] = budget
        wait = max(per_channel.retry_after(now), budget.retry_after(now))
        if wait <= 0:
            per_channel.take(now)
            budget.take(now)
        return wait

    # --------------------------------------------------------------- methods

    def _next_ts(self) -> str:
        """Wall-clock message timestamps, unique and increasing, like Slack's."""
        self._last_ts = max(self._last_ts + 0.000001, time.time())
        return f"{self._last_ts:.6f}"

    def _auth_test(self, body: Json, team: str) -> Json:
        return {
            "url": "https://fake.slack.test/",
            "team": "Fake team",
            "user": "ippo",
            "team_id": team,
            "user_id": self.bot_user_id,
            "bot_id": "BFAKE",
            "is_enterprise_install": False,
        }

    def _chat_postMessage(self, body: Json, team: str) -> Json:
        channel = dm_channel(str(body["channel"]))
        ts = self._next_ts()
        message: Json = {"type": "message", "ts": ts, "text": body.get("text", "")}
        if body.get("blocks"):
            message["blocks"] = _as_json(body["blocks"])
        if body.get("metadata"):
            message["metadata"] = _as_json(body["metadata"])
        self.history[channel].append(message)
        return {"channel": channel, "ts": ts, "message": message}

    def _chat_postEphemeral(self, body: Json, team: str) -> Json:
        return {"message_ts": self._next_ts()}

    def _chat_update(self, body: Json, team: str) -> Json:
        channel, ts = str(body["channel"]), str(body["ts"])
        for message in self.history[channel]:
            if message["ts"] == ts:
                message["text"] = body.get("text", "")
                if body.get("blocks"):
                    message["blocks"] = _as_json(body["blocks"])
        return {"channel": channel, "ts": ts, "text": body.get("text", "")}

    def _views_open(self, body: Json, team: str) -> Json:
        return {"view": {"id": "VFAKE", **_as_json(body["view"])}}

    def _views_publish(self, body: Json, team: str) -> Json:
        return {"view": {"id": "VHOME", **_as_json(body["view"])}}

    def _users_info(self, body: Json, team: str) -> Json:
        user_id = str(body.get("user", ""))
        info = {"id": user_id, "team_id": team, "name": user_id.lower()}
        info.update(self.users.get(user_id, {}))
        return {"user": info}

    def _apps_connections_open(self, body: Json, team: str) -> Json:
        return {"url": self.base_url.replace("http://", "ws://", 1) + "/socket"}

    def _oauth_v2_access(self, body: Json, team: str) -> Json:
        """Exchange an install code (see `install_codes`) for that team's bot token."""
        installing = self.install_codes.pop(str(body.get("code", "")))
        token = f"xoxb-{installing}"
        self.tokens[token] = installing
        return {
            "access_token": token,
            "token_type": "bot",
            "scope": "commands,chat:write",
            "bot_user_id": self.bot_user_id,
            "app_id": "AFAKE",
            "team": {"id": installing, "name": f"Team {installing}"},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": "UINSTALLER"},
        }

    def _conversations_open(self, body: Json, team: str) -> Json:
        """One user: the app's DM with them. Several (2 to 8): a group DM,
        the same G… id for the same set of users whatever their order. (Too
        few or too many users are answered in `_api`, as Slack does.)"""
        users = str(body.get("users", "")).split(",")
        if len(users) == 1:
            return {"channel": {"id": dm_channel(users[0])}}
        group = frozenset(users)
        channel = self.group_dms.get(group)
        if channel is None:
            channel = self.group_dms[group] = f"G{len(self.group_dms) + 1:08d}"
        return {"channel": {"id": channel, "is_mpim": True}}

    def _conversations_history(self, body: Json, team: str) -> Json:
        oldest = float(body.get("oldest") or 0)
        messages = [m for m in self.history[str(body["channel"])] if float(m["ts"]) > oldest]
        if str(body.get("include_all_metadata", "")).lower() not in ("1", "true"):
            messages = [{k: v for k, v in m.items() if k != "metadata"} for m in messages]
        return {"messages": list(reversed(messages)), "has_more": False}


def _group_size(body: Json) -> str | None:
    """conversations.open's refusal of too few or too many `users`, if any."""
    users = [u for u in str(body.get("users", "")).split(",") if u]
    if not users:
        return "users_list_not_supplied"
    return "too_many_users" if len(users) > MAX_GROUP_USERS else None


def dm_channel(target: str) -> str:
    """The app's DM with a user is posted to by user id; Slack answers with its D… id."""
    return "D" + target[1:] if target.startswith(("U", "W")) else target


def button_ids(message: Json) -> list[str]:
    """The core routes of a rendered message's buttons (each button's value)."""
    return [
        element["value"]
        for block in message.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button"
    ]


def _as_json(value: Any) -> Any:
    """Form-encoded calls carry JSON strings; JSON calls carry objects."""
    return json.loads(value) if isinstance(value, str) else value
