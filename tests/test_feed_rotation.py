"""A member can replace their calendar feed address (`/ippo sessions feed
new`): the old address stops working at once, and `/ippo privacy` says a
feed exists — in both languages."""

from __future__ import annotations

from bot.testing import texts
from storage import SqlStore
from tests.sessionkit import CHANNEL, make_world

BASE = "https://ippo.example.org/ics/"


def token_in(text: str) -> str:
    return text.split(BASE)[1].split(".ics")[0]


async def test_replacing_the_feed_address_turns_the_old_one_off(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    aki = w.harness.member("aki", locale="en", channel=CHANNEL)
    assert "Calendar feed: none" in texts(await aki.say("/ippo privacy"))
    old = token_in(texts(await aki.say("/ippo sessions feed")))
    assert "/ippo sessions feed new" in texts(aki.last)
    assert "Calendar feed: a personal address exists" in texts(await aki.say("/ippo privacy"))

    renewed = texts(await aki.say("/ippo sessions feed new"))
    new = token_in(renewed)
    assert new != old and "The old address no longer works" in renewed
    assert token_in(texts(await aki.say("/ippo sessions feed"))) == new  # stable again
    async with sqlite_store.unit() as uow:
        assert await uow.sessions.member_for_feed(old) is None
        assert await uow.sessions.member_for_feed(new) is not None

    refused = texts(await aki.say("/ippo sessions feed sideways"))
    assert '"sideways" is not something the feed command knows' in refused
    assert token_in(texts(await aki.say("/ippo sessions feed"))) == new


async def test_in_japanese(sqlite_store: SqlStore) -> None:
    w = make_world(sqlite_store)
    kei = w.harness.member("kei", channel=CHANNEL)
    old = token_in(texts(await kei.say("/ippo sessions feed")))
    renewed = texts(await kei.say("/ippo sessions feed 再発行"))
    assert token_in(renewed) != old and "古いURLはもう使えません" in renewed
    assert "カレンダーURL: あなた専用のURLがあります" in texts(await kei.say("/ippo privacy"))
