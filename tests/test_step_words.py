"""Words taken as meant, and step cards that say where to go (issue #13):
`/ippo done` logs the whole text with a note after "note:" / "メモ：", a typed
title is that step, journey numbers are each member's own from 1, and every
surface shows a step with the same facts."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.catalog import Catalog
from bot.features.common import step_fields
from bot.features.nudges import nudge_message
from bot.i18n import Messages
from bot.model import EntryKind, JourneyEntry
from bot.testing import Person, buttons, texts
from storage import SqlStore
from tests.corekit import build_harness
from tests.nudgekit import as_replies, build_world


def tokyo(day: str, hhmm: str = "09:30") -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}:00+09:00").astimezone(UTC)


TUESDAY = tokyo("2026-11-24", "10:00")


async def journey_of(person: Person) -> list[JourneyEntry]:
    async with person.harness.core.store.unit() as uow:
        member = await uow.members.get(person.actor.user)
        assert member is not None
        return list(await uow.journey.list(member.id))


async def done_entries(person: Person) -> list[tuple[str | None, str | None, str | None]]:
    return [(e.step_id, e.text, e.note) for e in await journey_of(person) if e.kind == "done"]


async def test_done_logs_the_whole_sentence_and_a_note_after_the_marker(
    sqlite_store: SqlStore,
) -> None:
    h = build_harness(sqlite_store)
    aki = h.member("aki", locale="en")
    logged = await aki.say("/ippo done Watched an online study session")
    assert "Logged: Watched an online study session." in texts(logged)
    await aki.say("/ippo done Asked Ann's team how they file invoices note: they'd a neat trick")
    await aki.say("/ippo done 他部署の人とランチ メモ：話がはずんだ")
    await aki.say("/ippo done 夕方の勉強会を聴いた memo: 19:30から")
    assert await done_entries(aki) == [
        (None, "Watched an online study session", None),
        (None, "Asked Ann's team how they file invoices", "they'd a neat trick"),
        (None, "他部署の人とランチ", "話がはずんだ"),
        (None, "夕方の勉強会を聴いた", "19:30から"),
    ]
    assert "before the note" in texts(await aki.say("/ippo done note: only a note"))


async def test_a_typed_title_in_either_language_is_that_step(sqlite_store: SqlStore) -> None:
    h = build_harness(sqlite_store)
    aki = h.member("aki", locale="en")
    catalog = h.core.catalog
    stream = catalog.step("watch-evening-stream")
    assert stream is not None
    await aki.say("/ippo done Watch one evening live stream")
    await aki.say("/ippo done ＷＡＴＣＨ  one evening live-stream")  # width, case, spaces
    await aki.say("/ippo done Watched one evening live stream note: quiet")  # close enough
    await aki.say("/ippo done 夜のライブ配信を一本見る")  # the other language
    assert await done_entries(aki) == [
        (stream.id, None, None),
        (stream.id, None, None),
        (stream.id, None, "quiet"),
        (stream.id, None, None),
    ]
    reply = texts(await aki.say("/ippo done Joined a reading circle"))
    assert "Logged: Joined a reading circle." in reply  # nothing close: the member's words


def test_titles_match_loosely_but_not_wildly() -> None:
    catalog: Catalog = build_harness_catalog()
    assert catalog.find_step("グループの一覧を眺めた") == catalog.step("browse-sub-groups")
    assert catalog.find_step("read one residents comment") == catalog.step("read-residents-voices")
    for free in ("Lunch with planning", "Went to a meetup", "見た", ""):
        assert catalog.find_step(free) is None, free


def build_harness_catalog() -> Catalog:
    from config.catalog_loader import default_catalog_path, load_catalog

    return load_catalog(default_catalog_path())


async def test_journey_numbers_are_each_members_own_and_delete_takes_them(
    sqlite_store: SqlStore,
) -> None:
    h = build_harness(sqlite_store)
    aki, ben = h.member("aki", locale="en"), h.member("ben", locale="en")
    await ben.say("/ippo done Ben's first step")
    card = await aki.say("/ippo step")  # a suggestion: stored, never numbered
    await aki.press(card, "step:try:")
    await aki.say("/ippo done First thing note: private")
    await aki.say("/ippo done Second thing")
    journey = texts(await aki.say("/ippo journey"))
    assert "1. 11/24  " in journey and "(trying it)" in journey
    assert "2. 11/24  First thing" in journey and "3. 11/24  Second thing" in journey
    assert "#" not in journey
    privacy = texts(await aki.say("/ippo privacy"))
    assert "3 entries (2 done" in privacy and "not listed on your journey" in privacy
    deleted = texts(await aki.say("/ippo journey delete ２"))
    assert 'Deleted entry 2, "First thing"' in deleted
    missing = texts(await aki.say("/ippo journey delete 3"))
    assert "no entry 3" in missing and "the newest entry is 2" in missing
    assert [e[1] for e in await done_entries(aki)] == ["Second thing"]
    assert [e[1] for e in await done_entries(ben)] == ["Ben's first step"]


async def test_trying_a_step_then_doing_it_shows_once(sqlite_store: SqlStore) -> None:
    h = build_harness(sqlite_store)
    aki = h.member("aki", locale="en")
    card = await aki.say("/ippo step")
    tried = await aki.press(card, "step:try:")
    assert "/ippo done " in texts(tried) and "-" not in texts(tried).split("/ippo done ")[1][:3]
    form = await aki.press(tried, "step:done:")
    assert form[0].message.form is not None
    await aki.submit(form[0].message.form.form_id, {"note": ""})
    journey = texts(await aki.say("/ippo journey"))
    assert "(trying it)" not in journey and "1. " in journey and "2. " not in journey


def test_every_surface_shows_where_cost_and_format() -> None:
    catalog = build_harness_catalog()
    t = Messages.load().for_lang("en")
    browse = catalog.step("browse-sub-groups")
    salon = catalog.step("try-online-salon")
    assert browse is not None and salon is not None
    facts = {f.label: f.value for f in step_fields(t, catalog, browse)}
    assert facts == {
        "Where": "Online City Hall https://www.online-shiyakusho.jp/",
        "Cost": "Free",
        "Format": "Online",
        "Level": "Just watch or listen",
    }
    assert {f.label: f.value for f in step_fields(t, catalog, salon)}["Cost"] == (
        "Paid (1,800 yen a month)"
    )
    nudge = nudge_message(t, catalog, browse)
    assert browse.title.en in nudge.text and browse.action.en in nudge.text
    assert nudge.fields == step_fields(t, catalog, browse)


async def test_home_shows_the_next_step_with_where_to_go(sqlite_store: SqlStore) -> None:
    aki = build_harness(sqlite_store).member("aki", locale="en")
    home = await aki.say("/ippo home")
    next_step = next(f.value for f in home[0].message.fields if "next" in f.label)
    assert next_step.endswith("Free · Online")  # this one needs no particular community


async def test_nudge_another_cycles_and_not_yet_names_the_step(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    aki = world.harness.member("aki", locale="en")
    await aki.say("/ippo nudge on")
    world.clock.set(tokyo("2026-11-30"))
    await world.tick()
    nudge = as_replies(world.nudges_to("aki")[0])
    rung1 = sum(1 for s in world.core.catalog.steps if s.rung == 1)
    shown = []
    for _ in range(rung1 + 2):
        nudge = await aki.press(nudge, "nudge:another")
        assert nudge[0].replace and nudge[0].message.buttons[0].action_id.startswith("nudge:try:")
        shown.append(nudge[0].message.buttons[0].action_id)
    assert len(set(shown)) == rung1  # every step once a round, and round again
    step_id = shown[-1].split(":")[2]
    step = world.core.catalog.step(step_id)
    assert step is not None
    await aki.press(nudge, "nudge:try")
    world.clock.set(tokyo("2026-12-03"))
    await world.tick()
    followup = as_replies(world.messenger.to_user("aki")[-1].message)
    assert step.title.en in texts(followup)
    not_yet = await aki.press(followup, "nudge:fnotyet")
    assert f"/ippo done {step.title.en}" in texts(not_yet)
    assert step_id not in texts(not_yet)
    assert [b.action_id for b in buttons(not_yet)] == [f"nudge:fdone:{step_id}"]
    kinds = {e.kind for e in await journey_of(aki)}
    assert EntryKind.DECLINED not in kinds


async def test_discord_done_keeps_every_word_of_what_and_the_note(sqlite_store: SqlStore) -> None:
    """Discord's /ippo done has two options; a one-word `what` with a note and a
    sentence with a note both arrive whole."""
    from tests.discordkit import discord_world
    from tests.fakes.discord_payloads import DiscordPerson

    async with discord_world(sqlite_store) as world:
        aki = DiscordPerson("100000000000000044")
        await world.send(aki.slash("done", what="Volunteered", note="at the library"))
        await world.send(aki.slash("done", what="Watched a study session", note="quiet, nice"))
        await world.send(aki.slash("done", what="Asked the planning team"))
        member = await world.member(aki.user_id)
        async with world.store.unit() as uow:
            entries = await uow.journey.list(member.id)
    assert [(e.text, e.note) for e in entries] == [
        ("Volunteered", "at the library"),
        ("Watched a study session", "quiet, nice"),
        ("Asked the planning team", None),
    ]


def test_a_decline_from_before_rounds_only_counts_as_shown() -> None:
    """DECLINED rows were written by "Another one" before it cycled: they no
    longer keep a step away for a month; "too much" still does."""
    from bot.model import Member, UserRef
    from bot.suggest import rotation, suggest

    catalog = build_harness_catalog()
    member = Member(id=7, user=UserRef("console", "console", "aki"), lang="en", tz="Asia/Tokyo")
    rung1 = [s for s in catalog.steps if s.rung == 1]
    now = TUESDAY
    declined = [
        JourneyEntry(i, 7, EntryKind.DECLINED, now, step_id=s.id) for i, s in enumerate(rung1)
    ]
    assert len(rotation(catalog, member, declined, now, rung=1, pool="fit")) == len(rung1)
    assert suggest(catalog, member, declined, now, count=1)  # shown before, still offered
    too_much = [JourneyEntry(1, 7, EntryKind.TOO_MUCH, now, step_id=rung1[0].id)]
    assert rung1[0] not in rotation(catalog, member, too_much, now, rung=1, pool="fit")
