"""Private threads: where a group (`bot.model.GroupRef`) is introduced on Discord.

Bots cannot create or join group DMs, so a group's message goes to a private
thread (type 12) opened in the group's `channel_id`
(`POST /channels/{id}/threads`, needs Create Private Threads there), with
every member added (`PUT /channels/{thread}/thread-members/{user}`). The
thread is not invitable (only moderators add people to it) and archives
itself after a week of silence.

A retried delivery (a 429 or a 5xx on an add or the post) must not open a
second thread: the thread opened for a delivery key is kept for the
process's lifetime (the most recent `KEEP` keys) and reused. The post itself
carries the delivery's nonce, as every scheduled send does. (A crash between
opening the thread and posting leaves that thread empty, and the resend
opens another: Discord has no nonce for thread creation.)
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
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

Slot = Callable[[], AbstractAsyncContextManager[Any]]


class PrivateThreads:
    """Opens (once per delivery key) the private thread a group is introduced in.

    `slot` wraps every request (the messenger's global pace); `today` dates
    the thread's name; errors are discord.py's, for the messenger to classify
    (a 403 Missing Access or Missing Permissions on the channel is `no_access`).
    """

    def __init__(
        self,
        http: discord.http.HTTPClient,
        *,
        slot: Slot,
        translator: Callable[[], Translator],
        today: Callable[[], date],
    ) -> None:
        self._http = http
        self._slot = slot
        self._translator = translator
        self._today = today
        self._opened: OrderedDict[str, int] = OrderedDict()

    async def open(self, to: GroupRef, delivery_key: str | None) -> int:
        """The thread's channel id, with every member of `to` added."""
        thread_id = None if delivery_key is None else self._opened.get(delivery_key)
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
        async with self._slot():
            data = await self._http.start_thread_without_message(
                int(to.channel_id),
                name=name[:THREAD_NAME_MAX],
                auto_archive_duration=ARCHIVE_AFTER_MIN,
                type=PRIVATE_THREAD,
                invitable=False,
            )
        thread_id = int(data["id"])
        if delivery_key is not None:
            self._opened[delivery_key] = thread_id
            while len(self._opened) > KEEP:
                self._opened.popitem(last=False)
        return thread_id

    async def _add(self, thread_id: int, member: str) -> None:
        """Add one member; one who left the server (404) is skipped, so the
        others still meet."""
        try:
            async with self._slot():
                await self._http.add_user_to_thread(thread_id, int(member))
        except discord.NotFound as exc:
            log.warning(
                "a group member could not be added to its thread",
                extra={"thread_id": thread_id, "code": exc.code},
            )
