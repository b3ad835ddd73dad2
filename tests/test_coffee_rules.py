"""Coffee rules decided at matching time: the quiet seat (only while at the
"just watch or listen" rung), the private avoid list and its undoing."""

from __future__ import annotations

from bot.features.links import JOURNEY_RUNG
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
