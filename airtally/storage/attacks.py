"""Attacks and their figures: matching a report to an attack, storing figures, totals.

An attack is identified by the Kyiv date it ended and its direction (attacker, target);
a report joins the attack of the same date, else one whose time window overlaps its own.

>>> import datetime as dt
>>> from airtally.storage.database import open_database
>>> engine = open_database("sqlite://")
>>> with engine.begin() as conn:
...     a = find_or_create_attack(conn, dt.date(2025, 7, 4), "RU", "UA")
...     b = find_or_create_attack(conn, dt.date(2025, 7, 4), "RU", "UA")
>>> a == b
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from airtally.storage.bulk import insert_many, insert_rows, inserted_id
from airtally.storage.tables_record import attack_totals, attacks, figures, reports, sources
from airtally.storage.tables_reviews import REVIEWED, REVIEW_COLUMNS


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as an aware UTC datetime: SQLite hands back naive ones, stored as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


# Statements built once: building a Core construct per call costs more than running it.
_DIRECTION = (attacks.c.attacker == sa.bindparam("attacker"), attacks.c.target == sa.bindparam("target"))
_SAME_DAY = sa.select(attacks.c.id, attacks.c.start, attacks.c.end).where(attacks.c.date == sa.bindparam("date"),
                                                                            *_DIRECTION)
_OVERLAPPING = (
    sa.select(attacks.c.id, attacks.c.start, attacks.c.end)
    .where(*_DIRECTION, attacks.c.start <= sa.bindparam("end"), attacks.c.end >= sa.bindparam("start"))
    .order_by(attacks.c.date.desc())
    .limit(1)
)
_INSERT_ATTACK = attacks.insert()
_WIDEN_START = (attacks.update().where(attacks.c.id == sa.bindparam("attack_id"))
                .where(sa.or_(attacks.c.start.is_(None), attacks.c.start > sa.bindparam("new_start")))
                .values(start=sa.bindparam("new_start")))
_WIDEN_END = (attacks.update().where(attacks.c.id == sa.bindparam("attack_id"))
              .where(sa.or_(attacks.c.end.is_(None), attacks.c.end < sa.bindparam("new_end")))
              .values(end=sa.bindparam("new_end")))


def _find(conn: Connection, date: dt.date, attacker: str, target: str,
          start: dt.datetime | None, end: dt.datetime | None) -> sa.Row | None:
    """(id, start, end) of the attack ``find_attack`` describes, or None."""
    found = conn.execute(_SAME_DAY, dict(date=date, attacker=attacker, target=target)).first()
    if found is None and start is not None and end is not None:
        found = conn.execute(_OVERLAPPING, dict(attacker=attacker, target=target, start=start, end=end)).first()
    return found


def find_attack(conn: Connection, date: dt.date, attacker: str, target: str,
                start: dt.datetime | None = None, end: dt.datetime | None = None) -> int | None:
    """The attack a report belongs to: the same direction and Kyiv end date, else an
    attack of the same direction whose window overlaps ``start``..``end``."""
    found = _find(conn, date, attacker, target, start, end)
    return None if found is None else found.id


def create_attack(conn: Connection, date: dt.date, attacker: str, target: str,
                  start: dt.datetime | None = None, end: dt.datetime | None = None) -> int:
    """Add an attack (inside a write transaction, whose lock keeps a concurrent writer from
    adding the same one between the look-up and this insert)."""
    row = dict(date=date, attacker=attacker, target=target, start=start, end=end,
               created_at=dt.datetime.now(dt.timezone.utc))
    return inserted_id(conn.execute(_INSERT_ATTACK, row))


def find_or_create_attack(conn: Connection, date: dt.date, attacker: str, target: str,
                          start: dt.datetime | None = None, end: dt.datetime | None = None) -> int:
    """``find_attack`` or, when there is none, ``create_attack``; widens the window to the report's."""
    found = _find(conn, date, attacker, target, start, end)
    if found is None:
        return create_attack(conn, date, attacker, target, start, end)
    # Only write when the window grows: most reports fall inside their attack's window.
    if _widens(as_utc(found.start), start, min) or _widens(as_utc(found.end), end, max):
        widen_window(conn, found.id, start, end)
    return found.id


