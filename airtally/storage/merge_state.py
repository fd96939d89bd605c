"""The merge's stored state per source (``source_totals``, ``attack_sources``) and the queries
that update an attack's totals from it one source at a time (airtally.record.incremental).

>>> from airtally.storage.database import open_database
>>> engine = open_database("sqlite://")
>>> with engine.connect() as conn:
...     lead_source(conn, 1) is None
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from airtally.storage.attacks import as_utc
from airtally.storage.bulk import insert_rows
from airtally.storage.tables_record import attack_sources as s, attack_totals, source_totals as st

_RANK = sa.case((s.c.kind == "national", 0), (s.c.kind == "news", 1), else_=2)
_LEAD = (sa.select(s).where(s.c.attack_id == sa.bindparam("a"))
         .order_by(_RANK, s.c.size.desc(), s.c.first_id).limit(1))


def lead_source(conn: Connection, attack_id: int) -> dict | None:
    """The attack's lead source (kind first, then most values, then first stored), or None
    when the attack has no stored state."""
    found = conn.execute(_LEAD, {"a": attack_id}).mappings().first()
    if found is None:
        return None
    row = dict(found)
    row["start"], row["end"] = as_utc(row["start"]), as_utc(row["end"])
    return row


def source_values(conn: Connection, attack_id: int, source_id: int) -> set[str]:
    """The subjects one source holds values of in the attack."""
    query = sa.select(st.c.subject).where(st.c.attack_id == attack_id, st.c.source_id == source_id)
    return set(conn.execute(query).scalars())


def replace_source(conn: Connection, attack_id: int, source_id: int, values: Sequence[dict], source: dict | None) -> None:
    """Replace one source's state in the attack (``source`` None: it has no current figures)."""
    for table in (st, s):
        conn.execute(table.delete().where(table.c.attack_id == attack_id, table.c.source_id == source_id))
    insert_rows(conn, st, values)
    if source is not None:
        insert_rows(conn, s, [source])


def replace_state(conn: Connection, attack_ids: Iterable[int], values: Sequence[dict], sources: Sequence[dict]) -> None:
    """Replace the whole state of the attacks."""
    ids = sorted(set(attack_ids))
    for i in range(0, len(ids), 500):
        for table in (st, s):
            conn.execute(table.delete().where(table.c.attack_id.in_(ids[i : i + 500])))
    insert_rows(conn, st, values)
    insert_rows(conn, s, sources)


_OF = (st.c.attack_id == sa.bindparam("a"), st.c.kind == sa.bindparam("kind"))
_LEAD_VALUES = sa.select(st.c.subject, st.c.measure, st.c.value, st.c.report_id, st.c.low).where(
    st.c.attack_id == sa.bindparam("a"), st.c.source_id == sa.bindparam("lead"),
    st.c.subject.in_(sa.bindparam("subjects", expanding=True)))
_ANY_LOW = sa.func.max(sa.case((st.c.low == sa.true(), 1), else_=0))
_ADDED = (sa.select(st.c.subject, st.c.measure, sa.func.sum(st.c.value), _ANY_LOW)
          .where(*_OF, st.c.subject.in_(sa.bindparam("subjects", expanding=True)), st.c.additive == sa.true())
          .group_by(st.c.subject, st.c.measure))
_FIRST = (sa.select(st.c.value, st.c.report_id, st.c.additive, st.c.low)
          .where(*_OF, st.c.subject == sa.bindparam("subject"), st.c.measure == sa.bindparam("measure"),
                 st.c.source_id != sa.bindparam("lead"))
          .order_by(st.c.size.desc(), st.c.first_id).limit(1))
_STATED = (sa.select(st.c.weapon_class)
           .where(st.c.attack_id == sa.bindparam("a"), st.c.subject == sa.bindparam("subject"), st.c.stated == sa.true())
           .order_by(st.c.first_id).limit(1))


def subject_state(conn: Connection, attack_id: int, subjects: Sequence[str], measures: Sequence[str],
                  kind: str, lead_id: int) -> dict:
    """What the merge of ``subjects`` needs, each per (subject, measure): the lead source's
    value, report and low flag (``lead``), the sum of the adding sources and whether any is low
    (``added``), the first other source of the lead's kind in merge order (``first``: value,
    report, additive, low), and per
    subject the weapon class of the first source that stated it (``classes``). Index reads:
    the first source of a value, the adding sources, the first that stated a subject."""
    common = {"a": attack_id, "kind": kind, "lead": lead_id, "subjects": list(subjects)}
    lead = {(r[0], r[1]): (r[2], r[3], bool(r[4])) for r in conn.execute(_LEAD_VALUES, common)}
    first = {}
    for key in ((subject, measure) for subject in subjects for measure in measures):
        if key not in lead:  # the first other source only sets what the lead lacks
            row = conn.execute(_FIRST, {**common, "subject": key[0], "measure": key[1]}).first()
            if row is not None:
                first[key] = (row[0], row[1], bool(row[2]), bool(row[3]))
    return {
        "lead": lead,
        "added": {(r[0], r[1]): (r[2], bool(r[3])) for r in conn.execute(_ADDED, common)},
        "first": first,
        "classes": {subject: conn.execute(_STATED, {"a": attack_id, "subject": subject}).scalar()
                    for subject in subjects},
    }


def replace_subject_totals(conn: Connection, attack_id: int, subjects: Sequence[str], rows: Sequence[dict]) -> None:
    """Replace the ``attack_totals`` rows of ``subjects`` of one attack."""
    conn.execute(attack_totals.delete().where(attack_totals.c.attack_id == attack_id,
                                              attack_totals.c.subject.in_(subjects)))
    insert_rows(conn, attack_totals, rows)


def same_window(a: dt.datetime | None, b: dt.datetime | None) -> bool:
    return as_utc(a) == as_utc(b)
