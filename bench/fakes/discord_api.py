"""A fake Discord REST API (v10) that enforces the global and per-route limits.

- Global: at most `global_per_second` requests (default 50, Discord's) in any
  second (a sliding window); beyond it a 429 with `{"message", "retry_after",
  "global": true}`, `Retry-After`, `X-RateLimit-Global: true` and
  `X-RateLimit-Scope: global` (and, like Discord's global 429s, no bucket
  headers, which discord.py would take for the route's bucket).
- Per route, per major parameter: every answer carries `X-RateLimit-Limit`,
  `-Remaining`, `-Reset`, `-Reset-After` and `-Bucket`; beyond the bucket a
  429 with `"global": false` and `X-RateLimit-Scope: user`. Discord publishes
  no per-route numbers: messages are 5 per 5 s per channel (what Discord
  answers in practice), opening a DM and the login routes have their own
  buckets (`buckets` overrides them).
- Every 429 carries `Via`, as Discord's do (discord.py takes a 429 without it
  for a Cloudflare ban).
- Routes: `GET /users/@me`, `GET /oauth2/applications/@me` (login),
  `GET /gateway`, `GET /gateway/bot`, `POST /users/@me/channels` (one stable
  DM channel per user), `POST /channels/{id}/messages` honouring `nonce` with
  `enforce_nonce` (the same nonce within `nonce_window_s` returns the first
  message and posts nothing). Users in `refuse_dm` get 403 code 50007.
- Counts requests per route, 429s, invalid requests as Discord counts them
  (401, 403, 429), and messages per DM recipient, so duplicates show up.

    async with FakeDiscord() as discord_api:
        rest_base(discord_api.base_url)
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bench.fakes.server import LocalServer, Window

API = "/api/v10"
BOT_ID = "910000000000000001"
APP_ID = "910000000000000002"
CANNOT_DM = 50007
UNKNOWN_CHANNEL = 10003

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Posted:
    id: str
    channel_id: str
    content: str
    nonce: str | None
    at: float


class FakeDiscord:
    def __init__(
        self,
        *,
        global_per_second: int = 50,
        buckets: dict[str, tuple[int, float]] | None = None,
        nonce_window_s: float = 300.0,
    ) -> None:
        self.global_per_second = global_per_second
        self.limits: dict[str, tuple[int, float]] = {
            "messages": (5, 5.0),
            "dm": (50, 1.0),
            "login": (5, 5.0),
            **(buckets or {}),
        }
        self.nonce_window_s = nonce_window_s
        self.refuse_dm: set[str] = set()
        self.requests: Counter[str] = Counter()
        self.rate_limited = 0
        self.invalid = 0
        self.nonce_hits = 0
        self.messages: dict[str, list[Posted]] = defaultdict(list)  # channel -> messages
        self._global = Window(global_per_second, 1.0)
        self._buckets: dict[tuple[str, str], Window] = {}
        self._dms: dict[str, str] = {}  # user -> DM channel
        self._owners: dict[str, str] = {}  # DM channel -> user
        self._nonces: dict[str, Posted] = {}
        self._ids = itertools.count(1)
        self._server = LocalServer()

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_route("*", API + "/{tail:.*}", self._handle)
        await self._server.start(app)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._server.stop()

    @property
    def base_url(self) -> str:
        return self._server.origin + API

    # ------------------------------------------------------------------ state

    def dm_channel(self, user_id: str) -> str:
        """The DM channel with `user_id`, created on first use (no request counted)."""
        channel = self._dms.get(user_id)
        if channel is None:
            channel = self._dms[user_id] = self._new_id()
            self._owners[channel] = user_id
        return channel

    def messages_to(self, user_id: str) -> list[Posted]:
        channel = self._dms.get(user_id)
        return self.messages.get(channel, []) if channel else []

    def duplicates(self) -> int:
        return sum(len(posted) - 1 for posted in self.messages.values() if posted)

    def _new_id(self) -> str:
        return str(1_200_000_000_000_000_000 + next(self._ids))

    # ------------------------------------------------------------------ handler

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        parts = tuple(request.match_info["tail"].strip("/").split("/"))
        route, bucket, major = _route(request.method, parts)
        self.requests[route] += 1
        if not request.headers.get("Authorization", "").startswith("Bot "):
            return self._answer({"message": "401: Unauthorized", "code": 0}, 401)
        now = time.monotonic()
        wait = self._global.retry_after(now)
        if wait > 0:
            return self._too_many(wait, scope="global", headers={"X-RateLimit-Global": "true"})
        self._global.take(now)
        if bucket is None:
            return self._answer({"message": "404: Not Found", "code": 0}, 404)
        limit, period = self.limits[bucket]
        window = self._buckets.get((bucket, major))
        if window is None:
            window = self._buckets[(bucket, major)] = Window(limit, period)
        wait = window.retry_after(now)
        if wait > 0:
            return self._too_many(wait, scope="user", headers=_bucket_headers(bucket, window, now))
        window.take(now)
        body = await request.json() if request.body_exists else None
        data, status = self._route(route, parts, body, now)
        return self._answer(data, status, _bucket_headers(bucket, window, now))

    def _route(self, route: str, parts: tuple[str, ...], body: Any, now: float) -> tuple[Any, int]:
        match route:
            case "GET /users/@me":
                return _user(BOT_ID, "ippo", bot=True), 200
            case "GET /oauth2/applications/@me":
                return _application(), 200
            case "GET /gateway" | "GET /gateway/bot":
                limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
                return {"url": "ws://127.0.0.1:9", "shards": 1, "session_start_limit": limit}, 200
            case "POST /users/@me/channels":
                user = str(body["recipient_id"])
                return {"id": self.dm_channel(user), "type": 1, "recipients": [_user(user)]}, 200
            case "POST /channels/{channel_id}/messages":
                return self._post(parts[1], body or {}, now)
        raise AssertionError(route)

    def _post(self, channel: str, body: Json, now: float) -> tuple[Any, int]:
        owner = self._owners.get(channel)
        if owner is None:
            return {"message": "Unknown Channel", "code": UNKNOWN_CHANNEL}, 404
        if owner in self.refuse_dm:
            return {"message": "Cannot send messages to this user", "code": CANNOT_DM}, 403
        nonce = str(body["nonce"]) if body.get("nonce") is not None else None
        if nonce is not None and body.get("enforce_nonce"):
            first = self._nonces.get(nonce)
            if first is not None and now - first.at < self.nonce_window_s:
                self.nonce_hits += 1
                return _message(first), 200
        posted = Posted(self._new_id(), channel, str(body.get("content") or ""), nonce, now)
        self.messages[channel].append(posted)
        if nonce is not None:
            self._nonces[nonce] = posted
        return _message(posted), 200

    def _too_many(self, wait: float, *, scope: str, headers: dict[str, str]) -> web.Response:
        body = {"message": "You are being rate limited.", "retry_after": round(wait, 3)}
        return self._answer(
            {**body, "global": scope == "global"},
            429,
            {**headers, "Retry-After": f"{wait:.3f}", "X-RateLimit-Scope": scope},
        )

    def _answer(
        self, data: Any, status: int, headers: dict[str, str] | None = None
    ) -> web.Response:
        if status in (401, 403, 429):
            self.invalid += 1
        if status == 429:
            self.rate_limited += 1
            headers = {**(headers or {}), "Via": "1.1 google"}
        # discord.py parses a body as JSON only for exactly "application/json".
        return web.Response(
            body=json.dumps(data).encode(),
            status=status,
            headers={**(headers or {}), "Content-Type": "application/json"},
        )


def _route(method: str, parts: tuple[str, ...]) -> tuple[str, str | None, str]:
    """(route name, bucket, major parameter) of a request path under /api/v10."""
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


def _user(user_id: str, name: str = "", *, bot: bool = False) -> Json:
    return {
        "id": user_id,
        "username": name or f"member{user_id[-6:]}",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
        "bot": bot,
    }


def _application() -> Json:
    return {
        "id": APP_ID,
        "name": "ippo",
        "description": "",
        "icon": None,
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": _user("910000000000000003", "owner"),
        "verify_key": "0" * 64,
        "flags": 0,
    }


def _message(posted: Posted) -> Json:
    return {
        "id": posted.id,
        "channel_id": posted.channel_id,
        "type": 0,
        "content": posted.content,
        "author": _user(BOT_ID, "ippo", bot=True),
        "attachments": [],
        "embeds": [],
        "mentions": [],
        "mention_roles": [],
        "pinned": False,
        "tts": False,
        "timestamp": "2026-11-30T00:30:00+00:00",
        "edited_timestamp": None,
        "flags": 0,
        "nonce": posted.nonce,
    }
