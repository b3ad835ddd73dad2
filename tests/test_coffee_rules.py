"""Coffee rules decided at matching time: the quiet seat (only while at the
"just watch or listen" rung), the private avoid list and its undoing."""

from __future__ import annotations

from bot.features.coffee.matching import Rules, Seat, match, pair, place_thirds, third_fit
from bot.features.links import JOURNEY_RUNG
from bot.model import Reply
from bot.testing import texts
from storage import SqlStore
from tests.test_coffee import join, world


async def test_a_quiet_seat_holds_only_at_the_first_rung(sqlite_store: SqlStore) -> None:
    w = world(sqlite_store)
    stays = await join(w, "stays", dept=0, zone=0, lang="en")
    moves = await join(w, "moves", dept=1, zone=0, lang="en")
    for person in (stays, moves):
        assert "quiet third" in texts(await person.say("/ippo coffee quiet on"))
    await moves.press(JOURNEY_RUNG.id(2))  # moves up after turning it on
    assert "quiet third" in texts(await stays.say("/ippo coffee"))
    status = texts(await moves.say("/ippo coffee"))
    assert "quiet third" not in status and "waits for" in status
    await join(w, "talks", dept=2, zone=0, lang="en")
    await w.run_round(w.rounds(1)[0])
    member_of = await w.member_ids()
    (rnd,) = await w.past()
    seats = {member_of[s.member_id]: s.quiet for g in rnd.groups for s in g if s.member_id}
    assert seats == {"stays": True, "moves": False, "talks": False}


async def test_avoid_shows_the_list_privately_and_unavoid_undoes_it(sqlite_store: SqlStore) -> None:
    w = world(sqlite_store)
    aki = await join(w, "aki", dept=0, zone=0, lang="en")
    ben = await join(w, "ben", dept=1, zone=0, lang="en")
    empty = await aki.say("/ippo coffee avoid")
    assert "Your list is empty" in texts(empty) and only_them(empty)
    await aki.say("/ippo coffee avoid ben")
    await aki.say("/ippo coffee avoid @cat")
    listed = await aki.say("/ippo coffee avoid")
    assert only_them(listed), "only aki sees it"
    assert "these 2 people: @ben, @cat" in texts(listed)
    assert "not on your list" not in texts(await aki.say("/ippo coffee unavoid @ben"))
    assert "isn't on your list" in texts(await aki.say("/ippo coffee unavoid ben"))
    assert "/ippo coffee unavoid @name" in texts(await aki.say("/ippo coffee unavoid"))
    assert "introduced to 1 person: @cat." in texts(await aki.say("/ippo coffee avoid"))
    # Japanese words work too, and ben may now meet aki.
    await aki.say("/ippo coffee 解除 cat")
    assert "Your list is empty" in texts(await aki.say("/ippo coffee avoid"))
    await ben.say("/ippo coffee")
    await w.run_round(w.rounds(1)[0])
    assert w.messenger.to_group("aki", "ben")


def only_them(replies: list[Reply]) -> bool:
    return all(r.to is None and r.message.ephemeral for r in replies)


# --------------------------------------------------------------------------- trios


def seats(*specs: tuple[int, str, str]) -> list[Seat]:
    return [Seat(member_id, dept=dept, lang=lang) for member_id, dept, lang in specs]


def test_leftovers_and_pairs_are_placed_together_so_no_trio_repeats() -> None:
    """A greedy third would take the pair it likes best and leave the other
    leftover only a pair it met last round."""
    a, b, c, d = seats((1, "x", "ja"), (2, "y", "ja"), (3, "x", "en"), (4, "y", "en"))
    picky, easy = seats((10, "z", "en"), (11, "w", "ja"))  # easy likes a and b (same language)
    rules = Rules(window=3, last_met={pair(10, 3): 1})  # picky met c last round
    groups = [[a, b], [c, d]]
    assert third_fit(easy, [a, b], rules)  # the pair easy fits best...
    left = place_thirds(groups, [easy, picky], rules)
    assert left == [] and groups == [[a, b, picky], [c, d, easy]]  # ...goes to picky


def test_a_third_repeats_rather_than_sharing_a_department() -> None:
    a, b, c, d = seats((1, "x", "ja"), (2, "y", "ja"), (3, "z", "ja"), (4, "y", "ja"))
    (third,) = seats((10, "x", "ja"))
    rules = Rules(window=3, last_met={pair(10, 3): 2})
    groups = [[a, b], [c, d]]
    assert place_thirds(groups, [third], rules) == []
    assert groups[1] == [c, d, third], "a repeat (longest ago first) before a same department"


def test_a_third_respects_avoid_lists_and_quiet_seats() -> None:
    a, b = seats((1, "x", "ja"), (2, "y", "ja"))
    quiet_pair = [Seat(3, dept="z", quiet=True), Seat(4, dept="w")]
    (loner,) = seats((10, "v", "ja"))
    rules = Rules(avoid=frozenset({pair(10, 1)}))
    groups = [[a, b], quiet_pair]
    assert place_thirds(groups, [loner], rules) == []
    assert groups[1][-1] == loner, "not with someone who asked not to meet them"
    assert (
        third_fit(Seat(11, quiet=True), [Seat(3, quiet=True), Seat(5, quiet=True)], rules) is None
    )
    assert place_thirds([[a, b]], [Seat(12)], Rules(avoid=frozenset({pair(12, 2)}))) == [Seat(12)]


def test_matching_is_the_same_for_a_seed() -> None:
    members = [Seat(n, dept="abc"[n % 3], lang="ja" if n % 2 else "en") for n in range(1, 24)]
    rules = Rules(window=3, last_met={pair(1, 2): 1, pair(3, 4): 2})
    first = match(members, rules, seed="coffee-round:console:console:2026-W49")
    again = match(list(reversed(members)), rules, seed="coffee-round:console:console:2026-W49")
    assert first == again and sorted(len(g) for g in first.groups) == [2] * 10 + [3]
    assert first.report.same_dept == first.report.repeats == 0
