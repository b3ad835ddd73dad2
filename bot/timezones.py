"""Timezone names typed by members, taken as meant.

`lookup_tz` reads what a member typed after `/ippo tz` and answers one of:

- a zone: an IANA name in any case (`asia/tokyo`), a city that names a zone
  (`New York`, `new_york`, `Tokyo`), or a city or country from a short list of
  everyday names, in English and Japanese (`東京`, `ニューヨーク`, `NYC`);
- a refusal with suggestions for an abbreviation or a fixed UTC offset
  (`EST`, `PST`, `CET`, `UTC+9`): they stay put when daylight saving
  starts, so a member in New York who chose `EST` would get their messages an
  hour off for half the year. An abbreviation is accepted only where it names
  exactly one place that has no daylight saving at all — `JST` (Japan has none)
  is `Asia/Tokyo`, likewise `KST`, `HST`, `SGT`, `HKT`; `UTC` is `UTC`;
- suggestions when unsure: the closest zone and city names by spelling
  (`Nwe York` -> America/New_York), never applied without the member's say.

Zone data comes from the standard library (`zoneinfo.available_timezones`),
closeness from `difflib`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

# Abbreviations that name one zone with no daylight saving: safe to accept.
ABBREVIATIONS = {
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "hst": "Pacific/Honolulu",
    "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong",
    "utc": "UTC",
    "z": "UTC",
}

# Abbreviations (and the few zones zoneinfo itself carries under such names,
# "EST", "MST", "CET", "EST5EDT", …) that follow no daylight saving or name
# several places: refused, with the zones they are usually meant as.
REFUSED = {
    "est": ("America/New_York",),
    "edt": ("America/New_York",),
    "et": ("America/New_York",),
    "eastern": ("America/New_York",),
    "est5edt": ("America/New_York",),
    "cst": ("America/Chicago", "Asia/Shanghai"),
    "cdt": ("America/Chicago",),
    "ct": ("America/Chicago",),
    "central": ("America/Chicago",),
    "cst6cdt": ("America/Chicago",),
    "mst": ("America/Denver", "America/Phoenix"),
    "mdt": ("America/Denver",),
    "mt": ("America/Denver",),
    "mountain": ("America/Denver",),
    "mst7mdt": ("America/Denver",),
    "pst": ("America/Los_Angeles",),
    "pdt": ("America/Los_Angeles",),
    "pt": ("America/Los_Angeles",),
    "pacific": ("America/Los_Angeles",),
    "pst8pdt": ("America/Los_Angeles",),
    "akst": ("America/Anchorage",),
    "akdt": ("America/Anchorage",),
    "gmt": ("Europe/London", "UTC"),
    "bst": ("Europe/London",),
    "wet": ("Europe/Lisbon",),
    "west": ("Europe/Lisbon",),
    "cet": ("Europe/Berlin", "Europe/Paris"),
    "cest": ("Europe/Berlin", "Europe/Paris"),
    "met": ("Europe/Berlin", "Europe/Paris"),
    "eet": ("Europe/Athens", "Europe/Helsinki"),
    "eest": ("Europe/Athens", "Europe/Helsinki"),
    "ist": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "aest": ("Australia/Sydney", "Australia/Brisbane"),
    "aedt": ("Australia/Sydney",),
    "acst": ("Australia/Adelaide", "Australia/Darwin"),
    "awst": ("Australia/Perth",),
    "nzst": ("Pacific/Auckland",),
    "nzdt": ("Pacific/Auckland",),
}

# Everyday names that are not the last part of a zone name.
PLACES = {
    # Japan has one zone.
    "japan": "Asia/Tokyo",
    "日本": "Asia/Tokyo",
    "東京": "Asia/Tokyo",
    "大阪": "Asia/Tokyo",
    "名古屋": "Asia/Tokyo",
    "札幌": "Asia/Tokyo",
    "福岡": "Asia/Tokyo",
    "京都": "Asia/Tokyo",
    "横浜": "Asia/Tokyo",
    "神戸": "Asia/Tokyo",
    "仙台": "Asia/Tokyo",
    "広島": "Asia/Tokyo",
    "那覇": "Asia/Tokyo",
    "沖縄": "Asia/Tokyo",
    "osaka": "Asia/Tokyo",
    "kyoto": "Asia/Tokyo",
    "nagoya": "Asia/Tokyo",
    "sapporo": "Asia/Tokyo",
    "fukuoka": "Asia/Tokyo",
    "yokohama": "Asia/Tokyo",
    # Elsewhere, the places members most often name.
    "nyc": "America/New_York",
    "new york city": "America/New_York",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "washington dc": "America/New_York",
    "atlanta": "America/New_York",
    "miami": "America/New_York",
    "ニューヨーク": "America/New_York",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "シカゴ": "America/Chicago",
    "la": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "ロサンゼルス": "America/Los_Angeles",
    "サンフランシスコ": "America/Los_Angeles",
    "シアトル": "America/Los_Angeles",
    "hawaii": "Pacific/Honolulu",
    "ハワイ": "Pacific/Honolulu",
    "ホノルル": "Pacific/Honolulu",
    "バンクーバー": "America/Vancouver",
    "トロント": "America/Toronto",
    "uk": "Europe/London",
    "england": "Europe/London",
    "ロンドン": "Europe/London",
    "パリ": "Europe/Paris",
    "ベルリン": "Europe/Berlin",
    "ソウル": "Asia/Seoul",
    "korea": "Asia/Seoul",
    "韓国": "Asia/Seoul",
    "beijing": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "北京": "Asia/Shanghai",
    "上海": "Asia/Shanghai",
    "中国": "Asia/Shanghai",
    "台北": "Asia/Taipei",
    "台湾": "Asia/Taipei",
    "香港": "Asia/Hong_Kong",
    "シンガポール": "Asia/Singapore",
    "バンコク": "Asia/Bangkok",
    "india": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "インド": "Asia/Kolkata",
    "シドニー": "Australia/Sydney",
    "メルボルン": "Australia/Melbourne",
    "auckland": "Pacific/Auckland",
    "オークランド": "Pacific/Auckland",
}

_OFFSET = re.compile(
    r"(?:utc|gmt)?\s*(?P<sign>[+\-−])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?(?:時間)?"
)
_REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe")
_MORE_REGIONS = (*_REGIONS, "Indian", "Pacific")
MAX_SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class TzLookup:
    """What `lookup_tz` made of a typed name: the zone when sure, else the
    zones worth suggesting; `fixed` says the name was an abbreviation or UTC
    offset that ignores daylight saving."""

    zone: str | None
    suggestions: tuple[str, ...] = ()
    fixed: bool = False


def _plain(char: str) -> str:
    """A Latin letter without its accent ("ã" -> "a"); anything else as is
    (a kana keeps its voicing mark)."""
    if char.isascii():
        return char
    base = unicodedata.normalize("NFKD", char)[0]
    return base if base.isascii() and base.isalpha() else char


def _key(raw: str) -> str:
    """Case, width, accents, underscores and extra spaces do not matter."""
    text = unicodedata.normalize("NFKC", raw).strip().lower().replace("_", " ")
    text = "".join(_plain(c) for c in text)
    return " ".join(text.rstrip(".。").split())


@cache
def _zones() -> dict[str, str]:
    """Every IANA name, keyed by `_key`."""
    return {_key(zone): zone for zone in zoneinfo.available_timezones()}


@cache
def _cities() -> dict[str, str]:
    """The last part of each regional zone ("new york" -> America/New_York);
    where two zones share a city, the one in a main region with the shorter
    name wins (America/Argentina/Buenos_Aires over a legacy link)."""
    out: dict[str, str] = {}
    zones = sorted(
        (z for z in zoneinfo.available_timezones() if z.split("/")[0] in _MORE_REGIONS),
        key=lambda z: (z.split("/")[0] not in _REGIONS, -z.count("/"), len(z), z),
    )
    for zone in zones:
        out.setdefault(_key(zone.rsplit("/", 1)[-1]), zone)
    return out


def lookup_tz(raw: str) -> TzLookup:
    key = _key(raw)
    if not key:
        return TzLookup(None)
    if key in ABBREVIATIONS:
        return TzLookup(ABBREVIATIONS[key])
    if key in REFUSED:
        return TzLookup(None, REFUSED[key], fixed=True)
    if match := _OFFSET.fullmatch(key):
        return TzLookup(None, _with_offset(match), fixed=True)
    for table in (PLACES, _cities(), _zones()):
        if key in table:
            return TzLookup(table[key])
    return TzLookup(None, _close(key))


def _with_offset(match: re.Match[str]) -> tuple[str, ...]:
    """Everyday zones (`PLACES`, in their order) at this UTC offset in
    January or July."""
    minutes = int(match["h"]) * 60 + int(match["m"] or 0)
    offset = timedelta(minutes=-minutes if match["sign"] != "+" else minutes)
    found: list[str] = []
    for zone in dict.fromkeys(PLACES.values()):
        tz = zoneinfo.ZoneInfo(zone)
        if any(datetime(2026, month, 15, tzinfo=tz).utcoffset() == offset for month in (1, 7)):
            found.append(zone)
    return tuple(found[:MAX_SUGGESTIONS])


def _close(key: str) -> tuple[str, ...]:
    names = {**_zones(), **_cities(), **PLACES}
    found: list[str] = []
    for name in difflib.get_close_matches(key, names, n=MAX_SUGGESTIONS * 2, cutoff=0.75):
        if names[name] not in found:
            found.append(names[name])
    return tuple(found[:MAX_SUGGESTIONS])


def is_zone(name: str) -> bool:
    """`name` is exactly an IANA zone name (as a button carries it)."""
    return name in zoneinfo.available_timezones()


def resolve_tz(raw: str) -> str | None:
    """The zone `raw` names when that is certain, else None (see `lookup_tz`)."""
    return lookup_tz(raw).zone
