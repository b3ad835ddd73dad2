"""The core through the front door: members talk, the harness listens."""

from __future__ import annotations

from bot.i18n import Messages
from bot.model import EntryKind, Reply, UserRef
from bot.testing import FixedClock, buttons, texts
from storage import SqlStore
from tests.corekit import START, build_harness


async def test_help_is_japanese_by_default_and_english_on_request(sqlite_store: SqlStore) -> None:
    h = build_harness(sqlite_store)
    aki = h.member("aki")
    assert "/ippo step" in texts(await aki.say("/ippo help"))
    assert "使い方" in texts(aki.last)
    assert "Language set to English" in texts(await aki.say("/ippo lang en"))
    assert "How to use ippo" in texts(await aki.say("/ippo"))


async def test_english_locale_seeds_a_new_member(sqlite_store: SqlStore) -> None:
    h = build_harness(sqlite_store)
    ben = h.member("ben", locale="en-US", tz="Europe/London")
    await ben.say("/ippo help")
    async with sqlite_store.unit() as uow:
        member = await uow.members.get(ben.actor.user)
    assert member is not None and (member.lang, member.tz) == ("en", "Europe/London")


async def test_unknown_command_gets_help_not_a_trace(sqlite_store: SqlStore) -> None:
    aki = build_harness(sqlite_store).member("aki", locale="en")
    replies = await aki.say("/ippo fly")
    assert '"fly" is not a command I know' in texts(replies)
    assert replies[0].message.ephemeral


async def test_reasons_by_button_and_by_number(sqlite_store: SqlStore) -> None:
    aki = build_harness(sqlite_store).member("aki", locale="en")
    view = await aki.say("/ippo why")
    toggles = [b for b in buttons(view) if b.action_id.startswith("why:toggle:")]
    assert len(toggles) == 8
    view = await aki.press(toggles[1].action_id)
    assert view[0].replace and buttons(view)[1].label.startswith("✓ ")
    done = await aki.press(view, "why:done")
    assert "Your reasons: Broaden my view" in texts(done) or "Your reasons:" in texts(done)
    replies = await aki.say("/ippo why 1 3")
    assert "Your reasons:" in texts(replies)
    async with aki.harness.core.store.unit() as uow:
        member = await uow.members.get(aki.actor.user)
    catalog = aki.harness.core.catalog
    assert member is not None
    assert member.reasons == (catalog.reasons[0].id, catalog.reasons[2].id)


async def test_bad_reason_is_answered_with_an_example_and_changes_nothing(
    sqlite_store: SqlStore,
) -> None:
    aki = build_harness(sqlite_store).member("aki")
    await aki.say("/ippo why 2")
    replies = await aki.say("/ippo why 2 42")
    assert "「42」" in texts(replies) and "/ippo why 1 3" in texts(replies)
    async with sqlite_store.unit() as uow:
        member = await uow.members.get(aki.actor.user)
    assert member is not None and len(member.reasons) == 1


async def test_step_suggestions_fit_reasons_and_rung(sqlite_store: SqlStore) -> None:
    h = build_harness(sqlite_store)
    aki = h.member("aki", locale="en")
    reason = h.core.catalog.reasons[1]
    await aki.say(f"/ippo why {reason.id}")
    replies = await aki.say("/ippo step 3")
    assert len(replies) == 3
    steps = h.core.catalog.steps_by_id
    shown = [
        steps[b.action_id.split(":")[2]]
        for b in buttons(replies)
        if b.action_id.startswith("step:try:")
    ]
    assert len({s.id for s in shown}) == 3
    assert all(s.rung == 1 and reason.id in s.reasons for s in shown)
    for reply in replies:
        labels = [b.label for b in reply.message.buttons]
        assert labels == ["I'll try this", "Another one", "Too much — an easier one", "Done it"]


async def test_bad_step_count_has_an_example(sqlite_store: SqlStore) -> None:
    aki = build_harness(sqlite_store).member("aki", locale="en")
    assert "/ippo step 2" in texts(await aki.say("/ippo step 9"))


def offered(replies: list[Reply]) -> list[str]:
    return [
        b.action_id.split(":")[2] for b in buttons(replies) if b.action_id.startswith("step:try:")
    ]


