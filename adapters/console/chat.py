"""`ippo chat`: a conversation with ippo in the terminal.

Lines are what a member would type in chat ("/ippo step" or just "step").
Buttons print as numbered choices; typing a number presses a button of the
latest message that has buttons (the line under it and the prompt say which
numbers), and a number that matches nothing says which numbers would. A form
prompts for each field in turn; a line starting with `/ippo`, or `cancel` /
`キャンセル`, leaves it with nothing saved (the command is then run).

The console is a third platform, not a printout: what ippo sends on its own
(nudges, follow-ups, announcements) waits in the console inbox in the store
(`storage.console_inbox`) and is shown when the member opens the chat, before
each line they type, and at once when the scheduler of `ippo run` posts it
(`notice`; in a terminal also what another process posted, within `poll_s`)
— each headed by who or where it is for (`→ @name:`, `→ #channel:`),
its buttons pressable by number. A reply a handler addresses elsewhere (a
channel post, another member's DM) goes through the same inbox.

The chat is typed in a channel, `#general` (`DEFAULT_CHANNEL`), as a Slack
slash command is typed in one: commands and forms carry it as `where`, so a
session form opened here is announced here unless it names another channel.

When standard input is not a terminal every line is read and answered, no
prompt is printed, and the chat ends at end of input, so whole conversations
can be scripted (with `--at` pinning the clock).
"""

from __future__ import annotations

import asyncio
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from adapters.console.messenger import ConsoleMessenger
from adapters.console.render import conversation_id, destination_label, render
from bot.core import Core
from bot.i18n import Translator
from bot.model import (
    Actor,
    ButtonPressed,
    ChannelRef,
    CommandInvoked,
    Form,
    FormSubmitted,
    Lang,
    MessageRef,
    Reply,
    UserRef,
)
from bot.router import split_command
from storage.console_inbox import CONSOLE_WORKSPACE, InboxItem, SqlConsoleInbox

CLEAR = "-"  # typed into a form input: empty it (Enter alone keeps the shown value)
COMMAND_PREFIX = "/ippo"  # a line starting with it is a command, even inside a form
DEFAULT_CHANNEL = "general"  # the channel the chat is typed in


def _prompt_to_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


@dataclass(frozen=True, slots=True)
class Pressable:
    """The buttons a typed number presses: the latest message that has any."""

    actions: tuple[str, ...]
    message: MessageRef | None = None  # the stored message they are on, if any
    where: ChannelRef | None = None  # the channel it was posted in, if any


