"""`ippo chat`: a conversation with ippo in the terminal.

Lines are what a member would type in chat ("/ippo step" or just "step");
buttons print as numbered choices and typing the number presses one. A form
prompts for each field in turn. When standard input is not a terminal every
line is read and answered, and the chat ends at end of input, so whole
conversations can be scripted.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from adapters.console.render import render
from bot.core import Core
from bot.i18n import Translator
from bot.model import (
    Actor,
    ButtonPressed,
    CommandInvoked,
    Form,
    FormSubmitted,
    Lang,
    Reply,
    UserRef,
)
from bot.router import split_command

CLEAR = "-"  # typed into a form input: empty it (Enter alone keeps the shown value)


@dataclass
class ConsoleChat:
    core: Core
    user: str
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    write: Callable[[str], None] = print
    lang: Lang | None = None
    actions: tuple[str, ...] = ()

    @property
    def actor(self) -> Actor:
        return Actor(
            UserRef("console", "console", self.user), display_name=self.user, locale=self.lang
        )

    async def read_line(self) -> str | None:
        line = await asyncio.to_thread(self.stdin.readline)
        return None if line == "" else line.rstrip("\r\n")

    async def translator(self) -> Translator:
        async with self.core.store.unit() as uow:
            member = await uow.members.get(self.actor.user)
        lang = member.lang if member else (self.lang or self.core.config.default_lang)
        return self.core.translator(lang)

    async def show(self, replies: list[Reply]) -> None:
        actions: list[str] = []
        for reply in replies:
            if reply.message.form is not None:
                await self.fill_form(reply.message.form)
                return
            rendered = render(reply.message, first_number=len(actions) + 1)
            self.write(rendered.text)
            actions.extend(rendered.actions)
        if actions:
            self.actions = tuple(actions)
            self.write((await self.translator())("console.choose"))

    async def fill_form(self, form: Form) -> None:
        """Ask for each input in turn: Enter keeps what is shown in [brackets]
        (or skips an optional input), `-` empties it."""
        t = await self.translator()
        self.write(t("console.form_intro", title=form.title))
        values: dict[str, str] = {}
        for item in form.inputs:
            prompt = f"{item.label}" + (f" ({item.hint})" if item.hint else "")
            prompt += f" [{item.initial}]:" if item.initial else ":"
            while True:
                self.write(prompt)
                line = await self.read_line()
                if line is None:
                    return
                typed = line.strip()
                value = "" if typed == CLEAR else (typed or item.initial)
                if value or not item.required:
                    values[item.id] = value
                    break
                self.write(t("console.form_required"))
        await self.show(
            await self.core.handle(FormSubmitted(self.actor, None, form.form_id, values))
        )

    async def handle_line(self, line: str) -> None:
        text = line.strip()
        if not text:
            return
        if text.isdigit() and self.actions:
            number = int(text)
            if not 1 <= number <= len(self.actions):
                self.write((await self.translator())("console.unknown_number", number=number))
                return
            event = ButtonPressed(self.actor, None, self.actions[number - 1])
            await self.show(await self.core.handle(event))
            return
        name, args = split_command(text)
        await self.show(await self.core.handle(CommandInvoked(self.actor, None, name, args, text)))

    async def start(self) -> None:
        """Greet the member (and store an explicit --lang as their choice,
        like `/ippo lang`)."""
        if self.lang:
            await self.core.handle(
                CommandInvoked(self.actor, None, "lang", (self.lang,), f"/ippo lang {self.lang}")
            )
        t = await self.translator()
        self.write(t("console.greeting", name=self.user))

    async def run(self) -> int:
        await self.start()
        while (line := await self.read_line()) is not None:
            await self.handle_line(line)
        if self.stdin.isatty():
            self.write((await self.translator())("console.bye"))
        return 0