async def test_another_one_cycles_through_the_round_and_never_dead_ends(
    sqlite_store: SqlStore,
) -> None:
    h = build_harness(sqlite_store)
    aki = h.member("aki", locale="en")
    rung1 = {s.id for s in h.core.catalog.steps if s.rung == 1}
    card = await aki.say("/ippo step")
    seen = offered(card)
    cards = []
    for _ in range(2 * len(rung1) + 1):
        card = await aki.press(card, "step:another:")
        assert card[0].replace and len(offered(card)) == 1  # always a step, with its buttons
        seen += offered(card)
        cards.append(card)
    assert set(seen[: len(rung1)]) == rung1  # one round shows every step once
    n = len(rung1)
    assert seen[n : 2 * n] == seen[:n]  # and comes round again, in the same order
    wrap = cards[len(rung1) - 1]
    assert "come round again" in texts(wrap)
    assert any(b.action_id.startswith("step:from:fit.2") for b in buttons(wrap))
    async with sqlite_store.unit() as uow:
        member = await uow.members.get(aki.actor.user)
        assert member is not None
        kinds = {e.kind for e in await uow.journey.list(member.id)}
    assert EntryKind.DECLINED not in kinds  # "another" is not a refusal


async def test_another_one_with_reasons_offers_other_reasons_at_the_end_of_the_round(
    sqlite_store: SqlStore,
) -> None:
    h = build_harness(sqlite_store)
    aki = h.member("aki", locale="en")
    await aki.say("/ippo why 5")  # make my current work a bit easier
    reason = h.core.catalog.reasons[4].id
    fitting = {s.id for s in h.core.catalog.steps if s.rung == 1 and reason in s.reasons}
    card = await aki.say("/ippo step")
    for _ in range(len(fitting) - 1):
        card = await aki.press(card, "step:another:")
        assert set(offered(card)) <= fitting
    card = await aki.press(card, "step:another:")
    assert "fit your reasons" in texts(card)
    other = await aki.press(card, "step:from:other.1")
    assert offered(other) and not set(offered(other)) & fitting


async def test_nothing_new_at_a_level_still_offers_somewhere_to_go(sqlite_store: SqlStore) -> None:
    h = build_harness(sqlite_store)
    aki = h.member("aki", locale="en")
    for step in h.core.catalog.steps:
        if step.rung == 1:
            await aki.say(f"/ippo done {step.title.en}")
    replies = await aki.say("/ippo step")
    assert offered(replies) == []
    labels = [b.label for b in buttons(replies)]
    assert 'Look in "Close by"' in labels and "Take an earlier step again" in labels
    again = await aki.press(replies, "step:revisit")
    assert len(offered(again)) == 1 and "longest ago" in texts(again)
    next_one = await aki.press(again, "step:another:")  # walks the steps done before
    assert len(offered(next_one)) == 1 and offered(next_one) != offered(again)


async def test_too_much_offers_something_easier_and_a_way_down(sqlite_store: SqlStore) -> None:
    h = build_harness(sqlite_store)
    aki = h.member("aki", locale="en")
    await aki.press("journey:rung:3")
    replies = await aki.say("/ippo step")
    step_id = buttons(replies)[0].action_id.split(":")[2]
    assert h.core.catalog.steps_by_id[step_id].rung == 3
    easier = await aki.press(replies, "step:easier:")
    assert "something lighter" in texts(easier)
    offered = [
        b.action_id.split(":")[2] for b in buttons(easier) if b.action_id.startswith("step:try:")
    ]
    assert offered and h.core.catalog.steps_by_id[offered[0]].rung == 2
    down = await aki.press(easier, "journey:rung:2")
    assert "now" in texts(down)
    async with sqlite_store.unit() as uow:
        member = await uow.members.get(aki.actor.user)
    assert member is not None and member.rung == 2


