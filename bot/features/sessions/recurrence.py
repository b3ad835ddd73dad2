"""Recurring sessions: RFC 5545 rules built from what organizers type, and
their expansion into occurrences with cancelled and moved exceptions.

Rules expand in the session's own timezone (wall-clock times), so "every other
Thursday 19:00 Tokyo" is 19:00 on every date, as calendar clients do it.

Cost. A rule comes from an organizer, so nothing here may run unbounded:
rules that start more than once a day are refused (`TooOften`), rules that can
never match are refused by a cheap check before dateutil scans for them, and
every expansion walks the rule once (never `rrule.after` in a loop, which
restarts from DTSTART each time), from a DTSTART moved up to just before its
window (`_near`: a series' history costs nothing), and stops after
`MAX_OCCURRENCES` or `HORIZON`. dateutil still skips empty periods without
looking at UNTIL, so callers on the event loop run expansions in a worker
thread (`asyncio.to_thread`); these functions stay pure and synchronous.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from bot.features.sessions.dates import normalize
from bot.features.sessions.model import Occurrence, OccurrenceChange, Session, SessionFields
from bot.parse import number

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

MAX_OCCURRENCES = 1000
"""Most occurrences one expansion yields (two years of a daily session fit)."""
HORIZON = timedelta(days=2 * 366)
"""How far past the start of its window (or the first start, if later) an
expansion looks: a list, a preview, a plan or a button never needs more."""
TOO_FINE = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
"""Frequencies refused: a session happens at most once a day."""
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # the most each month has
_NOT_OFFERED = ("BYYEARDAY", "BYWEEKNO", "BYEASTER")


class BadRepeat(ValueError):
    """The repeat text is not a rule ippo understands."""


class NeverMatches(BadRepeat):
    """The rule reads, but never gives a date (31 February, a BYSETPOS
    beyond what one period holds, a part ippo does not offer)."""


class BadInterval(BadRepeat):
    """An "every N weeks" with N outside 1..8."""


class StartNotInRule(BadRepeat):
    """The rule reads, but the first start is not one of its dates.

    `first` is the rule's first date after the start (local), when it has
    one: what the organizer could move the start to."""

    def __init__(self, text: str, first: datetime | None) -> None:
        super().__init__(text)
        self.first = first


class TooOften(BadRepeat):
    """The rule would start more than once a day (HOURLY, MINUTELY, SECONDLY,
    or several BYHOUR/BYMINUTE/BYSECOND values)."""


def _parts(rule: str) -> dict[str, str]:
    """ "FREQ=WEEKLY;BYDAY=TH" -> {"FREQ": "WEEKLY", "BYDAY": "TH"} (upper case)."""
    out: dict[str, str] = {}
    for part in rule.upper().removeprefix("RRULE:").split(";"):
        name, sep, value = part.partition("=")
        if sep:
            out[name.strip()] = value.strip()
    return out


def too_often(text: str) -> bool:
    """Whether typed repeat text is a raw rule that starts more than once a
    day. A string check, no expansion: cheap enough for any input."""
    if not _RAW.fullmatch(normalize(text)):
        return False
    parts = _parts(text.strip())
    if parts.get("FREQ") in TOO_FINE:
        return True
    return any(len(parts.get(name, "").split(",")) > 1 for name in _TIME_PARTS)


def _ints(raw: str) -> list[int] | None:
    try:
        return [int(x) for x in raw.split(",")] if raw else []
    except ValueError:
        return None


def _never_matches(parts: dict[str, str]) -> bool:
    """Rules that can never produce a date (or may not for centuries), found
    without expanding them: dateutil would look for one until the year 9999,
    seconds of CPU. BYYEARDAY, BYWEEKNO and BYEASTER are not offered (no
    session needs them, and they make such rules easy to write); BYSETPOS
    must fit the candidates one period can have."""
    if any(name in parts for name in _NOT_OFFERED):
        return True
    months, days = _ints(parts.get("BYMONTH", "")), _ints(parts.get("BYMONTHDAY", ""))
    setpos = _ints(parts.get("BYSETPOS", ""))
    if months is None or days is None or setpos is None:
        return True
    if days and not any(
        1 <= abs(day) <= _MONTH_DAYS[month - 1]
        for month in (months or range(1, 13))
        if 1 <= month <= 12
        for day in days
    ):
        return True
    most = _most_per_period(parts, days)
    return bool(setpos) and not any(1 <= abs(pos) <= most for pos in setpos)


def _most_per_period(parts: dict[str, str], days: list[int]) -> int:
    """An upper bound on the dates one period of the rule can hold."""
    freq = parts.get("FREQ", "")
    weekdays = [d for d in parts.get("BYDAY", "").split(",") if d]
    if freq == "DAILY":
        return 1
    if freq == "WEEKLY":
        return len(weekdays) or 7
    if freq == "MONTHLY":
        if days:
            return len(days)
        return sum(5 if d.isalpha() else 1 for d in weekdays) or 1
    return 366


def _nth_of_month(local_start: datetime) -> int:
    """Which weekday of its month `local_start` is: 1..4, or -1 for the 5th."""
    n = (local_start.day - 1) // 7 + 1
    return -1 if n == 5 else n


def parse_repeat(text: str, first_start: datetime, tz: str) -> str | None:
    """An RRULE value from "weekly", "every 2 weeks", "隔週", "毎月第2土曜",
    "2nd sat", "monthly" or a raw "FREQ=..."; None for no repeat (empty,
    "none", "なし"). Weekday-less forms take the weekday of the first start,
    and the first start must itself be an occurrence of the rule (RFC 5545
    leaves a DTSTART outside its rule to each client). Raises TooOften for
    a rule finer than daily, BadRepeat for anything else not understood.

    Checking that the start is an occurrence may expand the rule: call it off
    the event loop (see the module docstring)."""
    cleaned = normalize(text)
    if cleaned in ("", "none", "no", "once", "なし", "無し", "一回", "1回"):
        return None
    if too_often(text):
        raise TooOften(text)
    local = first_start.astimezone(ZoneInfo(tz))
    rule = _rule_text(text, cleaned, local)
    if _never_matches(_parts(rule)):
        raise NeverMatches(text)
    try:
        parsed = rrulestr(rule, dtstart=local)
    except (ValueError, TypeError) as err:
        raise BadRepeat(text) from err
    if not isinstance(parsed, rrule):
        raise BadRepeat(text)
    if (first := next(iter(parsed), None)) != local:
        # dateutil starts from DTSTART but yields only the rule's own dates
        raise StartNotInRule(text, first)
    return rule


def _rule_text(text: str, cleaned: str, local: datetime) -> str:
    wd = _BYDAY[local.weekday()]
    if _BIWEEKLY.fullmatch(cleaned):
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={wd}"
    if m := _EVERY_N_WEEKS.fullmatch(cleaned):
        n = int(m["n"] or m["n2"])
        if not 1 <= n <= 8:
            raise BadInterval(text)
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


def _count(rrule_value: str) -> int | None:
    raw = _parts(rrule_value).get("COUNT", "")
    return number(raw)


_DATE_PARTS = ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYEASTER")


def _near(rrule_value: str, local_start: datetime, local_after: datetime) -> rrule:
    """The rule, expanded from a DTSTART moved forward by whole periods (times
    INTERVAL) to at least one period before `local_after`: the same
    occurrences from `local_after` on, without walking the series' history.

    Sound because the period grid is kept (whole intervals of days, weeks,
    months or years; the same weekday, so the same WKST weeks), the defaults
    RFC 5545 takes from DTSTART are written out first (the weekday of a
    WEEKLY rule, the day and month of MONTHLY/YEARLY ones; the time of day is
    kept), and the partial first period dateutil starts from lies before the
    window. A COUNT rule counts from the real DTSTART: it is never moved."""
    parts = _parts(rrule_value)
    freq = parts.get("FREQ", "")
    given = number(parts.get("INTERVAL", ""))
    interval = 1 if given is None else given
    if "COUNT" in parts or local_after <= local_start or interval < 1:
        return _rule(rrule_value, local_start)
    extra = ""
    no_dates = not any(name in parts for name in _DATE_PARTS)
    moved: datetime | None = None
    if freq in ("DAILY", "WEEKLY"):
        step = interval * (7 if freq == "WEEKLY" else 1)
        steps = (local_after.date() - local_start.date()).days // step - 1
        if steps > 0:
            moved = local_start + timedelta(days=steps * step)
        if freq == "WEEKLY" and no_dates:
            extra = f";BYDAY={_BYDAY[local_start.weekday()]}"
    elif freq in ("MONTHLY", "YEARLY"):
        months = interval * (12 if freq == "YEARLY" else 1)
        elapsed = (local_after.year - local_start.year) * 12 + local_after.month - local_start.month
        steps = elapsed // months - 1
        if steps > 0:
            index = local_start.month - 1 + steps * months
            moved = local_start.replace(year=local_start.year + index // 12, month=1, day=1)
            if freq == "MONTHLY":
                moved = moved.replace(month=index % 12 + 1)
        if no_dates:
            extra = f";BYMONTHDAY={local_start.day}"
            if freq == "YEARLY" and "BYMONTH" not in parts:
                extra += f";BYMONTH={local_start.month}"
    if moved is None:
        return _rule(rrule_value, local_start)
    return _rule(rrule_value + extra, moved)


def _rule(rrule_value: str, local_start: datetime) -> rrule:
    rule = rrulestr(rrule_value, dtstart=local_start)
    if not isinstance(rule, rrule):  # pragma: no cover - a value is one rule
        raise ValueError(f"not a single rule: {rrule_value!r}")
    return rule


def _originals(
    fields: SessionFields, after: datetime, *, until: datetime | None = None
) -> Iterator[datetime]:
    """Original starts (UTC) at or after `after`, ascending: at most
    `MAX_OCCURRENCES`, none later than `until` (by default `HORIZON` past
    `after` or the first start, whichever is later).

    One pass from DTSTART. A COUNT rule stops at its last occurrence without
    asking dateutil for one more (which could scan for centuries)."""
    end = until if until is not None else max(after, fields.start) + HORIZON
    if not fields.rrule:
        if after <= fields.start <= end:
            yield fields.start
        return
    tz = ZoneInfo(fields.tz)
    local_after, local_end = after.astimezone(tz), end.astimezone(tz)
    rule = _near(fields.rrule, fields.start.astimezone(tz), local_after)
    count = _count(fields.rrule)
    starts: Iterable[datetime] = rule if count is None else islice(rule, count)
    yielded = 0
    for local in starts:
        if local > local_end:
            return
        if local < local_after:
            continue
        yield local.astimezone(UTC)
        yielded += 1
        if yielded >= MAX_OCCURRENCES:
            return


def is_original(fields: SessionFields, when: datetime) -> bool:
    """Whether `when` (UTC) is one of the rule's own starts."""
    return next(_originals(fields, when, until=when), None) == when


def first_starts(fields: SessionFields, limit: int) -> list[datetime]:
    """The first `limit` starts of a session (for the form's preview)."""
    return list(islice(_originals(fields, fields.start), limit))


def iter_occurrences(
    session: Session,
    changes: Iterable[OccurrenceChange],
    *,
    ending_after: datetime,
    include_cancelled: bool = False,
) -> Iterator[Occurrence]:
    """Occurrences that end after `ending_after`, by actual start, lazily:
    the rule's own within `HORIZON` (at most `MAX_OCCURRENCES`), and every
    moved one."""
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
    """Occurrences starting in [start, end) (within `HORIZON` of `start`)."""
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
