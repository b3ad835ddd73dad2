"""Engines: URL normalisation, SQLite connection setup, log-safe URLs.

ippo runs on one SQLite file by default and on PostgreSQL when several
instances share the work. Both are reached through SQLAlchemy's asyncio
extension, so callers may pass the familiar sync-style URLs and get the async
driver for that database:

- ``sqlite:///path``, ``sqlite+pysqlite:///path``, ``sqlite+aiosqlite:///path``
  -> aiosqlite
- ``postgresql://``, ``postgres://``, ``postgresql+psycopg://``,
  ``postgresql+psycopg2://`` -> psycopg 3 (async)

SQLite connections are prepared on every connect (see `_prepare_sqlite`), and
every transaction on SQLite starts with ``BEGIN IMMEDIATE`` (see
`_begin_immediate`) so that a unit of work which reads and then writes cannot
fail half-way with SQLITE_BUSY_SNAPSHOT: it takes the single write lock up
front and waits for it (``busy_timeout``) instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

__all__ = [
    "BUSY_TIMEOUT_MS",
    "async_url",
    "is_sqlite_memory",
    "make_engine",
    "redact_url",
    "upsert_insert",
]

BUSY_TIMEOUT_MS = 5000
"""How long a SQLite connection waits for the write lock before failing."""

_SQLITE_DRIVERS = {None, "pysqlite", "aiosqlite"}
_POSTGRES_DRIVERS = {None, "psycopg", "psycopg2", "psycopg_async"}


def async_url(url: str | URL) -> URL:
    """Map a database URL to the async driver ippo uses for that database.

    Raises ValueError for databases ippo does not support.
    """
    parsed = make_url(url)
    backend, _, driver = parsed.drivername.partition("+")
    drv = driver or None
    if backend == "sqlite" and drv in _SQLITE_DRIVERS:
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres") and drv in _POSTGRES_DRIVERS:
        return parsed.set(drivername="postgresql+psycopg")
    raise ValueError(
        f"unsupported database URL {redact_url(parsed)!r}: "
        "use sqlite:///path/to/file.db or postgresql://user@host/dbname"
    )


def is_sqlite_memory(url: str | URL) -> bool:
    """True for a private in-memory SQLite database (``sqlite://``,
    ``sqlite:///:memory:``), which exists only inside one connection."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return False
    return parsed.database in (None, "", ":memory:")


def make_engine(url: str | URL, *, echo: bool = False) -> AsyncEngine:
    """Create the async engine for `url` (see the module docstring for URLs).

    On SQLite every connection gets ``journal_mode=WAL``,
    ``busy_timeout=5000``, ``foreign_keys=ON`` (ON DELETE CASCADE depends on it)
    and ``synchronous=NORMAL`` (durable across application crashes; with WAL
    only the last transactions can be lost on power loss).

    An in-memory SQLite database uses a StaticPool: one shared connection, so
    every unit sees the same data. Units on it must not overlap in time (they
    would share one transaction); use a file for anything concurrent.
    """
    target = async_url(url)
    # Parameters are members' notes and tokens: never in a log line, at any
    # level or echo setting (adapters/runtime/logs.py covers the rest of the logging).
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    if target.get_backend_name() == "sqlite":
        if is_sqlite_memory(target):
            kwargs["poolclass"] = StaticPool
        engine = create_async_engine(target, **kwargs)
        _install_sqlite_hooks(engine)
        return engine
    # Connections dropped by the server or a proxy are replaced transparently.
    return create_async_engine(target, pool_pre_ping=True, **kwargs)


def _install_sqlite_hooks(engine: AsyncEngine) -> None:
    pragmas = (
        f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
        # WAL is a property of the file; switching needs the lock, hence after
        # busy_timeout. On an in-memory database it stays "memory", harmlessly.
        "PRAGMA journal_mode=WAL",
        "PRAGMA foreign_keys=ON",
        "PRAGMA synchronous=NORMAL",
    )

    def _prepare_sqlite(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Take transaction control away from the sqlite3/aiosqlite driver: it
        # would otherwise emit a deferred BEGIN only before DML, never before
        # SELECT. The pragmas then run outside any transaction, as they must.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in pragmas:
                cursor.execute(pragma)
        finally:
            cursor.close()

    def _begin_immediate(conn: Connection) -> None:
        # A deferred transaction that reads and later writes fails with
        # SQLITE_BUSY_SNAPSHOT under WAL if another writer committed meanwhile,
        # and busy_timeout cannot help. IMMEDIATE takes the write lock at BEGIN
        # (waiting up to busy_timeout), so a unit never fails half-way.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine.sync_engine, "connect", _prepare_sqlite)
    event.listen(engine.sync_engine, "begin", _begin_immediate)


def redact_url(url: str | URL) -> str:
    """The URL with its password hidden, for logs and error messages."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return "<unparseable database URL>"
    return parsed.render_as_string(hide_password=True)


def upsert_insert(conn: AsyncConnection, table: Table) -> pg.Insert | sqlite.Insert:
    """The dialect's INSERT, which knows ``ON CONFLICT``."""
    name = conn.dialect.name
    if name == "postgresql":
        return pg.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"ippo's store does not support the {name!r} database")
