"""Ingest keeps an attack's totals up to date one report at a time (airtally.record.incremental):
after every report they must equal a full re-merge of all the attack's figures, whatever the
order the reports come in, their sources, kinds, windows, publication times, the figures'
confidence and people's review decisions (taken between reports)."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airtally.model import Extraction, Period, Span, WeaponFigure
from airtally.record import ingest
from airtally.record.review import decide
from airtally.record.merge import by_source as merge_by_source, merged_totals, recompute
from airtally.storage import reports as report_store
from airtally.storage.attacks import attack_figures
from airtally.storage.database import open_database
from airtally.storage.tables_record import attack_sources, attack_totals, figures as figure_table, source_totals
from airtally.storage.transactions import write_transaction

UTC = dt.timezone.utc
CLASSES = ("drones", "missiles", "all")
WEAPONS = {"shahed": "strike_drone", "gerbera": "decoy_drone", "kh-101": "cruise_missile",
           "iskander-m": "ballistic_missile"}
MEASURES = ("launched", "destroyed", "lost", "hits")
KINDS = ("national", "news", "regional")
_dates = itertools.count()

# (subject, measure, value, read with low confidence)
figure = st.tuples(st.sampled_from(CLASSES + tuple(WEAPONS)), st.sampled_from(MEASURES), st.integers(0, 500),
                   st.booleans())
# A person's decision after a report: (which figure, by its place among the stored ones; decision)
decision = st.one_of(st.none(), st.tuples(st.integers(0, 50), st.sampled_from(["accept", "correct", "reject"])))
report = st.fixed_dictionaries({
    "source": st.integers(0, 4),
    "kind": st.sampled_from(KINDS),
    "figures": st.lists(figure, max_size=6),
    "window": st.sampled_from([None, (18, 6), (22, 4), (6, 12), (13, 17)]),
    "published": st.one_of(st.none(), st.integers(0, 5)),
    "decision": decision,
})


def _extraction(date: dt.date, spec: dict) -> Extraction:
    start = end = None
    if spec["window"]:
        first, last = spec["window"]
        start = dt.datetime.combine(date - dt.timedelta(days=first > last), dt.time(first), UTC)
        end = dt.datetime.combine(date, dt.time(last), UTC)
    ex = Extraction(input="-", language="en", is_attack_report=True, attacker="RU", target="UA",
                    period=Period(date=date, start=start, end=end))
    weapons: dict[str, WeaponFigure] = {}
    for subject, measure, value, *low in spec["figures"]:
        confidence = "low" if low and low[0] else "high"
        if subject in CLASSES:
            if subject != "all" or measure in ("launched", "destroyed"):
                totals = getattr(ex.totals, subject)
                setattr(totals, measure, value)
                totals.spans[measure] = [Span(start=0, end=1, text="-", confidence=confidence)]
        else:
            weapons.setdefault(subject, WeaponFigure(model=subject, **{"class": WEAPONS[subject]}))
            setattr(weapons[subject], measure, value)
            weapons[subject].confidence[measure] = confidence
    ex.weapons = list(weapons.values())
    return ex


def _decide(engine, attack_id: int, chosen) -> None:
    """A person's decision on one of the attack's figures (chosen by its place, wrapping round)."""
    if chosen is None or attack_id is None:
        return
    with engine.connect() as conn:
        ids = list(conn.execute(sa.select(figure_table.c.id).where(figure_table.c.attack_id == attack_id)
                                .order_by(figure_table.c.id)).scalars())
    if ids:
        place, what = chosen
        decide(engine, ids[place % len(ids)], what, value=place * 7 if what == "correct" else None, reviewer="test")


def _store(engine, date: dt.date, spec: dict, n: int) -> int:
    text = f"report {n} of {date} {spec}"
    published = None if spec["published"] is None else dt.datetime.combine(date, dt.time(6 + spec["published"]), UTC)
    with write_transaction(engine) as conn:
        return ingest.store_extraction(conn, _extraction(date, spec), text, report_store.content_hash(text),
                                       origin=f"r{n}", published=published, source=f"source{spec['source']}",
                                       kind=spec["kind"]).attack_id


def _stored_totals(conn, attack_id: int) -> list[tuple]:
    rows = conn.execute(sa.select(attack_totals).where(attack_totals.c.attack_id == attack_id)).mappings()
    return sorted((tuple(sorted(dict(r).items())) for r in rows), key=repr)


def _full_merge(conn, attack_id: int) -> list[tuple]:
    rows = merged_totals(attack_figures(conn, [attack_id]), attack_id)
    return sorted((tuple(sorted(r.items())) for r in rows), key=repr)


def _ingest_checking(engine, specs: list[dict]) -> None:
    date = dt.date(2000, 1, 1) + dt.timedelta(days=next(_dates))  # a new attack per run
    for n, spec in enumerate(specs):
        attack_id = _store(engine, date, spec, n)
        with engine.connect() as conn:
            assert _stored_totals(conn, attack_id) == _full_merge(conn, attack_id), f"after report {n}: {specs[: n + 1]}"
        _decide(engine, attack_id, spec.get("decision"))


@pytest.fixture(scope="module")
def memory_engine():
    engine = open_database("sqlite://")
    yield engine
    engine.dispose()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(report, min_size=1, max_size=14), order=st.randoms(use_true_random=False))
def test_incremental_totals_equal_a_full_merge_in_any_order(memory_engine, specs, order):
    shuffled = list(specs)
    order.shuffle(shuffled)
    _ingest_checking(memory_engine, shuffled)


def test_many_orders_of_one_set_of_reports(engine):
    """The same 40 reports (5 sources of every kind, waves and revisions) in 10 orders, on
    SQLite and PostgreSQL (the merge queries use window functions and booleans)."""
    rng = random.Random(12)
    specs = [{
        "source": rng.randrange(5), "kind": rng.choice(KINDS),
        "figures": [(rng.choice(CLASSES + tuple(WEAPONS)), rng.choice(MEASURES), rng.randrange(500), rng.random() < 0.3)
                    for _ in range(rng.randrange(6))],
        "window": rng.choice([None, (18, 6), (22, 4), (6, 12), (13, 17)]),
        "published": rng.choice([None, 0, 1, 2, 3]),
        "decision": rng.choice([None, None, (rng.randrange(50), rng.choice(["accept", "correct", "reject"]))]),
    } for _ in range(40)]
    for _ in range(10):
        rng.shuffle(specs)
        _ingest_checking(engine, specs)


def test_an_attack_stored_before_the_merge_state_is_rebuilt_when_a_report_joins(engine):
    date = dt.date(2025, 7, 4)
    specs = [{"source": 0, "kind": "national", "figures": [("shahed", "launched", 400)], "window": None, "published": 0},
             {"source": 1, "kind": "news", "figures": [("drones", "launched", 420)], "window": None, "published": 1},
             {"source": 1, "kind": "news", "figures": [("shahed", "destroyed", 380)], "window": None, "published": 2}]
    attack_id = _store(engine, date, specs[0], 0)
    _store(engine, date, specs[1], 1)
    with write_transaction(engine) as conn:  # as a database migrated from 0005 holds it
        conn.execute(source_totals.delete())
        conn.execute(attack_sources.delete())
    _store(engine, date, specs[2], 2)
    with engine.connect() as conn:
        assert _stored_totals(conn, attack_id) == _full_merge(conn, attack_id)
        assert conn.execute(sa.select(sa.func.count()).select_from(attack_sources)).scalar() == 2


def test_recompute_gives_the_state_ingest_kept(engine):
    rng = random.Random(5)
    date = dt.date(2025, 7, 9)
    for n in range(30):
        spec = {"source": rng.randrange(4), "kind": rng.choice(KINDS), "window": rng.choice([None, (18, 6), (6, 12)]),
                "figures": [(rng.choice(CLASSES + tuple(WEAPONS)), rng.choice(MEASURES), rng.randrange(99))
                            for _ in range(3)], "published": rng.randrange(4)}
        attack_id = _store(engine, date, spec, n)

    def state(conn):
        return [sorted((tuple(r) for r in conn.execute(sa.select(t))), key=repr) for t in (source_totals, attack_sources)]

    with engine.connect() as conn:
        kept = state(conn)
    with write_transaction(engine) as conn:
        recompute(conn, [attack_id])
        rebuilt = state(conn)
    # Which sources add to the lead is stored for every source, but only read for the lead's kind.
    assert kept[0] == rebuilt[0]
    assert [r[:7] for r in kept[1]] == [r[:7] for r in rebuilt[1]]


def test_a_report_reads_and_merges_only_what_its_source_holds(engine, monkeypatch):
    """The 31st report of an attack, from its own source: neither every figure of the attack
    read back nor every source merged again (as each report did before: 49 ms by the 600th)."""
    import airtally.record.incremental as incremental
    from airtally.storage import attacks as attack_store

    date = dt.date(2025, 7, 10)
    for n in range(30):
        _store(engine, date, {"source": 10 + n, "kind": "news", "window": None, "published": 1,
                              "figures": [("drones", "launched", 400 + n), ("shahed", "destroyed", 300 + n)]}, n)
    seen = []
    monkeypatch.setattr(incremental, "by_source", lambda rows: seen.append(list(rows)) or merge_by_source(rows))
    monkeypatch.setattr(attack_store, "attack_figures", lambda *a: pytest.fail("read every figure of the attack"))
    attack_id = _store(engine, date, {"source": 99, "kind": "news", "window": None, "published": 2,
                                      "figures": [("drones", "launched", 7)]}, 99)
    assert [len(rows) for rows in seen] == [1]
    monkeypatch.undo()
    with engine.connect() as conn:
        assert _stored_totals(conn, attack_id) == _full_merge(conn, attack_id)
