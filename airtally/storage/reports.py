"""Sources and reports: find or add a source, look up content hashes, store reports.

>>> from airtally.storage.database import open_database
>>> engine = open_database("sqlite://")
>>> with engine.begin() as conn:
...     first = source_id(conn, "kpszsu", "national")
...     again = source_id(conn, "kpszsu", "national")
>>> first == again
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from airtally.storage.tables_record import casualties, figures, reports, sources
from airtally.storage.bulk import insert_many, inserted_id


def content_hash(text: str) -> str:
    """sha256 of the text as UTF-8: the identity of a report (the same text is stored once)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Statements built once: building a Core construct per call costs more than running it.
_SOURCE_ID = sa.select(sources.c.id).where(sources.c.name == sa.bindparam("name"))
_KNOWN_ONE = sa.select(reports.c.content_hash).where(reports.c.content_hash == sa.bindparam("hash"))
_BY_HASH = sa.select(reports.c.id, reports.c.attack_id).where(reports.c.content_hash == sa.bindparam("hash"))
_KNOWN = sa.select(reports.c.content_hash).where(reports.c.content_hash.in_(sa.bindparam("hashes", expanding=True)))


def source_id(conn: Connection, name: str, kind: str) -> int:
    """The id of the source called ``name``, added with ``kind`` when it is new (inside a write
    transaction: its lock keeps a concurrent writer from adding the same name meanwhile)."""
    found = conn.execute(_SOURCE_ID, {"name": name}).scalar()
    if found is not None:
        return found
    return inserted_id(conn.execute(sources.insert().values(name=name, kind=kind)))


def find_source_id(conn: Connection, name: str) -> int | None:
    """The id of the source called ``name``, or None."""
    return conn.execute(_SOURCE_ID, {"name": name}).scalar()


def known_hashes(conn: Connection, hashes: Iterable[str]) -> set[str]:
    """The hashes among ``hashes`` that are already stored."""
    hashes = list(set(hashes))
    if len(hashes) == 1:  # every ingested report: a plain "=" (an expanding IN is re-rendered per call)
        return set(conn.execute(_KNOWN_ONE, {"hash": hashes[0]}).scalars())
    found: set[str] = set()
    for i in range(0, len(hashes), 500):  # keep the IN list under every backend's limit
        chunk = hashes[i : i + 500]
        found.update(conn.execute(_KNOWN, {"hashes": chunk}).scalars())
    return found


def report_of_hash(conn: Connection, digest: str) -> tuple[int, int | None] | None:
    """(report id, attack id) of the report stored with content hash ``digest``, or None."""
    row = conn.execute(_BY_HASH, {"hash": digest}).first()
    return (row.id, row.attack_id) if row else None


def insert_reports(conn: Connection, rows: Sequence[dict]) -> list[int]:
    """Insert report rows in one statement; returns their ids in order."""
    now = dt.datetime.now(dt.timezone.utc)
    return insert_many(conn, reports, [{"ingested_at": now, "attack_id": None, "extraction": None, **row} for row in rows])


def attach_reports(conn: Connection, attack_of: dict[int, int]) -> None:
    """Set the attack of each report (report id -> attack id)."""
    if attack_of:
        conn.execute(
            reports.update().where(reports.c.id == sa.bindparam("rid")).values(attack_id=sa.bindparam("aid")),
            [{"rid": r, "aid": a} for r, a in attack_of.items()],
        )


_LATEST_REVISION = (
    sa.select(reports.c.id, reports.c.attack_id, reports.c.content_hash, reports.c.revision, reports.c.withdrawn_at)
    .where(reports.c.source_id == sa.bindparam("source_id"), reports.c.post_id == sa.bindparam("post_id"))
    .order_by(reports.c.revision.desc())
    .limit(1)
)


def latest_revision(conn: Connection, source: int, post_id: int) -> dict | None:
    """The newest stored revision of a post (id, attack_id, content_hash, revision, withdrawn_at)."""
    row = conn.execute(_LATEST_REVISION, {"source_id": source, "post_id": post_id}).mappings().first()
    return dict(row) if row else None


def withdraw_report(conn: Connection, report_id: int, when: dt.datetime) -> None:
    """Mark a report withdrawn: its figures and casualties still current stop counting (each is
    marked superseded by itself); they stay stored and queryable."""
    conn.execute(reports.update().where(reports.c.id == report_id).values(withdrawn_at=when))
    for table in (figures, casualties):
        conn.execute(table.update().where(table.c.report_id == report_id, table.c.superseded_by.is_(None))
                     .values(superseded_by=table.c.id))


def reinstate_report(conn: Connection, report_id: int) -> None:
    """Undo ``withdraw_report`` (a post seen again after it seemed deleted)."""
    conn.execute(reports.update().where(reports.c.id == report_id).values(withdrawn_at=None))
    for table in (figures, casualties):
        conn.execute(table.update().where(table.c.report_id == report_id, table.c.superseded_by == table.c.id)
                     .values(superseded_by=None))
