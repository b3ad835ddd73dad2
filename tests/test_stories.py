"""Every conversation story in tests/stories/ replays to exactly its
transcript (see tests/story.py). `IPPO_UPDATE_STORIES=1` rewrites them."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from storage import SqlStore
from tests.story import STORIES, replay

FILES = sorted(STORIES.glob("*.story"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
async def test_story(path: Path, sqlite_store: SqlStore) -> None:
    written = await asyncio.to_thread(path.read_text, "utf-8")
    told = await replay(sqlite_store, written)
    if os.environ.get("IPPO_UPDATE_STORIES"):
        await asyncio.to_thread(path.write_text, told, "utf-8")
        return
    assert told == written


def test_there_are_stories_in_both_languages() -> None:
    names = {p.name for p in FILES}
    assert names, "no stories"
    for name in names:
        twin = name.replace(".ja.", ".en.") if ".ja." in name else name.replace(".en.", ".ja.")
        assert twin in names, f"{name} has no twin in the other language"
