"""Recurring sessions: RFC 5545 rules built from what organizers type, and
their expansion into occurrences with cancelled and moved exceptions.

Rules expand in the session's own timezone (wall-clock times), so "every other
Thursday 19:00 Tokyo" is 19:00 on every date, as calendar clients do it.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from bot.sessions.dates import normalize
from bot.sessions.model import Occurrence, OccurrenceChange, Session, SessionFields

_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_JA_WD = "月火水木金土日"
_EN_WD = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ORDINAL_EN = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3,
               "4th": 4, "fourth": 4, "last": -1}  # fmt: skip

_WEEKLY = re.compile(r"(?:weekly|every week|毎週)(?:.*)?")
_EVERY_N_WEEKS = re.compile(
    r"(?:every (?P<n>\d+) weeks|(?P<n2>\d+)\s*週(?:間)?(?:ごと|おき|毎))(?:.*)?"
)
_BIWEEKLY = re.compile(r"(?:biweekly|fortnightly|every other week|隔週)(?:.*)?")
_MONTHLY_JA = re.compile(r"毎月\s*第?\s*(?P<n>[1-4１-４]|最終)\s*(?P<wd>[月火水木金土日])曜?日?")
_MONTHLY_EN = re.compile(
    r"(?:monthly|every month)?\s*(?:on )?(?:the )?"
    r"(?P<n>1st|first|2nd|second|3rd|third|4th|fourth|last)"
    r"\s+(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]*(?: of (?:the|each|every) month)?"
)
_MONTHLY_PLAIN = re.compile(r"(?:monthly|every month|毎月)")
_RAW = re.compile(r"(?:rrule:)?freq=.*")


class BadRepeat(ValueError):
    """The repeat text is not a rule ippo understands."""


def _nth_of_month(local_start: datetime) -> int:
    """Which weekday of its month `local_start` is: 1..4, or -1 for the 5th."""
    n = (local_start.day - 1) // 7 + 1
    return -1 if n == 5 else n


def parse_repeat(text: str, first_start: datetime, tz: str) -> str | None:
    """An RRULE value from "weekly", "every 2 weeks", "隔週", "毎月第2土曜",
    "2nd sat", "monthly" or a raw "FREQ=..."; None for no repeat (empty,
    "none", "なし"). Weekday-less forms take the weekday of the first start,
    and the first start must itself be an occurrence of the rule (RFC 5545
    leaves a DTSTART outside its rule to each client). Raises BadRepeat."""
    cleaned = normalize(text)
    if cleaned in ("", "none", "no", "once", "なし", "無し", "一回", "1回"):
        return None
    local = first_start.astimezone(ZoneInfo(tz))
    rule = _rule_text(text, cleaned, local)
    try:
        parsed = rrulestr(rule, dtstart=local)
    except (ValueError, TypeError) as err:
        raise BadRepeat(text) from err
    if not isinstance(parsed, rrule) or parsed.after(local, inc=True) != local:
        raise BadRepeat(text)
    return rule


def _rule_text(text: str, cleaned: str, local: datetime) -> str:
    wd = _BYDAY[local.weekday()]
    if _BIWEEKLY.fullmatch(cleaned):
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={wd}"
    if m := _EVERY_N_WEEKS.fullmatch(cleaned):
        n = int(m["n"] or m["n2"])
        if not 1 <= n <= 8:
            raise BadRepeat(text)
        return f"FREQ=WEEKLY;INTERVAL={n};BYDAY={wd}" if n > 1 else f"FREQ=WEEKLY;BYDAY={wd}"
    if _WEEKLY.fullmatch(cleaned):
        return f"FREQ=WEEKLY;BYDAY={wd}"
    if m := _MONTHLY_JA.fullmatch(cleaned):
        n = -1 if m["n"] == "最終" else int(m["n"])
        return f"FREQ=MONTHLY;BYDAY={n}{_BYDAY[_JA_WD.index(m['wd'])]}"
    if (m := _MONTHLY_EN.fullmatch(cleaned)) and m["n"]:
        return f"FREQ=MONTHLY;BYDAY={_ORDINAL_EN[m['n']]}{_BYDAY[_EN_WD.index(m['wd'])]}"
    if _MONTHLY_PLAIN.fullmatch(cleaned):
        return f"FREQ=MONTHLY;BYDAY={_nth_of_month(local)}{wd}"
    if _RAW.fullmatch(cleaned):
        return text.strip().upper().removeprefix("RRULE:")
    raise BadRepeat(text)


def rule_for(fields: SessionFields) -> rrule | None:
    if not fields.rrule:
        return None
    local = fields.start.astimezone(ZoneInfo(fields.tz))
    rule = rrulestr(fields.rrule, dtstart=local)
    if not isinstance(rule, rrule):  # pragma: no cover - a value is one rule
        raise ValueError(f"not a single rule: {fields.rrule!r}")
    return rule


def _originals(fields: SessionFields, after: datetime) -> Iterator[datetime]:
    """Original starts (UTC) at or after `after`, ascending."""
    rule = rule_for(fields)
    if rule is None:
        if fields.start >= after:
            yield fields.start
        return
    local_after = after.astimezone(ZoneInfo(fields.tz))
    current = rule.after(local_after, inc=True)
    while current is not None:
        yield current.astimezone(UTC)
        current = rule.after(current, inc=False)


def is_original(fields: SessionFields, when: datetime) -> bool:
    """Whether `when` (UTC) is one of the rule's own starts."""
    return next(_originals(fields, when), None) == when


def iter_occurrences(
    session: Session,
    changes: Iterable[OccurrenceChange],
    *,
    ending_after: datetime,
    include_cancelled: bool = False,
) -> Iterator[Occurrence]:
    """Occurrences that end after `ending_after`, by actual start, lazily
    (a rule without COUNT or UNTIL never ends: take what you need)."""
    length = session.duration
    by_original = {c.original_start: c for c in changes}
    moved = sorted(
        (
            Occurrence(session.id, c.original_start, c.new_start, c.new_start + length)
            for c in by_original.values()
            if c.new_start is not None
            and not c.cancelled
            and c.new_start + length > ending_after
            and is_original(session.fields, c.original_start)
        ),
        key=lambda o: o.start,
    )

    def kept() -> Iterator[Occurrence]:
        for start in _originals(session.fields, ending_after - length):
            change = by_original.get(start)
            if change is None:
                if start + length > ending_after:
                    yield Occurrence(session.id, start, start, start + length)
            elif change.cancelled and include_cancelled:
                yield Occurrence(session.id, start, start, start + length, cancelled=True)

    yield from heapq.merge(kept(), moved, key=lambda o: o.start)


def occurrences_between(
    session: Session,
    changes: Sequence[OccurrenceChange],
    start: datetime,
    end: datetime,
    *,
    include_cancelled: bool = False,
) -> list[Occurrence]:
    """Occurrences starting in [start, end)."""
    out: list[Occurrence] = []
    for occ in iter_occurrences(
        session, changes, ending_after=start - session.duration, include_cancelled=include_cancelled
    ):
        if occ.start >= end:
            break
        if occ.start >= start:
            out.append(occ)
    return out


def find_occurrence(
    session: Session, changes: Sequence[OccurrenceChange], original_start: datetime
) -> Occurrence | None:
    """The occurrence whose RECURRENCE-ID is `original_start`, if it is one."""
    if not is_original(session.fields, original_start):
        return None
    change = next((c for c in changes if c.original_start == original_start), None)
    start = original_start if change is None or change.new_start is None else change.new_start
    cancelled = change is not None and change.cancelled
    return Occurrence(session.id, original_start, start, start + session.duration, cancelled)
