"""Weekly nudges end to end: members opt in through `/ippo nudge`, a fixed
clock moves through weeks, `Dispatcher.tick` plans and sends, FakeMessenger
records, and buttons are pressed from the messages that were sent."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.model import Cadence, EntryKind, Member, UserRef
from bot.ports import DeliveryStatus
from bot.testing import buttons, texts
from storage import SqlStore
from tests.nudgekit import World, as_replies, build_world, local

TUESDAY = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # Tue 24 Nov 2026, 10:00 in Tokyo
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def tokyo(day: str, hhmm: str = "09:30") -> datetime:
    """A Tokyo wall time as UTC: tokyo("2026-11-30") is Monday 09:30 JST."""
    local_dt = datetime.fromisoformat(f"{day}T{hhmm}:00+09:00")
    return local_dt.astimezone(UTC)


async def member_of(world: World, user_id: str) -> Member:
    async with world.store.unit() as uow:
        member = await uow.members.get(UserRef("console", "console", user_id))
    assert member is not None
    return member


# --------------------------------------------------------------------------- commands


async def test_nudges_are_off_until_the_member_says_yes(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    aki = world.harness.member("aki")
    shown = texts(await aki.say("/ippo nudge"))
    assert "オフ" in shown and "毎週月曜日 09:30" in shown
    assert [b.action_id for b in buttons(aki.last)] == ["nudge:on"]
    await world.run(TUESDAY + timedelta(days=14), every=timedelta(hours=6))
    assert world.messenger.sent == []


async def test_on_shows_the_next_time_in_the_members_timezone(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    bob = world.harness.member("bob", locale="en-US", tz="America/New_York")
    shown = texts(await bob.say("/ippo nudge on"))
    assert "Weekly nudges are on" in shown
    assert "every Monday at 09:30 (America/New_York)" in shown
    assert "Next one: Monday 2026-11-30 at 09:30" in shown
    member = await member_of(world, "bob")
    assert member.next_nudge_at == datetime(2026, 11, 30, 14, 30, tzinfo=UTC)
    assert "already on" in texts(await bob.say("/ippo nudge on"))


async def test_when_accepts_english_and_japanese_and_explains_bad_input(
    sqlite_store: SqlStore,
) -> None:
    world = build_world(sqlite_store, TUESDAY)
    aki = world.harness.member("aki")
    await aki.say("/ippo nudge on")
    shown = texts(await aki.say("/ippo nudge when 水曜日 18時"))
    assert "毎週水曜日 18:00" in shown and "2026年11月25日（水） 18:00" in shown
    shown = texts(await aki.say("/ippo nudge when fri ０８：１５"))
    assert "毎週金曜日 08:15" in shown and "2026年11月27日（金） 08:15" in shown
    for bad in ("/ippo nudge when", "/ippo nudge when someday 9:30", "/ippo nudge when 月 25:00"):
        answer = texts(await aki.say(bad))
        assert "例: /ippo nudge when 金曜 18時" in answer, bad
    assert (await member_of(world, "aki")).nudge.time == "08:15"  # bad input changed nothing

    bob = world.harness.member("bob", locale="en")
    answer = texts(await bob.say("/ippo nudge when tomorrow"))
    assert "for example: /ippo nudge when Fri 6pm" in answer
    answer = texts(await bob.say("/ippo nudge when thursday 7:45"))
    assert "Saved: every Thursday at 07:45" in answer and "turns them on" in answer
    assert (await member_of(world, "bob")).next_nudge_at is None  # still opted out


async def test_pause_and_bad_pause(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    aki = world.harness.member("aki")
    assert "オフなので" in texts(await aki.say("/ippo nudge pause 2"))
    await aki.say("/ippo nudge on")
    for bad in ("/ippo nudge pause", "/ippo nudge pause two", "/ippo nudge pause 99"):
        assert "例: /ippo nudge pause 2" in texts(await aki.say(bad)), bad
    shown = texts(await aki.say("/ippo nudge pause 2"))
    assert "2026年12月8日（火）までお休み" in shown
    assert "次回: 2026年12月14日（月） 09:30" in shown
    world.clock.set(tokyo("2026-11-24", "12:30"))
    await world.run(tokyo("2026-12-15", "12:00"), every=timedelta(hours=3))
    assert world.messenger.sent_at["aki"] == [tokyo("2026-12-14")]


async def test_unknown_subcommand_shows_usage(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    bob = world.harness.member("bob", locale="en")
    answer = texts(await bob.say("/ippo nudge sometimes"))
    assert "is not something /ippo nudge understands" in answer


async def test_deployment_default_day_and_time(sqlite_store: SqlStore) -> None:
    from dataclasses import replace

    world = build_world(sqlite_store, TUESDAY)
    world.core.config = replace(world.core.config, nudge_weekday=3, nudge_time="12:15")
    aki = world.harness.member("aki")
    assert "毎週木曜日 12:15" in texts(await aki.say("/ippo nudge"))
    assert "2026年11月26日（木） 12:15" in texts(await aki.say("/ippo nudge on"))


async def test_timezone_change_moves_the_next_nudge(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    aki = world.harness.member("aki")
    await aki.say("/ippo nudge on")
    assert (await member_of(world, "aki")).next_nudge_at == tokyo("2026-11-30")
    await aki.say("/ippo tz Europe/Paris")
    assert (await member_of(world, "aki")).next_nudge_at == datetime(
        2026, 11, 30, 8, 30, tzinfo=UTC
    )


# --------------------------------------------------------------------------- weeks


async def test_many_members_through_three_weeks(sqlite_store: SqlStore) -> None:
    """Each opted-in member gets exactly one nudge per ISO week at their local
    time; the opted-out, paused and stopped get nothing."""
    world = build_world(sqlite_store, TUESDAY)
    zones = ["Asia/Tokyo", "Europe/London", "America/New_York", "Australia/Sydney"]
    days = ["mon", "tue", "wed", "thu", "fri"]
    expected_local: dict[str, tuple[str, str, int]] = {}
    for i in range(20):
        tz, day, hhmm = zones[i % 4], days[i % 5], f"{7 + i % 12:02d}:00"
        person = world.harness.member(f"m{i}", tz=tz)
        world.answering[f"m{i}"] = person  # answering keeps the cadence weekly
        await person.say("/ippo nudge on")
        await person.say(f"/ippo nudge when {day} {hhmm}")
        expected_local[f"m{i}"] = (tz, hhmm, i % 5)
    await world.harness.member("never").say("/ippo nudge")  # opted out
    paused = world.harness.member("paused")
    await paused.say("/ippo nudge on")
    await paused.say("/ippo nudge pause 4")
    stopped = world.harness.member("stopped")
    await stopped.say("/ippo nudge on")
    await stopped.say("/ippo nudge off")

    # Three full ISO weeks, W49..W51 (30 Nov .. 20 Dec), ticking every hour.
    world.clock.set(datetime(2026, 11, 29, 15, 0, tzinfo=UTC))  # Mon 30 Nov 00:00 Tokyo
    await world.run(datetime(2026, 12, 20, 23, 0, tzinfo=UTC), every=HOUR)

    for user, (tz, hhmm, weekday) in expected_local.items():
        keys = [k for k in world.keys_to(user) if k.startswith("nudge:")]
        periods = [k.rsplit(":", 1)[1] for k in keys]
        sent = world.messenger.sent_at[user]
        # Exactly one per ISO week (Sydney's Monday can begin in the UTC week before)
        assert len(periods) == len(set(periods)), (user, periods)
        assert 3 <= len(sent) <= 4, (user, sent)
        for when in sent:
            assert local(when, tz)[-5:] == hhmm, (user, local(when, tz))
            assert datetime.fromisoformat(local(when, tz)[:10]).weekday() == weekday
    for user in ("never", "paused", "stopped"):
        assert world.messenger.to_user(user) == [], user


async def test_silence_slows_the_cadence_and_any_reply_restores_it(
    sqlite_store: SqlStore,
) -> None:
    world = build_world(sqlite_store, TUESDAY)
    bob = world.harness.member("bob", locale="en")
    await bob.say("/ippo nudge on")
    # A tick every day at 09:30 Tokyo for ten weeks, no answers.
    world.clock.set(tokyo("2026-11-30"))
    await world.run(tokyo("2027-02-07"), every=DAY)
    sent = [local(t) for t in world.messenger.sent_at["bob"]]
    assert sent == [
        "2026-11-30 Mon 09:30",  # week 1
        "2026-12-07 Mon 09:30",  # week 2: second unanswered, slows to fortnightly
        "2026-12-21 Mon 09:30",  # two weeks later; third unanswered, slows to monthly
        # four weeks later would be 18 Jan; 2027-01-11 is a holiday but not in play
        "2027-01-18 Mon 09:30",
    ]
    messages = world.nudges_to("bob")
    assert "every two weeks" not in messages[0].text
    assert "I'll write every two weeks for now — any reply brings back weekly." in messages[1].text
    assert "I'll write once a month for now" in messages[2].text
    assert "I'll write once a month for now" in messages[3].text

    await bob.press(as_replies(messages[3]), "nudge:skip")
    member = await member_of(world, "bob")
    assert (member.nudge.cadence, member.nudge.unanswered) == (Cadence.WEEKLY, 0)
    assert "Next one: Monday 2027-02-08 at 09:30" in texts(bob.last)  # pressed on Sun 7 Feb
    world.clock.set(tokyo("2027-02-08"))
    await world.run(tokyo("2027-02-16"), every=DAY)
    assert [local(t) for t in world.messenger.sent_at["bob"][4:]] == [
        "2027-02-08 Mon 09:30",
        "2027-02-15 Mon 09:30",
    ]
    assert "every two weeks" not in world.nudges_to("bob")[4].text


async def test_holidays_and_year_end_move_to_the_next_working_day(
    sqlite_store: SqlStore,
) -> None:
    world = build_world(sqlite_store, datetime(2026, 11, 16, 1, 0, tzinfo=UTC))
    people = {"mon": world.harness.member("mon"), "wed": world.harness.member("wed")}
    for person in people.values():
        await person.say("/ippo nudge on")
    await people["wed"].say("/ippo nudge when 水 12:00")
    world.answering.update(people)  # answering keeps the cadence weekly
    world.clock.set(tokyo("2026-11-17", "00:00"))
    await world.run(tokyo("2027-01-15", "00:00"), every=timedelta(hours=6))
    assert [local(t)[:14] for t in world.messenger.sent_at["mon"]] == [
        "2026-11-24 Tue",  # Mon 23 Nov: Labour Thanksgiving Day
        "2026-11-30 Mon",
        "2026-12-07 Mon",
        "2026-12-14 Mon",
        "2026-12-21 Mon",
        "2026-12-28 Mon",
        "2027-01-04 Mon",
        "2027-01-12 Tue",  # Mon 11 Jan: Coming of Age Day
    ]
    assert [local(t)[:14] for t in world.messenger.sent_at["wed"]] == [
        "2026-11-18 Wed",
        "2026-11-25 Wed",
        "2026-12-02 Wed",
        "2026-12-09 Wed",
        "2026-12-16 Wed",
        "2026-12-23 Wed",
        "2027-01-04 Mon",  # Wed 30 Dec is in the year-end break
        "2027-01-13 Wed",  # Wed 6 Jan shares Monday's ISO week: one a week
    ]
    wed = await member_of(world, "wed")
    async with world.store.unit() as uow:
        slots = [local(d.not_before) for d in await uow.deliveries.for_member(wed.id)]
    assert slots[-2:] == ["2027-01-04 Mon 12:00", "2027-01-13 Wed 12:00"]
    assert all(slot.endswith("12:00") for slot in slots)


async def test_follow_up_only_after_ill_try_it(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    people = {name: world.harness.member(name, locale="en") for name in ("try", "skip", "other")}
    for person in people.values():
        await person.say("/ippo nudge on")
    world.clock.set(tokyo("2026-11-30"))
    await world.tick()
    nudge = {name: world.nudges_to(name)[0] for name in people}
    assert [b.action_id.split(":")[1] for b in nudge["try"].buttons] == [
        "try",
        "another",
        "skip",
        "stop",
    ]
    step_id = nudge["try"].buttons[0].action_id.split(":")[2]
    reply = texts(await people["try"].press(as_replies(nudge["try"]), "nudge:try"))
    assert "I'll ask how it went on Thursday 2026-12-03 at 09:30" in reply
    await people["try"].press(as_replies(nudge["try"]), "nudge:try")  # pressed twice
    await people["skip"].press(as_replies(nudge["skip"]), "nudge:skip")
    another = await people["other"].press(as_replies(nudge["other"]), "nudge:another")
    assert (
        another[0].replace
        and another[0].message.buttons[0].action_id != nudge["other"].buttons[0].action_id
    )

    await world.run(tokyo("2026-12-06", "23:00"), every=timedelta(hours=1))
    followups = [s for s in world.messenger.sent if (s.delivery_key or "").startswith("followup:")]
    assert [(s.to.id, local(world.messenger.sent_at["try"][1])) for s in followups] == [
        ("try", "2026-12-03 Thu 09:30")
    ]
    assert len(world.messenger.to_user("skip")) == len(world.messenger.to_user("other")) == 1
    message = followups[0].message
    assert message.title == "How did it go?"
    assert [b.action_id for b in message.buttons] == [
        f"nudge:fdone:{step_id}",
        f"nudge:fnotyet:{step_id}",
        f"nudge:fskip:{step_id}",
    ]
    form = await people["try"].press(as_replies(message), "nudge:fdone")
    assert form[0].message.form is not None
    await people["try"].submit(form[0].message.form.form_id, {"note": "nice people"})
    member = await member_of(world, "try")
    async with world.store.unit() as uow:
        kinds = [(e.kind, e.step_id) for e in await uow.journey.list(member.id)]
    assert (EntryKind.SUGGESTED, step_id) in kinds
    assert (EntryKind.TRYING, step_id) in kinds
    assert kinds[-1] == (EntryKind.DONE, step_id)
    # Nothing else follows: the next message is the next weekly nudge.
    await world.run(tokyo("2026-12-07", "12:00"), every=timedelta(hours=6))
    assert [k.split(":")[0] for k in world.keys_to("try")] == ["nudge", "followup", "nudge"]


async def test_followup_buttons_not_yet_and_skip(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    bob = world.harness.member("bob", locale="en")
    await bob.say("/ippo nudge on")
    world.clock.set(tokyo("2026-11-30"))
    await world.tick()
    await bob.press(as_replies(world.nudges_to("bob")[0]), "nudge:try")
    world.clock.set(tokyo("2026-12-03"))
    await world.tick()
    followup = world.messenger.to_user("bob")[-1].message
    assert "No rush" in texts(await bob.press(as_replies(followup), "nudge:fnotyet"))
    assert "leave that one" in texts(await bob.press(as_replies(followup), "nudge:fskip"))


async def test_stop_these_ends_nudges_and_pending_follow_ups(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    bob = world.harness.member("bob", locale="en")
    await bob.say("/ippo nudge on")
    world.clock.set(tokyo("2026-11-30"))
    await world.tick()
    nudge = as_replies(world.nudges_to("bob")[0])
    await bob.press(nudge, "nudge:try")
    stopped = await bob.press(nudge, "nudge:stop")
    assert "Stopped" in texts(stopped) and stopped[0].replace
    await world.run(tokyo("2026-12-22"), every=timedelta(hours=6))
    assert len(world.messenger.to_user("bob")) == 1
    member = await member_of(world, "bob")
    assert not member.nudge.enabled and member.next_nudge_at is None
    async with world.store.unit() as uow:
        statuses = {d.kind: d.status for d in await uow.deliveries.for_member(member.id)}
    assert statuses == {"nudge": DeliveryStatus.SENT, "followup": DeliveryStatus.SKIPPED}


async def test_nudges_do_not_repeat_a_step_within_six_weeks(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    aki = world.harness.member("aki")
    await aki.say("/ippo nudge on")
    world.clock.set(tokyo("2026-11-30"))
    for _ in range(6):
        await world.tick()
        await aki.press(as_replies(world.nudges_to("aki")[-1]), "nudge:skip")
        world.clock.advance(days=7)
    steps = [m.buttons[0].action_id for m in world.nudges_to("aki")]
    assert len(steps) == 6 and len(set(steps)) == 6


async def test_turned_off_between_planning_and_sending_sends_nothing(
    sqlite_store: SqlStore,
) -> None:
    world = build_world(sqlite_store, TUESDAY)
    bob = world.harness.member("bob", locale="en")
    await bob.say("/ippo nudge on")
    world.clock.set(tokyo("2026-11-30"))
    assert await world.dispatcher.plan(world.clock.now()) == 1
    await bob.say("/ippo nudge off")
    report = await world.dispatcher.send(world.clock.now())
    assert world.messenger.sent == [] and report.sent == 0


# --------------------------------------------------------------------------- downtime


async def test_late_within_the_window_after_downtime(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    aki = world.harness.member("aki")
    await aki.say("/ippo nudge on")
    await world.tick()
    world.clock.set(tokyo("2026-11-30", "14:45"))  # down from before 09:30 until now
    await world.tick()
    assert world.messenger.sent_at["aki"] == [tokyo("2026-11-30", "14:45")]
    assert world.keys_to("aki") == [f"nudge:{(await member_of(world, 'aki')).id}:2026-W49"]


async def test_downtime_longer_than_the_window_skips_the_slot(sqlite_store: SqlStore) -> None:
    world = build_world(sqlite_store, TUESDAY)
    aki = world.harness.member("aki")
    await aki.say("/ippo nudge on")
    await world.tick()
    world.clock.set(tokyo("2026-11-30", "21:45"))  # down all Monday: 12 hours late
    await world.tick()
    assert "aki" not in world.messenger.sent_at
    await world.run(tokyo("2026-12-07", "12:00"), every=timedelta(hours=1))
    assert world.messenger.sent_at["aki"] == [tokyo("2026-12-07", "09:45")]


async def test_hourly_cron_ticks_deliver_a_late_evening_slot(sqlite_store: SqlStore) -> None:
    """A 23:30 slot with `ippo tick` at ten past every hour arrives at 00:10,
    week after week: late by less than one interval, never lost."""
    world = build_world(sqlite_store, TUESDAY)
    aki = world.harness.member("aki")
    await aki.say("/ippo nudge on")
    await aki.say("/ippo nudge when wed 23:30")
    world.clock.set(tokyo("2026-11-24", "12:10"))
    for thursday in ("2026-11-26", "2026-12-03", "2026-12-10", "2026-12-17"):
        await world.run(tokyo(thursday, "12:10"), every=timedelta(hours=1))
        await aki.say("/ippo journey")  # any contact keeps the weekly pace
        world.clock.advance(hours=1)
    assert world.messenger.sent_at["aki"] == [
        tokyo("2026-11-26", "00:10"),
        tokyo("2026-12-03", "00:10"),
        tokyo("2026-12-10", "00:10"),
        tokyo("2026-12-17", "00:10"),
    ]


async def test_missed_day_is_skipped_and_a_week_down_sends_no_burst(
    sqlite_store: SqlStore,
) -> None:
    world = build_world(sqlite_store, TUESDAY)
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    for i, day in enumerate(days):
        person = world.harness.member(f"m{i}")
        await person.say("/ippo nudge on")
        await person.say(f"/ippo nudge when {day} 09:00")
    world.clock.set(tokyo("2026-11-30", "00:30"))
    await world.tick()  # Monday, early: nothing due yet (Sunday's slot was missed)
    assert world.messenger.sent == []
    # Down from Sunday night to Tuesday 8 December 10:00, eight days later.
    world.clock.set(tokyo("2026-12-08", "10:00"))
    await world.tick()
    await world.tick()
    # Only Tuesday's member, whose slot was this morning, hears anything.
    assert world.per_user() == Counter({"m1": 1})
    await world.run(tokyo("2026-12-14", "10:00"), every=timedelta(hours=1))
    assert world.per_user() == Counter({f"m{i}": 1 for i in range(7)})  # each, once
