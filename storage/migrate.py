"""Schema migrations with Alembic, configured in code (no alembic.ini).

The Alembic `Config` points at the `migrations` folder next to this module, so
migrations run the same from a checkout, an installed wheel or any working
directory. Migrations run on a connection we open on the async engine and
hand to ``env.py`` through ``config.attributes["connection"]`` (Alembic's
"connection sharing" recipe), so there is no second event loop.

- `upgrade_database(url)`: to the newest revision; the app calls it on start
  and ``ippo db upgrade`` runs it. With ``apart=True`` the migrations run in
  a child process (``python -m storage upgrade``): Alembic, Mako and the
  migration scripts (~10 MB) then never load into a long-lived process
  (``ippo run``) that would keep them resident for good.
- `upgrade_engine(engine)`: the same on an engine you already have, e.g. an
  in-memory SQLite store (``sqlite:///:memory:`` lives only in that engine).
- `current_revision(url)`, `head_revision()`: for ``ippo db`` status output.

Alembic itself (0.5 s to import and read the scripts) loads only when there is
something to do: a database whose ``alembic_version`` already names the
newest shipped revision (`shipped_head()`: the newest file in
``migrations/versions``, whose stem is its revision id by convention; a test
checks it against Alembic's own head) is left alone after one plain query.

For developers, ``python -m storage revision -m "add sessions" --rev-id
0003_x --url sqlite:///scratch.db`` autogenerates a new revision against a
database upgraded to head (review it: it is a draft).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.db import make_engine
from storage.errors import (
    DatabaseUnavailable,
    explain_open_failure,
    explain_sqlite_file,
    explain_url,
    sqlite_path,
)

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "MIGRATIONS_DIR",
    "MigrationFailed",
    "alembic_config",
    "current_revision",
    "head_revision",
    "shipped_head",
    "upgrade_apart",
    "upgrade_database",
    "upgrade_engine",
]

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # where `storage` is importable from
UPGRADE_CHILD = (  # `storage` from where this process found it, last on the path
    "import sys; sys.path.append(sys.argv.pop(1));"
    " from storage.migrate import main; main(sys.argv[1:])"
)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"

_MIGRATION_LOCK_KEY = 0x6970706F_6D696772 & 0x7FFFFFFFFFFFFFFF  # "ippomigr"
"""PostgreSQL advisory lock taken while migrating, so instances that start at
the same moment upgrade one after the other instead of racing."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config for ippo's migrations, built without an ini file.

    With `connection`, ``env.py`` migrates on that (sync-facing) connection
    inside its current transaction instead of opening its own.
    """
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    """The newest revision shipped with this code, as Alembic reads it."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def current_revision(url: str) -> str | None:
    """The revision the database at `url` is at; None if never migrated."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_current_revision)
    finally:
        await engine.dispose()


def shipped_head() -> str | None:
    """The newest revision shipped, without Alembic: revision files are named
    ``NNNN_<name>.py`` with the revision id as the stem, in order."""
    stems = sorted(p.stem for p in VERSIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py"))
    return stems[-1] if stems else None


async def _at_head(conn: AsyncConnection) -> bool:
    """True when the database already is at the shipped head: one row in
    ``alembic_version`` naming it. Any doubt (no table yet, no file names to
    go by) is False, and Alembic decides."""
    head = shipped_head()
    if head is None:
        return False
    try:
        rows = (await conn.exec_driver_sql("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return False
    finally:
        await conn.rollback()
    return [tuple(row) for row in rows] == [(head,)]


def _current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


async def upgrade_database(url: str, revision: str = "head", *, apart: bool = False) -> None:
    """Upgrade the database at `url` to `revision` (default: the newest).

    Raises `DatabaseUnavailable` (one line for the operator, no password)
    when the URL is unusable or the database cannot be opened or reached;
    every command opens its store through here, so each reports it the same.

    With `apart`, the check (is there anything to do?) and those answers stay
    here, and the migrations themselves run in a child process
    (`upgrade_apart`), so Alembic's memory leaves with it (an in-memory SQLite
    database, which only this process can see, is migrated here).
    """
    try:
        engine = make_engine(url)
    except (ArgumentError, ValueError) as err:
        raise DatabaseUnavailable(explain_url(url)) from err
    file = sqlite_path(url)
    if file is not None:
        _open_sqlite_file(url, file)
    in_memory = file is None and engine.dialect.name == "sqlite"  # no child could see it
    try:
        if apart and not in_memory:
            await upgrade_apart(engine, url, revision)
        else:
            await upgrade_engine(engine, revision)
    except (DBAPIError, OSError) as err:
        reason = explain_open_failure(url, err)
        if reason is None:
            raise
        raise DatabaseUnavailable(reason) from err
    finally:
        await engine.dispose()


def _open_sqlite_file(url: str, file: Path) -> None:
    """Open (or create) the SQLite file once, here on the calling thread, so
    a path that cannot be used is answered in one line before aiosqlite's
    worker thread is started: that thread, when its connection fails late in
    a busy process's shutdown, printed a traceback of its own."""
    try:
        sqlite3.connect(file).close()
    except (sqlite3.Error, OSError) as err:
        raise DatabaseUnavailable(explain_sqlite_file(url, file)) from err


