"""`ippo run` skips Alembic when the database is already at the newest
revision (storage.migrate): the file names give the head without Alembic,
and a database anywhere else still goes through Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Connection

from storage import migrate, upgrade_database
from storage.db import make_engine
from storage.migrate import current_revision, head_revision, shipped_head, upgrade_engine
from tests.conftest import sqlite_url

ROOT = Path(__file__).resolve().parent.parent


def test_the_newest_file_names_alembics_head() -> None:
    assert shipped_head() is not None
    assert shipped_head() == head_revision()


async def test_a_database_at_head_is_not_given_to_alembic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sqlite_url(tmp_path)
    await upgrade_database(url)
    calls: list[str] = []

    def no_alembic(connection: Connection, revision: str) -> None:
        calls.append(revision)

    monkeypatch.setattr(migrate, "_upgrade", no_alembic)
    await upgrade_database(url)
    assert calls == []
    assert await current_revision(url) == head_revision()


async def test_an_older_or_empty_database_is_upgraded_to_head(tmp_path: Path) -> None:
    older = sqlite_url(tmp_path / "older")
    (tmp_path / "older").mkdir()
    await upgrade_database(older, "0009_group_destinations")
    engine = make_engine(older)
    try:
        await upgrade_engine(engine)
    finally:
        await engine.dispose()
    assert await current_revision(older) == head_revision()
    empty = sqlite_url(tmp_path)
    await upgrade_database(empty)
    assert await current_revision(empty) == head_revision()


def test_starting_on_a_database_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    script = (
        "import asyncio, sys\n"
        "from storage import upgrade_database\n"
        f"asyncio.run(upgrade_database({url!r}))\n"
        "print('first', 'alembic' in sys.modules)\n"
    )
    again = script.replace("first", "again")
    for code, expected in ((script, "first True"), (again, "again False")):
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=True,
        )
        assert done.stdout.strip() == expected, done.stderr
