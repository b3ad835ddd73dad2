"""`ippo db copy`: a community moves from its SQLite file to another database
(PostgreSQL in CI) with every row, the same ids — so buttons and feed URLs keep
working — and new rows continue after the copied ids."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from bot.model import UserRef
from storage.copy import CopyRefused, copy_database
from tests.conftest import migrated_store, sqlite_url
from tests.sessionkit import CHANNEL, add_session, make_world, organizer


async def fill(url: str) -> int:
    """A session with an RSVP, members with journeys and a feed token; the
    session's id."""
    async with migrated_store(url) as store:
        w = make_world(store)
        sid = await add_session(organizer(w), {"title": "勉強会", "start": "2026-12-12 14:00"})
        aki = w.harness.member("aki", locale="en", channel=CHANNEL)
        await aki.say("/ippo why 1 3")
        await aki.say("/ippo done Lunch with another team")
        await aki.say("/ippo nudge on")
        await aki.say("/ippo sessions feed")
        return sid


async def test_every_row_moves_with_its_id_and_new_rows_follow(tmp_path: Path, db_url: str) -> None:
    source = sqlite_url(tmp_path / "old")
    (tmp_path / "old").mkdir()
    sid = await fill(source)
    copied = await copy_database(source, db_url)
    assert copied.rows["members"] == 2 and copied.rows["sessions"] == 1
    assert copied.rows["journey_entries"] >= 1

    async with migrated_store(db_url) as store:
        async with store.unit() as uow:
            aki = await uow.members.get(UserRef("console", "console", "aki"))
            assert aki is not None and aki.reasons and aki.nudge.enabled
            entries = await uow.journey.list(aki.id)
            session = await uow.sessions.get(sid)
        assert [e.text for e in entries] == ["Lunch with another team"] and session is not None
        w = make_world(store)
        newcomer = w.harness.member("ben", locale="en", channel=CHANNEL)
        await newcomer.say("/ippo help")  # a new member gets the next id, no clash
        async with store.unit() as uow:
            ben = await uow.members.get(UserRef("console", "console", "ben"))
        assert ben is not None and ben.id > aki.id


async def test_copying_into_a_database_with_data_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    source, target = sqlite_url(tmp_path / "a"), sqlite_url(tmp_path / "b")
    await fill(source)
    await fill(target)
    with pytest.raises(CopyRefused, match="already holds data"):
        await copy_database(source, target)


def test_the_command_line_reports_what_it_copied(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    source, target = sqlite_url(tmp_path / "a"), sqlite_url(tmp_path)
    asyncio.run(fill(source))
    done = subprocess.run(
        [sys.executable, "-m", "adapters.main", "db", "copy", "--db", source, "--to", target],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "members: 2" in done.stdout and "copied " in done.stdout
    again = subprocess.run(
        [sys.executable, "-m", "adapters.main", "db", "copy", "--db", source, "--to", target],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 1 and "already holds data" in again.stderr
