"""Small Core helpers the repositories share: a row as a core record, one
inserted row, an upsert on a unique key.

A record whose fields are named as its table's columns is read with
`record_from_row` (only the columns that need converting, such as an enum,
are given by hand); the others keep their own converters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import Executable, Table
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import upsert_insert

R = TypeVar("R")


def record_from_row(cls: type[R], row: Row[Any], *, prefix: str = "", **given: Any) -> R:
    """`cls` (a dataclass) from the row's columns of the same names (after
    `prefix`, for columns labelled in a join); `given` fields are taken as
    they are."""
    mapping = row._mapping
    values = {
        f.name: given[f.name] if f.name in given else mapping[prefix + f.name]
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
    }
    return cls(**values)


class OnConnection:
    """A repository on one unit's connection (the unit owns its transaction)."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn


async def first_record(
    conn: AsyncConnection, stmt: Executable, record: Callable[[Row[Any]], R]
) -> R | None:
    """The first row `stmt` selects, as a record; None when there is none."""
    row = (await conn.execute(stmt)).first()
    return None if row is None else record(row)


async def insert_one(
    conn: AsyncConnection, table: Table, record: Callable[[Row[Any]], R], **values: Any
) -> R:
    """Insert one row and return it as a record (one round trip: RETURNING)."""
    stmt = table.insert().values(**values).returning(*table.c)
    return record((await conn.execute(stmt)).one())


async def upsert(
    conn: AsyncConnection, table: Table, key: Mapping[str, Any], values: Mapping[str, Any]
) -> None:
    """Insert the row named by `key` (the columns of a unique index) or, if it
    is there, set its `values` (``ON CONFLICT … DO UPDATE``)."""
    stmt = upsert_insert(conn, table).values(**key, **values)
    await conn.execute(stmt.on_conflict_do_update(index_elements=list(key), set_=dict(values)))
