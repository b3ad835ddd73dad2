"""Persistence for ippo: SQLAlchemy (asyncio) on SQLite or PostgreSQL.

- `open_store(url)` / `SqlStore(engine)` implement `bot.ports.Store`.
- `upgrade_database(url)` brings the schema to the newest Alembic revision;
  the app calls it on start and `ippo db upgrade` runs it on demand. A
  database that cannot be opened raises `DatabaseUnavailable` (one line).

Nothing outside this package sees SQLAlchemy rows or sessions.
"""

from storage.errors import DatabaseUnavailable
from storage.migrate import upgrade_database
from storage.store import SqlStore, open_store

__all__ = ["DatabaseUnavailable", "SqlStore", "open_store", "upgrade_database"]
