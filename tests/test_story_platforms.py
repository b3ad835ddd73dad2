"""Stories replayed through Slack and Discord payloads (issue #13).

A conversation story (tests/stories/*.story, see tests/story.py) is what a
member sees in the console. Where it touches what Slack and Discord do
differently — slash commands, buttons on an ephemeral answer, a DM from the
scheduler pressed later — its inputs are replayed here through signed Slack
requests (the HTTP app, answering on `response_url` and posting DMs on the
fake Web API) and through Discord INTERACTION_CREATE payloads (discord.py's
own dispatch, answering with interaction callbacks and DMs on the fake REST
API). Each answer must contain the story's answer: every line of text, every
field's label and value and every button's label, without the console's own
lines (the greeting, "Type a number…", the `[n]` and `==` decorations).
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.slack.app import SlackAdapter
from bot.features.journey import note_mark
from bot.i18n import Messages
from bot.parse import normalize
from bot.testing import FixedClock
from config.settings import Settings
from storage import SqlStore
from tests.corekit import START, build_core, build_dispatcher
from tests.discordkit import GUILD, DiscordWorld, discord_world
from tests.fakes.discord_api import message_json
from tests.fakes.discord_payloads import DiscordPerson, custom_ids, message_from_response
from tests.fakes.slack_api import FakeSlackApi, button_ids
from tests.fakes.slack_requests import FORM, block_action, signed_headers, slash_command
from tests.story import CONFIG, STORIES, parse_at

# The one-member stories (commands, button presses, scheduled DMs). Stories
# with several members or console forms (console-week, organizer-session,
# privacy-forget) are not replayed here yet. On Discord a line its interface
# cannot send (no such subcommand, a count its number field refuses, a note
# with nothing done, /ippo lang with no language) is left out, and a number
# pressing the buttons only that line would have shown ends the replay.
REPLAYED = tuple(
    f"{s}.{lang}.story"
    for s in (
        "nudge-week",
        "nudge-another",
        "first-week",
        "nothing-new",
        "errors",
        "odd-input",
        "settings",
        "step-errors",
    )
    for lang in ("en", "ja")
)
SECRET = "test-signing-secret"
SLACK_USER = "UAKI"
DISCORD_USER = "100000000000000011"
LOCALES = {"en": ("en-US", "en-US"), "ja": ("ja-JP", "ja")}  # Slack, Discord


# --------------------------------------------------------------------------- stories


@dataclass
class Turn:
    """One input or stage direction of a story and ippo's answer to it."""

    kind: str  # "at", "as", "tick" or "say" (a typed line: a command or a number)
    value: str
    answer: list[str] = field(default_factory=list)


def turns(text: str) -> list[Turn]:
    out: list[Turn] = []
    for line in text.split("\n"):
        if line.startswith("#") and not out:
            continue
        if line.startswith("@ "):
            kind, _, value = line[2:].partition(" ")
            out.append(Turn(kind, value))
        elif line.startswith("> "):
            out.append(Turn("say", line[2:]))
        elif out:
            out[-1].answer.append(line)
    return out


def console_only(lang: str) -> list[re.Pattern[str]]:
    """The console's own lines: the prompt saying which numbers press a button."""
    t = Messages.load().for_lang(lang)  # type: ignore[arg-type]
    patterns = []
    for key, kwargs in (("console.choose", {"numbers": "\0"}), ("console.choose_one", {})):
        said = t(key, **kwargs)
        patterns.append(re.compile(".*".join(map(re.escape, said.split("\0"))) + "$"))
    return patterns


FIELD = re.compile(r"^  (?P<label>[^\[(][^:：]*?): (?P<value>.+)$")
BUTTON = re.compile(r"^  [\[(]\d+[\])] (?P<label>.+)$")
TITLE = re.compile(r"^== (?:[✓!] )?(?P<title>.+) ==$")


