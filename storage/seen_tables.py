"""The replay ledger's table, on the same `Base` as storage.tables.

`seen_requests` remembers the platform requests already taken — a Slack
request by its signature and timestamp, a Slack event by its `event_id`, a
Discord interaction by its id — until `expires_at`, so that every instance
sharing the database handles each at most once (storage.seen_requests).
Imported by `storage.tables` at its end, so `Base.metadata` (what migrations
are compared with) includes it. Migration: 0006_seen_requests.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base, UTCDateTime

__all__ = ["SEEN_KEY_MAX", "SeenRequestRow"]

SEEN_KEY_MAX = 128
"""Longest key stored as given; longer keys are stored as their SHA-256."""


class SeenRequestRow(Base):
    """One request already taken, remembered until `expires_at`."""

    __tablename__ = "seen_requests"

    key: Mapped[str] = mapped_column(String(SEEN_KEY_MAX), primary_key=True)
    # Purging deletes "expires_at <= now": a range scan on this index.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