async def test_done_button_opens_a_form_and_logs_with_a_private_note(
    sqlite_store: SqlStore,
) -> None:
    h = build_harness(sqlite_store)
    aki = h.member("aki", locale="en")
    replies = await aki.say("/ippo step")
    form_reply = await aki.press(replies, "step:done:")
    form = form_reply[0].message.form
    assert form is not None and [i.id for i in form.inputs] == ["note"]
    logged = await aki.submit(form.form_id, {"note": "Quiet but useful"})
    assert "Logged:" in texts(logged) and "visible to you alone" in texts(logged)
    journey = await aki.say("/ippo journey")
    assert "Quiet but useful" in texts(journey)
    assert "2026-11" in texts(journey)


async def test_done_by_id_free_text_and_bare_form(sqlite_store: SqlStore) -> None:
    h = build_harness(sqlite_store)
    aki = h.member("aki", locale="en")
    step = h.core.catalog.steps[0]
    assert step.title("en") in texts(await aki.say(f"/ippo done {step.id} went well"))
    await aki.say('/ippo done "Lunch with planning" nice people')
    bare = await aki.say("/ippo done")
    form = bare[0].message.form
    assert form is not None and [i.id for i in form.inputs] == ["what", "note"]
    empty = await aki.submit(form.form_id, {"what": "  ", "note": ""})
    assert "Please say what you did" in texts(empty)
    await aki.submit(form.form_id, {"what": "Joined a clean-up", "note": ""})
    async with sqlite_store.unit() as uow:
        member = await uow.members.get(aki.actor.user)
        assert member is not None
        entries = await uow.journey.list(member.id)
    done = [(e.step_id, e.text, e.note) for e in entries if e.kind == EntryKind.DONE]
    assert done == [
        (step.id, None, "went well"),
        (None, "Lunch with planning", "nice people"),
        (None, "Joined a clean-up", None),
    ]


async def test_journey_groups_by_month_and_offers_moving_up(sqlite_store: SqlStore) -> None:
    clock = FixedClock(START)
    h = build_harness(sqlite_store, clock=clock)
    aki = h.member("aki", locale="en")
    assert "Nothing logged yet" in texts(await aki.say("/ippo journey"))
    rung1 = [s for s in h.core.catalog.steps if s.rung == 1]
    await aki.say(f"/ippo done {rung1[0].id}")
    clock.advance(days=10)  # into December
    replies = await aki.say(f"/ippo done {rung1[1].id}")
    assert "Move up a level" in texts(replies)
    journey = texts(await aki.say("/ippo journey"))
    assert journey.index("2026-12") < journey.index("2026-11")
    assert "Steps taken so far: 2" in journey
    up = await aki.press(aki.last, "journey:rung:2")
    assert "is now" in texts(up)


async def test_notes_are_private_and_deletable(sqlite_store: SqlStore) -> None:
    h = build_harness(sqlite_store)
    aki, ben = h.member("aki", locale="en"), h.member("ben", locale="en")
    await aki.say('/ippo done "Visited the union office" my secret thought')
    assert "my secret thought" not in texts(await ben.say("/ippo journey"))
    refused = await ben.say("/ippo journey delete 1")  # numbers are each member's own
    assert "nothing to delete" in texts(refused)
    assert "my secret thought" in texts(await aki.say("/ippo journey"))
    assert "/ippo journey delete 1" in texts(aki.last)
    assert "Deleted entry 1" in texts(await aki.say("/ippo journey delete #１"))
    assert "my secret thought" not in texts(await aki.say("/ippo journey"))
    assert "/ippo journey delete" not in texts(aki.last)  # an empty journey has no delete hint
    assert "/ippo journey delete 1" in texts(await aki.say("/ippo journey delete x"))


async def test_timezone_is_validated(sqlite_store: SqlStore) -> None:
    aki = build_harness(sqlite_store).member("aki", locale="en")
    assert "Asia/Tokyo" in texts(await aki.say("/ippo tz"))
    assert "Timezone set to Europe/Paris" in texts(await aki.say("/ippo tz europe/paris"))
    bad = texts(await aki.say("/ippo tz Mars/Olympus"))
    assert '"Mars/Olympus"' in bad and "/ippo tz America/New_York" in bad


async def test_bad_language_has_an_example(sqlite_store: SqlStore) -> None:
    aki = build_harness(sqlite_store).member("aki")
    assert "/ippo lang en" in texts(await aki.say("/ippo lang fr"))


