"""Bulk inserts: many rows of one table in one driver ``executemany``, ids chosen up front.

SQLAlchemy's Core executemany builds and converts every row's parameters through generic
machinery (~10 µs a row), and with ``RETURNING`` on SQLite it falls back to one statement per
row to keep the ids in order; for the ~20,000 rows of a curated import that was most of the
time. Here the INSERT is compiled once per table and column list, each column's own bind
processor (the conversion Core would apply: datetimes to SQLite's text format, JSON to text)
runs in a plain loop, and the driver gets the whole list at once. Ids are reserved before the
insert (SQLite: after ``max(id)``, under the write lock the transaction holds; PostgreSQL: from
the column's sequence), so no ``RETURNING`` is needed and the ids are in row order.

>>> from airtally.storage.database import open_database
>>> from airtally.storage.tables_record import sources
>>> engine = open_database("sqlite://")
>>> with engine.begin() as conn:
...     insert_many(conn, sources, [dict(name="kpszsu", kind="national"), dict(name="bbc", kind="news")])
[1, 2]
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter

import sqlalchemy as sa
from sqlalchemy.engine import Connection, CursorResult, Dialect


def inserted_id(result: CursorResult) -> int:
    """The id of the one row an executed ``insert()`` added (``inserted_primary_key[0]``)."""
    key = result.inserted_primary_key
    if key is None:
        raise ValueError("the statement added no row with a primary key: inserted_id takes an executed insert()")
    return key[0]


_NEXTVAL = sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)")


def reserve_ids(conn: Connection, table: sa.Table, count: int) -> list[int]:
    """``count`` fresh ids for ``table``, ascending; call inside the write transaction.

    SQLite allocates ``max(id) + 1`` itself, so taking the next ones is the same choice; the
    transaction must hold the write lock (``write_transaction``), or a
    concurrent writer makes the insert fail, never duplicate. PostgreSQL draws them from the
    sequence, which is safe under concurrency."""
    if count <= 0:
        return []
    if conn.dialect.name == "postgresql":
        return sorted(conn.execute(_NEXTVAL, {"t": table.name, "n": count}).scalars())
    top = conn.execute(_max_id(table)).scalar() or 0
    return list(range(top + 1, top + 1 + count))


@lru_cache(maxsize=64)
def _max_id(table: sa.Table) -> sa.Select:
    return sa.select(sa.func.max(table.c.id))


@lru_cache(maxsize=256)
def _plan(dialect: Dialect, table: sa.Table, columns: tuple[str, ...]) -> tuple[str, tuple[str, ...], tuple]:
    """(SQL, the columns in parameter order, (position, bind processor) of columns that have one)."""
    compiled = table.insert().compile(dialect=dialect, column_keys=list(columns))
    if compiled.positional:
        assert compiled.positiontup is not None, "a positional dialect's insert lists its parameters in order"
        order = tuple(compiled.positiontup)
    else:
        order = columns
    processors = ((i, table.c[c].type.dialect_impl(dialect).bind_processor(dialect)) for i, c in enumerate(order))
    return compiled.string, order, tuple((i, p) for i, p in processors if p is not None)


def insert_rows(conn: Connection, table: sa.Table, rows: Sequence[dict]) -> None:
    """Insert ``rows`` (dicts with the same keys) in one executemany, converting like Core does;
    keys that are not columns of ``table`` are ignored, as Core ignores them."""
    if not rows:
        return
    sql, order, processors = _plan(conn.dialect, table, tuple(k for k in rows[0] if k in table.c))
    # A missing key is a KeyError, as with Core; itemgetter builds each tuple in C.
    params = list(map(itemgetter(*order), rows)) if len(order) > 1 else [(row[order[0]],) for row in rows]
    if processors:
        params = [_converted(values, processors) for values in params]
    if not conn.dialect.positional:
        params = [dict(zip(order, values)) for values in params]
    conn.exec_driver_sql(sql, params)


def _converted(values: tuple, processors: tuple) -> tuple:
    converted = list(values)
    for i, process in processors:  # also for None: JSON turns None into 'null', like Core
        converted[i] = process(converted[i])
    return tuple(converted)


def insert_many(conn: Connection, table: sa.Table, rows: Sequence[dict], returning: bool = True) -> list[int]:
    """Insert ``rows`` in one executemany; their new ids in order when ``returning``.

    Rows without an ``id`` get reserved ones (``reserve_ids``)."""
    if not rows:
        return []
    if not returning or "id" in rows[0]:
        insert_rows(conn, table, rows)
        return [row["id"] for row in rows] if returning else []
    ids = reserve_ids(conn, table, len(rows))
    insert_rows(conn, table, [{"id": i, **row} for i, row in zip(ids, rows)])
    return ids
