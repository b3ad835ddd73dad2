"""The console inbox (storage/console_inbox.py) and how the console chat and
messenger use it: messages kept until shown, labelled, pressable by number,
shown live in `ippo run`, never stored twice; forms that never swallow a
command; a prompt that says which numbers press something."""

from __future__ import annotations

import asyncio
import io
import queue
from collections.abc import Callable
from datetime import timedelta

from adapters.console.chat import ConsoleChat
from adapters.console.messenger import ConsoleMessenger
from bot.core import Core
from bot.model import (
    Button,
    ButtonPressed,
    ChannelRef,
    CommandInvoked,
    Inbound,
    Message,
    Reply,
    UserRef,
)
from bot.testing import FixedClock
from storage import SqlStore
from storage.console_inbox import SqlConsoleInbox, forget_dms
from tests.corekit import START, build_core, build_harness

AKI = UserRef("console", "console", "aki")
BEN = UserRef("console", "console", "ben")
GENERAL = ChannelRef("console", "console", "general")
NUDGE = Message(
    "Something small this week",
    title="One small thing",
    buttons=(Button("I'll try it", "nudge:try:1"), Button("Not this week", "nudge:skip:1")),
)


class Lines(io.StringIO):
    """Standard input fed line by line from the test; `tty` makes the chat
    interactive (it prints a prompt)."""

    def __init__(self, *, tty: bool = False) -> None:
        super().__init__()
        self.fed: queue.Queue[str] = queue.Queue()
        self.tty = tty

    def feed(self, line: str | None) -> None:
        self.fed.put("" if line is None else line + "\n")

    def readline(self, size: int | None = -1) -> str:
        return self.fed.get(timeout=10)

    def isatty(self) -> bool:
        return self.tty


