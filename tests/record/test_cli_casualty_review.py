"""``airtally review`` of casualty figures and ``airtally attack``'s casualties, end to end."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .test_casualty_review import _store
from .test_cli_record import airtally


@pytest.fixture
def db(tmp_path) -> str:
    """A SQLite file: an official 2 killed, and a news article's 30 killed and 12 injured read
    with low confidence (its killed never overrides the official one; its injured counts,
    unconfirmed)."""
    from airtally.storage.database import open_database

    url = f"sqlite:///{tmp_path / 'casualties.db'}"
    engine = open_database(url)
    _store(engine, "Kyiv city administration: 2 killed.", "kyiv_ova", "regional", {"killed": 2})
    _store(engine, "Reuters: 30 killed, 12 injured.", "reuters", "news", {"killed": 30, "injured": 12},
           low=("killed", "injured"))
    engine.dispose()
    return url


def test_review_lists_casualty_figures_in_every_format(db):
    rows = json.loads(airtally("review", "--json", db=db).stdout)
    assert [(r["item"], r["id"], r["measure"], r["value"], r["field"]) for r in rows] == [
        ("casualty", 2, "killed", 30, "casualties.killed"), ("casualty", 3, "injured", 12, "casualties.injured")]
    flat = list(csv.DictReader(io.StringIO(airtally("review", "--csv", db=db).stdout)))
    assert [(r["item"], r["id"], r["subject"]) for r in flat] == [("casualty", "2", "casualties"),
                                                                   ("casualty", "3", "casualties")]


def test_a_casualty_decision_on_the_command_line(db):
    done = airtally("review", "correct", "3", "10", "--casualty", "--note", "per the city", db=db)
    assert done.returncode == 0, done.stderr
    assert "corrected casualty figure 3 to 10 (casualties injured, report 2) as " in done.stderr
    view = json.loads(airtally("attack", "2025-07-04", "--json", db=db).stdout)
    assert {m: (t["value"], t["unconfirmed"]) for m, t in view["casualty_totals"].items()} == {
        "killed": (2, False), "injured": (10, False)}
    table = airtally("attack", "2025-07-04", db=db).stdout
    assert "casualties: killed 2 (from regional, report 1)" in table
    assert "casualties: injured 10 (from news, report 2)" in table


def test_an_unconfirmed_casualty_figure_is_marked(db):
    assert "casualties: injured 12 (unconfirmed) (from news, report 2)" in airtally("attack", "2025-07-04", db=db).stdout


ERRORS = [
    (["review", "accept", "99", "--casualty"], 1, "airtally: no casualty figure with id 99"),
    (["review", "correct", "2", "x", "--casualty", "--note", "n"], 2, "a corrected value must be a whole number"),
]


@pytest.mark.parametrize("args, code, message", ERRORS, ids=[" ".join(e[0]) for e in ERRORS])
def test_bad_casualty_decisions_are_one_line_and_an_exit_code(db, args, code, message):
    done = airtally(*args, db=db)
    assert done.returncode == code, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
