"""Coffee rules decided at matching time: the quiet seat (only while at the
"just watch or listen" rung), the private avoid list and its undoing."""

from __future__ import annotations

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
    assert "introduced to @cat." in texts(await aki.say("/ippo coffee avoid"))
    # Japanese words work too, and ben may now meet aki.
    await aki.say("/ippo coffee 解除 cat")
    assert "Your list is empty" in texts(await aki.say("/ippo coffee avoid"))
    await ben.say("/ippo coffee")
    await w.run_round(w.rounds(1)[0])
    assert w.messenger.to_group("aki", "ben")


def only_them(replies: list[Reply]) -> bool:
    return all(r.to is None and r.message.ephemeral for r in replies)
