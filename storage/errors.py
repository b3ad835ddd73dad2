"""Why a database cannot be opened, in one line an operator can act on.

`upgrade_database` is the door every command goes through before it touches
the store (`ippo run`, `chat`, `tick`, `db upgrade`, `sessions`), so it turns
"cannot even start" failures — a URL that does not parse or names a database
ippo does not support, a SQLite file that cannot be created, a server that
cannot be reached or refuses the login — into `DatabaseUnavailable`, whose
text says what is wrong and how to fix it. The URL is shown with its password
hidden. Anything else (a failing migration, a bug) stays a normal exception
with its traceback.

The wording is operator text for the command line and `ippo doctor`, in
English like the rest of the CLI's output; members never see it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError

from storage.db import redact_url

__all__ = ["DatabaseUnavailable", "explain_open_failure", "explain_url", "sqlite_path"]

EXAMPLES = "sqlite:///ippo.db or postgresql://user@host/dbname"

# SQLite's messages for a file it cannot open, create or write.
_SQLITE_ACCESS = (
    "unable to open database file",
    "attempt to write a readonly database",
    "readonly database",
    "disk i/o error",
    "database or disk is full",
    "file is not a database",
)


class DatabaseUnavailable(Exception):
    """The database cannot be opened; `str(err)` is one line saying what is
    wrong and how to fix it, never a password."""


def _shown_raw(raw: str) -> str:
    """A string that did not parse as a URL, without anything that might be a
    password (whatever stands before an "@")."""
    if "@" in raw:
        scheme, sep, _ = raw.partition("://")
        return f"{scheme}{sep}…@{raw.rsplit('@', 1)[1]}" if sep else "…@" + raw.rsplit("@", 1)[1]
    return raw


def explain_url(url: str) -> str:
    """The line for a URL that `make_engine` refused: it does not parse, or it
    names a database ippo does not support."""
    try:
        backend = make_url(url).get_backend_name()
    except (ArgumentError, ValueError):
        return (
            f"the database URL {_shown_raw(url)!r} (--db or DATABASE_URL) is not a URL; "
            f"write it like {EXAMPLES}"
        )
    return (
        f"the database URL {redact_url(url)} names {backend}, which ippo does not support; "
        f"use {EXAMPLES}"
    )


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL; None for other databases and in-memory ones."""
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("sqlite"):
        return None
    database = parsed.database or ""
    return None if database in ("", ":memory:") else Path(database)


def _sqlite_problem(file: Path) -> str:
    folder = file.parent.resolve() if str(file.parent) else Path.cwd()
    if not folder.is_dir():
        return f"the folder {folder} does not exist; create it or choose another path"
    if file.exists() and not os.access(file, os.R_OK | os.W_OK):
        return f"{file} is not readable and writable by this user; fix its permissions"
    return (
        f"{file} cannot be created or written there; make the folder writable for this "
        "user (and check free space), or choose another path"
    )


def _server_problem(message: str) -> str:
    text = message.lower()
    if "refused" in text:
        return "unreachable (connection refused); check the host and port and that the server runs"
    if "resolve host" in text or "name or service not known" in text or "nodename" in text:
        return "unreachable (unknown host name); check the host in the URL"
    if "timeout" in text or "timed out" in text:
        return "unreachable (timed out); check the host, port and any firewall between"
    if "password authentication failed" in text or "no password supplied" in text:
        return "the login was refused; check the user name and password"
    if re.search(r'database "[^"]*" does not exist', text):
        return "the server runs but has no such database; create it (e.g. createdb) or fix the name"
    if re.search(r'role "[^"]*" does not exist', text):
        return "the server runs but has no such user; create the role or fix the user name"
    return "unreachable; check the host, port, credentials and that the server runs"


def explain_sqlite_file(url: str, file: Path) -> str:
    """The line for a SQLite file that cannot be opened or created."""
    return f"cannot open the SQLite database {redact_url(url)}: {_sqlite_problem(file)}"


def explain_open_failure(url: str, err: BaseException) -> str | None:
    """The line for a failure to connect to or open the database at `url`,
    or None when `err` is something else (a failing migration, a bug)."""
    shown = redact_url(url)
    file = sqlite_path(url)
    if isinstance(err, OperationalError | InterfaceError) and isinstance(err, DBAPIError):
        original = str(err.orig)
        if file is not None:
            if any(marker in original.lower() for marker in _SQLITE_ACCESS):
                return f"cannot open the SQLite database {shown}: {_sqlite_problem(file)}"
            return None
        return f"cannot open the database {shown}: {_server_problem(original)}"
    if isinstance(err, OSError):
        if file is not None:
            return f"cannot open the SQLite database {shown}: {_sqlite_problem(file)}"
        return f"cannot open the database {shown}: {_server_problem(str(err))}"
    return None