def _widens(stored: dt.datetime | None, new: dt.datetime | None, keep) -> bool:
    """Whether ``new`` moves the ``stored`` bound (``keep`` is min for a start, max for an end)."""
    return new is not None and (stored is None or keep(stored, new) != stored)


def widen_window(conn: Connection, attack_id: int, start: dt.datetime | None, end: dt.datetime | None) -> None:
    """Stretch the attack's start/end to cover ``start``..``end``."""
    if start is not None:
        conn.execute(_WIDEN_START, {"attack_id": attack_id, "new_start": start})
    if end is not None:
        conn.execute(_WIDEN_END, {"attack_id": attack_id, "new_end": end})


def attacks_by_key(conn: Connection, dates: Iterable[dt.date]) -> dict[tuple, dict]:
    """Existing attacks on ``dates`` keyed by (date, attacker, target)."""
    dates = sorted(set(dates))
    found: dict[tuple, dict] = {}
    for i in range(0, len(dates), 500):
        query = sa.select(attacks).where(attacks.c.date.in_(dates[i : i + 500]))
        for row in conn.execute(query).mappings():
            found[(row["date"], row["attacker"], row["target"])] = dict(row)
    return found


def insert_attacks(conn: Connection, rows: Sequence[dict]) -> list[int]:
    """Insert attack rows in one statement; returns their ids in order."""
    now = dt.datetime.now(dt.timezone.utc)
    return insert_many(conn, attacks, [{"created_at": now, **row} for row in rows])


def insert_figures(conn: Connection, rows: Sequence[dict], returning: bool = True) -> list[int]:
    """Insert figure rows in one statement; returns their ids in order (when ``returning``)."""
    defaults = dict(weapon_class=None, label=None, line=None, qualifier="exact", evidence_start=None,
                    evidence_end=None, evidence_text=None, rule=None, confidence="high", reading=1, superseded_by=None,
                    spans=None)
    if not all(defaults.keys() <= row.keys() for row in rows):  # complete rows are passed as they are
        rows = [{**defaults, **row} for row in rows]
    return insert_many(conn, figures, rows, returning)


_SUPERSEDE = figures.update().where(figures.c.id == sa.bindparam("old")).values(superseded_by=sa.bindparam("new"))


def supersede(conn: Connection, replaced: dict[int, int]) -> None:
    """Mark figures superseded (old figure id -> the id of the figure that replaces it)."""
    if replaced:
        conn.execute(_SUPERSEDE, [{"old": old, "new": new} for old, new in replaced.items()])


# A figure as it counts: ``value`` and ``confidence`` after a person's decision on it, if any
# (``decision``; ``read_value``/``read_confidence`` are what the engine read). Read from REVIEWED.
FIGURE_COLUMNS = (
    figures.c.id, figures.c.attack_id, figures.c.report_id, figures.c.subject, figures.c.weapon_class,
    figures.c.label, figures.c.line, figures.c.measure, figures.c.qualifier,
    figures.c.evidence_start, figures.c.evidence_end, figures.c.evidence_text, figures.c.rule,
    figures.c.reading, figures.c.superseded_by, *REVIEW_COLUMNS,
)
# What every figure row also carries from its report (read once per report, not per figure).
REPORT_COLUMNS = (
    reports.c.kind, reports.c.source_id, sources.c.name.label("source"),
    reports.c.published_at, reports.c.period_start, reports.c.period_end, reports.c.origin,
)
_FIGURES = sa.select(*FIGURE_COLUMNS).select_from(REVIEWED).order_by(figures.c.id)
_REPORTS = sa.select(reports.c.id.label("report_id"), *REPORT_COLUMNS).join(sources, sources.c.id == reports.c.source_id)
_OF_ONE = figures.c.attack_id == sa.bindparam("ids")
_OF_MANY = figures.c.attack_id.in_(sa.bindparam("ids", expanding=True))
# One attack (every ingested report) gets a plain "=": an expanding IN is re-rendered per call.
_FIGURES_OF_ONE = (_FIGURES.where(_OF_ONE),
                   _REPORTS.where(reports.c.id.in_(sa.select(figures.c.report_id).where(_OF_ONE))))
