"""`upgrade_database(url, apart=True)` migrates in a child process, so the
caller never loads Alembic: the check (already at head?) stays in the caller,
the URL reaches the child in its environment only, and a failing migration
raises `MigrationFailed` with the child's own output passed on."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from storage import upgrade_database
from storage.migrate import MigrationFailed, current_revision, head_revision
from tests.conftest import sqlite_url

ROOT = Path(__file__).resolve().parent.parent


def test_an_empty_database_is_migrated_without_alembic_in_the_caller(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    script = (
        "import asyncio, sys\n"
        "from storage import upgrade_database\n"
        f"asyncio.run(upgrade_database({url!r}, apart=True))\n"
        "print('alembic' in sys.modules, 'mako' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    assert done.stdout.split() == ["False", "False"], done.stderr
    assert asyncio.run(current_revision(url)) == head_revision()


async def test_the_child_gets_the_url_in_its_environment_and_the_revision_asked(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = db_url
    started: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    spawn = asyncio.create_subprocess_exec

    async def recorded(*args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
        started.append((args, kwargs))
        return await spawn(*args, **kwargs)

    monkeypatch.setattr(asyncio, "create_subprocess_exec", recorded)
    await upgrade_database(url, "0009_group_destinations", apart=True)
    assert await current_revision(url) == "0009_group_destinations"
    await upgrade_database(url, apart=True)
    assert await current_revision(url) == head_revision()
    await upgrade_database(url, apart=True)  # at head: no child
    assert len(started) == 2
    for args, kwargs in started:
        assert url not in args
        assert kwargs["env"]["DATABASE_URL"] == url


async def test_a_failing_migration_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_url(tmp_path)
    with sqlite3.connect(tmp_path / "ippo.db") as db:
        db.execute("CREATE TABLE members (id INTEGER)")  # the first migration creates it
    with pytest.raises(MigrationFailed, match="exit status 1"):
        await upgrade_database(url, apart=True)
    assert "table members already exists" in capsys.readouterr().err