def expected_pieces(answer: list[str], lang: str) -> list[str]:
    """What every platform must show of a console answer: its text lines,
    titles, field labels and values and button labels."""
    skip = console_only(lang)
    pieces: list[str] = []
    for raw in answer:
        line = raw.removeprefix("→ @aki: ")
        if not line.strip() or any(p.match(line) for p in skip):
            continue
        if m := TITLE.match(line):
            pieces.append(m["title"])
        elif m := BUTTON.match(line):
            pieces.append(m["label"])
        elif m := FIELD.match(line):
            pieces += [m["label"], m["value"]]
        else:
            pieces.append(line.removeprefix("✓ ").removeprefix("! "))
    return pieces


def split_note(text: str) -> tuple[str, str, str]:
    found = note_mark(Messages.load()).search(text)
    if found is None:
        return text, "", ""
    return text[: found.start()], found.group(0), text[found.end() :]


FEED = re.compile(r"/ics/[^ .]+\.ics")
SLACK_LINK = re.compile(r"<(?P<url>[^|>]+)\|(?P<text>[^>]+)>")


def flat(value: Any) -> str:
    """Every string in a platform payload, as one normalized text."""
    strings: list[str] = []

    def walk(v: Any) -> None:
        if isinstance(v, str):
            strings.append(v)
        elif isinstance(v, dict):
            for item in v.values():
                walk(item)
        elif isinstance(v, list):
            for item in v:
                walk(item)

    walk(value)
    text = SLACK_LINK.sub(r"\g<text> \g<url>", html.unescape("\n".join(strings)))
    return normal(text)


def normal(text: str) -> str:
    """Markup and whitespace aside; calendar addresses (random) as one."""
    text = FEED.sub("/ics/<feed>.ics", text.replace("*", "").replace("\\", ""))
    return " ".join(text.split())


def assert_shows(pieces: list[str], shown: Any, where: str) -> None:
    text = flat(shown)
    missing = [p for p in pieces if normal(p) not in text]
    assert not missing, f"{where}: the story's answer is not all there: {missing}\nshown: {text}"


# --------------------------------------------------------------------------- platforms


@dataclass
class Platform:
    """One platform's way of playing a story's inputs. Each input returns the
    messages it answered with, in order; a number presses a button of the
    latest answer that had buttons, counted across its messages as the
    console numbers them. `say` returns None for a line the platform's own
    interface would not let a member send (Discord's typed options)."""

    clock: FixedClock
    identity: str  # what /ippo privacy shows as the account
    say: Callable[[str], Awaitable[list[Any] | None]]
    press: Callable[[str, Any], Awaitable[list[Any]]]  # route, the message it is on
    buttons: Callable[[Any], list[str]]
    tick: Callable[[], Awaitable[list[Any]]]  # the DMs it sent


async def replay(platform: Platform, story: str, name: str) -> int:
    """Play the story on `platform`; how many answers were compared."""
    lang = "en" if ".en." in name else "ja"
    # (route, message) of the latest buttons; None after a line the platform
    # cannot send, whose buttons a later number may mean
    latest: list[tuple[str, Any]] | None = []
    compared = 0
    for turn in turns(story):
        answer_lines = [
            line.replace("console / console / aki", platform.identity) for line in turn.answer
        ]
        pieces = expected_pieces(answer_lines, lang)
        where = f"{name}: {turn.kind} {turn.value}"
        answer: list[Any] | None
        match turn.kind:
            case "at":
                platform.clock.set(parse_at(turn.value))
                continue
            case "as":
                continue  # the console's greeting is the console's
            case "tick":
                if turn.value:
                    platform.clock.set(parse_at(turn.value))
                answer = await platform.tick()
                assert bool(answer) == bool(pieces), f"{where}: {len(answer)} DMs"
                if not answer:
                    continue
            case "say" if turn.value.isdigit():
                if latest is None:
                    break  # the buttons it means were never shown here: the story ends
                assert latest, f"{where}: nothing to press"
                route, message = latest[int(turn.value) - 1]
                answer = await platform.press(route, message)
            case "say":
                answer = await platform.say(turn.value.removeprefix("/ippo "))
                if answer is None:
                    latest = None
                    continue
            case _:
                raise ValueError(f"{where}: not replayed on Slack or Discord")
        assert_shows(pieces, answer, where)
        compared += 1
        pressable = [(route, m) for m in answer for route in platform.buttons(m)]
        if pressable:
            latest = pressable
    return compared


