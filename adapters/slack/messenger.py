"""`bot.ports.Messenger` on Slack's Web API, plus the users.info facts the
adapter passes to the core.

- A `UserRef` is posted to as a channel: Slack opens the app's DM with that
  user (no `conversations.open` needed).
- Scheduled deliveries carry their key in message metadata
  (`ippo_delivery`), so crash recovery finds a message that went out before
  the crash in `conversations.history` instead of sending it twice.
- Pace (`adapters.pace.SlidingWindow`): about one message per second per
  channel, and at most the per-workspace minute budget in any minute, however
  Slack's window falls, that minute's allowance spread over the first
  `BUDGET_SPREAD` of it (see `Pace`). The dispatcher keeps `SENDS_AT_ONCE`
  sends of a workspace in flight and waits for a full window before a send's
  timeout starts (`turn_in`; bot.delivery.pacing), so workspaces go in
  parallel, each at its own budget. A 429 is retried by slack_sdk's retry
  handler after Retry-After, then becomes a `TransientFailure` carrying
  Retry-After for the dispatcher.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.pace import SlidingWindow
from adapters.slack.oauth import TokenSource
from adapters.slack.render import render_message
from adapters.slack.translate import SlackUser, user_from_info
from bot.model import ChannelRef, Destination, GroupRef, Message, MessageRef, Platform, UserRef
from bot.ports import DeliveryFailed, PermanentFailure, TransientFailure

log = logging.getLogger(__name__)

DELIVERY_EVENT = "ippo_delivery"
HISTORY_PAGES = 10  # recovery looks at most this many pages of 200 messages

# Slack `error` codes, classified: TRANSIENT ones (and HTTP 5xx) are retried;
# UNREACHABLE_MEMBER means this member cannot be reached; every other code is
# permanent for this delivery only: the destination or the request is wrong
# (channel_not_found, not_in_channel, is_archived, msg_too_long, no_text,
# invalid_blocks, invalid_metadata_format, invalid_auth, not_authed,
# account_inactive_token, token_revoked, missing_scope, restricted_action,
# message_not_found, cant_update_message, edit_window_closed, ...).
UNREACHABLE_MEMBER = frozenset(
    {"user_not_found", "account_inactive", "cannot_dm_bot", "user_disabled", "user_not_visible"}
)
# The bot may not post there until someone lets it in (`/invite @ippo`).
NO_ACCESS = frozenset({"not_in_channel", "channel_not_found"})
TRANSIENT = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)

WORKSPACE_MINUTE_BUDGET = 300  # chat.postMessage: "several hundred per minute" per workspace
USER_FACTS_TTL_S = 5 * 60.0
"""How long `users.info` answers are trusted: an admin demoted (or promoted)
in Slack loses (or gains) the "workspace_admin" grant within this time."""
USER_FACTS_KEEP = 10_000  # cached people before expired entries are swept
BUDGET_WINDOW_S = 60.0
BUDGET_SPREAD = 0.5
"""A window's budget is spread over this share of the window (at most)."""
SENDS_AT_ONCE = 4
"""Sends of one workspace the dispatcher keeps in flight."""


def retry_after(response: Any) -> float | None:
    headers: Mapping[str, Any] = getattr(response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return None
    return None


def failure(err: Exception) -> DeliveryFailed:
    """Map what slack_sdk raised to the core's Transient/Permanent failures."""
    if isinstance(err, SlackApiError):
        response = err.response
        status = int(getattr(response, "status_code", 0) or 0)
        data = getattr(response, "data", None)
        code = str(data.get("error") or "") if isinstance(data, Mapping) else ""
        if status == 429 or code == "ratelimited":
            return TransientFailure(code or "ratelimited", retry_after(response))
        if status >= 500 or code in TRANSIENT:
            return TransientFailure(code or f"http_{status}")
        if code in UNREACHABLE_MEMBER:
            return PermanentFailure(code, unreachable_member=True)
        return PermanentFailure(
            code or f"http_{status}", unreachable_member=False, no_access=code in NO_ACCESS
        )
    if isinstance(err, TimeoutError | aiohttp.ClientError | SlackClientError):
        return TransientFailure(type(err).__name__)
    raise err


def make_client(token: str | None, base_url: str, *, rate_limit_retries: int = 1) -> AsyncWebClient:
    """A Web API client with retry handlers for 429s (sleeps Retry-After) and
    connection errors installed."""
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=rate_limit_retries),
        ],
    )


