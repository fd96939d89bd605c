"""Fixtures of the record tests: the hand-written curated CSV, an engine with it imported,
and extractions built by hand (so that storing and merging are tested without the extractor)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from airtally.model import Extraction, Period, Totals, ClassTotals, AllTotals, WeaponFigure, Span

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CURATED = FIXTURES / "curated_small.csv"


@pytest.fixture
def curated_csv() -> Path:
    return CURATED


@pytest.fixture
def imported(engine):
    """``engine`` with the fixture CSV imported."""
    from airtally.record.curated import import_curated

    import_curated(CURATED, engine)
    return engine


def extraction(text: str, date: dt.date | None = dt.date(2025, 7, 4), *, drones=None, missiles=None,
               weapons=(), attack=True, scope=None, kind=None, start=None, end=None) -> Extraction:
    """A hand-made extraction: ``drones``/``missiles`` are dicts of measure -> value; each
    figure's evidence is the first occurrence of its number in ``text``; ``kind`` what the
    extraction decided (the record stores it unless told another)."""
    ex = Extraction(input="-", language="en", is_attack_report=attack, attacker="RU" if attack else None,
                    target="UA" if attack else None, scope=scope, kind=kind,
                    period=Period(date=date, start=start, end=end))
    for name, values in (("drones", drones), ("missiles", missiles)):
        totals = getattr(ex.totals, name)
        for measure, value in (values or {}).items():
            setattr(totals, measure, value)
            at = text.find(str(value))
            if at >= 0:
                totals.spans[measure] = [Span(start=at, end=at + len(str(value)), text=str(value), rule="test")]
    ex.weapons = [WeaponFigure(model=m, weapon_class=c, **v) for m, c, v in weapons]
    return ex


def readings(engine, table: sa.Table, report_id: int) -> list[tuple]:
    """Every row ``table`` (figures or casualties) holds of a report, oldest first, as
    (reading, measure, value, current)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(table.c.reading, table.c.measure, table.c.value, table.c.superseded_by.is_(None))
                            .where(table.c.report_id == report_id).order_by(table.c.id)).all()
    return [tuple(row) for row in rows]
