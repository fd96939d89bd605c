"""The first import of a data set skips the stored-row lookups (``known_new``); it must store
exactly what the general upsert path stores, with the same report, on every file."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa

from airtally.alerts import importer
from airtally.alerts.importer import import_alerts
from airtally.storage.database import open_database
from airtally.storage.tables_alerts import alert_events

REPORTED = ("format", "rows", "inserted", "updated", "unchanged", "permanent_new", "duplicates", "merged", "quirks", "skipped")


def stored(engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(sa.select(alert_events).order_by(alert_events.c.id)).all()


def import_both_ways(engine, second_url: str, paths, monkeypatch) -> tuple:
    """(rows, reports) imported with the fast path into ``engine``, then the general path into a second database."""
    fast = [import_alerts(engine, path) for path in paths]
    general_engine = open_database(second_url)
    with monkeypatch.context() as patch:
        patch.setattr(importer, "is_new_source", lambda connection, events: False)
        general = [import_alerts(general_engine, path) for path in paths]
    rows = stored(engine), stored(general_engine)
    general_engine.dispose()
    return rows, [[{k: getattr(r, k) for k in REPORTED} for r in reports] for reports in (fast, general)]


def tricky_volunteer_csv(seed: int) -> str:
    """Random volunteer rows packed into one day, so that they repeat, overlap, touch,
    last zero seconds, share starts (two stored alerts with one key after the merge) or lack an end."""
    rng = random.Random(seed)
    base = dt.datetime(2023, 5, 1, tzinfo=dt.timezone.utc)
    lines = ["region,started_at,finished_at,naive"]
    for _ in range(80):
        start = base + dt.timedelta(minutes=rng.randrange(0, 1440, 5))
        end = start + dt.timedelta(minutes=rng.choice([0, 0, 5, 30, 60]))
        region = rng.choice(["Kyiv City", "Lvivska oblast", "Odeska oblast"])
        finished = "" if rng.random() < 0.1 else f"{end:%Y-%m-%d %H:%M:%S+00:00}"
        lines.append(f"{region},{start:%Y-%m-%d %H:%M:%S+00:00},{finished},{rng.choice(['True', 'False'])}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def second_url(db_url, tmp_path):
    """A second empty database on the same backend as ``engine``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'general.db'}"
        return
    name = f"{sa.engine.make_url(db_url).database}_general"
    admin = sa.create_engine(sa.engine.make_url(db_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield sa.engine.make_url(db_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def test_the_fixture_files_are_stored_alike(engine, second_url, fixtures, monkeypatch):
    paths = [fixtures / "official_small.csv", fixtures / "volunteer_small.csv", fixtures / "official_small.csv"]
    (fast, general), (fast_reports, general_reports) = import_both_ways(engine, second_url, paths, monkeypatch)
    assert fast == general and len(fast) == 15
    assert fast_reports == general_reports


@pytest.mark.parametrize("seed", range(3))
def test_tricky_rows_are_stored_alike(engine, second_url, tmp_path, seed, monkeypatch):
    path = tmp_path / "volunteer.csv"
    path.write_text(tricky_volunteer_csv(seed), "utf-8")
    (fast, general), (fast_reports, general_reports) = import_both_ways(engine, second_url, [path, path], monkeypatch)
    assert fast == general
    assert fast_reports == general_reports
    assert fast_reports[0]["inserted"] > 0 and fast_reports[1]["unchanged"] == fast_reports[0]["inserted"]


def test_the_fast_path_is_taken_only_for_a_new_source(engine, fixtures, monkeypatch):
    taken = []
    real = importer.upsert_events

    def spy(connection, events, **options):
        taken.append(options.get("known_new"))
        return real(connection, events, **options)

    monkeypatch.setattr(importer, "upsert_events", spy)
    import_alerts(engine, fixtures / "official_small.csv")
    first, taken[:] = taken[1:], []
    import_alerts(engine, fixtures / "official_small.csv")
    assert first == [True] and taken[1:] == [False]


@pytest.mark.data
def test_the_real_data_sets_are_stored_alike(shared_data, tmp_path, monkeypatch):
    """Both real CSVs (97,545 rows; SQLite only, to keep the suite quick)."""
    folder = shared_data / "alerts"
    paths = [folder / "official_data_en.csv", folder / "volunteer_data_en.csv"]
    engine = open_database(f"sqlite:///{tmp_path / 'fast.db'}")
    (fast, general), (fast_reports, general_reports) = import_both_ways(engine, f"sqlite:///{tmp_path / 'general.db'}", paths, monkeypatch)
    engine.dispose()
    assert len(fast) > 90_000 and fast == general
    assert fast_reports == general_reports
