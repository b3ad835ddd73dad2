"""Sessions' typed routes and delivery keys keep the wire formats ippo has
always written: buttons already posted and rows already stored still read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.actions import ActionId, ActionIdError, Route
from bot.features.channel_access import AccessKey
from bot.features.sessions.keys import (
    AfterSessionKey,
    AnnounceEditKey,
    AnnounceKey,
    CancelDmKey,
    CancelPostKey,
    ReminderKey,
)
from bot.features.sessions.routes import DROP, REDO, RSVP, SAVE, VIEW, OccRef
from bot.keys import KeyError_

WHEN = datetime(2026, 12, 12, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "route", "value"),
    [
        ("rsvp:going:12_20261212T050000Z_p", RSVP["going"], OccRef(12, WHEN, "p")),
        ("rsvp:cant:12_20261212T050000Z_m", RSVP["cant"], OccRef(12, WHEN, "m")),
        ("session:view:12_20261212T050000Z", VIEW, OccRef(12, WHEN)),
        ("session:redo:7.seats", REDO, (7, "seats")),
        ("session:save:7", SAVE, 7),
        ("session:drop:12", DROP, 12),
    ],
)
def test_old_ids_read_and_are_written_the_same(raw: str, route: Route[Any], value: object) -> None:
    assert route.read(ActionId.decode(raw)) == value
    assert route.id(value) == raw


def test_a_bare_draft_id_and_an_unknown_part_open_the_first_part() -> None:
    assert REDO.read(ActionId.decode("session:redo:7")) == (7, "basics")
    assert REDO.read(ActionId.decode("session:redo:7.gone")) == (7, "basics")


@pytest.mark.parametrize(
    "raw",
    [
        "rsvp:going:12",
        "rsvp:going:0_20261212T050000Z",
        "rsvp:going:x_20261212T050000Z",
        "rsvp:going:12_2026-12-12",
        "rsvp:going:12_20261212T050000Z_p_q",
        "session:save:abc",
        "session:redo:x.seats",
    ],
)
def test_ids_that_do_not_decode_are_stale(raw: str) -> None:
    pressed = ActionId.decode(raw)
    routes: dict[str, Route[Any]] = {"going": RSVP["going"], "save": SAVE, "redo": REDO}
    route = routes[pressed.verb]
    with pytest.raises(ActionIdError):
        route.read(pressed)


def test_delivery_keys_are_byte_identical() -> None:
    occ = "20261212T050000Z"
    assert AnnounceKey(12, occ, 1440).encode() == f"announce:12:{occ}:1440"
    assert AnnounceEditKey(12, occ, 0, "v3").encode() == f"announce-edit:12:{occ}:0:v3"
    assert ReminderKey(12, occ, 7).encode() == f"reminder:12:{occ}:7"
    assert AfterSessionKey(12, occ, 7).encode() == f"after_session:12:{occ}:7"
    assert CancelPostKey(12, "all").encode() == "session_cancelled:12:all"
    assert CancelDmKey(12, occ, 7).encode() == f"session_cancelled:12:{occ}:7"
    assert AccessKey("slack", "T1", "C9", 4).encode() == "channel_access:slack:T1:C9:4"
    assert AnnounceKey.prefix(12) == "announce:12:"
    assert ReminderKey.prefix(12, occ) == f"reminder:12:{occ}:"
    assert AnnounceKey.parse(f"announce:12:{occ}:1440") == AnnounceKey(12, occ, 1440)


def test_a_key_around_a_field_the_database_fills_in() -> None:
    occ = "20261212T050000Z"
    head, tail = ReminderKey.around("member_id", session_id=12, occurrence=occ)
    assert head + "7" + tail == ReminderKey(12, occ, 7).encode()
    assert AnnounceKey.around("session_id", occurrence=occ, lead_min=1440) == (
        "announce:",
        f":{occ}:1440",
    )
    with pytest.raises(KeyError_):
        ReminderKey.around("member_id", session_id=12)  # a field left out
    with pytest.raises(KeyError_):
        ReminderKey.around("nobody", session_id=12, occurrence=occ, member_id=7)
