"""Sessions through the front door: commands, forms, buttons and the
delivery dispatcher, on a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.features.sessions.model import RsvpStatus, SessionStatus
from bot.model import FORM_INPUTS_MAX, EntryKind, Reply
from bot.testing import Harness, buttons, texts
from storage import SqlStore
from tests.sessionkit import (
    CHANNEL,
    add_session,
    fill_form,
    make_world,
    organizer,
    part_button,
    post_buttons,
    rsvp_id,
)

TOKYO_SAT = datetime(2026, 12, 5, 5, 0, tzinfo=UTC)  # 来週土曜 14:00 seen from START


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --------------------------------------------------------------------------- creating


async def test_japanese_one_off_session_with_preview_then_save(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    org = organizer(w)
    preview = await fill_form(
        org, {"title": "庁内勉強会", "start": "来週土曜 14:00", "duration": "1時間半"}
    )
    assert "2026年12月5日（土） 14:00" in texts(preview)
    assert "90分" in texts(preview) and "1回のみ" in texts(preview)
    async with sqlite_store.unit() as uow:  # nothing saved before Save
        assert await uow.sessions.in_workspace("console", "console") == []
    saved = await org.press(preview, "session:save:")
    assert "#1" in texts(saved) and saved[0].replace
    session = await w.session(1)
    assert (await org.say("/ippo sessions add"))[0].message.form is not None  # same command
    assert session.fields.start == TOKYO_SAT
    assert session.fields.duration_min == 90 and session.fields.rrule is None
    assert session.channel.id == CHANNEL  # defaults to where it was typed
    assert session.uid.endswith("@ippo")


async def test_english_recurring_session_every_two_weeks(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    org = organizer(w, lang="en")
    await org.say("/ippo session lang en #C-other")  # the channel's posts: English
    preview = await fill_form(
        org,
        {
            "title": "Study group",
            "start": "next thu 7pm",
            "repeat": "every 2 weeks",
            "channel": "C-other",
        },
    )
    shown = texts(preview)
    for day in ("2026-12-03", "2026-12-17", "2026-12-31"):  # next week's Thursday
        assert day in shown
    await org.press(preview, "session:save:")
    session = await w.session(1)
    assert session.fields.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
    assert session.fields.start == utc(2026, 12, 3, 10)
    assert session.channel.id == "C-other" and session.lang == "en"


async def test_monthly_nth_weekday_in_japanese(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    org = organizer(w)
    await add_session(
        org, {"title": "地域LT会", "start": "2026-12-12 19:00", "repeat": "毎月第2土曜"}
    )
    assert (await w.session(1)).fields.rrule == "FREQ=MONTHLY;BYDAY=2SA"


async def test_unreadable_start_gets_an_example_and_edit_keeps_what_was_typed(
    sqlite_store: SqlStore,
) -> None:
    w = make_world(sqlite_store)
    org = organizer(w, lang="en")
    answer = await fill_form(org, {"title": "Study group", "start": "someday soon"})
    assert "someday soon" in texts(answer) and "2026-12-12 14:00" in texts(answer)
    assert not [b for b in buttons(answer) if b.action_id.startswith("session:save")]
    reopened = await org.press(answer, "session:redo:")
    form = reopened[0].message.form
    assert form is not None
    initial = {i.id: i.initial for i in form.inputs}
    assert initial["title"] == "Study group" and initial["start"] == "someday soon"
    preview = await org.submit(form.form_id, {**initial, "start": "2026-12-12 14:00"})
    await org.press(preview, "session:save:")
    assert (await w.session(1)).fields.start == utc(2026, 12, 12, 5)


async def test_bad_repeat_and_capacity_are_refused_not_guessed(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    org = organizer(w, lang="en")
    answer = await fill_form(
        org, {"title": "x", "start": "2026-12-12 14:00", "repeat": "sometimes", "capacity": "lots"}
    )
    shown = texts(answer)
    assert '"sometimes"' in shown and "every 2 weeks" in shown and '"lots"' in shown


async def test_non_organizer_cannot_create_edit_or_cancel(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    sid = await add_session(organizer(w), {"title": "勉強会", "start": "2026-12-12 14:00"})
    aki = w.harness.member("aki", locale="en", channel=CHANNEL)
    for command in (
        "/ippo session add",
        f"/ippo session edit {sid}",
        f"/ippo session cancel {sid}",
    ):
        replies = await aki.say(command)
        assert "Only organizers" in texts(replies), command
    refused = await aki.submit(
        "session:new", {"title": "mine", "start": "2026-12-12 14:00", "duration": "60"}
    )
    assert "Only organizers" in texts(refused)
    assert "Only organizers" in texts(await aki.press(f"session:drop:{sid}"))
    assert "Only organizers" in texts(await aki.submit(f"session:change:{sid}", {"title": "x"}))
    session = await w.session(sid)
    assert session.status is SessionStatus.ACTIVE and session.title == "勉強会"
    # a Discord member with Manage Events is an organizer by the default rule
    mod = w.harness.member("mod", grants=frozenset({"manage_events"}), channel=CHANNEL)
    assert (await mod.say("/ippo session add"))[0].message.form is not None


# --------------------------------------------------------------------------- announcements


async def test_announced_once_per_lead_updated_after_edit_and_cancel_notice(
    sqlite_store: SqlStore,
) -> None:
    w = make_world(sqlite_store)
    org = organizer(w)
    sid = await add_session(org, {"title": "庁内勉強会", "start": "2026-12-12 14:00"})
    start = utc(2026, 12, 12, 5)
    await w.tick()
    assert w.posts() == []
    for n, at in enumerate((start - timedelta(days=7), start - timedelta(days=1), start), 1):
        await w.tick(at)
        await w.tick(at + timedelta(minutes=1))  # planning again adds nothing
        assert len(w.posts()) == n
    assert "7日後" in w.posts()[0] and "明日の14:00から" in w.posts()[1]
    assert "まもなく" in w.posts()[2]

    edit = await org.say(f"/ippo session edit {sid}")
    form = edit[0].message.form
    assert form is not None
    values = {i.id: i.initial for i in form.inputs}
    preview = await org.submit(form.form_id, {**values, "title": "庁内勉強会（拡大版）"})
    await org.press(preview, "session:save:")
    await w.tick(start + timedelta(minutes=5))
    assert len(w.posts()) == 3  # no new posts ...
    updated = [m.title or "" for _, m in w.messenger.updates]
    assert len(updated) == 3 and all("拡大版" in text for text in updated)  # ... the 3 edited

    aki = w.harness.member("aki", channel=CHANNEL)
    await aki.press(rsvp_id(post_buttons(w), "going"))
    confirm = await org.say(f"/ippo session cancel {sid}")
    await org.press(confirm, "session:drop:")
    await w.tick(start + timedelta(minutes=10))
    assert len(w.posts()) == 4 and "中止" in w.posts()[3]
    # the posts now say cancelled (drawn when sent: aki's answer's refresh too)
    assert {ref.message_id for ref, _ in w.messenger.updates[3:]} == {"1", "2", "3"}
    assert all("中止" in m.text and not m.buttons for _, m in w.messenger.updates[3:])
    assert [("中止" in s.message.text) for s in w.messenger.to_user("aki")] == [True]
    await w.tick(start + timedelta(hours=3))
    assert len(w.posts()) == 4


async def test_session_created_late_gets_one_post_not_a_burst(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    await add_session(organizer(w), {"title": "勉強会", "start": "明日 19:00"})
    await w.tick()
    await w.tick()
    assert len(w.posts()) == 1 and "1日後" not in w.posts()[0]


async def test_announcements_say_how_soon_as_of_sending_not_the_planned_lead(
    sqlite_store: SqlStore,
) -> None:
    """Created two days ahead, the week-before post goes out at once: it says
    "in 2 days" (not "in 7 days"); the day-before one says tomorrow."""
    w = make_world(sqlite_store)
    org = organizer(w, lang="en")
    await org.say("/ippo session lang en")  # the channel's posts: English
    await add_session(org, {"title": "Study", "start": "2026-11-26 14:00"})
    # Thursday; START is Tuesday 10:00 in Tokyo
    await w.tick()
    await w.tick(utc(2026, 11, 25, 5))
    await w.tick(utc(2026, 11, 26, 5, 1))
    first, day_before, at_start = w.posts()
    assert "In 2 days." in first and "In 7 days" not in first
    assert "Tomorrow at 14:00." in day_before
    assert "Starting now." in at_start


async def test_recurring_move_and_cancel_one_occurrence(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    org = organizer(w, lang="en")
    await org.say("/ippo session lang en")  # the channel's posts: English
    sid = await add_session(
        org, {"title": "Study", "start": "2026-12-03 19:00", "repeat": "every 2 weeks"}
    )
    confirm = await org.say(f"/ippo session cancel {sid} 2026-12-17")
    assert "2026-12-17" in texts(confirm)
    await org.press(confirm, "session:drop-one:")
    moved = await org.say(f'/ippo session move {sid} 2026-12-31 "2027-01-01 19:00"')
    assert "2027-01-01" in texts(moved)
    leads = (timedelta(days=7), timedelta(days=1), timedelta(0))
    starts = [utc(2026, 12, 3, 10), utc(2027, 1, 1, 10), utc(2027, 1, 14, 10)]
    for at in sorted(s - lead for s in starts for lead in leads):
        await w.tick(at)
    posts = w.posts()
    assert len(posts) == 9
    assert not any("2026-12-17" in p for p in posts)
    assert sum("2027-01-01" in p for p in posts) == 3
    assert not any("2026-12-31" in p for p in posts)


# --------------------------------------------------------------------------- RSVP


async def test_rsvp_counts_capacity_and_waitlist_promotion(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    sid = await add_session(
        organizer(w), {"title": "勉強会", "start": "2026-12-12 14:00", "capacity": "2"}
    )
    await w.tick(utc(2026, 12, 5, 5))
    ids = post_buttons(w)
    aki, ben, cho, dan = (
        w.harness.member(name, locale="en", channel=CHANNEL)
        for name in ("aki", "ben", "cho", "dan")
    )
    first = await aki.press(rsvp_id(ids, "going"))
    assert first[0].replace and not first[0].message.ephemeral  # the post, live counts
    assert "参加1人" in first[0].message.text and "aki" not in first[0].message.text
    assert first[1].message.ephemeral and "going" in first[1].message.text
    await ben.press(rsvp_id(ids, "going"))
    third = await cho.press(rsvp_id(ids, "going"))
    assert "waitlist" in texts(third[1:])
    assert "キャンセル待ち1人" in third[0].message.text
    watch = await dan.press(rsvp_id(ids, "watching"))  # watching takes no seat
    assert "見るだけ参加1人" in watch[0].message.text
    freed = await aki.press(rsvp_id(ids, "cant"))
    promoted = [r for r in freed if r.to == cho.actor.user]
    assert len(promoted) == 1 and "seat opened" in promoted[0].message.text
    assert "参加2人" in freed[0].message.text and freed[0].message.text.endswith("（満席）")
    again = await aki.press(rsvp_id(ids, "going"))  # changeable, and now waitlisted
    assert "waitlist" in texts(again[1:])
    async with sqlite_store.unit() as uow:
        member = await uow.members.get(aki.actor.user)
        assert member is not None
        mine = await uow.sessions.rsvp(sid, utc(2026, 12, 12, 5), member.id)
    assert mine is not None and mine.status is RsvpStatus.WAITLISTED


async def test_more_seats_after_an_edit_move_the_waitlist_up(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    org = organizer(w)
    sid = await add_session(org, {"title": "勉強会", "start": "2026-12-12 14:00", "capacity": "1"})
    await w.tick(utc(2026, 12, 5, 5))
    aki, ben = (w.harness.member(n, locale="en", channel=CHANNEL) for n in ("aki", "ben"))
    await aki.press(rsvp_id(post_buttons(w), "going"))
    assert "waitlist" in texts(await ben.press(rsvp_id(post_buttons(w), "going")))
    preview = await fill_form(org, {"capacity": "2"}, f"/ippo session edit {sid}")
    saved = await org.press(preview, "session:save:")
    assert [r.to for r in saved if r.to is not None] == [ben.actor.user]


async def test_reminders_and_after_session_question(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    await add_session(organizer(w), {"title": "庁内勉強会", "start": "2026-12-12 14:00"})
    start = utc(2026, 12, 12, 5)
    await w.tick(start - timedelta(days=1))
    ids = post_buttons(w)
    aki, ben, cho = (w.harness.member(n, channel=CHANNEL) for n in ("aki", "ben", "cho"))
    await aki.press(rsvp_id(ids, "going"))
    await ben.press(rsvp_id(ids, "watching"))
    await cho.press(rsvp_id(ids, "maybe"))
    await w.tick(start - timedelta(minutes=60))
    await w.tick(start - timedelta(minutes=59))
    for person, expected in ((aki, 1), (ben, 1), (cho, 0)):
        got = w.messenger.to_user(person.actor.user.id)
        assert len(got) == expected, person.actor.user.id
    assert "庁内勉強会" in (w.messenger.to_user("aki")[0].message.title or "")
    await w.tick(start + timedelta(minutes=90))
    asked = w.messenger.to_user("aki")[-1].message
    assert "参加できましたか" in asked.text
    made = next(b.action_id for b in asked.buttons if b.action_id.startswith("session:made:"))
    logged = await aki.press(made)
    assert "記録" in texts(logged)
    await aki.press(made)  # a second tap logs nothing more
    missed = next(
        b.action_id
        for b in w.messenger.to_user("ben")[-1].message.buttons
        if b.action_id.startswith("session:missed:")
    )
    await ben.press(missed)
    assert len(w.messenger.to_user("cho")) == 0
    async with sqlite_store.unit() as uow:
        aki_m = await uow.members.get(aki.actor.user)
        ben_m = await uow.members.get(ben.actor.user)
        assert aki_m is not None and ben_m is not None
        aki_done = [e for e in await uow.journey.list(aki_m.id) if e.kind is EntryKind.DONE]
        ben_done = [e for e in await uow.journey.list(ben_m.id) if e.kind is EntryKind.DONE]
    assert [e.text for e in aki_done] == ["庁内勉強会"] and ben_done == []


async def test_reminder_skipped_when_answer_changed(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    await add_session(organizer(w), {"title": "勉強会", "start": "2026-12-12 14:00"})
    start = utc(2026, 12, 12, 5)
    await w.tick(start - timedelta(days=1))
    aki = w.harness.member("aki", channel=CHANNEL)
    await aki.press(rsvp_id(post_buttons(w), "going"))
    w.clock.set(start - timedelta(minutes=60))
    await w.dispatcher.plan(w.clock.now())  # planned, not yet sent
    await aki.press(rsvp_id(post_buttons(w), "cant"))
    await w.tick()
    assert w.messenger.to_user("aki") == []


# --------------------------------------------------------------------------- scope and privacy


async def test_workspaces_never_see_each_others_sessions(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    sid = await add_session(organizer(w), {"title": "勉強会", "start": "2026-12-12 14:00"})
    assert "勉強会" in texts(await w.harness.member("aki").say("/ippo sessions"))
    other = Harness(w.harness.core, workspace="elsewhere").member("zed", channel=CHANNEL)
    assert "勉強会" not in texts(await other.say("/ippo sessions"))
    await w.tick(utc(2026, 12, 5, 5))
    stolen = await other.press(rsvp_id(post_buttons(w), "going"))
    assert "「1」" in texts(stolen) and stolen[0].message.tone == "warning"
    async with sqlite_store.unit() as uow:
        assert (await uow.sessions.counts(sid, utc(2026, 12, 12, 5))).going == 0


async def test_forgetting_a_member_deletes_their_rsvps(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    sid = await add_session(organizer(w), {"title": "勉強会", "start": "2026-12-12 14:00"})
    await w.tick(utc(2026, 12, 5, 5))
    aki = w.harness.member("aki", channel=CHANNEL)
    await aki.press(rsvp_id(post_buttons(w), "going"))
    await aki.press("privacy:forget-yes")
    async with sqlite_store.unit() as uow:
        counts = await uow.sessions.counts(sid, utc(2026, 12, 12, 5))
    assert counts.going == 0


async def test_sessions_list_and_feed_url(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    await add_session(organizer(w), {"title": "勉強会", "start": "2026-12-12 14:00"})
    aki = w.harness.member("aki", locale="en", channel=CHANNEL)
    listing = await aki.say("/ippo sessions")
    assert "#1" in texts(listing)
    card = await aki.press(listing, "session:view:")
    answered = await aki.press(card, "rsvp:watching:")
    assert answered[0].replace and "watching only" in texts(answered)
    assert "watching only" in texts(await aki.say("/ippo sessions"))
    feed = texts(await aki.say("/ippo sessions feed"))
    url = feed.split("https://ippo.example.org/ics/")[1].split(".ics")[0]
    assert len(url) >= 32
    assert url in texts(await aki.say("/ippo sessions feed"))  # stable per member


# --------------------------------------------------------------------------- the form in parts


async def test_every_part_of_the_form_fits_the_smallest_platform_form(
    sqlite_store: SqlStore,
) -> None:
    w = make_world(sqlite_store)
    org = organizer(w, lang="en")
    opened = await org.say("/ippo session add")
    first = opened[0].message.form
    assert first is not None and len(first.inputs) <= FORM_INPUTS_MAX
    preview = await org.fill(opened, {"title": "Study", "start": "2026-12-12 14:00"})
    seen = {i.id for i in first.inputs}
    for part in ("timing", "seats"):
        form = (await org.press(part_button(preview, part)))[0].message.form
        assert form is not None and len(form.inputs) <= FORM_INPUTS_MAX
        seen |= {i.id for i in form.inputs}
    assert seen == {
        "title", "start", "duration", "place", "description",
        "repeat", "tz", "channel", "capacity", "cost", "rung",
    }  # fmt: skip


async def test_a_part_takes_only_its_own_inputs(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    org = organizer(w, lang="en")
    preview = await org.submit(
        "session:new", {"title": "Study", "start": "2026-12-12 14:00", "capacity": "5"}
    )
    assert "No limit" in texts(preview)
    await org.press(preview, "session:save:")
    assert (await w.session(1)).fields.capacity is None


async def test_editing_the_basics_keeps_the_repeat_and_the_seats(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    org = organizer(w, lang="en")
    sid = await add_session(
        org,
        {"title": "Study", "start": "2026-12-12 14:00", "repeat": "weekly", "capacity": "20"},
    )
    preview = await fill_form(org, {"title": "Study night"}, f"/ippo session edit {sid}")
    await org.press(preview, "session:save:")
    session = await w.session(sid)
    assert session.title == "Study night"
    assert session.fields.capacity == 20 and session.fields.rrule == "FREQ=WEEKLY;BYDAY=SA"


async def test_home_lists_the_next_sessions_with_my_answer(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    aki = w.harness.member("aki", locale="en", channel=CHANNEL)
    assert "No sessions planned yet" in texts(await aki.say("/ippo home"))
    await add_session(organizer(w), {"title": "Open data study", "start": "2026-12-12 14:00"})
    await w.tick(utc(2026, 12, 5, 5))
    await aki.press(rsvp_id(post_buttons(w), "watching"))
    home = texts(await aki.say("/ippo home"))
    assert "Upcoming sessions" in home
    assert "Open data study" in home and "(your answer: watching only)" in home
    listed = await aki.press(await aki.say("/ippo home"), "home:sessions")
    assert "Open data study" in texts(listed)


async def test_a_member_who_forgets_everything_frees_their_seat_for_the_waitlist(
    sqlite_store: SqlStore,
) -> None:
    w = make_world(sqlite_store)
    await add_session(
        organizer(w), {"title": "勉強会", "start": "2026-12-12 14:00", "capacity": "1"}
    )
    await w.tick(utc(2026, 12, 5, 5))
    aki, ben = (w.harness.member(n, locale="en", channel=CHANNEL) for n in ("aki", "ben"))
    await aki.press(rsvp_id(post_buttons(w), "going"))
    await ben.press(rsvp_id(post_buttons(w), "going"))
    gone = await aki.press(await aki.say("/ippo forget"), "privacy:forget-yes")
    assert [r.to for r in gone if r.to is not None] == [ben.actor.user]
    assert "A seat opened up" in texts(gone)
    async with sqlite_store.unit() as uow:
        member = await uow.members.get(ben.actor.user)
        assert member is not None
        (mine,) = await uow.sessions.member_rsvps(member.id)
        assert await uow.members.get(aki.actor.user) is None
    assert mine.status is RsvpStatus.GOING


async def test_every_post_of_the_day_shows_new_answers_within_a_minute(
    sqlite_store: SqlStore,
) -> None:
    """A session is announced a week and a day before; answers given on the
    newer post (or anywhere) reach the older post too, in one edit per minute
    however many people answer."""
    w = make_world(sqlite_store)
    await add_session(organizer(w), {"title": "勉強会", "start": "2026-12-12 14:00"})
    await w.tick(utc(2026, 12, 5, 5))  # a week before
    await w.tick(utc(2026, 12, 11, 5))  # a day before
    week, day = w.messenger.to_channel(CHANNEL)
    aki, ben = (w.harness.member(n, locale="en", channel=CHANNEL) for n in ("aki", "ben"))
    w.clock.set(utc(2026, 12, 11, 5, 10, 20))
    for person in (aki, ben):
        await person.press(rsvp_id(post_buttons(w), "going"))
    await w.tick()  # within the same minute: not yet
    assert w.messenger.updates == []
    await w.tick(utc(2026, 12, 11, 5, 11, 5))
    edited = {ref.message_id: message for ref, message in w.messenger.updates}
    assert set(edited) == {week.ref.message_id, day.ref.message_id}  # one edit each
    assert all("参加2人" in texts([Reply(m)]) for m in edited.values())


async def test_a_channel_posts_in_its_own_language_whoever_organized(
    sqlite_store: SqlStore,
) -> None:
    """A Japanese and an English organizer share a channel: every post there
    is in the channel's language (the deployment's default until an organizer
    sets it), never a mix; setting it changes the next posts of every session."""
    w = make_world(sqlite_store)
    ja_org, en_org = organizer(w), organizer(w, lang="en")
    await add_session(ja_org, {"title": "勉強会", "start": "2026-12-03 19:00"})
    await add_session(en_org, {"title": "Study", "start": "2026-12-03 20:00"})
    await w.tick(utc(2026, 11, 26, 11, 1))  # a week before both
    assert all("7日後です" in p for p in w.posts()) and len(w.posts()) == 2

    told = await ja_org.say("/ippo session lang en")  # typed in the channel
    assert "English" in texts(told) and "#C-study" in texts(told)
    await w.tick(utc(2026, 12, 2, 11, 1))  # the day before both
    assert all("Tomorrow at" in p for p in w.posts()[2:]) and len(w.posts()) == 4
    shown = await en_org.say("/ippo session lang")
    assert "English" in texts(shown)

    member = w.harness.member("aki", channel=CHANNEL)  # not an organizer: refused
    assert "主催者だけ" in texts(await member.say("/ippo session lang ja"))
