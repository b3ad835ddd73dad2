"""A fake Discord REST API on 127.0.0.1, for tests and benchmarks.

Point discord.py at it (`adapters.discord.endpoints.rest_base(fake.base_url)`)
and it answers the routes ippo uses, recording every request:

- `GET /users/@me`, `GET /oauth2/applications/@me` (login), `GET /gateway/bot`;
- `GET /gateway`, `POST /users/@me/channels` (open a DM: one stable channel
  per user; `dm_channel(user_id)` makes one without a request);
- `POST /channels/{id}/threads` (a thread without a message, kept in
  `threads`), `GET /guilds/{id}/threads/active` (all of them: the fake
  keeps one guild) and `PUT /channels/{thread}/thread-members/{user}`
  (members in the order added; `gone_users` are answered 404 Unknown Member);
- `POST /channels/{id}/messages` honouring `nonce` + `enforce_nonce` (the
  same nonce in the same channel within `nonce_window_s` returns the first
  message and posts nothing; `nonce_hits` counts those), and
  `PATCH /channels/{id}/messages/{mid}`;
- `POST /interactions/{id}/{token}/callback`, webhook follow-ups
  (`POST /webhooks/{app}/{token}`) and `PATCH .../messages/@original` or
  `/messages/{mid}`;
- `PUT /applications/{app}/commands` and `.../guilds/{guild}/commands` (sync).

Trouble on demand: `refuse_dm` user ids get 403 code 50007 when a message is
posted to their DM channel; `refuse_channel` channels refuse posts and new
threads with 403 and the given code; `rate_limit_next(n, retry_after)` answers the next
`n` message posts with 429 (with `Retry-After` and `X-RateLimit-*` headers).
A request without a `Bot` token gets 401 (webhooks and interaction callbacks
need none).

Limits, as Discord applies them:
- Global: at most `global_limit_per_second` requests (default 50, Discord's)
  in any second (a sliding window; interaction callbacks are exempt); beyond
  it a 429 with `{"message", "retry_after", "global": true}`, `Retry-After`,
  `X-RateLimit-Global: true`, `X-RateLimit-Scope: global` and no bucket
  headers (discord.py would take them for the route's bucket).
- Per route, per major parameter, with `route_limits` (the benchmarks pass
  `ROUTE_LIMITS`): every answer on a limited route carries
  `X-RateLimit-Limit`, `-Remaining`, `-Reset`, `-Reset-After` and `-Bucket`;
  beyond the bucket a 429 with `"global": false` and
  `X-RateLimit-Scope: user`. Discord publishes no per-route numbers:
  `ROUTE_LIMITS` has messages at 5 per 5 s per channel (what Discord answers
  in practice), and buckets of their own for opening a DM and for logging in.
- Every 429 carries `Via`, as Discord's do (discord.py takes a 429 without it
  for a Cloudflare ban).

Counts: every request in `calls` and per route in `requests`, `rate_limited`
(429s), `invalid_requests` (401, 403 and 429 answers, which Discord counts
toward its IP ban), and per DM recipient `messages_to(user_id)` and
`duplicates()`, so a benchmark sees what was lost or sent twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.server import LocalServer, Window

API_PREFIX = "/api/v10"
BOT_USER_ID = "900000000000000001"
APPLICATION_ID = "900000000000000002"
WAIT_LIMIT_S = 10.0
CANNOT_DM = 50007
# Buckets per route (see _route): (requests, seconds) per major parameter.
ROUTE_LIMITS: Mapping[str, tuple[int, float]] = {
    "messages": (5, 5.0),
    "dm": (50, 1.0),
    "login": (5, 5.0),
}


@dataclass(frozen=True, slots=True)
class Call:
    method: str
    path: str  # without the /api/v10 prefix
    json: Any
    status: int
    at: float


@dataclass
class PostedMessage:
    id: str
    channel_id: str
    payload: dict[str, Any]
    nonce: str | None
    edits: list[dict[str, Any]] = field(default_factory=list)
    at: float = 0.0  # time.monotonic() when posted


@dataclass
class Thread:
    """A thread opened with `POST /channels/{id}/threads`; `members` in the
    order they were added."""

    id: str
    parent_id: str
    name: str
    type: int  # 11 public, 12 private
    invitable: bool
    auto_archive_duration: int
    members: list[str] = field(default_factory=list)


@dataclass
class FakeDiscordApi:
    """The server's state; `async with FakeDiscordApi() as api:` runs it."""

    global_limit_per_second: int = 50
    route_limits: Mapping[str, tuple[int, float]] | None = None  # e.g. ROUTE_LIMITS
    nonce_window_s: float = 300.0
    refuse_dm: set[str] = field(default_factory=set)
    # channel id -> Discord error code for posts there (50001 Missing Access, ...)
    refuse_channel: dict[str, int] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    messages: dict[str, PostedMessage] = field(default_factory=dict)
    dm_channels: dict[str, str] = field(default_factory=dict)  # user id -> channel id
    threads: dict[str, Thread] = field(default_factory=dict)  # thread id -> thread
    gone_users: set[str] = field(default_factory=set)  # left the server: not added to threads
    interaction_responses: list[dict[str, Any]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)
    synced_commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: Counter[str] = field(default_factory=Counter)  # route -> requests
    rate_limited: int = 0
    global_limited: int = 0  # 429s for the global limit (also in rate_limited)
    invalid_requests: int = 0
    nonce_hits: int = 0
    _rate_limit_queue: list[float] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _global: Window | None = None
    _buckets: dict[tuple[str, str], Window] = field(default_factory=dict)
    _by_channel: dict[str, list[PostedMessage]] = field(default_factory=lambda: defaultdict(list))
    _owners: dict[str, str] = field(default_factory=dict)  # DM channel id -> user id
    _nonces: dict[tuple[str, str], PostedMessage] = field(default_factory=dict)
    _server: LocalServer = field(default_factory=LocalServer)
    _changed: asyncio.Condition | None = None
    base_url: str = ""

    # ------------------------------------------------------------------ control

    def rate_limit_next(self, count: int, retry_after: float = 0.05) -> None:
        """Answer the next `count` message posts with a per-route 429."""
        self._rate_limit_queue.extend([retry_after] * count)

    def new_id(self) -> str:
        return str(1_000_000_000_000_000_000 + next(self._ids))

    def channel_messages(self, channel_id: str) -> list[PostedMessage]:
        return list(self._by_channel.get(channel_id, ()))

    def dm_channel(self, user_id: str) -> str:
        """The DM channel with `user_id`, created on first use (no request counted)."""
        channel_id = self.dm_channels.get(user_id)
        if channel_id is None:
            channel_id = self.dm_channels[user_id] = self.new_id()
        self._owners[channel_id] = user_id
        return channel_id

    def messages_to(self, user_id: str) -> list[PostedMessage]:
        """What was posted to the DM with `user_id`."""
        channel_id = self.dm_channels.get(user_id)
        return self.channel_messages(channel_id) if channel_id else []

    def duplicates(self) -> int:
        """Messages beyond the first in any channel (a fan-out sends one each)."""
        return sum(len(posted) - 1 for posted in self._by_channel.values() if posted)

    def calls_to(self, method: str, prefix: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.path.startswith(prefix)]

    async def wait_for(self, predicate: Callable[[FakeDiscordApi], bool]) -> None:
        """Block until `predicate(self)` holds (re-checked after every request).
        Bounded by `WAIT_LIMIT_S` so a broken test fails instead of hanging;
        it asserts nothing about speed."""
        assert self._changed is not None
        async with asyncio.timeout(WAIT_LIMIT_S), self._changed:
            await self._changed.wait_for(lambda: predicate(self))

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeDiscordApi:
        self._changed = asyncio.Condition()
        self._global = Window(self.global_limit_per_second, 1.0)
        app = web.Application(middlewares=[self._record])
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._dispatch)
        self.base_url = await self._server.start(app) + API_PREFIX
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._server.stop()

    async def quiet_for(self, seconds: float) -> None:
        """Return once no request has arrived for `seconds`."""
        idle = time.monotonic() - self.calls[-1].at if self.calls else seconds
        if idle < seconds:  # the test sends nothing meanwhile
            await asyncio.sleep(seconds - idle)

    # ------------------------------------------------------------------ plumbing

    @web.middleware
    async def _record(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        body = await _body(request)
        path = request.path.removeprefix(API_PREFIX)
        response = await self._limited(request, path, handler)
        self.calls.append(Call(request.method, path, body, response.status, time.monotonic()))
        if response.status in (401, 403, 429):
            self.invalid_requests += 1
        if response.status == 429:
            self.rate_limited += 1
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()
        return response

    async def _limited(
        self, request: web.Request, path: str, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        """The handler's answer, or 401/429 as Discord would answer instead."""
        parts = tuple(path.strip("/").split("/"))
        route, bucket, major = _route(request.method, parts)
        self.requests[route] += 1
        # Interaction callbacks and webhooks need no bot token and are exempt
        # from the global limit (as on Discord).
        exempt = parts[0] in ("interactions", "webhooks")
        if not exempt and not request.headers.get("Authorization", "").startswith("Bot "):
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        now = time.monotonic()
        assert self._global is not None
        if not exempt:
            wait = self._global.retry_after(now)
            if wait > 0:
                self.global_limited += 1
                return _too_many(wait, is_global=True)
            self._global.take(now)
        limit = self.route_limits.get(bucket) if self.route_limits and bucket else None
        if bucket is None or limit is None:
            response: web.StreamResponse = await handler(request)
            return response
        window = self._buckets.get((bucket, major))
        if window is None:
            window = self._buckets[(bucket, major)] = Window(*limit)
        wait = window.retry_after(now)
        if wait > 0:
            return _too_many(wait, is_global=False, headers=_bucket_headers(bucket, window, now))
        window.take(now)
        response = await handler(request)
        response.headers.update(_bucket_headers(bucket, window, now))
        return response

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        parts = request.match_info["tail"].strip("/").split("/")
        method = request.method
        body = await _body(request)
        match method, parts:
            case "GET", ["users", "@me"]:
                return _json(bot_user())
            case "GET", ["oauth2", "applications", "@me"]:
                return _json(application())
            case "GET", ["gateway"] | ["gateway", "bot"]:
                return _json(
                    {
                        "url": "ws://127.0.0.1:1",
                        "shards": 1,
                        "session_start_limit": {
                            "total": 1000,
                            "remaining": 1000,
                            "reset_after": 0,
                            "max_concurrency": 1,
                        },
                    }
                )
            case "POST", ["users", "@me", "channels"]:
                return _json(self._open_dm(str(body["recipient_id"])))
            case "POST", ["channels", channel_id, "messages"]:
                return self._post_message(channel_id, body)
            case "PATCH", ["channels", channel_id, "messages", message_id]:
                return self._edit_message(channel_id, message_id, body)
            case "POST", ["channels", channel_id, "threads"]:
                return self._start_thread(channel_id, body)
            case "GET", ["guilds", _guild, "threads", "active"]:
                # One guild per fake: every thread it opened is active.
                threads = [thread_json(t) for t in self.threads.values()]
                return _json({"threads": threads, "members": []})
            case "PUT", ["channels", thread_id, "thread-members", user_id]:
                return self._add_thread_member(thread_id, user_id)
            case "POST", ["interactions", interaction_id, token, "callback"]:
                self.interaction_responses.append(
                    {"interaction_id": interaction_id, "token": token, **body}
                )
                return self._callback_response(interaction_id, token, body)
            case "POST", ["webhooks", _app, token]:
                message = self._store_message(f"webhook:{token}", body, None)
                self.followups.append({"token": token, "kind": "send", **body})
                return _json(message_json(message))
            case "PATCH", ["webhooks", _app, token, "messages", message_id]:
                self.followups.append({"token": token, "kind": "edit", "id": message_id, **body})
                message = self._store_message(f"webhook:{token}", body, None)
                return _json(message_json(message))
            case "PUT", ["applications", _app, "commands"]:
                self.synced_commands["global"] = list(body)
                return _json([self._command_json(c) for c in body])
            case "PUT", ["applications", _app, "guilds", guild_id, "commands"]:
                self.synced_commands[guild_id] = list(body)
                return _json([self._command_json(c, guild_id) for c in body])
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    # ------------------------------------------------------------------ routes

    def _open_dm(self, user_id: str) -> dict[str, Any]:
        return {
            "id": self.dm_channel(user_id),
            "type": 1,
            "last_message_id": None,
            "recipients": [user_json(user_id)],
        }

    def _dm_owner(self, channel_id: str) -> str | None:
        owner = self._owners.get(channel_id)
        if owner is None:  # a DM channel a test wrote into dm_channels itself
            owner = next((u for u, dm in self.dm_channels.items() if dm == channel_id), None)
        return owner

    def _post_message(self, channel_id: str, body: dict[str, Any]) -> web.StreamResponse:
        if self._rate_limit_queue:
            wait = self._rate_limit_queue.pop(0)
            headers = {**_QUEUED_429_HEADERS, "X-RateLimit-Reset-After": f"{wait:.3f}"}
            return _too_many(wait, is_global=False, headers=headers)
        if channel_id in self.refuse_channel:
            code = self.refuse_channel[channel_id]
            return _json({"message": "Missing Access", "code": code}, status=403)
        owner = self._dm_owner(channel_id)
        if owner is not None and owner in self.refuse_dm:
            return _json(
                {"message": "Cannot send messages to this user", "code": CANNOT_DM}, status=403
            )
        nonce = None if body.get("nonce") is None else str(body["nonce"])
        if nonce is not None and body.get("enforce_nonce"):
            first = self._nonces.get((channel_id, nonce))
            if first is not None and time.monotonic() - first.at < self.nonce_window_s:
                self.nonce_hits += 1
                return _json(message_json(first))
        message = self._store_message(channel_id, body, nonce)
        if nonce is not None:
            self._nonces.setdefault((channel_id, nonce), message)
        return _json(message_json(message))

    def _start_thread(self, channel_id: str, body: dict[str, Any]) -> web.StreamResponse:
        """A thread without a message; `refuse_channel` refuses it with 403 as
        it refuses a post there (no Create Private Threads, or no access)."""
        if channel_id in self.refuse_channel:
            code = self.refuse_channel[channel_id]
            return _json({"message": "Missing Access", "code": code}, status=403)
        thread = Thread(
            id=self.new_id(),
            parent_id=channel_id,
            name=str(body["name"]),
            type=int(body.get("type") or 11),
            invitable=bool(body.get("invitable", True)),
            auto_archive_duration=int(body["auto_archive_duration"]),
        )
        self.threads[thread.id] = thread
        return _json(thread_json(thread), status=201)

    def _add_thread_member(self, thread_id: str, user_id: str) -> web.StreamResponse:
        thread = self.threads.get(thread_id)
        if thread is None:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        if user_id in self.gone_users:
            return _json({"message": "Unknown Member", "code": 10007}, status=404)
        if user_id not in thread.members:
            thread.members.append(user_id)
        return web.Response(status=204)

    def _store_message(
        self, channel_id: str, body: dict[str, Any], nonce: str | None
    ) -> PostedMessage:
        message = PostedMessage(self.new_id(), channel_id, dict(body), nonce, at=time.monotonic())
        self.messages[message.id] = message
        self._by_channel[channel_id].append(message)
        return message

    def _edit_message(
        self, channel_id: str, message_id: str, body: dict[str, Any]
    ) -> web.StreamResponse:
        message = self.messages.get(message_id)
        if message is None or message.channel_id != channel_id:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        message.edits.append(dict(body))
        message.payload.update(body)
        return _json(message_json(message))

    def _callback_response(
        self, interaction_id: str, token: str, body: dict[str, Any]
    ) -> web.StreamResponse:
        """`?with_response=1` answers with the callback resource (discord.py asks)."""
        kind = int(body.get("type", 0))
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        interaction: dict[str, Any] = {
            "id": interaction_id,
            "type": 2,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(flags & 64),
        }
        resource: dict[str, Any] = {"type": kind}
        if kind in (4, 7):
            message = self._store_message(f"webhook:{token}", data, None)
            interaction["response_message_id"] = message.id
            resource["message"] = message_json(message)
        return _json({"interaction": interaction, "resource": resource})

    def _command_json(self, command: dict[str, Any], guild_id: str | None = None) -> dict[str, Any]:
        return {
            "id": self.new_id(),
            "application_id": APPLICATION_ID,
            "version": "1",
            "default_member_permissions": None,
            "type": 1,
            "nsfw": False,
            "guild_id": guild_id,
            "options": [],
            **command,
        }


# --------------------------------------------------------------------------- payloads


def user_json(user_id: str, name: str = "") -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name or f"user{user_id[-4:]}",
        "discriminator": "0",
        "global_name": name or None,
        "avatar": None,
    }


def bot_user() -> dict[str, Any]:
    return {**user_json(BOT_USER_ID, "ippo"), "bot": True, "verified": True, "mfa_enabled": False}


def application() -> dict[str, Any]:
    return {
        "id": APPLICATION_ID,
        "name": "ippo",
        "description": "",
        "icon": None,
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": user_json("900000000000000003", "owner"),
        "verify_key": "0" * 64,
        "flags": 0,
    }


def thread_json(thread: Thread) -> dict[str, Any]:
    return {
        "id": thread.id,
        "type": thread.type,
        "guild_id": "800000000000000001",
        "parent_id": thread.parent_id,
        "owner_id": BOT_USER_ID,
        "name": thread.name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": len(thread.members),
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": thread.auto_archive_duration,
            "archive_timestamp": "2026-12-01T00:00:00+00:00",
            "locked": False,
            "invitable": thread.invitable,
        },
    }


