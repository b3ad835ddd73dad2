"""Conversation stories: readable transcripts replayed through the console.

A story file (`tests/stories/*.story`) is what a person would see in
`ippo chat`, with what they typed on lines starting with "> " and a few
stage directions on lines starting with "@ ":

    # A nudge week (en)
    @ at 2026-11-30T09:00+09:00
    @ as aki en
    > /ippo nudge on
    == Weekly message ==
    ...
    @ tick 2026-11-30T09:31+09:00
    → @aki: == One small thing for this week ==
    ...
    > 1

- `@ at ISO` pins the clock (a time without offset is Tokyo time);
- `@ as USER [ja|en]` opens `ippo chat --user USER [--lang …]` (the greeting
  is part of the transcript);
- `@ tick [ISO]` runs scheduled work once, as the scheduler of `ippo run`
  (or `ippo tick --at`) does: what it sends goes to the console inbox in the
  store, and the open chat shows what arrived for its member (their DMs and
  the channel posts they have not seen) at once, headed `→ @name:` / `→ #channel:`, its buttons
  pressable by number. A message for someone else waits in the inbox until
  `@ as` that member opens their chat.

Everything else is ippo's answer. The test replays the inputs and directions
against a fresh store and compares the whole transcript with the file, so a
changed reply shows up as a diff of these files. `IPPO_UPDATE_STORIES=1`
rewrites the files from what ippo says now: read the diff as a member would
before committing it.
"""

from __future__ import annotations

import io
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from adapters.console.chat import ConsoleChat
from adapters.console.messenger import ConsoleMessenger
from bot.config import CoreConfig, OrganizerRule
from bot.core import Core
from bot.delivery import Dispatcher
from bot.model import Lang
from bot.testing import FixedClock
from storage import SqlStore
from storage.console_inbox import SqlConsoleInbox
from tests.corekit import START, build_core, build_dispatcher

STORIES = Path(__file__).parent / "stories"
CONFIG = CoreConfig(
    organizers=OrganizerRule(user_ids=frozenset({"console:org"})),
    public_base_url="https://ippo.example.org",
)
TOKYO = ZoneInfo("Asia/Tokyo")


def parse_at(raw: str) -> datetime:
    value = datetime.fromisoformat(raw)
    return value if value.tzinfo else value.replace(tzinfo=TOKYO)


class ScriptedInput(io.StringIO):
    """Standard input for the chat: hands out the story's lines one by one and
    writes each into the transcript as "> line" as it is read."""

    def __init__(self, lines: deque[str], write: Callable[[str], None]) -> None:
        super().__init__()
        self.lines = lines
        self.echo = write

    def readline(self, size: int | None = -1) -> str:
        # ippo's answers as recorded (up to the next input) are compared, not
        # replayed: a form reading its next field skips them as the replay does.
        while self.lines and not self.lines[0].startswith(("> ", "@ ")):
            self.lines.popleft()
        if not self.lines or not self.lines[0].startswith("> "):
            return ""
        line = self.lines.popleft()[2:]
        self.echo(f"> {line}")
        return line + "\n"

    def isatty(self) -> bool:
        return False


@dataclass
class Replay:
    core: Core
    clock: FixedClock
    inbox: SqlConsoleInbox
    transcript: list[str] = field(default_factory=list)
    chat: ConsoleChat | None = None
    messenger: ConsoleMessenger = field(init=False)
    dispatcher: Dispatcher = field(init=False)

    def __post_init__(self) -> None:
        # The console's own messenger and inbox; as in `ippo run`, the open
        # chat is told of each post at once.
        self.messenger = ConsoleMessenger(inbox=self.inbox, clock=self.clock, on_post=self.posted)
        self.dispatcher = build_dispatcher(self.core, {"console": self.messenger})

    def posted(self) -> None:
        if self.chat is not None:
            self.chat.notice()

    def write(self, text: str) -> None:
        self.transcript.extend(text.split("\n"))

    async def run(self, lines: deque[str]) -> None:
        stdin = ScriptedInput(lines, self.write)
        while lines:
            line = lines[0]
            if line.startswith("@ "):
                lines.popleft()
                self.write(line)
                await self.direct(line[2:].split(), stdin)
            elif line.startswith("> "):
                typed = stdin.readline().rstrip("\n")
                if self.chat is None:
                    raise ValueError("a story must say `@ as USER` before the first input")
                await self.chat.handle_line(typed)
                await self.chat.settle()  # what the line posted (a DM to another), shown
            else:
                lines.popleft()  # ippo's answer as recorded: compared, not replayed

    async def direct(self, words: list[str], stdin: ScriptedInput) -> None:
        match words:
            case ["at", when]:
                self.clock.set(parse_at(when))
            case ["as", user, *lang]:
                chosen: Lang | None = "en" if lang == ["en"] else "ja" if lang else None
                if self.chat is not None:
                    await self.chat.settle()  # nothing of the last chat shows in the next
                self.chat = ConsoleChat(
                    self.core,
                    user=user,
                    stdin=stdin,
                    write=self.write,
                    lang=chosen,
                    inbox=self.inbox,
                    messenger=self.messenger,
                )
                await self.chat.start()
            case ["tick", *when]:
                if when:
                    self.clock.set(parse_at(when[0]))
                await self.dispatcher.tick(self.clock.now(), budget_s=60)
                if self.chat is not None:
                    await self.chat.settle()  # what the tick posted, shown live
            case _:
                raise ValueError(f"unknown stage direction: {' '.join(words)}")


async def replay(store: SqlStore, text: str) -> str:
    """Play the story `text` against `store`; the transcript it produces."""
    clock = FixedClock(START)
    core = build_core(store, clock=clock, config=CONFIG)
    out = Replay(core, clock, SqlConsoleInbox(store.engine))
    lines = text.split("\n")
    header = []
    while lines and lines[0].startswith("#"):
        header.append(lines.pop(0))
    await out.run(deque(lines))
    return "\n".join([*header, *stable_feeds(out.transcript)]).rstrip("\n") + "\n"


def stable_feeds(lines: list[str]) -> list[str]:
    """Feed tokens are random: each distinct one becomes <feed-1>, <feed-2>…
    in order of appearance, so a story still shows when an address changes."""
    names: dict[str, str] = {}

    def name(match: re.Match[str]) -> str:
        token = match.group(1)
        names.setdefault(token, f"<feed-{len(names) + 1}>")
        return f"/ics/{names[token]}.ics"

    return [FEED.sub(name, line) for line in lines]


FEED = re.compile(r"/ics/([A-Za-z0-9_-]+)\.ics")