_FIGURES_OF = (_FIGURES.where(_OF_MANY),
               _REPORTS.where(reports.c.id.in_(sa.select(figures.c.report_id).where(_OF_MANY))))
_DELETE_TOTALS_OF_ONE = attack_totals.delete().where(attack_totals.c.attack_id == sa.bindparam("ids"))
_DELETE_TOTALS = attack_totals.delete().where(attack_totals.c.attack_id.in_(sa.bindparam("ids", expanding=True)))


def _chunks(ids: list[int], one, many):
    """(statement(s), parameters) per chunk of at most 500 ids, under every backend's IN limit."""
    if len(ids) == 1:
        yield one, {"ids": ids[0]}
        return
    for i in range(0, len(ids), 500):
        yield many, {"ids": ids[i : i + 500]}


def attack_figures(conn: Connection, attack_ids: Iterable[int]) -> list[dict]:
    """Every figure (current and superseded) of the attacks, with its report's kind, source and window."""
    ids = sorted(set(attack_ids))
    rows: list[dict] = []
    for (figure_query, report_query), parameters in _chunks(ids, _FIGURES_OF_ONE, _FIGURES_OF):
        of_report = {}
        for mapping in conn.execute(report_query, parameters).mappings().all():
            report = dict(mapping)
            for key in ("published_at", "period_start", "period_end"):
                report[key] = as_utc(report[key])
            of_report[report.pop("report_id")] = report
        rows += [{**row, **of_report[row["report_id"]]} for row in conn.execute(figure_query, parameters).mappings().all()]
    return rows


def stored_spans(conn: Connection, table: sa.Table, ids: Iterable[int]) -> dict[int, dict]:
    """The ``spans`` of the rows ``ids`` of ``figures`` or ``casualties`` that have them (every
    span each was read from and its competing readings, migration 0019), by row id: read apart
    from the figures themselves, which merging reads by the thousand and needs no spans for."""
    ids = sorted(set(ids))
    found: dict[int, dict] = {}
    for i in range(0, len(ids), 500):
        query = sa.select(table.c.id, table.c.spans).where(table.c.id.in_(ids[i : i + 500]), table.c.spans.isnot(None))
        found.update({row.id: row.spans for row in conn.execute(query)})
    return found


_CURRENT_OF_SOURCE = (
    sa.select(*FIGURE_COLUMNS, *REPORT_COLUMNS)
    .select_from(REVIEWED.join(reports, reports.c.id == figures.c.report_id).join(sources, sources.c.id == reports.c.source_id))
    # A report's figures are of its attack: no condition on figures.attack_id, which would
    # tempt SQLite to read every figure of the attack through that column's index.
    .where(reports.c.attack_id == sa.bindparam("a"), reports.c.source_id == sa.bindparam("s"),
           figures.c.superseded_by.is_(None))
    .order_by(figures.c.id)
)


def current_figures_of_source(conn: Connection, attack_id: int, source_id: int) -> list[dict]:
    """One source's current (not superseded) figures of one attack, shaped as ``attack_figures``'s.

    Reads that source's reports of the attack (index on both) and their current figures
    (partial index): what one report can change, not everything the attack has collected."""
    rows: list[dict] = []
    for mapping in conn.execute(_CURRENT_OF_SOURCE, {"a": attack_id, "s": source_id}).mappings():
        row = dict(mapping)
        for key in ("published_at", "period_start", "period_end"):
            row[key] = as_utc(row[key])
        rows.append(row)
    return rows


def replace_totals(conn: Connection, attack_ids: Iterable[int], rows: Sequence[dict]) -> None:
    """Replace the derived ``attack_totals`` rows of ``attack_ids`` with ``rows``."""
    ids = sorted(set(attack_ids))
    for statement, parameters in _chunks(ids, _DELETE_TOTALS_OF_ONE, _DELETE_TOTALS):
        conn.execute(statement, parameters)
    if rows:
        insert_rows(conn, attack_totals, rows)
