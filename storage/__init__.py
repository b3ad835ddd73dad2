"""Persistence for ippo: SQLAlchemy (asyncio) on SQLite or PostgreSQL.

- `open_store(url)` / `SqlStore(engine)` implement `bot.ports.Store`.
- `upgrade_database(url)` brings the schema to the newest Alembic revision;
  the app calls it on start and `ippo db upgrade` runs it on demand. A
  database that cannot be opened raises `DatabaseUnavailable` (one line).

Nothing outside this package sees SQLAlchemy rows or sessions.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.errors import DatabaseUnavailable
    from storage.migrate import upgrade_database
    from storage.store import SqlStore, open_store

__all__ = ["DatabaseUnavailable", "SqlStore", "open_store", "upgrade_database"]

# Loaded on first use (PEP 562), so `import storage.db` or `storage.migrate`
# (`ippo doctor`) does not load every table, and with them slack_sdk.
_HOMES = {
    "DatabaseUnavailable": "storage.errors",
    "upgrade_database": "storage.migrate",
    "SqlStore": "storage.store",
    "open_store": "storage.store",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'storage' has no attribute {name!r}")
    return getattr(import_module(home), name)
