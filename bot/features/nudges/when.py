"""What a member types after `/ippo nudge when`: a weekday, a time, or both,
in English or Japanese ("Fri 6pm", "金曜 18時", "金曜18時", "09:30")."""

from __future__ import annotations

import re
import unicodedata

_WEEKDAYS_EN = (
    ("mon", "monday", "mondays"),
    ("tue", "tues", "tuesday", "tuesdays"),
    ("wed", "weds", "wednesday", "wednesdays"),
    ("thu", "thur", "thurs", "thursday", "thursdays"),
    ("fri", "friday", "fridays"),
    ("sat", "saturday", "saturdays"),
    ("sun", "sunday", "sundays"),
)
_WEEKDAYS_JA = "月火水木金土日"
_TIME_RE = re.compile(
    r"^(?P<half>午前|午後|朝|夜)?(?P<h>\d{1,2})"
    r"(?:[:.](?P<m>\d{2})|時(?:(?P<jm>\d{1,2})分|(?P<han>半))?)?"
    r"(?P<ampm>am|pm|a\.m\.|p\.m\.)?$"
)
# Words around a weekday and a time that carry nothing: "every friday at 6pm",
# "毎週金曜の18時に".
_FILLER = frozenset({"every", "at", "on", "each", "毎週", "の", "に", "で", "から"})
_AMPM = frozenset({"am", "pm", "a.m.", "p.m.", "a.m", "p.m"})


def _normalize(raw: str) -> str:
    """Full-width digits and colons to ASCII, lower case, no brackets or dots."""
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    return text.strip("()（）.。、,")


def parse_weekday(raw: str) -> int | None:
    """Monday = 0. English names, short and plural forms ("fri", "Fridays");
    Japanese 金, 金曜, 金曜日 (and 毎週金曜)."""
    word = _normalize(raw).removeprefix("毎週").rstrip(".")
    for number, names in enumerate(_WEEKDAYS_EN):
        if word in names:
            return number
    for suffix in ("曜日", "曜", ""):
        if word.endswith(suffix):
            head = word[: len(word) - len(suffix)] if suffix else word
            if len(head) == 1 and head in _WEEKDAYS_JA:
                return _WEEKDAYS_JA.index(head)
    return None


def parse_time(raw: str) -> str | None:
    """A time of day as people write it -> "HH:MM"; else None.

    "9:30", "09:30", "０９：３０", "18.00", "6pm", "6:30 pm", "12am" (midnight),
    "9時", "9時30分", "9時半", "午後6時", "夜7時". An hour alone ("18") is read
    on the 24-hour clock.
    """
    text = _normalize(raw).replace(" ", "")
    match = _TIME_RE.match(text)
    if match is None:
        return None
    hour = int(match["h"])
    minute = 30 if match["han"] else int(match["m"] or match["jm"] or 0)
    suffix = match["ampm"] or ""
    half = match["half"] or ""
    if suffix or half:
        if hour > 12 or (half and suffix):
            return None
        afternoon = suffix.startswith("p") or half in ("午後", "夜")
        hour = hour % 12 + (12 if afternoon else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def when_words(raw: str) -> list[str]:
    """What a member typed after `/ippo nudge when`, as words: full-width
    spaces split words, a weekday written together with its time
    ("金曜18時", "fri6pm") is two words, an "am"/"pm" written apart joins
    its time, and filler ("every", "at", "毎週", "の") is dropped."""
    text = unicodedata.normalize("NFKC", raw).lower()
    text = re.sub(r"[、,]", " ", text)
    text = re.sub(r"曜日?", "曜 ", text)
    text = re.sub(r"(毎週)", r" \1 ", text)
    text = re.sub(r"^([a-z]+)(\d)", r"\1 \2", text)
    text = re.sub(r"\s([a-z]+)(\d)", r" \1 \2", text)
    words: list[str] = []
    for word in text.split():
        stripped = word.strip("()（）。").removeprefix("の")
        for particle in ("の", "に", "で"):
            if len(stripped) > 1 and stripped.endswith(particle) and not stripped.endswith("日に"):
                stripped = stripped.removesuffix(particle)
        if stripped in _AMPM and words:
            words[-1] += stripped
        elif stripped and stripped not in _FILLER:
            words.append(stripped)
    return words


def parse_when(raw: str) -> tuple[int | None, str | None] | None:
    """A weekday, a time of day, or both, in any order: "Fri 6pm",
    "金曜 18時", "金曜18時", "18:00", "friday". None when a word is neither
    (or a second weekday or time), or nothing was given."""
    weekday: int | None = None
    hhmm: str | None = None
    words = when_words(raw)
    for word in words:
        if weekday is None and (day := parse_weekday(word)) is not None:
            weekday = day
        elif hhmm is None and (clock := parse_time(word)) is not None:
            hhmm = clock
        else:
            return None
    if weekday is None and hhmm is None:
        return None
    return weekday, hhmm
