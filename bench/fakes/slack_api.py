"""A fake Slack Web API that enforces chat.postMessage's published limits.

- About 1 message per second per channel (a DM addressed by user id is the
  channel "D" + the rest of the id), and a per-workspace budget: at most
  `per_workspace_per_minute` messages in any 60 s (a sliding window). A post
  over either limit is answered HTTP 429, `Retry-After` (whole seconds) and
  `{"ok": false, "error": "ratelimited"}`, and is not posted.
- Answers what SlackMessenger calls: `auth.test`, `chat.postMessage`
  (recording channel, text and metadata), `conversations.open`,
  `conversations.history` (with metadata, for crash recovery) and
  `users.info`.
- `refuse(user_id, error)` answers `ok: false` with that error for posts to
  that user (e.g. "user_not_found"); the request still counts toward the
  limits, as on Slack.
- Counts requests per method, 429s, every `ok: false` answer (429s
  included) as invalid, and messages per recipient channel, so duplicates
  show up.

    async with FakeSlack(per_workspace_per_minute=300) as slack:
        client = make_client("xoxb-bench", slack.api_url)
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from typing import Any

from aiohttp import web

from bench.fakes.server import LocalServer, Window, whole_seconds

Json = dict[str, Any]


class FakeSlack:
    def __init__(
        self,
        *,
        team_id: str = "T0BENCH",
        per_channel_per_second: float = 1.0,
        per_workspace_per_minute: int = 300,
        window_s: float = 60.0,
    ) -> None:
        self.team_id = team_id
        self.per_workspace_per_minute = per_workspace_per_minute
        self.window_s = window_s
        self._channel_gap = 1.0 / per_channel_per_second
        self._channels: dict[str, Window] = {}
        self._budget = Window(per_workspace_per_minute, window_s)
        self.refused: dict[str, str] = {}
        self.history: dict[str, list[Json]] = defaultdict(list)  # channel -> messages
        self.requests: Counter[str] = Counter()
        self.rate_limited = 0
        self.invalid = 0
        self._last_ts = 0.0
        self._server = LocalServer()

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        await self._server.start(app)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._server.stop()

    @property
    def api_url(self) -> str:
        return f"{self._server.origin}/api/"

    def refuse(self, user_id: str, error: str) -> None:
        self.refused[user_id] = error

    # ------------------------------------------------------------------ counts

    def messages_to(self, user_id: str) -> list[Json]:
        return self.history.get(dm_channel(user_id), [])

    def duplicates(self) -> int:
        return sum(len(messages) - 1 for messages in self.history.values() if messages)

    # ------------------------------------------------------------------ handler

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        self.requests[method] += 1
        body: Json = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                body.update(await request.json())
            else:
                body.update(dict(await request.post()))
        if not request.headers.get("Authorization", "").startswith("Bearer xox"):
            return self._error("not_authed")
        match method:
            case "auth.test":
                return _ok(
                    team_id=self.team_id, team="Bench", user_id="UBOT", bot_id="BBOT", url=""
                )
            case "chat.postMessage":
                return self._post(body)
            case "conversations.open":
                return _ok(channel={"id": dm_channel(str(body.get("users", "")))})
            case "conversations.history":
                return self._history(body)
            case "users.info":
                user = str(body.get("user", ""))
                return _ok(user={"id": user, "team_id": self.team_id, "name": user.lower()})
        return self._error("unknown_method")

    def _post(self, body: Json) -> web.StreamResponse:
        target = str(body.get("channel", ""))
        channel = dm_channel(target)
        now = time.monotonic()
        gap = self._channels.get(channel)
        if gap is None:
            gap = self._channels[channel] = Window(1, self._channel_gap)
        wait = max(gap.retry_after(now), self._budget.retry_after(now))
        if wait > 0:
            self.rate_limited += 1
            self.invalid += 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(whole_seconds(wait))},
            )
        gap.take(now)
        self._budget.take(now)
        if target in self.refused:
            return self._error(self.refused[target])
        self._last_ts = max(self._last_ts + 0.000001, time.time())
        ts = f"{self._last_ts:.6f}"
        message: Json = {"type": "message", "ts": ts, "text": body.get("text", "")}
        if body.get("metadata"):
            message["metadata"] = _as_json(body["metadata"])
        self.history[channel].append(message)
        return _ok(channel=channel, ts=ts, message=message)

    def _history(self, body: Json) -> web.StreamResponse:
        oldest = float(body.get("oldest") or 0)
        posted = self.history.get(str(body.get("channel")), [])
        found = [m for m in posted if float(m["ts"]) > oldest]
        return _ok(messages=list(reversed(found)), has_more=False)

    def _error(self, error: str) -> web.StreamResponse:
        self.invalid += 1
        return web.json_response({"ok": False, "error": error})


def dm_channel(target: str) -> str:
    """The app's DM with a user is posted to by user id; Slack answers with its D… id."""
    return "D" + target[1:] if target.startswith(("U", "W")) else target


def _ok(**fields: Any) -> web.StreamResponse:
    return web.json_response({"ok": True, **fields})


def _as_json(value: Any) -> Any:
    """Form-encoded calls carry JSON strings; JSON calls carry objects."""
    return json.loads(value) if isinstance(value, str) else value
