"""Fixtures for the analytics tests: a record built from a compact table, written straight into
the record tables (the analytics only read them).

A table row is ``date source subject launched destroyed lost [superseded]``:

- ``date`` is the Kyiv date the attack ended; ``2025-07-06/UA-RU`` makes an attack by Ukraine on Russia;
- ``source`` is ``merged`` (a row of ``attack_totals``), or ``national``, ``regional:NAME``,
  ``news:NAME`` (a figure of a report of that kind; one report per date and source);
- ``subject`` is a class (drones, missiles, all) or a catalogue weapon id (shahed, kh-101);
- ``-`` is "no figure"; a trailing ``superseded`` marks the report's figures as replaced, a
  trailing ``unconfirmed`` a merged row resting on an unreviewed low-confidence reading (the
  ``all`` row added follows its parts), or a report's figures read with low confidence.

For ``merged`` rows an ``all`` row is added as drones + missiles when the table gives none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

import pytest
import sqlalchemy as sa

from airtally.catalog.weapons import catalogue
from airtally.storage.tables_record import attack_totals, attacks, figures, reports, sources

MEASURES = ("launched", "destroyed", "lost")
CLASSES = ("drones", "missiles", "all")
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

# A small record with known answers (see test_tally.py / test_records.py / cases/claims.yaml).
SAMPLE = """
2024-12-30  merged  drones    10   8    1
2025-01-01  merged  drones    20   15   2
2025-03-05  merged  drones    200  150  30
2025-03-05  merged  missiles  20   15   -
2025-03-20  merged  drones    400  300  80
2025-03-20  merged  missiles  5    3    -
2025-04-10  merged  drones    100  90   5
2025-04-10  merged  missiles  60   40   -
2025-05-01  merged  drones    350  300  40
2025-06-15  merged  drones    500  400  90
2025-06-15  merged  missiles  10   8    -
2025-06-30  merged  drones    450  380  60
2025-06-30  merged  missiles  70   50   -
2025-07-04  merged  drones    539  268  208
2025-07-04  merged  missiles  11   2    -
2025-07-05  merged  drones    -    50   -
2025-07-06/UA-RU  merged  drones  900  850  -
2025-07-09  merged  drones    728  296  415
2025-07-09  merged  missiles  13   7    -
2025-07-10  merged  drones    397  164  204
2025-07-10  merged  missiles  18   14   -
"""


def parse_table(text: str) -> list[dict]:
    rows = []
    for line in text.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        date, source, subject, *values = line.split()
        flags = set(values[3:])
        superseded, unconfirmed = "superseded" in flags, "unconfirmed" in flags
        values = [None if v == "-" else int(v) for v in values[:3]]
        day, _, direction = date.partition("/")
        attacker, target = (direction or "RU-UA").split("-")
        rows.append(dict(date=dt.date.fromisoformat(day), attacker=attacker, target=target, source=source,
                         subject=subject, superseded=superseded, unconfirmed=unconfirmed, **dict(zip(MEASURES, values))))
    return rows


def _weapon_class(subject: str) -> str | None:
    return subject if subject in CLASSES else catalogue().get(subject).weapon_class


def _merged_rows(rows: list[dict]) -> list[dict]:
    by_attack = defaultdict(dict)
    for row in rows:
        by_attack[(row["date"], row["attacker"])][row["subject"]] = row
    out = []
    for subjects in by_attack.values():
        out.extend(subjects.values())
        if "all" not in subjects:
            parts = [subjects[c] for c in ("drones", "missiles") if c in subjects]
            total = {m: (None if all(p[m] is None for p in parts) else sum(p[m] or 0 for p in parts)) for m in MEASURES}
            out.append({**parts[0], "subject": "all", **total, "unconfirmed": any(p["unconfirmed"] for p in parts)})
    return out


class RecordBuilder:
    """Writes table rows into the record tables of ``engine`` in one transaction."""

    def __init__(self, engine):
        self.engine = engine

    def __call__(self, text: str) -> dict:
        rows = parse_table(text)
        with self.engine.begin() as conn:
            ids = self._attacks(conn, rows)
            for row in _merged_rows([r for r in rows if r["source"] == "merged"]):
                conn.execute(attack_totals.insert().values(
                    attack_id=ids[(row["date"], row["attacker"])], subject=row["subject"],
                    weapon_class=_weapon_class(row["subject"]), unconfirmed=row["unconfirmed"],
                    **{m: row[m] for m in MEASURES}))
            for row in rows:
                if row["source"] != "merged":
                    self._figures(conn, ids[(row["date"], row["attacker"])], row)
        return ids

    def _attacks(self, conn, rows) -> dict:
        ids = {}
        for key in dict.fromkeys((r["date"], r["attacker"], r["target"]) for r in rows):
            ids[key[:2]] = conn.execute(attacks.insert().values(
                date=key[0], attacker=key[1], target=key[2], created_at=NOW)).inserted_primary_key[0]
        return ids

    def _report(self, conn, attack_id: int, source: str, superseded: bool) -> int:
        kind, _, name = source.partition(":")
        name = name or {"national": "kpszsu"}.get(kind, kind)
        source_id = conn.execute(sa.select(sources.c.id).where(sources.c.name == name)).scalar()
        if source_id is None:
            source_id = conn.execute(sources.insert().values(name=name, kind=kind)).inserted_primary_key[0]
        text = f"{attack_id} {source} {'old' if superseded else 'current'}"
        digest = hashlib.sha256(text.encode()).hexdigest()
        found = conn.execute(sa.select(reports.c.id).where(reports.c.content_hash == digest)).scalar()
        if found:
            return found
        return conn.execute(reports.insert().values(
            source_id=source_id, attack_id=attack_id, kind=kind, text=text, content_hash=digest,
            is_attack_report=True, ingested_at=NOW)).inserted_primary_key[0]

    def _figures(self, conn, attack_id: int, row: dict) -> None:
        report_id = self._report(conn, attack_id, row["source"], row["superseded"])
        for measure in MEASURES:
            if row[measure] is None:
                continue
            figure_id = conn.execute(figures.insert().values(
                attack_id=attack_id, report_id=report_id, subject=row["subject"],
                weapon_class=_weapon_class(row["subject"]), measure=measure, value=row[measure],
                confidence="low" if row["unconfirmed"] else "high")).inserted_primary_key[0]
            if row["superseded"]:  # points at itself: only "not NULL" matters to the readers
                conn.execute(figures.update().where(figures.c.id == figure_id).values(superseded_by=figure_id))


@pytest.fixture
def build_record(engine):
    """``build_record(TABLE)`` writes a record into the migrated ``engine``; returns attack ids."""
    return RecordBuilder(engine)


@pytest.fixture
def sample(engine, build_record):
    """``engine`` holding the SAMPLE record."""
    build_record(SAMPLE)
    return engine
