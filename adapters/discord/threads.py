"""Private threads: where a group (`bot.model.GroupRef`) is introduced on Discord.

Bots cannot create or join group DMs, so a group's message goes to a private
thread (type 12) opened in the group's `channel_id`
(`POST /channels/{id}/threads`, needs Create Private Threads there), with
every member added (`PUT /channels/{thread}/thread-members/{user}`). The
thread is not invitable (only moderators add people to it) and archives
itself after a week of silence.

A retried delivery must not open a second thread, and Discord has no nonce
for thread creation, so a thread's name ends with a short token of its
delivery key (`thread_token`, "コーヒー 2026-12-01 (1a2b3c4d)"):
- a retry in the same process (a 429 or a 5xx on an add or the post) reuses
  the thread it opened for that key (the most recent `KEEP` keys);
- a resend after a crash between opening the thread and posting (or after
  posting) finds it among the guild's active threads
  (`GET /guilds/{id}/threads/active`): one in the group's channel whose name
  carries the key's token. The listing is read once per guild per
  `LISTING_TTL_S`, not per group: a process that was running while another
  crashed sees that process's thread, because recovery waits for the
  crashed claim's lease (`IPPO_RECOVER_AFTER_S`, 300 s by default) first.
The post itself carries the delivery's nonce, as every scheduled send does,
so a resend after the post finds the first message and posts nothing.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, Final

import discord

from bot.i18n import Translator
from bot.model import GroupRef
from bot.ports import PermanentFailure

log = logging.getLogger(__name__)

PRIVATE_THREAD: Final = 12
ARCHIVE_AFTER_MIN: Final = 10080  # a week: the longest auto-archive Discord offers
KEEP = 1024
THREAD_NAME_MAX = 100
TOKEN_LEN = 8
LISTING_TTL_S = 30.0
_TOKEN = re.compile(rf" \(([0-9a-f]{{{TOKEN_LEN}}})\)$")


def thread_token(delivery_key: str) -> str:
    """The short token a thread's name carries for its delivery key."""
    return hashlib.sha256(delivery_key.encode("utf-8")).hexdigest()[:TOKEN_LEN]


def thread_name(base: str, delivery_key: str | None) -> str:
    """`base` (cut to fit) with the key's token at the end, if there is a key."""
    if delivery_key is None:
        return base[:THREAD_NAME_MAX]
    suffix = f" ({thread_token(delivery_key)})"
    return base[: THREAD_NAME_MAX - len(suffix)] + suffix


class PrivateThreads:
    """Opens (once per delivery key) the private thread a group is introduced in.

    `today` dates
    the thread's name; errors are discord.py's, for the messenger to classify
    (a 403 Missing Access or Missing Permissions on the channel is `no_access`).
    """

    def __init__(
        self,
        http: discord.http.HTTPClient,
        *,
        translator: Callable[[], Translator],
        today: Callable[[], date],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._translator = translator
        self._today = today
        self._monotonic = monotonic
        self._opened: OrderedDict[str, int] = OrderedDict()
        # guild id -> (when read, (parent channel id, token) -> thread id)
        self._listed: dict[str, tuple[float, dict[tuple[str, str], int]]] = {}

    async def open(self, to: GroupRef, delivery_key: str | None) -> int:
        """The thread's channel id, with every member of `to` added."""
        thread_id = None
        if delivery_key is not None:
            thread_id = self._opened.get(delivery_key) or await self._find(to, delivery_key)
        if thread_id is None:
            thread_id = await self._create(to, delivery_key)
        # Adding a member twice is harmless: a retry after a failed add (or
        # post) adds them all again.
        for member in to.members:
            await self._add(thread_id, member)
        return thread_id

    async def _create(self, to: GroupRef, delivery_key: str | None) -> int:
        if to.channel_id is None:
            raise PermanentFailure(
                "a group on Discord needs a channel for its private thread; none is set",
                unreachable_member=False,
            )
        name = self._translator()("discord.thread_name", date=self._today().isoformat())
        data = await self._http.start_thread_without_message(
            int(to.channel_id),
            name=thread_name(name, delivery_key),
            auto_archive_duration=ARCHIVE_AFTER_MIN,
            type=PRIVATE_THREAD,
            invitable=False,
        )
        thread_id = int(data["id"])
        if delivery_key is not None:
            self._remember(delivery_key, thread_id)
        return thread_id

    def _remember(self, delivery_key: str, thread_id: int) -> None:
        self._opened[delivery_key] = thread_id
        while len(self._opened) > KEEP:
            self._opened.popitem(last=False)

    async def _find(self, to: GroupRef, delivery_key: str) -> int | None:
        """The thread an earlier process opened for this key, if still active."""
        if to.channel_id is None or not to.workspace.isdigit():
            return None
        found = (await self._active(to.workspace)).get((to.channel_id, thread_token(delivery_key)))
        if found is not None:
            self._remember(delivery_key, found)
        return found

    async def _active(self, guild_id: str) -> dict[tuple[str, str], int]:
        """The guild's active threads named with a token, read at most once
        per `LISTING_TTL_S`. A guild that will not list them (403) lists none:
        the group then gets a new thread, as before there was a listing."""
        now = self._monotonic()
        cached = self._listed.get(guild_id)
        if cached is not None and now - cached[0] < LISTING_TTL_S:
            return cached[1]
        try:
            data = await self._http.get_active_threads(int(guild_id))
        except discord.Forbidden as exc:
            log.warning("the guild's active threads could not be listed", extra={"code": exc.code})
            threads: list[Any] = []
        else:
            threads = list(data.get("threads", []))
        found: dict[tuple[str, str], int] = {}
        for thread in threads:
            if match := _TOKEN.search(str(thread.get("name", ""))):
                found[(str(thread.get("parent_id")), match[1])] = int(thread["id"])
        self._listed[guild_id] = (now, found)
        return found

    async def _add(self, thread_id: int, member: str) -> None:
        """Add one member; one who left the server (404) is skipped, so the
        others still meet."""
        try:
            await self._http.add_user_to_thread(thread_id, int(member))
        except discord.NotFound as exc:
            log.warning(
                "a group member could not be added to its thread",
                extra={"thread_id": thread_id, "code": exc.code},
            )