async def test_privacy_lists_what_is_stored_and_forget_deletes_it(sqlite_store: SqlStore) -> None:
    h = build_harness(sqlite_store)
    aki = h.member("aki", locale="en")
    await aki.say("/ippo why 1")
    await aki.say('/ippo done "Read the staff plan" note')
    privacy = texts(await aki.say("/ippo privacy"))
    assert "1 entry (1 done, 1 note)" in privacy
    confirm = await aki.say("/ippo forget")
    kept = await aki.press(confirm, "privacy:forget-no")
    assert "Nothing was deleted" in texts(kept)
    confirm = await aki.say("/ippo forget")
    gone = await aki.press(confirm, "privacy:forget-yes")
    assert "Everything is deleted" in texts(gone)
    async with sqlite_store.unit() as uow:
        assert await uow.members.get(UserRef("console", "console", "aki")) is None
        assert await uow.members.count() == 0


async def test_stale_or_forged_buttons_are_answered_kindly(sqlite_store: SqlStore) -> None:
    aki = build_harness(sqlite_store).member("aki", locale="en")
    for action_id in ("step:try:no-such-step", "nope:verb", "garbage", "journey:rung:99"):
        replies = await aki.press(action_id)
        assert "out of date" in texts(replies)


async def test_a_failing_handler_writes_nothing(sqlite_store: SqlStore) -> None:
    """A step logged with an over-long note is refused whole: no entry remains."""
    aki = build_harness(sqlite_store).member("aki", locale="en")
    await aki.say("/ippo help")
    replies = await aki.say('/ippo done "ok" ' + "x" * 1200)
    assert "keep it to 1000 characters" in texts(replies)
    async with sqlite_store.unit() as uow:
        member = await uow.members.get(aki.actor.user)
        assert member is not None
        assert list(await uow.journey.list(member.id)) == []


async def test_suggestions_skip_what_was_done_recently(sqlite_store: SqlStore) -> None:
    clock = FixedClock(START)
    h = build_harness(sqlite_store, clock=clock)
    aki = h.member("aki", locale="en")
    rung1 = [s for s in h.core.catalog.steps if s.rung == 1]
    for step in rung1[:-1]:
        await aki.say(f"/ippo done {step.id}")
    replies = await aki.say("/ippo step 3")
    offered = {
        b.action_id.split(":")[2] for b in buttons(replies) if b.action_id.startswith("step:try:")
    }
    assert offered == {rung1[-1].id}
    clock.advance(days=61)
    replies = await aki.say("/ippo step 3")
    assert len(replies) == 3


async def test_commands_understand_words_from_either_catalog(sqlite_store: SqlStore) -> None:
    """The words each command accepts live in the catalogs (`*.words.*`); a
    member may type them in Japanese or English whatever their language."""
    aki = build_harness(sqlite_store).member("aki", locale="en")
    await aki.say("/ippo lang 英語")
    await aki.say("/ippo nudge オン")
    async with sqlite_store.unit() as uow:
        member = await uow.members.get(aki.actor.user)
    assert member is not None and member.lang == "en" and member.nudge.enabled
    await aki.say("/ippo nudge stop")
    await aki.say("/ippo lang 日本語")
    async with sqlite_store.unit() as uow:
        member = await uow.members.get(aki.actor.user)
    assert member is not None and member.lang == "ja" and not member.nudge.enabled
    await aki.say("/ippo done 庁内勉強会を見学")
    missing = texts(await aki.say("/ippo journey 削除 99"))  # a delete, not a bad command
    assert missing == texts(await aki.say("/ippo journey delete 99"))
    assert "99" in missing


def test_no_word_means_two_things() -> None:
    messages = Messages.load()
    for prefix in ("nudge.words", "sessions.words", "journey.words", "lang.words"):
        seen: dict[str, str] = {}
        for catalog in messages.catalogs.values():
            for key, words in catalog.items():
                if not key.startswith(prefix + "."):
                    continue
                for word in words.lower().split():
                    assert seen.setdefault(word, key) == key, (word, key, seen[word])
