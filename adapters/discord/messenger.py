"""`bot.ports.Messenger` on Discord: DMs and channel posts through the REST API.

- A member's DM channel id is reused through `client.get_partial_messageable(id)`;
  a DM channel is opened (`POST /users/@me/channels`) only when neither the
  store (`Member.dm_channel_id`, which the Dispatcher records from where each
  delivery landed — the one writer) nor this messenger's own memory of the
  DMs it opened knows one. The Dispatcher hands over the stored channel
  before each DM (`dm_channel_known`, bot.delivery.hints), so a scheduled
  send reads nothing from the store itself. Opening DMs fast is watched by
  Discord (40003), and discord.py caches only 128 DM channels.
- Every scheduled send carries `nonce` (derived from the delivery key) with
  `enforce_nonce`, so a resend after a crash within Discord's window returns
  the first message instead of posting twice; `find_delivered` relies on that.
- 50007 ("Cannot send messages to this user") is a `PermanentFailure`: the
  member is marked unreachable upstream and never retried (each refusal is an
  invalid request, and 10,000 of them in 10 minutes ban the bot's IP).
- Rate limits: per route, discord.py keeps a bucket from each answer's
  `X-RateLimit-Limit`, `-Remaining`, `-Reset-After` and `-Bucket` and waits
  when Remaining reaches 0; on a 429 it sleeps the body's `retry_after` and
  retries, and a 429 with `"global": true` holds every request of the client
  until it has passed. A 429 longer than `max_ratelimit_timeout`, or one
  that outlasts its retries, is a `TransientFailure` with `retry_after`.
  The global limit (50 a second) is kept below every request the client
  makes, discord.py's own retries included, by the client's
  `adapters.discord.pace.GlobalPace`; this messenger adds nothing to it.
  The dispatcher keeps `SENDS_AT_ONCE` sends in flight
  (bot.delivery.pacing), so the work around each send overlaps other
  sends' network time.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

import aiohttp
import discord

from adapters.discord.render import render
from adapters.discord.threads import PrivateThreads
from bot.i18n import Messages, Translator
from bot.model import (
    ChannelRef,
    Destination,
    GroupRef,
    Lang,
    Message,
    MessageRef,
    Platform,
    UserRef,
)
from bot.ports import PermanentFailure, Store, TransientFailure

log = logging.getLogger(__name__)

NONCE_MAX = 25
CANNOT_DM = 50007  # Cannot send messages to this user
UNKNOWN_CHANNEL = 10003
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013
# The bot may not post in the channel until a server admin lets it in.
NO_ACCESS = frozenset({UNKNOWN_CHANNEL, MISSING_ACCESS, MISSING_PERMISSIONS})
SENDS_AT_ONCE = 4


def nonce_for(delivery_key: str) -> str:
    """A stable nonce of at most 25 characters for a delivery key."""
    return hashlib.sha256(delivery_key.encode("utf-8")).hexdigest()[:NONCE_MAX]


OPENED_KEPT = 10_000
"""DM channels this messenger remembers, opened or handed over (oldest forgotten first)."""


class DiscordMessenger:
    """Sends through a logged-in `discord.Client` (REST only; no gateway needed)."""

    platform: Platform = "discord"
    sends_at_once: int = SENDS_AT_ONCE

    def __init__(
        self,
        *,
        client: discord.Client,
        store: Store,
        messages: Messages,
        default_lang: Lang = "ja",
    ) -> None:
        self._client = client
        self._store = store
        self._messages = messages
        self._default_lang = default_lang
        self._opened: OrderedDict[str, int] = OrderedDict()  # user id -> DM channel known
        self._threads = PrivateThreads(
            client.http,
            translator=self._translator,
            today=lambda: datetime.now(UTC).date(),
        )

    # ------------------------------------------------------------------ Messenger

    async def send(
        self, to: Destination, message: Message, *, delivery_key: str | None = None
    ) -> MessageRef:
        if isinstance(to, GroupRef):
            channel_id = await self._thread_for(to, delivery_key)
        else:
            channel_id = await self._channel_for(to)
        try:
            sent = await self._post(channel_id, message, delivery_key)
        except discord.NotFound as exc:
            if not isinstance(to, UserRef) or exc.code != UNKNOWN_CHANNEL:
                raise _failure(exc, to) from exc
            # The stored DM channel is gone: open a new one, once.
            self._opened.pop(to.id, None)
            channel_id = await self._open_dm(to)
            try:
                sent = await self._post(channel_id, message, delivery_key)
            except discord.HTTPException as again:
                raise _failure(again, to) from again
        except (discord.HTTPException, discord.RateLimited) as exc:
            raise _failure(exc, to) from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientFailure(f"network: {exc!r}") from exc
        return MessageRef("discord", to.workspace, str(channel_id), str(sent.id))

    async def update(self, ref: MessageRef, message: Message) -> None:
        channel = self._client.get_partial_messageable(int(ref.channel_id))
        rendered = render(message, self._translator(message.lang))
        try:
            await channel.get_partial_message(int(ref.message_id)).edit(
                content=rendered.content,
                embed=rendered.discord_embed(),
                view=rendered.view(),
            )
        except (discord.HTTPException, discord.RateLimited) as exc:
            raise _failure(exc, None) from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientFailure(f"network: {exc!r}") from exc

    async def find_delivered(
        self, to: Destination, delivery_key: str, since: datetime
    ) -> MessageRef | None:
        """Always None: every scheduled send carries a nonce with
        enforce_nonce, so resending is how a lost send is recovered (Discord
        returns the first message for a repeated nonce within its window)."""
        return None

    def dm_channel_known(self, to: UserRef, channel_id: str) -> None:
        """The store's DM channel for `to`, from the Dispatcher, just before a send."""
        self._remember(to.id, int(channel_id))

    # ------------------------------------------------------------------ internals

    def _translator(self, lang: Lang | None = None) -> Translator:
        """For the adapter's own few words (the overflow select's placeholder),
        in the language the message says it is written in."""
        return self._messages.for_lang(lang or self._default_lang)

    async def _post(
        self, channel_id: int, message: Message, delivery_key: str | None
    ) -> discord.Message:
        channel = self._client.get_partial_messageable(channel_id)
        rendered = render(message, self._translator(message.lang))
        body: dict[str, Any] = {"content": rendered.content or None}
        if (embed := rendered.discord_embed()) is not None:
            body["embed"] = embed
        if (view := rendered.view()) is not None:
            body["view"] = view
        if delivery_key is not None:
            # discord.py sends enforce_nonce=true with every nonce.
            body["nonce"] = nonce_for(delivery_key)
        return await channel.send(**body)

    async def _thread_for(self, to: GroupRef, delivery_key: str | None) -> int:
        """The private thread a group is introduced in (adapters.discord.threads)."""
        try:
            return await self._threads.open(to, delivery_key)
        except (discord.HTTPException, discord.RateLimited) as exc:
            raise _failure(exc, to) from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientFailure(f"network: {exc!r}") from exc

    async def _channel_for(self, to: UserRef | ChannelRef) -> int:
        if not isinstance(to, UserRef):
            return int(to.id)
        if (known := self._opened.get(to.id)) is not None:
            return known
        async with self._store.unit() as uow:
            member = await uow.members.get(to)
        if member is not None and member.dm_channel_id:
            return int(member.dm_channel_id)
        return await self._open_dm(to)

    async def _open_dm(self, to: UserRef) -> int:
        """`POST /users/@me/channels`, then remember the channel for the member."""
        try:
            data = await self._client.http.start_private_message(int(to.id))
        except (discord.HTTPException, discord.RateLimited) as exc:
            raise _failure(exc, to) from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientFailure(f"network: {exc!r}") from exc
        channel_id = int(data["id"])
        self._remember(to.id, channel_id)
        return channel_id

    def _remember(self, user_id: str, channel_id: int) -> None:
        self._opened[user_id] = channel_id
        self._opened.move_to_end(user_id)
        if len(self._opened) > OPENED_KEPT:
            self._opened.popitem(last=False)


def _failure(
    exc: discord.HTTPException | discord.RateLimited, to: Destination | None
) -> TransientFailure | PermanentFailure:
    """Classify a Discord error: retry later, or never."""
    if isinstance(exc, discord.RateLimited):
        return TransientFailure("rate limited", retry_after=exc.retry_after)
    if exc.status == 429:
        return TransientFailure(f"rate limited: {exc.text}", retry_after=_retry_after(exc))
    if exc.status >= 500:
        return TransientFailure(f"discord {exc.status}: {exc.text}")
    if exc.code == CANNOT_DM:
        return PermanentFailure("cannot send messages to this user (50007)")
    to_member = isinstance(to, UserRef)
    reason = f"discord {exc.status} code {exc.code}: {exc.text}"
    return PermanentFailure(
        reason,
        unreachable_member=to_member and exc.status in (403, 404),
        no_access=not to_member and exc.code in NO_ACCESS,
    )


def _retry_after(exc: discord.HTTPException) -> float | None:
    response = exc.response
    raw = response.headers.get("Retry-After") if response is not None else None
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None
