"""Reading numbers out of what people type and what buttons carry.

Every number in a command, a button id or a form value goes through these
helpers, so odd input is answered, never an exception:
- what a person means is accepted: full-width digits (`１２`), a counter
  word after the number (`2週間`, `3件`, `2 weeks`), surrounding spaces;
- everything else is None: superscripts and circled numbers that
  `str.isdigit` accepts but `int` refuses, signs, decimals, and numbers too
  large for any id (a 20-digit id would overflow the database's integer).
Callers turn None into their usual localized "what was wrong, an example of
right" answer, or into "no such …" for an id.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from bot.model import ButtonPressed, CommandInvoked, FormSubmitted, Inbound

MAX_ID = 2**31 - 1
"""The largest id a row can have on every supported database (PostgreSQL
`integer`); larger numbers name nothing."""

_NUMBER = re.compile(r"([0-9]{1,40})\s*([^\W\d_]*)")
_UNIT_WORDS = frozenset(
    {
        "",
        "週",
        "週間",
        "件",
        "個",
        "番",
        "番目",
        "つ",
        "回",
        "人",
        "名",
        "分",
        "時間",
        "日",
        "week",
        "weeks",
        "wk",
        "wks",
        "w",
        "min",
        "mins",
        "minutes",
        "h",
        "hours",
        "day",
        "days",
        "seats",
        "people",
    }
)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` with what no database can keep replaced: lone surrogates (bytes
    that were not UTF-8, decoded with `surrogateescape`) become U+FFFD, NUL
    characters (refused by PostgreSQL) are dropped."""
    if text.isascii() and "\x00" not in text:
        return text
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def storable_event(event: Inbound) -> Inbound:
    """Every string a member sent, made `storable`: the first thing the core
    does with an inbound event, so no handler ever sees unencodable text."""
    actor = replace(event.actor, display_name=storable(event.actor.display_name))
    match event:
        case CommandInvoked():
            return replace(
                event,
                actor=actor,
                name=storable(event.name),
                args=tuple(storable(a) for a in event.args),
                raw_text=storable(event.raw_text),
            )
        case ButtonPressed():
            return replace(event, actor=actor, action_id=storable(event.action_id))
        case FormSubmitted():
            values = {storable(k): storable(v) for k, v in event.values.items()}
            return replace(event, actor=actor, form_id=storable(event.form_id), values=values)


def normalize(raw: str) -> str:
    """NFKC (full-width to ASCII, compatibility forms), trimmed. Surrogates
    and other unencodable code points are dropped, so whatever reaches the
    store is valid UTF-8."""
    text = unicodedata.normalize("NFKC", raw)
    if not text.isascii():
        text = text.encode("utf-8", "ignore").decode("utf-8")
    return text.strip()


def number(raw: str, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """A whole number from `low` to `high`, written as a person would, or None.

    "3", "３", " 3 ", "2週間", "2 weeks" -> the number; "²", "①", "-1",
    "1.5", "99999999999999999999", "" -> None.
    """
    text = normalize(raw).lower()
    match = _NUMBER.fullmatch(text)
    if match is None or match.group(2) not in _UNIT_WORDS:
        return None
    value = int(match.group(1))
    return value if low <= value <= high else None


def record_id(raw: str) -> int | None:
    """A database id (1 to `MAX_ID`), e.g. from a button route, or None."""
    return number(raw, low=1, high=MAX_ID)