@pytest.fixture(params=REPLAYED)
def story(request: pytest.FixtureRequest) -> tuple[str, str]:
    name: str = request.param
    return name, (STORIES / name).read_text("utf-8")


@dataclass
class SlackRun:
    fake: FakeSlackApi
    http: TestClient[Any, Any]
    adapter: SlackAdapter
    clock: FixedClock
    answers: int = 0

    async def post(self, body: str) -> None:
        response = await self.http.post(
            "/slack/events", data=body, headers=signed_headers(SECRET, body, FORM)
        )
        await self.adapter.drain()
        assert response.status == 200

    def next_url(self) -> tuple[str, str]:
        self.answers += 1
        name = f"answer-{self.answers}"
        return name, self.fake.response_url(name)

    async def say(self, text: str) -> list[Any]:
        name, url = self.next_url()
        await self.post(slash_command(text, user=SLACK_USER, response_url=url))
        return list(self.fake.responses[name])

    async def press(self, route: str, message: Any) -> list[Any]:
        name, url = self.next_url()
        channel = message.get("channel", "C0001")
        await self.post(block_action(route, user=SLACK_USER, channel=channel, response_url=url))
        return list(self.fake.responses[name])

    async def tick(self) -> list[Any]:
        before = len(self.fake.calls_to("chat.postMessage"))
        dispatcher = build_dispatcher(self.adapter.core, {"slack": self.adapter.messenger})
        await dispatcher.tick(self.clock.now(), budget_s=30)
        return self.fake.calls_to("chat.postMessage")[before:]


@pytest.fixture
async def slack_run(
    sqlite_store: SqlStore, story: tuple[str, str]
) -> AsyncIterator[tuple[SlackRun, str, str]]:
    name, text = story
    locale = LOCALES["en" if ".en." in name else "ja"][0]
    users = {SLACK_USER: {"locale": locale, "tz": "Asia/Tokyo", "profile": {"display_name": "aki"}}}
    async with FakeSlackApi(users=users) as fake:
        settings = Settings(
            slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=fake.api_url
        )
        clock = FixedClock(START)
        core = build_core(sqlite_store, clock=clock, config=CONFIG)
        adapter = SlackAdapter(core=core, store=sqlite_store, settings=settings, serve_http=False)
        async with TestClient(TestServer(adapter.web_app())) as http:
            yield SlackRun(fake, http, adapter, clock), name, text
            await adapter.stop()


async def test_a_story_replays_through_slack_requests(
    slack_run: tuple[SlackRun, str, str],
) -> None:
    run, name, text = slack_run
    identity = f"slack / T0001 / {SLACK_USER}"
    platform = Platform(run.clock, identity, run.say, run.press, button_ids, run.tick)
    assert await replay(platform, text, name) > 3


def discord_options(text: str) -> tuple[str, dict[str, str | int]] | None:
    """A typed console command as Discord's slash command with its typed
    options; None when Discord's interface would not let a member send it
    (no such subcommand, a count that is not a number it offers, …)."""
    sub, _, rest = text.partition(" ")
    rest = rest.strip()
    match sub:
        case "help" | "home" | "privacy" | "forget":
            return None if rest else (sub, {})
        case "why":
            return sub, ({"reasons": rest} if rest else {})
        case "done":  # what was done, and the note in its own option
            what, mark, note = (part.strip() for part in split_note(rest))
            if mark and not what:
                return None  # Discord answers a note alone with the form (a modal)
            options: dict[str, str | int] = {"what": what} if what else {}
            return sub, ({**options, "note": note} if note else options)
        case "step":
            if not rest:
                return sub, {}
            count = normalize(rest)  # the digit a member means, typed into a number field
            return (sub, {"count": int(count)}) if count in ("1", "2", "3") else None
        case "journey":
            if not rest:
                return sub, {}
            verb, _, number = rest.partition(" ")
            number = normalize(number)
            ok = verb == "delete" and number.isascii() and number.isdigit() and len(number) < 16
            return (sub, {"delete": int(number)}) if ok else None
        case "nudge" | "sessions":
            return sub, ({"args": rest} if rest else {})
        case "session":
            action, _, args = rest.partition(" ")
            if action not in ("add", "edit", "cancel", "move", "list"):
                return None
            return sub, ({"action": action, "args": args} if args else {"action": action})
        case "lang":
            return (sub, {"lang": rest}) if rest in ("ja", "en") else None
        case "tz":
            return sub, ({"zone": rest} if rest else {})
    return None