class Pace:
    """At most `per_workspace_per_minute` messages per workspace in any
    `budget_window_s` seconds, and about `per_channel_per_second` per channel
    (`SlidingWindow`s, each request counted from its answer).

    The budget may go out as fast as the window allows, but starts are kept
    `spread * window / budget` apart, so a full window's worth takes `spread`
    of the window rather than one burst: N messages take at most the
    limit's own floor plus `spread` of a window, if the sender keeps up (an
    even pace at the budget needs up to a whole window more: 200 s against
    180 s for 10,000 at 3,000 a minute). Channel windows are kept for the
    most recent `keep` channels."""

    def __init__(
        self,
        *,
        per_channel_per_second: float,
        per_workspace_per_minute: int,
        budget_window_s: float = BUDGET_WINDOW_S,
        spread: float = BUDGET_SPREAD,
        keep: int = 10_000,
    ) -> None:
        self._channel_interval = 1 / per_channel_per_second
        self._budget = max(per_workspace_per_minute, 1)
        self._window_s = budget_window_s
        self._spacing = spread * budget_window_s / self._budget
        self._keep = keep
        self._channels: OrderedDict[tuple[str, str], SlidingWindow] = OrderedDict()
        self._workspaces: dict[str, SlidingWindow] = {}

    def _workspace(self, workspace: str) -> SlidingWindow:
        window = self._workspaces.get(workspace)
        if window is None:
            window = SlidingWindow(self._budget, self._window_s, spacing=self._spacing)
            self._workspaces[workspace] = window
        return window

    def _channel(self, workspace: str, channel: str) -> SlidingWindow:
        key = (workspace, channel)
        window = self._channels.pop(key, None) or SlidingWindow(1, self._channel_interval)
        self._channels[key] = window
        while len(self._channels) > self._keep:
            self._channels.popitem(last=False)
        return window

    def delay(self, workspace: str) -> float:
        """Seconds until the workspace's window lets one more message start
        (`math.inf` while it is full of messages in flight)."""
        return self._workspace(workspace).delay()

    @asynccontextmanager
    async def slot(self, workspace: str, channel: str) -> AsyncIterator[None]:
        """Around one message: its channel's turn, then its workspace's."""
        async with self._channel(workspace, channel).slot(), self._workspace(workspace).slot():
            yield


