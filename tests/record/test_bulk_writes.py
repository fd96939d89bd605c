"""The fast write paths give the same stored record as the plain ones.

The curated import writes through the driver's executemany with reserved ids and merges
each new attack from the figures in hand; the record it leaves must be exactly what Core
inserts and ``merge.recompute`` (which reads every figure back) would give.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.record.curated import import_curated
from airtally.record.merge import recompute
from airtally.storage.bulk import insert_many, insert_rows, reserve_ids
from airtally.storage.tables_record import attack_totals, attacks, figures, reports, sources
from airtally.storage.transactions import write_transaction

KYIV_MORNING = dt.datetime(2025, 7, 4, 3, 30, 15, 123456, tzinfo=dt.timezone.utc)


def _totals(engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(sa.select(attack_totals).order_by(attack_totals.c.attack_id, attack_totals.c.subject)).all()


def _recomputed(engine) -> list[tuple]:
    with write_transaction(engine) as conn:
        recompute(conn, conn.execute(sa.select(attacks.c.id)).scalars())
    return _totals(engine)


def test_imported_totals_equal_a_recompute_from_the_stored_figures(imported):
    before = _totals(imported)
    assert before and before == _recomputed(imported)


def test_the_whole_curated_csv_gives_the_totals_a_recompute_gives(engine, shared_data):
    import_curated(shared_data / "missile_attacks_daily.csv", engine)
    before = _totals(engine)
    assert len(before) > 5000 and before == _recomputed(engine)


def _report(name: str, **extra) -> dict:
    row = dict(source_id=1, attack_id=None, kind="news", language=None, published_at=None, text=f"text {name}",
               content_hash=name, origin=None, period_start=KYIV_MORNING, period_end=None,
               is_attack_report=False, extraction=None, ingested_at=KYIV_MORNING)
    return {**row, **extra}


def test_bulk_rows_are_stored_exactly_as_core_stores_them(engine):
    """Datetimes, booleans, JSON (None becomes JSON null, as with Core) and NULLs."""
    variants = [dict(), dict(extraction={"figures": [1, 2], "ä": "ї"}, is_attack_report=True, language="uk"),
                dict(published_at=dt.datetime(2024, 2, 29, 23, 59, tzinfo=dt.timezone.utc), origin="a/b")]
    with write_transaction(engine) as conn:
        conn.execute(sources.insert().values(name="bbc", kind="news"))
        conn.execute(reports.insert(), [_report(f"core{i}", **v) for i, v in enumerate(variants)])
        insert_many(conn, reports, [_report(f"bulk{i}", **v) for i, v in enumerate(variants)])
    with engine.connect() as conn:
        stored = {r.content_hash: r for r in conn.execute(sa.select(reports))}
        raw = {r[0]: r[1:] for r in conn.exec_driver_sql(
            "SELECT content_hash, CAST(extraction AS TEXT), CAST(published_at AS TEXT) FROM reports")}
    for i in range(len(variants)):
        core, bulk = stored[f"core{i}"]._asdict(), stored[f"bulk{i}"]._asdict()
        assert {k: v for k, v in bulk.items() if k not in ("id", "text", "content_hash")} == \
               {k: v for k, v in core.items() if k not in ("id", "text", "content_hash")}
        assert raw[f"bulk{i}"] == raw[f"core{i}"]


def test_reserved_ids_follow_the_stored_ones_and_core_inserts_continue_after_them(engine):
    with write_transaction(engine) as conn:
        first = conn.execute(sources.insert().values(name="a", kind="news")).inserted_primary_key[0]
        ids = insert_many(conn, sources, [dict(name=n, kind="news") for n in "bcd"])
        after = conn.execute(sources.insert().values(name="e", kind="news")).inserted_primary_key[0]
        assert reserve_ids(conn, sources, 0) == []
    assert ids == [first + 1, first + 2, first + 3]
    assert after > ids[-1]
    with engine.connect() as conn:
        names = dict(conn.execute(sa.select(sources.c.id, sources.c.name)).all())
    assert [names[i] for i in ids] == ["b", "c", "d"]


def test_keys_that_are_not_columns_are_ignored_and_missing_keys_fail(engine):
    with write_transaction(engine) as conn:
        insert_rows(conn, sources, [dict(id=7, name="x", kind="news", note="not a column")])
        assert conn.execute(sa.select(sources.c.name).where(sources.c.id == 7)).scalar() == "x"
        with pytest.raises(KeyError):
            insert_rows(conn, sources, [dict(id=8, name="y", kind="news"), dict(id=9, name="z")])


FIGURE = dict(attack_id=1, report_id=1, subject="shahed", measure="launched", value=5, qualifier="exact")


@pytest.mark.parametrize("column,value,accepted", [
    ("measure", "launched", True), ("measure", "hits", True), ("measure", "Launched", False),
    ("measure", "killed", False), ("qualifier", "about", True), ("qualifier", "max", True),
    ("qualifier", "roughly", False), ("qualifier", "", False),
])
def test_figure_checks_accept_exactly_the_listed_values(engine, column, value, accepted):
    """The figures' CHECK constraints (rewritten as ORs on SQLite by migration 0003) still hold."""
    with write_transaction(engine) as conn:
        conn.execute(sources.insert().values(id=1, name="kpszsu", kind="national"))
        conn.execute(attacks.insert().values(id=1, date=dt.date(2025, 7, 4), attacker="RU", target="UA",
                                             created_at=KYIV_MORNING))
        insert_many(conn, reports, [_report("r", id=1)])
    try:
        with write_transaction(engine) as conn:
            insert_rows(conn, figures, [{**FIGURE, column: value}])
        stored = True
    except sa.exc.IntegrityError:
        stored = False
    assert stored is accepted


def test_migration_0003_keeps_every_figure_and_reference(db_url, curated_csv):
    """A database imported at revision 0002 comes through 0003 with the same figures, ids and links."""
    from alembic import command

    from airtally.storage.database import alembic_config, create, migrate

    engine = create(db_url)
    migrate(engine)
    import_curated(curated_csv, engine)  # imported at the newest schema, which writes tables 0002 lacks
    with engine.begin() as conn:
        config = alembic_config(engine)
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
    with write_transaction(engine) as conn:  # a revision, so that superseded_by refers to a figure
        first, second = conn.execute(sa.select(figures.c.id).order_by(figures.c.id).limit(2)).scalars()
        conn.execute(figures.update().where(figures.c.id == first).values(superseded_by=second))
    with engine.connect() as conn:  # the columns 0002 has (later revisions add some)
        columns = [figures.c[c["name"]] for c in sa.inspect(conn).get_columns("figures")]
        before = conn.execute(sa.select(*columns).order_by(figures.c.id)).all()
    migrate(engine)
    with engine.connect() as conn:
        after = conn.execute(sa.select(*columns).order_by(figures.c.id)).all()
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    assert version != "0002" and len(after) > 10 and after == before