@dataclass
class DiscordRun:
    world: DiscordWorld
    aki: DiscordPerson

    async def send(self, payload: dict[str, Any]) -> list[Any]:
        """The interaction's callback and every follow-up message or edit it
        made, once the core's answer has all been shown."""
        followups = len(self.world.api.followups)
        shown: list[int] = []
        handle = self.world.core.handle

        async def counted(event: Any) -> Any:
            replies = await handle(event)
            shown.append(sum(1 for r in replies if r.to is None))
            return replies

        self.world.core.handle = counted  # type: ignore[method-assign]
        try:
            first = await self.world.send(payload)
            token = payload["token"]

            def mine(api: Any) -> list[dict[str, Any]]:
                return [f for f in api.followups[followups:] if f["token"] == token]

            await self.world.api.wait_for(
                lambda api: bool(shown) and 1 + len(mine(api)) >= shown[0]
            )
        finally:
            self.world.core.handle = handle  # type: ignore[method-assign]
        return [first, *({"data": f} for f in mine(self.world.api))]

    async def say(self, text: str) -> list[Any] | None:
        found = discord_options(text)
        if found is None:
            return None
        sub, options = found
        return await self.send(self.aki.slash(sub, **options))

    async def press(self, route: str, message: Any) -> list[Any]:
        if "posted" in message:  # a DM ippo sent: pressed in the DM, with no guild
            dm = self.world.api.dm_channels[DISCORD_USER]
            person = DiscordPerson(
                DISCORD_USER, guild_id=None, channel_id=dm, locale=self.aki.locale
            )
            return await self.send(person.press(route, message_json(message["posted"])))
        return await self.send(
            self.aki.press(route, message_from_response(message, self.aki.channel_id))
        )

    @staticmethod
    def buttons(message: Any) -> list[str]:
        if "posted" in message:
            return custom_ids({"data": message["posted"].payload})
        return custom_ids(message)

    async def tick(self) -> list[Any]:
        before = len(self.world.api.messages_to(DISCORD_USER))
        await self.world.dispatcher().tick(self.world.clock.now(), budget_s=30)
        sent = self.world.api.messages_to(DISCORD_USER)[before:]
        return [{"posted": p, "shown": p.payload} for p in sent]


def discord_platform(world: DiscordWorld, locale: str) -> Platform:
    run = DiscordRun(world, DiscordPerson(DISCORD_USER, guild_id=GUILD, locale=locale))
    identity = f"discord / {GUILD} / {DISCORD_USER}"
    return Platform(world.clock, identity, run.say, run.press, run.buttons, run.tick)


async def test_a_story_replays_through_discord_interactions(
    sqlite_store: SqlStore, story: tuple[str, str]
) -> None:
    name, text = story
    locale = LOCALES["en" if ".en." in name else "ja"][1]
    async with discord_world(sqlite_store, config=CONFIG) as world:
        assert await replay(discord_platform(world, locale), text, name) > 3


async def test_a_changed_answer_fails_the_replay(sqlite_store: SqlStore) -> None:
    """The comparison has teeth: one word changed in the story's answer to a
    pressed DM button fails the replay."""
    name = "nudge-week.en.story"
    text = (STORIES / name).read_text("utf-8")
    assert "at your own pace" in text
    changed = text.replace("at your own pace", "at a brisk pace", 1)
    async with discord_world(sqlite_store, config=CONFIG) as world:
        with pytest.raises(AssertionError, match="at a brisk pace"):
            await replay(discord_platform(world, "en-US"), changed, name)
