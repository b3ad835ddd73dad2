"""Shared fixtures: databases and stores.

- `db_url`: parametrized over SQLite (a fresh file) and PostgreSQL (a fresh
  schema in ``TEST_DATABASE_URL``; skipped when it is not set).
- `store`: a migrated `SqlStore` on `db_url`.
- `sqlite_store`: a migrated `SqlStore` on a fresh SQLite file only; fast, for
  core tests that just need a working store.

PostgreSQL isolation: each test gets its own schema, created here with a
unique name and dropped (CASCADE) afterwards. The URL handed to the test sets
``search_path`` to that schema through libpq's ``options`` parameter
(``?options=-csearch_path=<schema>``), so every connection made from it, by
any engine, creates and finds ippo's tables (and alembic_version) there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import SqlStore, open_store, upgrade_database
from storage.db import async_url, make_engine

TEST_DATABASE_URL_VAR = "TEST_DATABASE_URL"


def postgres_base_url() -> str | None:
    """``TEST_DATABASE_URL`` if set, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test."""
    return os.environ.get(TEST_DATABASE_URL_VAR) or None


@asynccontextmanager
async def postgres_schema(base_url: str) -> AsyncIterator[str]:
    """A fresh, uniquely named schema; yields a URL whose connections use it."""
    schema = f"ippo_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = async_url(base_url)
        options = " ".join(filter(None, [url.query.get("options"), f"-csearch_path={schema}"]))
        yield url.update_query_dict({"options": options}).render_as_string(hide_password=False)
    finally:
        async with admin.begin() as conn:
            await conn.execute(text("SET LOCAL lock_timeout = '10s'"))
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()


def sqlite_url(directory: Path) -> str:
    return f"sqlite+aiosqlite:///{directory / 'ippo.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database (not migrated): SQLite file or PostgreSQL schema."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    base = postgres_base_url()
    if base is None:
        pytest.skip(f"{TEST_DATABASE_URL_VAR} not set")
    async with postgres_schema(base) as url:
        yield url


@asynccontextmanager
async def migrated_store(url: str) -> AsyncIterator[SqlStore]:
    await upgrade_database(url)
    store = open_store(url)
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[SqlStore]:
    """A migrated store on each database `db_url` covers."""
    async with migrated_store(db_url) as s:
        yield s


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[SqlStore]:
    """A migrated store on a fresh SQLite file."""
    async with migrated_store(sqlite_url(tmp_path)) as s:
        yield s