class Screen:
    """What the terminal shows: written lines and prompts, in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text + "\n")

    def prompt(self, text: str) -> None:
        self.parts.append(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def open_chat(
    store: SqlStore, clock: FixedClock, *, user: str = "aki", tty: bool = False
) -> tuple[ConsoleChat, Lines, Screen, ConsoleMessenger]:
    core = build_core(store, clock=clock)
    inbox = SqlConsoleInbox(store.engine)
    screen, stdin = Screen(), Lines(tty=tty)
    chat = ConsoleChat(
        core,
        user=user,
        stdin=stdin,
        write=screen.write,
        prompt=screen.prompt,
        lang="en",
        inbox=inbox,
        poll_s=0.05,
    )
    messenger = ConsoleMessenger(inbox=inbox, clock=clock, on_post=chat.notice)
    chat.messenger = messenger
    return chat, stdin, screen, messenger


def recording(core: Core) -> list[Inbound]:
    """Record every event the chat hands the core (and still handle it)."""
    seen: list[Inbound] = []
    handle = core.handle

    async def record(event: Inbound) -> list[Reply]:
        seen.append(event)
        return await handle(event)

    core.handle = record  # type: ignore[method-assign]
    return seen


async def eventually(check: Callable[[], bool], what: str) -> None:
    for _ in range(200):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(what)


async def test_a_message_waits_in_the_inbox_until_its_member_opens_the_chat(
    sqlite_store: SqlStore,
) -> None:
    clock = FixedClock(START)
    printed: list[str] = []
    inbox = SqlConsoleInbox(sqlite_store.engine)
    tick = ConsoleMessenger(inbox=inbox, clock=clock, echo=printed.append)
    ref = await tick.send(AKI, NUDGE, delivery_key="nudge:1:2026-W49")
    assert printed[0].startswith("→ @aki: == One small thing ==")  # `ippo tick`'s stdout

    # The same delivery again (a retry, a recovery) is neither stored nor printed twice.
    assert await tick.send(AKI, NUDGE, delivery_key="nudge:1:2026-W49") == ref
    assert await tick.find_delivered(AKI, "nudge:1:2026-W49", START) == ref
    assert len(printed) == 1

    ben, _ben_in, ben_screen, _ = open_chat(sqlite_store, clock, user="ben")
    await ben.start()
    assert "@aki" not in ben_screen.text  # aki's DM is aki's

    chat, _stdin, screen, _ = open_chat(sqlite_store, clock)
    events = recording(chat.core)
    await chat.start()
    assert "New since you were last here (1):" in screen.text
    assert "→ @aki: == One small thing ==" in screen.text
    assert "[1] I'll try it" in screen.text
    assert "Type a number (1–2) to press a button of the latest message." in screen.text

    await chat.handle_line("3")
    assert "There is no button number 3: type 1–2" in screen.text
    await chat.handle_line("２")  # full-width digits press too
    press = events[-1]
    assert isinstance(press, ButtonPressed)
    assert (press.action_id, press.where, press.message) == ("nudge:skip:1", None, ref)

    again, _, again_screen, _ = open_chat(sqlite_store, clock)
    await again.start()
    assert "→ @aki" not in again_screen.text  # shown once


async def test_channel_posts_and_edits_are_labelled_with_the_channel(
    sqlite_store: SqlStore,
) -> None:
    clock = FixedClock(START)
    chat, _, screen, messenger = open_chat(sqlite_store, clock)
    events = recording(chat.core)
    await chat.start()
    ref = await messenger.send(GENERAL, NUDGE)
    await chat.settle()
    assert "→ #general: == One small thing ==" in screen.text
    await chat.handle_line("1")
    press = events[-1]
    assert isinstance(press, ButtonPressed)
    assert press.where == GENERAL and press.message == ref

    await messenger.update(ref, Message("Moved to Friday", title="One small thing"))
    await chat.settle()
    assert "↻ #general: == One small thing ==\nMoved to Friday" in screen.text

    # Everyone in the channel sees the post (once each), as on a platform.
    ben, _, ben_screen, _ = open_chat(sqlite_store, clock, user="ben")
    await ben.start()
    assert "↻ #general: == One small thing ==\nMoved to Friday" in ben_screen.text
    again, _, again_screen, _ = open_chat(sqlite_store, clock, user="ben")
    await again.start()
    assert "#general" not in again_screen.text
    aki, _, aki_screen, _ = open_chat(sqlite_store, clock)
    await aki.start()
    assert "#general" not in aki_screen.text


async def test_what_the_scheduler_posts_shows_live_at_the_prompt(sqlite_store: SqlStore) -> None:
    """`ippo run` on the console: the chat waits at its prompt while the
    scheduler posts; the message shows at once and the prompt comes back,
    now saying which numbers press its buttons."""
    clock = FixedClock(START)
    chat, stdin, screen, messenger = open_chat(sqlite_store, clock, tty=True)
    running = asyncio.create_task(chat.run())
    await eventually(lambda: screen.text.endswith("ippo> "), "no prompt")

    await messenger.send(AKI, NUDGE, delivery_key="nudge:1:2026-W49")
    await eventually(lambda: screen.text.endswith("ippo [1–2]> "), "no live arrival")
    assert "ippo> \n→ @aki: == One small thing ==" in screen.text  # off the prompt's line

    await messenger.send(BEN, NUDGE)  # someone else's: nothing shows here
    await asyncio.sleep(0.1)
    assert screen.text.count("→ @") == 1

    # `ippo tick` from cron, another process: shown within the poll interval.
    cron = ConsoleMessenger(inbox=SqlConsoleInbox(sqlite_store.engine), clock=clock)
    await cron.send(AKI, Message("From cron", title="Follow-up"))
    await eventually(
        lambda: screen.text.endswith("→ @aki: == Follow-up ==\nFrom cron\nippo [1–2]> "),
        "no polled arrival",
    )

    stdin.feed(None)  # Ctrl-D
    assert await asyncio.wait_for(running, 10) == 0
    assert screen.text.endswith("See you any time.\n")


async def fill(chat: ConsoleChat, stdin: Lines, first: str, *rest: str) -> None:
    for line in rest:
        stdin.feed(line)
    await chat.handle_line(first)


async def test_an_open_form_never_swallows_a_command(sqlite_store: SqlStore) -> None:
    clock = FixedClock(START)
    chat, stdin, screen, _ = open_chat(sqlite_store, clock)
    events = recording(chat.core)
    await chat.start()

    await fill(chat, stdin, "/ippo done", "/ippo journey")
    assert "cancel (or any /ippo command) leaves without saving" in screen.text
    assert 'Left "Log what you did"; nothing was saved.' in screen.text
    last = events[-1]
    assert isinstance(last, CommandInvoked) and last.name == "journey"
    assert "Nothing logged yet" in screen.text

    for word in ("cancel", "キャンセル", "ＣＡＮＣＥＬ"):
        before = len(events)
        await fill(chat, stdin, "/ippo done", word)
        assert len(events) == before + 1  # the command that opened the form, nothing more
    assert screen.text.count("nothing was saved") == 4

    await fill(chat, stdin, "/ippo done", "Lunch with planning", "")
    assert "Logged: Lunch with planning" in screen.text


async def test_shown_messages_are_purged_after_a_while(sqlite_store: SqlStore) -> None:
    inbox = SqlConsoleInbox(sqlite_store.engine)
    old = await inbox.post(AKI, "old", (), now=START)
    await inbox.take_unshown("aki", now=START)
    waiting = await inbox.post(AKI, "waiting", (), now=START)
    post = await inbox.post(GENERAL, "a post", (), now=START)
    later = START + timedelta(days=31)
    assert await inbox.take_unshown("ben", now=later) == []  # too old to show now
    assert await inbox.purge(now=later) == 2
    assert await inbox.get(old) is None and await inbox.get(post) is None
    assert await inbox.get(waiting) is not None
    assert [i.text for i in await inbox.take_unshown("aki", now=later)] == ["waiting"]


async def test_a_console_members_dms_can_be_forgotten_with_them(sqlite_store: SqlStore) -> None:
    inbox = SqlConsoleInbox(sqlite_store.engine)
    await inbox.post(AKI, "for aki", (), now=START)
    await inbox.post(BEN, "for ben", (), now=START)
    post = await inbox.post(GENERAL, "for everyone", (), now=START)
    async with sqlite_store.engine.begin() as conn:
        assert await forget_dms(conn, "aki") == 1
    assert [i.text for i in await inbox.take_unshown("aki", now=START)] == ["for everyone"]
    assert await inbox.get(post) is not None


async def test_forgetting_a_console_member_deletes_their_kept_dms(sqlite_store: SqlStore) -> None:
    """`/ippo forget` goes through `MemberRepo.delete`, which takes the inbox's
    copies of the member's DMs with it; other people's DMs stay."""
    inbox = SqlConsoleInbox(sqlite_store.engine)
    harness = build_harness(sqlite_store)
    aki = harness.member("aki", locale="en")
    await aki.say("/ippo home")
    await inbox.post(AKI, "for aki", (), now=START)
    await inbox.post(BEN, "for ben", (), now=START)
    await aki.say("/ippo forget")
    await aki.press("privacy:forget-yes")
    assert await inbox.take_unshown("aki", now=START) == []
    assert [i.text for i in await inbox.take_unshown("ben", now=START)] == ["for ben"]
