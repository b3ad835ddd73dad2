"""One interaction through the core and back: the adapter's single
`core.handle` call, and the rules for answering Discord in time.

Discord wants a first response within 3 s, and a modal can only BE that
first response. Whether the core answers with a form is known only once it
has answered, so the core gets `first_response_timeout` (2 s by default) to
reply; if it is slower the interaction is deferred (a thinking message for a
command, a silent acknowledgement for a button or form) and the replies
follow as edits and follow-ups. A form that arrives after a deferral cannot
open, so its text is shown with a note to run the command again.

Answering (for replies with `to=None`):
- a form -> the modal (custom_id = the form's route);
- `replace=True` on a button press (or a form opened from one) -> the message
  with the button is edited;
- otherwise -> a message, ephemeral when the core says so; later replies are
  follow-ups.
Replies addressed elsewhere (`to=UserRef|ChannelRef`) go through the
messenger. This module decides nothing about content.

Each interaction id is taken at most once, across instances (`RequestLedger`):
a repeat — a gateway replay, a second instance given the same event — is
ignored without an answer, since the first taker answers it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from enum import Enum
from typing import Any

import discord

from adapters.discord.render import DiscordMessage, render, render_form
from adapters.discord.translate import button_event, command_event, form_event
from adapters.runtime.ledger import DISCORD_INTERACTION_KEEP, ProcessLedger
from bot.core import Core, lang_from_locale
from bot.metrics import Metrics, NoMetrics
from bot.model import Inbound, Lang, Reply
from bot.ports import DeliveryFailed, Messenger, RequestLedger

log = logging.getLogger(__name__)

FIRST_RESPONSE_TIMEOUT = 2.0


class Answered(Enum):
    NOTHING = "nothing"
    THINKING = "thinking"  # deferred with a "thinking..." placeholder to fill in
    ACKNOWLEDGED = "acknowledged"  # deferred update: nothing shown yet
    SENT = "sent"


class InteractionRunner:
    def __init__(
        self,
        *,
        core: Core,
        messenger: Messenger,
        first_response_timeout: float = FIRST_RESPONSE_TIMEOUT,
        ledger: RequestLedger | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._core = core
        # How long each first response took (`ippo run` sets its metrics here).
        self.metrics: Metrics = metrics or NoMetrics()
        self._messenger = messenger
        self._timeout = first_response_timeout
        self._ledger: RequestLedger = ledger or ProcessLedger()

    async def command(
        self, interaction: discord.Interaction[Any], name: str, args: tuple[str, ...]
    ) -> None:
        await self._run(interaction, command_event(interaction, name, args))

    async def component(self, interaction: discord.Interaction[Any], action_id: str) -> None:
        await self._run(interaction, button_event(interaction, action_id))

    async def modal(self, interaction: discord.Interaction[Any]) -> None:
        await self._run(interaction, form_event(interaction))

    # ------------------------------------------------------------------ internals

    async def _run(self, interaction: discord.Interaction[Any], event: Inbound) -> None:
        started = time.perf_counter()
        key = f"discord:interaction:{interaction.id}"
        if not await self._ledger.first_time(key, keep=DISCORD_INTERACTION_KEEP):
            log.info("discord interaction seen before: ignored")
            return
        work = asyncio.ensure_future(self._core.handle(event))
        state = Answered.NOTHING
        try:
            replies = await asyncio.wait_for(asyncio.shield(work), self._timeout)
        except TimeoutError:
            state = await self._defer(interaction)
            self.metrics.ack_latency("discord", time.perf_counter() - started)
            replies = await work
        deferred = state is not Answered.NOTHING
        fallback = lang_from_locale(interaction.locale.value, self._core.config.default_lang)
        try:
            state = await self._answer(interaction, replies, state, fallback)
        except discord.HTTPException:
            # The interaction expired or was already answered elsewhere: the
            # core's work is committed; only this answer is lost.
            log.exception("could not answer a Discord interaction")
            return
        if state is Answered.NOTHING:
            await interaction.response.defer()
        if not deferred:  # the first response was the answer itself
            self.metrics.ack_latency("discord", time.perf_counter() - started)

    async def _defer(self, interaction: discord.Interaction[Any]) -> Answered:
        if interaction.type is discord.InteractionType.application_command:
            await interaction.response.defer(ephemeral=True, thinking=True)
            return Answered.THINKING
        if interaction.message is not None:
            await interaction.response.defer()
            return Answered.ACKNOWLEDGED
        await interaction.response.defer(ephemeral=True, thinking=True)
        return Answered.THINKING

    async def _answer(
        self,
        interaction: discord.Interaction[Any],
        replies: list[Reply],
        state: Answered,
        fallback: Lang,
    ) -> Answered:
        for reply in replies:
            if reply.to is not None:
                try:
                    await self._messenger.send(reply.to, reply.message)
                except DeliveryFailed:
                    log.warning("reply to %s not delivered", type(reply.to).__name__)
                continue
            message = reply.message
            t = self._core.translator(message.lang or fallback)  # the core says which
            if message.form is not None:
                if state is Answered.NOTHING:
                    await interaction.response.send_modal(render_form(message.form).modal())
                    state = Answered.SENT
                    continue
                message = replace(
                    message,
                    form=None,
                    text=f"{message.text}\n{t('discord.form_after_delay')}",
                    ephemeral=True,
                )
            state = await self._show(interaction, render(message, t), reply.replace, state)
        return state

    async def _show(
        self,
        interaction: discord.Interaction[Any],
        out: DiscordMessage,
        replace_original: bool,
        state: Answered,
    ) -> Answered:
        edits_message = replace_original and interaction.message is not None
        content = out.content or None
        embed = out.discord_embed()
        view = out.view()
        match state:
            case Answered.NOTHING if edits_message:
                await interaction.response.edit_message(content=content, embed=embed, view=view)
            case Answered.NOTHING:
                await interaction.response.send_message(
                    **_body(content, embed, view), ephemeral=out.ephemeral
                )
            case Answered.THINKING | Answered.ACKNOWLEDGED if (
                state is Answered.THINKING or edits_message
            ):
                await interaction.edit_original_response(content=content, embed=embed, view=view)
            case _:
                await interaction.followup.send(
                    **_body(content, embed, view), ephemeral=out.ephemeral
                )
        return Answered.SENT


def _body(
    content: str | None, embed: discord.Embed | None, view: discord.ui.View | None
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if content is not None:
        body["content"] = content
    if embed is not None:
        body["embed"] = embed
    if view is not None:
        body["view"] = view
    return body