def message_json(message: PostedMessage) -> dict[str, Any]:
    body = message.payload
    return {
        "id": message.id,
        "channel_id": message.channel_id if message.channel_id.isdigit() else "1",
        "type": 0,
        "content": body.get("content") or "",
        "author": bot_user(),
        "attachments": [],
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": "2026-11-24T01:00:00+00:00",
        "edited_timestamp": None,
        "flags": body.get("flags") or 0,
        "nonce": message.nonce,
    }


_MULTIPART = web.RequestKey("ippo_multipart_json", dict)


async def _body(request: web.Request) -> Any:
    """The JSON body (aiohttp caches it, so reading twice is free)."""
    if not request.body_exists:
        return None
    if request.content_type == "application/json":
        return await request.json()
    if request.content_type == "multipart/form-data":
        # discord.py sends interaction callbacks (and uploads) as multipart,
        # with the JSON body in the "payload_json" part.
        cached = request.get(_MULTIPART)
        if cached is None:
            form = await request.post()
            raw = form.get("payload_json")
            cached = request[_MULTIPART] = json.loads(str(raw)) if raw is not None else {}
        return cached
    return None


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py parses a body as JSON only for exactly "application/json".
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


def _route(method: str, parts: tuple[str, ...]) -> tuple[str, str | None, str]:
    """(route name, bucket, major parameter) of a path under /api/v10."""
    match method, parts:
        case "POST", ("channels", channel, "messages"):
            return f"{method} /channels/{{channel_id}}/messages", "messages", channel
        case "POST", ("users", "@me", "channels"):
            return f"{method} /users/@me/channels", "dm", ""
        case "GET", ("users", "@me") | ("oauth2", "applications", "@me") | ("gateway", *_):
            return f"{method} /{'/'.join(parts)}", "login", ""
    return f"{method} /{'/'.join(parts)}", None, ""


def _bucket_headers(bucket: str, window: Window, now: float) -> dict[str, str]:
    reset_after = window.reset_after(now)
    return {
        "X-RateLimit-Limit": str(window.limit),
        "X-RateLimit-Remaining": str(window.remaining(now)),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": hashlib.sha1(bucket.encode()).hexdigest()[:16],
    }


# A per-route 429 from rate_limit_next, with a route's headers.
_QUEUED_429_HEADERS = {
    "X-RateLimit-Limit": "5",
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Bucket": "fake-messages",
}


def _too_many(
    retry_after: float, *, is_global: bool, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A 429: global ones carry no bucket headers, per-route ones the route's."""
    answer = {
        **(headers or {}),
        "Retry-After": f"{retry_after:.3f}",
        "X-RateLimit-Scope": "global" if is_global else "user",
        # Discord's own 429s come through its proxy; discord.py treats a 429
        # without "Via" as a Cloudflare ban and gives up instead of waiting.
        "Via": "1.1 google",
    }
    if is_global:
        answer["X-RateLimit-Global"] = "true"
    body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3)}
    return _json({**body, "global": is_global}, status=429, headers=answer)
