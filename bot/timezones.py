"""Timezone names typed by members: IANA names, case-insensitive, plus a few
everyday aliases. Anything else is refused, never guessed."""

from __future__ import annotations

import zoneinfo

ALIASES = {"jst": "Asia/Tokyo", "japan": "Asia/Tokyo", "utc": "UTC", "gmt": "UTC"}


def resolve_tz(raw: str) -> str | None:
    name = raw.strip()
    if not name:
        return None
    if name.lower() in ALIASES:
        return ALIASES[name.lower()]
    by_lower = {z.lower(): z for z in zoneinfo.available_timezones()}
    return by_lower.get(name.lower())