@dataclass
class ConsoleChat:
    core: Core
    user: str
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    write: Callable[[str], None] = print
    lang: Lang | None = None
    channel: str = DEFAULT_CHANNEL
    inbox: SqlConsoleInbox | None = None
    messenger: ConsoleMessenger | None = None
    prompt: Callable[[str], None] = _prompt_to_stdout
    poll_s: float = 5.0  # in a terminal: how often to look for what other processes posted
    pressable: Pressable = field(default_factory=lambda: Pressable(()))
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)
    _prompting: bool = field(default=False, init=False, repr=False)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set, init=False, repr=False)

    @property
    def actor(self) -> Actor:
        return Actor(
            UserRef("console", CONSOLE_WORKSPACE, self.user),
            display_name=self.user,
            locale=self.lang,
        )

    @property
    def where(self) -> ChannelRef:
        """The channel the chat is typed in (see the module docstring)."""
        return ChannelRef("console", CONSOLE_WORKSPACE, self.channel)

    @property
    def actions(self) -> tuple[str, ...]:
        return self.pressable.actions

    @property
    def interactive(self) -> bool:
        return self.stdin.isatty()

    async def read_line(self) -> str | None:
        line = await asyncio.to_thread(self.stdin.readline)
        return None if line == "" else line.rstrip("\r\n")

    async def translator(self) -> Translator:
        """For the console's own words; the core says which language."""
        return self.core.translator(await self.core.language_of(self.actor))

    # ------------------------------------------------------------------ output

    def numbers(self, t: Translator) -> str:
        """The numbers that press something now: "1", "1–4" / "1〜4"."""
        last = len(self.pressable.actions)
        return "1" if last == 1 else t("console.range", first=1, last=last)

    async def offer(self, pressable: Pressable) -> None:
        """Make `pressable` what numbers press, and say so."""
        self.pressable = pressable
        t = await self.translator()
        if len(pressable.actions) == 1:
            self.write(t("console.choose_one"))
        else:
            self.write(t("console.choose", numbers=self.numbers(t)))

    async def show(self, replies: list[Reply], *, pressed: Pressable | None = None) -> None:
        """Write the replies to what the member did; a reply addressed elsewhere
        (`Reply.to`) is posted to the inbox and shown as it arrives."""
        actions: list[str] = []
        for reply in replies:
            if reply.to is not None and self.messenger is not None:
                await self.messenger.send(reply.to, reply.message)
                continue
            if reply.message.form is not None:
                await self.fill_form(reply.message.form)
                return
            rendered = render(reply.message, first_number=len(actions) + 1)
            self.write(rendered.text)
            actions.extend(rendered.actions)
        if actions:
            # Answers to a press stay where it was (a channel); a reply that
            # replaces the pressed message takes over its buttons' message.
            where = pressed.where if pressed else None
            replaced = pressed is not None and any(r.replace for r in replies)
            message = pressed.message if replaced and pressed else None
            await self.offer(Pressable(tuple(actions), message, where))
        await self.show_arrivals()

    async def show_arrivals(self, *, opening: bool = False) -> bool:
        """Show what arrived in the inbox for this member (and in channels)
        since it was last looked at; True if anything was shown."""
        if self.inbox is None:
            return False
        arrived = await self.inbox.take_unshown(self.user, now=self.core.clock.now())
        await self.display(arrived, opening=opening)
        return bool(arrived)

    async def display(self, arrived: list[InboxItem], *, opening: bool = False) -> None:
        """Each message headed by who or where it is for; the latest one with
        buttons becomes what numbers press."""
        if not arrived:
            return
        if opening:
            t = await self.translator()
            self.write(t("console.inbox_header", count=len(arrived)))
        latest: InboxItem | None = None
        for item in arrived:
            mark = "↻" if item.updated else "→"
            self.write(f"{mark} {destination_label(item.to)}: {item.text}")
            if item.actions:
                latest = item
        if latest is not None:
            ref = MessageRef(
                "console", CONSOLE_WORKSPACE, conversation_id(latest.to), str(latest.id)
            )
            where = latest.to if isinstance(latest.to, ChannelRef) else None
            await self.offer(Pressable(latest.actions, ref, where))

    def notice(self) -> None:
        """Something was just posted to the inbox (the scheduler of `ippo run`):
        show it now, unless the member is mid-answer — then it shows right after."""
        task = asyncio.get_running_loop().create_task(self._show_live())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _show_live(self) -> None:
        if self.inbox is None:
            return
        async with self._lock:
            arrived = await self.inbox.take_unshown(self.user, now=self.core.clock.now())
            if not arrived:
                return
            prompting = self._prompting
            if prompting:
                self.write("")  # off the prompt's line
            await self.display(arrived)
            if prompting:
                await self.show_prompt()

    async def settle(self) -> None:
        """Wait until what was just posted has been shown (`notice`)."""
        while self._tasks:
            await asyncio.gather(*self._tasks)

    async def show_prompt(self) -> None:
        if not self.interactive:
            return
        t = await self.translator()
        if self.pressable.actions:
            self.prompt(t("console.prompt_buttons", numbers=self.numbers(t)))
        else:
            self.prompt(t("console.prompt"))

    # ------------------------------------------------------------------ input

    def is_command(self, line: str) -> bool:
        normal = unicodedata.normalize("NFKC", line).strip().lower()
        return normal == COMMAND_PREFIX or normal.startswith(COMMAND_PREFIX + " ")

    def is_cancel(self, line: str) -> bool:
        return self.core.messages.pick(line, "console.words", ("cancel",)) is not None

    async def fill_form(self, form: Form) -> None:
        """Ask for each input in turn: Enter keeps what is shown in [brackets]
        (or skips an optional input), `-` empties it. A command or `cancel`
        leaves the form with nothing saved; a command is then run."""
        t = await self.translator()
        self.write(t("console.form_intro", title=form.title))
        values: dict[str, str] = {}
        for item in form.inputs:
            prompt = (
                t("console.with_hint", label=item.label, hint=item.hint)
                if item.hint
                else item.label
            )
            prompt += f" [{item.initial}]:" if item.initial else ":"
            while True:
                self.write(prompt)
                line = await self.read_line()
                if line is None:
                    return
                if self.is_command(line) or self.is_cancel(line):
                    self.write(t("console.form_left", title=form.title))
                    if self.is_command(line):
                        await self.run_line(line)
                    return
                typed = line.strip()
                value = "" if typed == CLEAR else (typed or item.initial)
                if value or not item.required:
                    values[item.id] = value
                    break
                self.write(t("console.form_required"))
        await self.show(
            await self.core.handle(FormSubmitted(self.actor, self.where, form.form_id, values))
        )

    async def press(self, typed: str) -> None:
        """A typed number: press that button of the latest message with buttons."""
        pressable = self.pressable
        number = int(typed)
        if not 1 <= number <= len(pressable.actions):
            t = await self.translator()
            if pressable.actions:
                self.write(t("console.unknown_number", number=number, numbers=self.numbers(t)))
            else:
                self.write(t("console.no_buttons", number=number))
            return
        action = pressable.actions[number - 1]
        event = ButtonPressed(self.actor, pressable.where, action, pressable.message)
        await self.show(await self.core.handle(event), pressed=pressable)

    async def run_line(self, line: str) -> None:
        text = line.strip()
        if not text:
            return
        number = unicodedata.normalize("NFKC", text)
        if number.isdecimal():
            await self.press(number)
            return
        name, args = split_command(text)
        event = CommandInvoked(self.actor, self.where, name, args, text)
        await self.show(await self.core.handle(event))

    async def handle_line(self, line: str) -> None:
        """One line typed at the prompt, answered; then what arrived meanwhile
        (from another process, e.g. `ippo tick`) is shown. Answering first
        keeps a typed number on the buttons the member saw when typing it."""
        async with self._lock:
            await self.run_line(line)
            await self.show_arrivals()

    async def start(self) -> None:
        """Greet the member (and store an explicit --lang as their choice,
        like `/ippo lang`), then show what arrived while they were away."""
        if self.lang:
            await self.core.handle(
                CommandInvoked(self.actor, None, "lang", (self.lang,), f"/ippo lang {self.lang}")
            )
        t = await self.translator()
        self.write(t("console.greeting", name=self.user))
        if self.inbox is not None:
            await self.inbox.purge(now=self.core.clock.now())
        async with self._lock:
            await self.show_arrivals(opening=True)

    async def next_line(self) -> str | None:
        async with self._lock:
            await self.show_prompt()
            self._prompting = True
        try:
            return await self.read_line()
        finally:
            self._prompting = False

    async def poll(self) -> None:
        """In a terminal, show what another process (`ippo tick` from cron)
        posted while the member sits at the prompt."""
        while True:
            await asyncio.sleep(self.poll_s)
            await self._show_live()

    async def run(self) -> int:
        await self.start()
        polling = (
            asyncio.create_task(self.poll())
            if self.interactive and self.inbox is not None
            else None
        )
        try:
            while (line := await self.next_line()) is not None:
                await self.handle_line(line)
        finally:
            if polling is not None:
                polling.cancel()
        await self.settle()
        if self.interactive:
            self.write("")
            self.write((await self.translator())("console.bye"))
        return 0
