"""`ippo db copy --to URL`: move a community's data to another database,
typically from the SQLite file to PostgreSQL when it outgrows one machine.

The target is migrated to the same schema first and must hold no rows; then
every table is copied in foreign-key order, in batches, inside one
transaction on the target (all or nothing). Row ids are kept, so buttons,
calendar feed URLs and delivery keys stay valid; PostgreSQL's id sequences are
moved past the copied ids afterwards. Stop ippo before copying: rows written
meanwhile would not be copied.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import make_engine, redact_url
from storage.migrate import current_revision, head_revision, upgrade_database
from storage.tables import Base

BATCH = 1000


class CopyRefused(RuntimeError):
    """The copy cannot start (what to do is in the message)."""


@dataclass(frozen=True, slots=True)
class Copied:
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


async def copy_database(source_url: str, target_url: str) -> Copied:
    if await current_revision(source_url) != head_revision():
        raise CopyRefused(
            f"{redact_url(source_url)} is not at the current schema; run `ippo db upgrade` first"
        )
    await upgrade_database(target_url)
    source, target = make_engine(source_url), make_engine(target_url)
    tables = Base.metadata.sorted_tables  # parents before children
    try:
        async with source.connect() as read, target.begin() as write:
            for table in tables:
                if await _count(write, table):
                    raise CopyRefused(
                        f"{redact_url(target_url)} already holds data (table {table.name}); "
                        "copy into an empty database"
                    )
            copied = {table.name: await _copy_table(read, write, table) for table in tables}
            if write.dialect.name == "postgresql":
                for table in tables:
                    await _move_sequence(write, table)
    finally:
        await source.dispose()
        await target.dispose()
    return Copied(copied)


async def _count(conn: AsyncConnection, table: Table) -> int:
    return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def _copy_table(read: AsyncConnection, write: AsyncConnection, table: Table) -> int:
    total = 0
    rows = await read.stream(select(table))
    async for batch in rows.mappings().partitions(BATCH):
        await write.execute(table.insert(), [dict(row) for row in batch])
        total += len(batch)
    return total


async def _move_sequence(write: AsyncConnection, table: Table) -> None:
    """After explicit ids were inserted, the next generated id must follow them."""
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not isinstance(keys[0].type, Integer) or not keys[0].autoincrement:
        return
    column = keys[0].name
    sequence = (
        await write.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": column},
        )
    ).scalar_one()
    if sequence is None:
        return
    await write.execute(
        text(
            f'SELECT setval(:sequence, COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL) '
            f'FROM "{table.name}"'
        ),
        {"sequence": sequence},
    )
