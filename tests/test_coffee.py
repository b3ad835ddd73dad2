"""Coffee introductions through the front door (issue #15): members talk to
the core, the Dispatcher plans and sends rounds on a pinned clock, and the
groups are read back from the store.

Done when: opt-in only, no same-department pair when avoidable, no repeat
within the window, trios instead of leaving anyone out, quiet seats
respected, avoid lists respected, days off respected, one intro per member
per round, the follow-up only after "Let's meet", exactly once across a
crash and across two instances (SQLite, and PostgreSQL with
TEST_DATABASE_URL).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.assembly import build_core
from bot.config import CoffeeConfig, CoreConfig
from bot.core import Core
from bot.delivery import Dispatcher
from bot.features.coffee.ports import PastRound
from bot.features.coffee.rounds import Round, upcoming_rounds
from bot.model import GroupRef, Reply
from bot.ports import Store
from bot.testing import FakeMessenger, FixedClock, Harness, Person, texts
from bot.working_days import WorkingDays
from config.catalog_loader import default_catalog_path, load_catalog
from storage import SqlStore, open_store, upgrade_database

START = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Tokyo
ZONES = ("Asia/Tokyo", "Europe/London", "America/New_York")
DEPTS = ("財政課", "Parks", "ＩＴ　Office")


@dataclass
class World:
    core: Core
    clock: FixedClock
    harness: Harness
    messenger: FakeMessenger
    dispatcher: Dispatcher

    def rounds(self, count: int) -> list[Round]:
        """The next `count` rounds that have not opened yet."""
        config = self.core.config
        found = upcoming_rounds(
            self.clock.now(), config.coffee, WorkingDays(config.holiday_country), count + 1
        )
        return [r for r in found if r.opens() > self.clock.now()][:count]

    async def run_round(self, rnd: Round) -> None:
        """Plan the round when it opens, then send everything due that day."""
        self.clock.set(rnd.opens())
        await self.dispatcher.tick(self.clock.now(), budget_s=30)
        self.clock.set(rnd.opens() + timedelta(days=2))
        await self.dispatcher.tick(self.clock.now(), budget_s=30)

    async def answer_all(self, people: list[Person], button: int = 1) -> None:
        """Each member presses a button of their latest introduction."""
        for person in people:
            mine = [s for s in self.messenger.sent if person.actor.user.id in _members(s.to)]
            if mine:
                await person.press(mine[-1].message.buttons[button].action_id)

    async def past(self) -> list[PastRound]:
        async with self.core.store.unit() as uow:
            return list(await uow.coffee.past_rounds("console", "console", 0))

    async def member_ids(self) -> dict[int, str]:
        async with self.core.store.unit() as uow:
            out = {}
            for name in self.names:
                member = await uow.members.get(self.harness.member(name).actor.user)
                if member is not None:
                    out[member.id] = name
            return out

    names: tuple[str, ...] = ()


def world(store: Store, *, coffee: CoffeeConfig | None = None) -> World:
    clock = FixedClock(START)
    config = CoreConfig(coffee=coffee or CoffeeConfig())
    core = build_core(store, clock, catalog=load_catalog(default_catalog_path()), config=config)
    messenger = FakeMessenger()
    return World(core, clock, Harness(core), messenger, core.dispatcher({"console": messenger}))


async def join(w: World, name: str, *, dept: int, zone: int, lang: str = "ja") -> Person:
    person = w.harness.member(name, locale=lang, tz=ZONES[zone])
    await person.say("/ippo coffee on")
    await person.say(f"/ippo coffee dept {DEPTS[dept]}")
    w.names += (name,)
    return person


def _members(to: object) -> tuple[str, ...]:
    return to.members if isinstance(to, GroupRef) else ()


def pairs(groups: tuple[tuple[int | None, ...], ...]) -> set[frozenset[int]]:
    out = set()
    for g in groups:
        ids = [m for m in g if m is not None]
        out |= {frozenset((a, b)) for i, a in enumerate(ids) for b in ids[i + 1 :]}
    return out


def ids(rnd: PastRound) -> tuple[tuple[int | None, ...], ...]:
    return tuple(tuple(s.member_id for s in g) for g in rnd.groups)


async def test_many_rounds_keep_every_rule(sqlite_store: SqlStore) -> None:
    w = world(sqlite_store, coffee=CoffeeConfig(every_weeks=1, no_repeat_rounds=3))
    people = [
        await join(w, f"m{i:02d}", dept=i % 3, zone=i % 3, lang="ja" if i % 4 else "en")
        for i in range(21)
    ]
    watcher = w.harness.member("watcher")  # never opts in
    await watcher.say("/ippo coffee")
    quiet = people[0]
    assert "quiet third" in texts(await quiet.say("/ippo coffee quiet on"))
    await people[1].say("/ippo coffee quiet on")
    await people[2].say("/ippo coffee avoid m03")
    member_of = await w.member_ids()
    by_name = {v: k for k, v in member_of.items()}
    async with sqlite_store.unit() as uow:
        depts = {m: (await uow.coffee.prefs(m)).dept for m in member_of}
    assert depts[by_name["m02"]] == "IT Office", "free text is NFKC, spaces collapsed"

    seen: list[PastRound] = []
    for rnd in w.rounds(8):
        before = len(w.messenger.sent)
        await w.run_round(rnd)
        latest = (await w.past())[0]
        assert latest not in seen
        seen.append(latest)
        groups = ids(latest)
        placed = [m for g in groups for m in g]
        # opt-in only; one introduction per member per round; nobody left out
        assert Counter(placed) == Counter(list(member_of)), "everyone once, nobody else"
        assert sorted(len(g) for g in groups) == [2] * 9 + [3], "21 members: one trio"
        for group in latest.groups:
            assert not all(s.quiet for s in group), "a quiet seat never sits alone with a quiet one"
            members = [s.member_id for s in group]
            assert {by_name["m02"], by_name["m03"]} - set(members), "avoid respected"
            group_depts = [depts[m] for m in members if m is not None]
            assert len(set(group_depts)) == len(group_depts), "no same department"
        sent = w.messenger.sent[before:]
        assert len(sent) == len(groups), "one message per group"
        assert all(isinstance(s.to, GroupRef) for s in sent)
        await w.answer_all(people)
    for rnd in seen:
        # Pairs never meet again within three rounds; the round's third
        # joins the pair that fits them best, which may be a repeat.
        twos = tuple(g for g in ids(rnd) if len(g) == 2)
        later = [r for r in seen if 0 < r.seq - rnd.seq <= 3]  # a holiday may skip a round
        recent = set().union(*(pairs(ids(r)) for r in later))
        assert not pairs(twos) & recent, "no pair again within three rounds"
    assert not w.messenger.to_user("watcher")


async def test_intro_buttons_and_one_check(sqlite_store: SqlStore) -> None:
    w = world(sqlite_store)
    aki = await join(w, "aki", dept=0, zone=0, lang="ja")
    ben = await join(w, "ben", dept=1, zone=1, lang="en")
    rnd = w.rounds(1)[0]
    await w.run_round(rnd)
    (intro,) = w.messenger.to_group("aki", "ben")
    text = texts([Reply(intro.message)])
    assert "15" in text and "aki" in text and "ben" in text
    assert "日本語" not in text and "15分" in text and "15-minute" in text, "both languages"
    assert "different languages" in text
    meet, no = (b.action_id for b in intro.message.buttons)
    answered = await aki.press(meet)
    assert "in about a week" not in texts(answered)  # aki reads Japanese
    await ben.press(no)
    # Nothing follows for ben; aki gets one "Did you meet?" a week later.
    w.clock.set(rnd.opens() + timedelta(days=10))
    await w.dispatcher.tick(w.clock.now(), budget_s=30)
    assert not w.messenger.to_user("ben")
    (check,) = w.messenger.to_user("aki")
    assert "会えましたか" in texts([Reply(check.message)])
    yes = check.message.buttons[0].action_id
    await aki.press(yes)
    journey = texts(await aki.say("/ippo journey"))
    assert "他部署の人と少しおしゃべりする" in journey
    w.clock.set(rnd.opens() + timedelta(days=20))
    await w.dispatcher.tick(w.clock.now(), budget_s=30)
    assert len(w.messenger.to_user("aki")) == 1, "nothing else follows"


async def test_silence_halves_and_an_answer_restores(sqlite_store: SqlStore) -> None:
    w = world(sqlite_store, coffee=CoffeeConfig(every_weeks=1))
    people = [await join(w, f"p{i}", dept=i % 2, zone=0) for i in range(4)]
    member_of = await w.member_ids()
    quiet_one = next(k for k, v in member_of.items() if v == "p0")
    rounds = w.rounds(5)
    presence = []
    for rnd in rounds:
        await w.run_round(rnd)
        latest = (await w.past())[0]
        present = {s.member_id for g in latest.groups for s in g}
        presence.append(quiet_one in present)
        for person in people[1:]:  # everyone but p0 answers every intro
            await w.answer_all([person])
    assert presence[:4] == [True, True, False, True], "two silent intros: every other round"
    last = [s for s in w.messenger.sent if "p0" in _members(s.to)][-1]
    assert last.message.buttons
    answered = await people[0].press(last.message.buttons[1].action_id)
    assert "毎回に戻ります" in texts(answered)
    await w.run_round(w.rounds(1)[0])
    latest = (await w.past())[0]
    assert quiet_one in {s.member_id for g in latest.groups for s in g}


async def test_off_pause_skip_and_days_off(sqlite_store: SqlStore) -> None:
    # Rounds every week on Monday: 2026-11-23 is a holiday in Japan.
    w = world(sqlite_store, coffee=CoffeeConfig(every_weeks=1, weekday=0))
    w.clock.set(datetime(2026, 11, 16, 12, 0, tzinfo=UTC))
    people = [await join(w, f"d{i}", dept=i % 2, zone=0) for i in range(6)]
    await people[0].say("/ippo coffee off")
    await people[1].say("/ippo coffee skip")
    await people[2].say("/ippo coffee pause 3")
    rnd = w.rounds(1)[0]
    assert rnd.day.isoformat() == "2026-11-24", "the holiday moves the round to Tuesday"
    await w.run_round(rnd)
    latest = (await w.past())[0]
    member_of = await w.member_ids()
    names = {member_of[s.member_id] for g in latest.groups for s in g if s.member_id}
    assert names == {"d3", "d4", "d5"}
    nxt = w.rounds(1)[0]
    await w.run_round(nxt)
    latest = (await w.past())[0]
    names = {member_of[s.member_id] for g in latest.groups for s in g if s.member_id}
    assert names == {"d1", "d3", "d4", "d5"}, "skip was one round; the pause goes on"


async def test_bad_input_says_what_was_wrong(sqlite_store: SqlStore) -> None:
    w = world(sqlite_store)
    aki = w.harness.member("aki", locale="en")
    assert "/ippo coffee on" in texts(await aki.say("/ippo coffee pause 2"))
    await aki.say("/ippo coffee on")
    assert "/ippo coffee pause 2" in texts(await aki.say("/ippo coffee pause lots"))
    assert "/ippo coffee avoid @name" in texts(await aki.say("/ippo coffee avoid"))
    assert "That's you" in texts(await aki.say("/ippo coffee avoid aki"))
    assert "Only organizers" in texts(await aki.say("/ippo coffee channel #coffee"))
    assert "/ippo coffee quiet on" in texts(await aki.say("/ippo coffee quiet maybe"))
    assert "I didn't catch" in texts(await aki.say("/ippo coffee dance"))
    status = texts(await aki.say("/ippo coffee"))
    assert "signed up" in status and "Department: not set" in status


async def test_privacy_shows_and_forget_keeps_only_that_a_pair_happened(
    sqlite_store: SqlStore,
) -> None:
    w = world(sqlite_store)
    aki = await join(w, "aki", dept=0, zone=0, lang="en")
    await join(w, "ben", dept=1, zone=0, lang="en")
    await aki.say("/ippo coffee avoid cat")
    await w.run_round(w.rounds(1)[0])
    fields = {f.label: f.value for f in (await aki.say("/ippo privacy"))[0].message.fields}
    assert "introduced 1 time" in fields["Coffee introductions"]
    assert "1 person you asked not to meet" in fields["Coffee introductions"]
    await aki.press(await aki.say("/ippo forget"), "privacy:forget-yes")
    latest = (await w.past())[0]
    (group,) = latest.groups
    assert sorted(s.member_id is None for s in group) == [False, True]


async def test_exactly_once_across_a_crash_and_two_instances(db_url: str) -> None:
    await upgrade_database(db_url)
    first, second = open_store(db_url), open_store(db_url)
    try:
        w = world(first)
        for i in range(30):
            await join(w, f"x{i:02d}", dept=i % 3, zone=i % 3)
        rnd = w.rounds(1)[0]
        other = build_core(second, w.clock, catalog=w.core.catalog, config=w.core.config)
        messenger_b = FakeMessenger()
        b = other.dispatcher({"console": messenger_b}, batch_size=5)
        a = w.core.dispatcher({"console": w.messenger}, batch_size=5)
        w.clock.set(rnd.opens())
        await asyncio.gather(a.plan(w.clock.now()), b.plan(w.clock.now()))
        await a.plan(w.clock.now())  # a restart plans again: nothing new
        w.clock.set(rnd.opens() + timedelta(days=2))
        await asyncio.gather(a.tick(w.clock.now()), b.tick(w.clock.now()))
        await asyncio.gather(a.tick(w.clock.now()), b.tick(w.clock.now()))
        rounds = await w.past()
        assert len(rounds) == 1 and len(rounds[0].groups) == 15
        sent = Counter(
            s.to.joined for s in w.messenger.sent + messenger_b.sent if isinstance(s.to, GroupRef)
        )
        assert len(sent) == 15 and set(sent.values()) == {1}
    finally:
        await first.close()
        await second.close()