class SlackMessenger:
    platform: Platform = "slack"
    sends_at_once: int = SENDS_AT_ONCE

    def __init__(
        self,
        *,
        client: AsyncWebClient,
        tokens: TokenSource | None = None,
        per_channel_per_second: float = 1.0,
        per_workspace_per_minute: int = WORKSPACE_MINUTE_BUDGET,
        budget_window_s: float = BUDGET_WINDOW_S,
        user_facts_ttl_s: float = USER_FACTS_TTL_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """`budget_window_s` is Slack's minute (tests and benchmarks shorten it);
        `monotonic` is the clock the users.info cache ages by (tests pass a fake)."""
        self.client = client
        self._tokens = tokens
        self._pace = Pace(
            per_channel_per_second=per_channel_per_second,
            per_workspace_per_minute=per_workspace_per_minute,
            budget_window_s=budget_window_s,
        )
        self._users: dict[tuple[str, str], tuple[float, SlackUser]] = {}
        self._user_facts_ttl_s = user_facts_ttl_s
        self._monotonic = monotonic

    async def _auth(self, workspace: str) -> dict[str, Any]:
        """The `token` argument for a call on behalf of `workspace` (none with a
        single-token client: it carries its own)."""
        if self._tokens is None:
            return {}
        token = await self._tokens.token(workspace)
        if token is None:
            raise PermanentFailure(f"not installed in {workspace}", unreachable_member=False)
        return {"token": token}

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        auth = await self._auth(to.workspace)
        channel = await self._conversation(to, auth)
        extra: dict[str, Any] = {}
        if delivery_key is not None:
            extra["metadata"] = {
                "event_type": DELIVERY_EVENT,
                "event_payload": {"key": delivery_key},
            }
        try:
            async with self._pace.slot(to.workspace, channel):
                response = await self.client.chat_postMessage(
                    channel=channel, **render_message(message), **extra, **auth
                )
        except Exception as err:
            raise failure(err) from err
        return MessageRef("slack", to.workspace, str(response["channel"]), str(response["ts"]))

    def turn_in(self, to: Destination) -> float:
        """Seconds until `to`'s workspace window lets a message start (for
        the dispatcher, which waits that out before a send's timeout)."""
        return self._pace.delay(to.workspace)

    async def update(self, ref: MessageRef, message: Message) -> None:
        auth = await self._auth(ref.workspace)
        try:
            async with self._pace.slot(ref.workspace, ref.channel_id):
                await self.client.chat_update(
                    channel=ref.channel_id,
                    ts=ref.message_id,
                    **render_message(message),
                    **auth,
                )
        except Exception as err:
            raise failure(err) from err

    async def post_ephemeral(self, channel_id: str, user: UserRef, message: Message) -> None:
        """A message only `user` sees, in a channel (interaction replies)."""
        try:
            await self.client.chat_postEphemeral(
                channel=channel_id,
                user=user.id,
                **render_message(message),
                **await self._auth(user.workspace),
            )
        except Exception as err:
            raise failure(err) from err

    async def find_delivered(
        self, to: Destination, delivery_key: str, since: datetime
    ) -> MessageRef | None:
        try:
            channel_id = await self._history_channel(to)
            cursor: str | None = None
            for _ in range(HISTORY_PAGES):
                page = await self.client.conversations_history(
                    **await self._auth(to.workspace),
                    channel=channel_id,
                    oldest=f"{since.timestamp():.6f}",
                    include_all_metadata=True,
                    limit=200,
                    cursor=cursor,
                )
                for item in page.get("messages") or []:
                    meta = item.get("metadata") or {}
                    payload = meta.get("event_payload") or {}
                    ours = meta.get("event_type") == DELIVERY_EVENT
                    if ours and payload.get("key") == delivery_key:
                        return MessageRef("slack", to.workspace, channel_id, str(item["ts"]))
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
        except Exception as err:
            raise failure(err) from err
        return None

    async def _history_channel(self, to: Destination) -> str:
        if isinstance(to, ChannelRef):
            return to.id
        users = to.joined if isinstance(to, GroupRef) else to.id
        opened = await self.client.conversations_open(users=users, **await self._auth(to.workspace))
        return str(opened["channel"]["id"])

    async def _conversation(self, to: Destination, auth: dict[str, Any]) -> str:
        """Where a message to `to` is posted: a DM or a channel by its id (a
        user id posts into the app's DM with them), a group by the group DM
        `conversations.open` opens for its members (2 to 8; the bot joins it)
        — the same conversation each time for the same members, so crash
        recovery finds it again. A refusal there names no single member, so
        none is marked unreachable for it."""
        if not isinstance(to, GroupRef):
            return to.id
        try:
            opened = await self.client.conversations_open(users=to.joined, **auth)
        except Exception as err:
            refused = failure(err)
            if isinstance(refused, PermanentFailure) and refused.unreachable_member:
                refused = PermanentFailure(refused.reason, unreachable_member=False)
            raise refused from err
        return str(opened["channel"]["id"])

    async def user(self, workspace: str, user_id: str) -> SlackUser:
        """Locale, timezone, admin rights and name from `users.info`, cached
        per user for `user_facts_ttl_s` (5 minutes), then read again, so a
        demoted admin loses the "workspace_admin" grant. A failed lookup is
        not cached; it yields the last known name and hints but never the
        admin flag (rights are not granted from stale facts), or no hints at
        all (the core falls back to its defaults)."""
        key = (workspace, user_id)
        now = self._monotonic()
        cached = self._users.get(key)
        if cached is not None and now - cached[0] < self._user_facts_ttl_s:
            return cached[1]
        try:
            auth = await self._auth(workspace)
            response = await self.client.users_info(user=user_id, include_locale=True, **auth)
        except (TimeoutError, SlackApiError, SlackClientError, aiohttp.ClientError) as err:
            log.warning("users.info failed for %s: %s", user_id, type(err).__name__)
            return replace(cached[1], admin=False) if cached is not None else SlackUser()
        found = user_from_info(response.get("user") or {})
        if len(self._users) >= USER_FACTS_KEEP:
            self._sweep_users(now)
        self._users[key] = (now, found)
        return found

    def _sweep_users(self, now: float) -> None:
        """Drop expired entries; if all are fresh, the oldest half."""
        fresh = {k: v for k, v in self._users.items() if now - v[0] < self._user_facts_ttl_s}
        if len(fresh) >= USER_FACTS_KEEP:
            newest = sorted(fresh.items(), key=lambda item: item[1][0])[len(fresh) // 2 :]
            fresh = dict(newest)
        self._users = fresh
