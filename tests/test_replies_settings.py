"""Settings replies taken as meant and said once (issue #13): day and time as
people write them, timezones by city, abbreviations refused with a suggestion,
help listing every command, plural forms, and no doubled labels or bare "-"."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot import assembly
from bot.feature import Command, Feature
from bot.features import FEATURES, LISTED
from bot.features.help import feature as help_feature
from bot.features.nudges.when import parse_time, parse_weekday, parse_when
from bot.features.sessions.dates import parse_start
from bot.i18n import Messages, message_ids
from bot.model import LANGS, CommandInvoked, Lang, Reply
from bot.router import Ctx, split_command
from bot.testing import FixedClock, Harness, buttons, texts
from bot.timezones import lookup_tz, resolve_tz
from config.catalog_loader import default_catalog_path, load_catalog
from storage import SqlStore
from tests.corekit import START, build_harness

# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Fri 6pm", (4, "18:00")),
        ("friday at 6 pm", (4, "18:00")),
        ("every Friday 18:00", (4, "18:00")),
        ("Fridays 6:30pm", (4, "18:30")),
        ("fri6pm", (4, "18:00")),
        ("金曜 18時", (4, "18:00")),
        ("金曜18時", (4, "18:00")),
        ("金曜\u3000１８時", (4, "18:00")),
        ("毎週金曜の18時", (4, "18:00")),
        ("金曜日の午後6時半", (4, "18:30")),
        ("水曜日 9時30分", (2, "09:30")),
        ("月 ９：３０", (0, "09:30")),
        ("monday 09:30", (0, "09:30")),
        ("木曜日", (3, None)),
        ("12am", (None, "00:00")),
        ("12pm", (None, "12:00")),
        ("夜7時", (None, "19:00")),
    ],
)
def test_day_and_time_as_people_write_them(
    typed: str, meant: tuple[int | None, str | None]
) -> None:
    assert parse_when(typed) == meant


@pytest.mark.parametrize("typed", ["", "fri sat", "13pm", "午後13時", "mon 25:00", "来週", "soon"])
def test_what_is_not_a_day_and_time_is_refused(typed: str) -> None:
    assert parse_when(typed) is None


def test_full_width_spaces_and_letters_separate_and_name_commands() -> None:
    typed = "／ｉｐｐｏ　ｎｕｄｇｅ　when　金曜　18時"
    assert split_command(typed) == ("nudge", ("when", "金曜", "18時"))


def test_weekday_and_time_words() -> None:
    assert parse_weekday("Fri.") == 4
    assert parse_weekday("日曜日") == 6
    assert parse_time("18.00") == "18:00"
    assert parse_time("9時半") == "09:30"
    assert parse_time("24:00") is None


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("New York", "America/New_York"),
        ("new_york", "America/New_York"),
        ("Ｎｅｗ\u3000Ｙｏｒｋ", "America/New_York"),
        ("ニューヨーク", "America/New_York"),
        ("東京", "Asia/Tokyo"),
        ("大阪", "Asia/Tokyo"),
        ("tokyo", "Asia/Tokyo"),
        ("asia/tokyo", "Asia/Tokyo"),
        ("JST", "Asia/Tokyo"),  # Japan has no daylight saving: the abbreviation is safe
        ("São Paulo", "America/Sao_Paulo"),
        ("UTC", "UTC"),
    ],
)
def test_timezones_by_city_and_name(typed: str, zone: str) -> None:
    assert resolve_tz(typed) == zone


def test_abbreviations_without_daylight_saving_are_refused_with_the_place_meant() -> None:
    est = lookup_tz("EST")
    assert (est.zone, est.fixed, est.suggestions) == (None, True, ("America/New_York",))
    assert lookup_tz("pst").suggestions == ("America/Los_Angeles",)
    assert "Asia/Tokyo" in lookup_tz("UTC+9").suggestions
    assert resolve_tz("EST") is None  # also for the deployment's default and the session form


def test_a_misspelt_city_is_a_suggestion_not_a_guess() -> None:
    unsure = lookup_tz("Nwe York")
    assert (unsure.zone, unsure.suggestions) == (None, ("America/New_York",))
    assert lookup_tz("Mars/Olympus") == lookup_tz("Mars/Olympus").__class__(None)


# --------------------------------------------------------------------------- catalogs


def test_plural_forms_fit_the_count() -> None:
    messages = Messages.load()
    en, ja = messages.for_lang("en"), messages.for_lang("ja")
    assert en("privacy.entries", count=1) == "1 entry"
    assert en("privacy.entries", count=0) == "0 entries"
    assert en("privacy.entries", count=2) == "2 entries"
    assert ja("privacy.entries", count=1) == "記録1件"
    assert en.has("privacy.entries") and ja.has("privacy.entries")


def test_no_message_hedges_a_plural() -> None:
    """ "day(s)", "entry(s)", "1 entries": plurals are catalog forms instead."""
    for lang in LANGS:
        for key, text in Messages.load().catalogs[lang].items():
            assert not re.search(r"\w\(s\)|\w\(es\)", text), (lang, key)


def commands() -> list[str]:
    return sorted(command.name for feature in FEATURES for command in feature.commands)


@pytest.mark.parametrize("lang", LANGS)
async def test_help_lists_every_command(sqlite_store: SqlStore, lang: Lang) -> None:
    """Help is assembled from the commands' own lines: each command declares
    at least one, in both catalogs, and `/ippo help` names every command."""
    t = Messages.load().for_lang(lang)
    for feature in FEATURES:
        assert all(t.has(feature.help_section) for _ in feature.commands), feature.name
        for command in feature.commands:
            assert command.help, command.name
            assert all(t.has(key) for key in command.help), command.help
    body = texts(await build_harness(sqlite_store).member("aki", locale=lang).say("/ippo help"))
    missing = [name for name in commands() if not re.search(rf"/ippo {name}\b", body)]
    assert missing == []


async def test_a_new_feature_brings_its_own_help_section(sqlite_store: SqlStore) -> None:
    """A feature added to the list adds its section after the others; a
    command without a help line is refused when help is made."""
    section = Feature("extra", commands=(extra("help.line.help"),), help_section="home.title")
    listed = (*LISTED, section)
    core = assembly.build_core(
        sqlite_store,
        FixedClock(START),
        catalog=load_catalog(default_catalog_path()),
        features=(*listed, help_feature(listed)),
    )
    body = texts(await Harness(core).member("aki", locale="en").say("/ippo help"))
    assert body.endswith("/ippo help — this list\n\nYour ippo\n/ippo help — this list")
    with pytest.raises(ValueError, match="/ippo extra"):
        help_feature((*LISTED, Feature("extra", commands=(extra(),), help_section="home.title")))


def extra(*lines: str) -> Command:
    async def run(ctx: Ctx, cmd: CommandInvoked) -> list[Reply]:
        return []

    return Command("extra", run, help=lines)


def test_plural_ids_are_whole_in_both_languages() -> None:
    catalogs = Messages.load().catalogs
    assert message_ids(catalogs["en"])["privacy.entries"] == ("one", "other")
    assert message_ids(catalogs["ja"])["privacy.entries"] == ("other",)


# --------------------------------------------------------------------------- replies


@pytest.mark.parametrize("lang", LANGS)
async def test_nothing_is_said_twice(sqlite_store: SqlStore, lang: Lang) -> None:
    aki = build_harness(sqlite_store).member("aki", locale=lang)
    await aki.say("/ippo why 1")
    on = texts(await aki.say("/ippo nudge on"))
    t = Messages.load().for_lang(lang)
    assert on.count(t("nudge.status.on")) == 0
    lines = [line for line in on.split("\n") if line]
    assert len(lines) == len(set(lines))
    home = texts(await aki.say("/ippo home"))
    assert t("home.f.reasons") + ": " + t("why.yours", reasons="") not in home
    privacy = texts(await aki.say("/ippo privacy"))
    label = t("privacy.f.nudges")
    assert f"{label}: {label}" not in privacy
    paused = texts(await aki.say("/ippo nudge pause 2"))
    assert t("nudge.status.paused", date="").strip("。. ") not in paused.split("\n", 2)[2]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("command", ["/ippo lang", "/ippo nudge when", "/ippo nudge pause"])
async def test_a_command_without_its_argument_says_what_to_type(
    sqlite_store: SqlStore, lang: Lang, command: str
) -> None:
    aki = build_harness(sqlite_store).member("aki", locale=lang)
    await aki.say("/ippo nudge on")
    answer = texts(await aki.say(command))
    assert "「-」" not in answer and '"-"' not in answer
    assert command.split()[1] in answer and "/ippo " in answer  # an example to copy


async def test_timezone_suggestions_are_buttons_that_set_it(sqlite_store: SqlStore) -> None:
    aki = build_harness(sqlite_store).member("aki", locale="en")
    refused = await aki.say("/ippo tz EST")
    assert "daylight saving" in texts(refused)
    assert [b.action_id for b in buttons(refused)] == ["tz:set:America/New_York"]
    assert "Timezone set to America/New_York" in texts(await aki.press(refused, "tz:set:"))
    assert "Timezone set to America/New_York" in texts(await aki.say("/ippo tz New York"))
    stale = texts(await aki.press("tz:set:Mars/Olympus"))
    assert "out of date" in stale


async def test_nudge_when_takes_a_day_and_time_as_written(sqlite_store: SqlStore) -> None:
    aki = build_harness(sqlite_store).member("aki")
    await aki.say("/ippo nudge on")
    assert "毎週金曜日 18:00" in texts(await aki.say("/ippo nudge when 金曜18時"))
    ben = build_harness(sqlite_store).member("ben", locale="en")
    await ben.say("/ippo nudge on")
    assert "every Friday at 18:00" in texts(await ben.say("/ippo nudge when Fri 6pm"))


@pytest.mark.parametrize("day", range(23, 30))  # every weekday, Monday 23 Nov 2026 on
def test_next_sat_is_the_same_day_as_raishu_doyo(day: int) -> None:
    now = datetime(2026, 11, day, 3, tzinfo=UTC)
    english = parse_start("next sat 14:00", now=now, tz="Asia/Tokyo")
    japanese = parse_start("来週土曜 14:00", now=now, tz="Asia/Tokyo")
    assert english is not None and english == japanese
