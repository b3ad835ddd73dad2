"""The Slack adapter: slack-bolt's AsyncApp in Socket Mode or HTTP mode.

Every command, action and view submission is acknowledged first (well
within Slack's 3 s), then processed in a tracked background task:
translate -> `core.handle` -> deliver each reply -> refresh the member's
App Home. Nothing is decided here.

Where a reply goes (`Reply.to is None`, i.e. "answer where they acted"):
- a form opens a modal with the interaction's `trigger_id`;
- after a slash command or a message button, the interaction's
  `response_url` (ephemeral or in-channel; `replace_original` for
  `Reply(replace=True)`);
- after a modal submission, the `response_url` of the interaction that opened
  the modal (kept in `private_metadata`; so a replacing answer replaces the
  message the button was on), else — or when that URL has expired —
  `chat.postEphemeral` in the channel the modal was opened from, or the
  member's DM when there is none;
- after an App Home button, the member's DM;
- after a message typed in the bot's DM (the App Home "Messages" tab), that
  DM. A form cannot open there (Slack opens modals only with a trigger id,
  which a message has not): its text comes with a note to use /ippo.

Requests are handled at most once, across instances: in HTTP mode
`SlackRequestGate` (adapters.slack.verify) verifies each signature and
acknowledges a replay this process has seen (remembered in memory) without
handling it; every other verified interaction is acknowledged at once, and
its background task asks the `RequestLedger` given (shared by the
instances, on disk) before handling it, so a replay that reaches another
instance is acknowledged the same way and changes nothing. The ack waits for
no disk: under load, a ledger write waited its turn with the database work
behind it. Events API retries are dropped by their `event_id`, through the
same ledger, before the event's listener.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import replace
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.runtime.health import HealthCheck, health_routes
from adapters.runtime.ledger import SLACK_EVENT_KEEP, SLACK_REQUEST_KEEP, ProcessLedger
from adapters.slack import origins, translate
from adapters.slack.background import Coalescer, Lane
from adapters.slack.messenger import SlackMessenger, make_client
from adapters.slack.oauth import SingleToken, TokenSource
from adapters.slack.origins import Origin
from adapters.slack.render import render_home, render_message, render_modal, response_type
from adapters.slack.translate import SlackUser
from adapters.slack.verify import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SlackRequestGate,
    request_key,
)
from bot.core import Core
from bot.i18n import Translator
from bot.model import Actor, Inbound, Message, Platform, Reply, UserRef
from bot.ports import DeliveryFailed, Messenger, RequestLedger, Store
from config.settings import Settings

log = logging.getLogger(__name__)

Body = Mapping[str, Any]
EVENTS_PATH = "/slack/events"
INTERACTION_LANE = 4
"""Interactions processed at once; more wait their turn (adapters.slack.background)."""
HOME_LANE = 2
"""App Home tabs published at once: after the answers, never in front of acks."""


def build_web_app(
    bolt: AsyncApp,
    *,
    events_path: str = EVENTS_PATH,
    healthy: HealthCheck | None = None,
) -> web.Application:
    """An aiohttp application serving Slack's requests at `events_path`
    (signatures verified by Bolt) and `/healthz`. Callers may add routes
    (calendar feeds) before starting it."""

    async def slack_events(request: web.Request) -> web.StreamResponse:
        response = await bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    app = web.Application()
    app.router.add_post(events_path, slack_events)
    flow = bolt.oauth_flow
    if flow is not None:  # multi-workspace: Slack's install flow

        async def install(request: web.Request) -> web.StreamResponse:
            return await to_aiohttp_response(
                await flow.handle_installation(await to_bolt_request(request))
            )

        async def redirect(request: web.Request) -> web.StreamResponse:
            return await to_aiohttp_response(
                await flow.handle_callback(await to_bolt_request(request))
            )

        app.router.add_get(flow.install_path, install)
        app.router.add_get(flow.redirect_uri_path, redirect)
    app.add_routes(health_routes(healthy))
    return app


class SlackAdapter:
    """`adapters.base.Adapter` for Slack. The core owns every write; the
    adapter only reads a member's language from `store` for its own strings."""

    platform: Platform = "slack"

    def __init__(
        self,
        *,
        core: Core,
        store: Store,
        settings: Settings,
        client: AsyncWebClient | None = None,
        command: str = "/ippo",
        serve_http: bool = True,
        healthy: HealthCheck | None = None,
        oauth: AsyncOAuthSettings | None = None,
        tokens: TokenSource | None = None,
        ledger: RequestLedger | None = None,
    ) -> None:
        """One workspace with `SLACK_BOT_TOKEN`; several with `oauth` (Bolt's
        install flow) and `tokens` finding each workspace's installed token
        (see adapters.slack.oauth). `ledger` remembers the requests and events
        taken; give every instance the store's (storage.seen_requests) — the
        default remembers in this process only."""
        token = settings.slack_bot_token
        if oauth is None and token is None:
            raise ValueError("the Slack adapter needs SLACK_BOT_TOKEN")
        if oauth is not None and tokens is None:
            raise ValueError("a multi-workspace install needs the installed tokens")
        if settings.slack_app_token is None and settings.slack_signing_secret is None:
            raise ValueError("set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)")
        self.core = core
        self.store = store
        self.settings = settings
        self.tokens: TokenSource = tokens or SingleToken(
            token.get_secret_value() if token is not None else ""
        )
        single = token.get_secret_value() if oauth is None and token is not None else None
        self.client = client or make_client(single, settings.slack_api_url)
        self._messenger = SlackMessenger(
            client=self.client,
            tokens=self.tokens,
            per_workspace_per_minute=settings.slack_minute_budget,
        )
        self._tasks: set[asyncio.Task[None]] = set()
        self._interactions = Lane(INTERACTION_LANE)
        self._homes: Coalescer[UserRef, Actor | None] = Coalescer(
            self.publish_home,
            lane=Lane(HOME_LANE),
            spawn=self._spawn,
            merge=lambda old, new: new or old,
        )
        self._ledger: RequestLedger = ledger or ProcessLedger()
        self._serve_http = serve_http
        self._healthy = healthy
        self._runner: web.AppRunner | None = None
        self._socket: Any = None
        self._session: aiohttp.ClientSession | None = None
        secret = settings.slack_signing_secret
        signing_secret = secret.get_secret_value() if secret else ""
        gate = None
        if settings.slack_http_mode:  # Bolt's own check is replaced: see adapters.slack.verify
            # before the ack, this process's memory only; the shared ledger is
            # asked after it (`_once`)
            gate = SlackRequestGate(signing_secret=signing_secret, ledger=ProcessLedger())
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=signing_secret,
            request_verification_enabled=False,
            process_before_response=True,  # the listeners only ack (see below)
            before_authorize=gate,
            oauth_settings=oauth,
        )
        if oauth is not None:
            self.bolt.enable_token_revocation_listeners()
        self._register(command)

    # ------------------------------------------------------------------ Adapter

    @property
    def messenger(self) -> Messenger:
        return self._messenger

    @property
    def slack_messenger(self) -> SlackMessenger:
        return self._messenger

    def web_app(self) -> web.Application:
        return build_web_app(self.bolt, healthy=self._healthy)

    async def open_connections(self) -> None:
        """One HTTP session, keeping its connections alive, for every Web API
        call; without it slack_sdk opens a session (a new connection, a TLS
        handshake on Slack) per call. Closed by `stop`."""
        if self.client.session is None:
            self._session = self.client.session = aiohttp.ClientSession()

    async def start(self) -> None:
        await self.open_connections()
        if self.settings.slack_http_mode:
            if self._serve_http:
                self._runner = web.AppRunner(self.web_app())
                await self._runner.setup()
                site = web.TCPSite(self._runner, self.settings.http_host, self.settings.http_port)
                await site.start()
                log.info(
                    "slack http mode listening on %s:%s",
                    self.settings.http_host,
                    self.settings.http_port,
                )
            return
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        app_token = self.settings.slack_app_token
        assert app_token is not None  # checked in __init__
        self._socket = AsyncSocketModeHandler(self.bolt, app_token.get_secret_value())
        await self._socket.connect_async()
        log.info("slack socket mode connected")

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.drain()
        if self._session is not None:
            self.client.session = None
            await self._session.close()
            self._session = None

    async def drain(self) -> None:
        """Wait for every interaction taken so far to be fully answered."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # ------------------------------------------------------------------ listeners

    def _register(self, command: str) -> None:
        self.bolt.middleware(self._dedupe_events)
        self.bolt.command(command)(self._on_command)
        self.bolt.action(re.compile(".*"))(self._on_action)
        self.bolt.view(re.compile(".*"))(self._on_view)
        self.bolt.event("app_home_opened")(self._on_home_opened)
        self.bolt.event("message")(self._on_message)

    async def _dedupe_events(
        self, body: Body, next: Callable[[], Awaitable[BoltResponse | None]]
    ) -> BoltResponse | None:
        event_id = body.get("event_id")
        if body.get("type") == "event_callback" and event_id:
            key = f"slack:event:{event_id}"
            if not await self._ledger.first_time(key, keep=SLACK_EVENT_KEEP):
                return BoltResponse(status=200, body="")  # a retry: taken already
        return await next()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("slack interaction failed", exc_info=task.exception())

    # Each listener acknowledges and hands the rest to a background task, so
    # the app can run Bolt with process_before_response (the ack is answered
    # as soon as the listener returns, not on Bolt's 10 ms poll) and nothing
    # after the ack can turn it into an error.

    async def _on_command(self, ack: AsyncAck, body: Body, request: AsyncBoltRequest) -> None:
        await ack()
        self._spawn(self._once(request, body, translate.command, origins.command))

    async def _on_action(self, ack: AsyncAck, body: Body, request: AsyncBoltRequest) -> None:
        await ack()
        self._spawn(self._once(request, body, translate.button, origins.action))

    async def _on_view(self, ack: AsyncAck, body: Body, request: AsyncBoltRequest) -> None:
        await ack()
        self._spawn(self._once(request, body, translate.form, origins.view))

    async def _on_home_opened(self, body: Body, event: Body) -> None:
        if event.get("tab", "home") != "home":
            return
        user = UserRef("slack", translate.team_id(body), str(event.get("user", "")))
        self.refresh_home(user)

    async def _on_message(self, body: Body, event: Body, context: AsyncBoltContext) -> None:
        """A message in the bot's DM (the App Home "Messages" tab) is the
        command it names: "step", "ippo step", "/ippo step". Bots' messages,
        the bot's own, edits, deletions and other subtypes are not."""
        if not translate.typed_in_dm(event) or event.get("user") == context.bot_user_id:
            return
        user = UserRef("slack", translate.team_id(body), str(event["user"]))
        origin = Origin(user=user, channel_id=str(event.get("channel") or "") or None)
        self._spawn(self._process(body, translate.dm_command, lambda _body: origin))

    # ------------------------------------------------------------------ processing

    async def _once(
        self,
        request: AsyncBoltRequest,
        body: Body,
        build: Callable[[Body, SlackUser], Inbound],
        where: Callable[[Body], Origin],
    ) -> None:
        """`_process` an acknowledged interaction unless the shared ledger has
        seen its signed request already (a replay taken by another instance;
        see the module docstring). Socket Mode requests carry no signature."""
        key = signed_request_key(request)
        if key is not None and not await self._ledger.first_time(key, keep=SLACK_REQUEST_KEEP):
            log.info("slack request replayed: acknowledged and ignored")
            return
        await self._process(body, build, where)

    async def _process(
        self,
        body: Body,
        build: Callable[[Body, SlackUser], Inbound],
        where: Callable[[Body], Origin],
    ) -> None:
        origin = where(body)
        async with self._interactions:
            who = await self._messenger.user(origin.user.workspace, origin.user.id)
            event = build(body, who)
            replies = await self.core.handle(event)
            await self.deliver(replies, origin)
        self.refresh_home(origin.user, event.actor)

    async def deliver(self, replies: list[Reply], origin: Origin) -> None:
        """Send each reply where it belongs (see the module docstring)."""
        for reply in replies:
            try:
                await self._deliver_one(reply, origin)
            except DeliveryFailed as err:
                log.warning("slack reply not delivered: %s", err)

    async def _deliver_one(self, reply: Reply, origin: Origin) -> None:
        message = reply.message
        if reply.to is not None:
            await self._messenger.send(reply.to, message)
            return
        if message.form is not None and not origin.trigger_id:
            # Slack opens a modal only with a trigger id (a slash command, a
            # button); a message typed in the DM has none.
            note = self._words(message)("slack.form_needs_command")
            message = replace(message, form=None, text=f"{message.text}\n{note}")
        if message.form is not None and origin.trigger_id:
            close = self._words(message)("slack.modal_close")
            view = render_modal(
                message,
                channel_id=origin.channel_id,
                close_label=close,
                response_url=origin.response_url,
            )
            await self.client.views_open(
                token=await self.tokens.token(origin.user.workspace),
                trigger_id=origin.trigger_id,
                view=view,
            )
            return
        if origin.response_url:
            payload = {
                **render_message(message),
                "response_type": response_type(message),
                "replace_original": reply.replace,
            }
            answered = await AsyncWebhookClient(origin.response_url).send_dict(payload)
            if answered.status_code == 200:
                return
            # response_url expired (30 minutes, 5 uses): answer without it.
            log.info("response_url refused (%s); posting instead", answered.status_code)
        channel = origin.channel_id
        if message.ephemeral and channel and not channel.startswith("D"):
            await self._messenger.post_ephemeral(channel, origin.user, message)
            return
        await self._messenger.send(origin.user, message)

    def _words(self, message: Message) -> Translator:
        """The adapter's own few strings, in the language the core wrote
        `message` in."""
        return self.core.translator(message.lang or self.core.config.default_lang)

    def refresh_home(self, user: UserRef, actor: Actor | None = None) -> None:
        """Have the member's App Home tab published soon, coalesced: a burst
        of interactions publishes once, from the latest state."""
        self._homes.request(user, actor)

    async def publish_home(self, user: UserRef, actor: Actor | None = None) -> None:
        """Publish the member's App Home tab from the core's overview, now."""
        if actor is None:
            who = await self._messenger.user(user.workspace, user.id)
            actor = translate.actor_for(user, who)
        home: Message = await self.core.home(actor)
        await self.client.views_publish(
            token=await self.tokens.token(user.workspace), user_id=user.id, view=render_home(home)
        )


def signed_request_key(request: AsyncBoltRequest) -> str | None:
    """The ledger key of a request the gate let through in HTTP mode (its
    timestamp and signature verified); None without them (Socket Mode)."""
    if request.mode == "socket_mode":
        return None
    timestamp = request.headers.get(TIMESTAMP_HEADER)
    signature = request.headers.get(SIGNATURE_HEADER)
    if not timestamp or not signature:
        return None
    return request_key(timestamp[0], signature[0])