async def upgrade_engine(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database behind `engine` to `revision`, in one transaction.

    On SQLite, foreign keys are switched off for the duration: a batch
    migration recreates a table by copying it and dropping the original, and
    with foreign keys on, that drop would cascade-delete every row referring to
    it. The foreign keys are checked before commit instead. On PostgreSQL an
    advisory lock serialises instances migrating at the same time, and DDL is
    transactional, so a failed migration leaves nothing behind.
    """
    async with engine.connect() as conn:
        if revision == "head" and await _at_head(conn):
            return
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            await conn.run_sync(_sqlite_foreign_keys, False)
        try:
            async with conn.begin():
                if conn.dialect.name == "postgresql":
                    await conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                    )
                await conn.run_sync(_upgrade, revision)
                if sqlite:
                    await _check_sqlite_foreign_keys(conn)
        finally:
            if sqlite and not conn.invalidated:
                await conn.run_sync(_sqlite_foreign_keys, True)


class MigrationFailed(RuntimeError):
    """The child process migrating the database (`upgrade_apart`) failed; its
    own output (Alembic's traceback) went to this process's stderr."""


async def upgrade_apart(engine: AsyncEngine, url: str, revision: str = "head") -> None:
    """Migrate the database behind `engine` (at `url`) in a child process
    (`UPGRADE_CHILD`: ``python -m storage upgrade``), unless it already is at
    head (one query here). The child gets the URL in its environment
    (``DATABASE_URL``), never on its command line, where other users could
    read a password."""
    if revision == "head":
        async with engine.connect() as conn:
            if await _at_head(conn):
                return
    child = await asyncio.create_subprocess_exec(
        *(sys.executable, "-c", UPGRADE_CHILD, str(PACKAGE_ROOT)),
        *("upgrade", "--revision", revision),
        env={**os.environ, "DATABASE_URL": url},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, errors = await child.communicate()
    if child.returncode != 0:
        sys.stderr.write(errors.decode(errors="replace"))
        raise MigrationFailed(
            f"migrating the database failed (a child process, exit status {child.returncode});"
            " its output is above"
        )


def _upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    # Outside any transaction (SQLite ignores this PRAGMA inside one), so on the
    # DBAPI connection: going through SQLAlchemy would begin a transaction first.
    cursor: Any = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    finally:
        cursor.close()


async def _check_sqlite_foreign_keys(conn: AsyncConnection) -> None:
    broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
    if broken:
        raise RuntimeError(f"migration left rows with dangling foreign keys: {broken[:10]}")


# --------------------------------------------------------------------------- developer CLI


async def _autogenerate(url: str, message: str, rev_id: str | None) -> None:
    from alembic import command

    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(
                lambda sync_conn: command.revision(
                    alembic_config(sync_conn), message=message, autogenerate=True, rev_id=rev_id
                )
            )
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    """``python -m storage {upgrade,current,heads,revision}``."""
    parser = argparse.ArgumentParser(prog="python -m storage")
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("upgrade", "current", "revision"):
        p = sub.add_parser(name)
        p.add_argument(
            "--url",
            default=os.environ.get("DATABASE_URL"),
            required="DATABASE_URL" not in os.environ,
            help="database URL, e.g. sqlite:///ippo.db (default: $DATABASE_URL)",
        )
        if name == "upgrade":
            p.add_argument("--revision", default="head")
        if name == "revision":
            p.add_argument("-m", "--message", required=True)
            p.add_argument("--rev-id", help='e.g. "0002_sessions"')
    sub.add_parser("heads")
    args = parser.parse_args(argv)
    if args.cmd == "upgrade":
        asyncio.run(upgrade_database(args.url, args.revision))
    elif args.cmd == "current":
        print(asyncio.run(current_revision(args.url)))
    elif args.cmd == "heads":
        print(head_revision())
    else:
        asyncio.run(_autogenerate(args.url, args.message, args.rev_id))
