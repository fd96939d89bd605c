"""``airtally review`` and ``airtally reextract`` end to end: listings in every format, decisions
with who made them, and one-line errors with their exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .test_cli_record import airtally
from .test_review import TEXT, _store


@pytest.fixture
def db(tmp_path) -> str:
    """A SQLite file holding one news report whose drones launched was read with low confidence."""
    from airtally.storage.database import open_database

    url = f"sqlite:///{tmp_path / 'review.db'}"
    engine = open_database(url)
    _store(engine, TEXT, "reuters", "news", {"launched": 600, "destroyed": 476}, low=("launched",))
    engine.dispose()
    return url


def test_review_lists_the_waiting_figure_in_every_format(db):
    [row] = json.loads(airtally("review", "--json", db=db).stdout)
    assert (row["id"], row["subject"], row["measure"], row["value"], row["source"]) == (1, "drones", "launched", 600, "reuters")
    assert row["evidence"] == {"start": 0, "end": 0, "text": ""} and row["competing"] == []
    [flat] = list(csv.DictReader(io.StringIO(airtally("review", "--csv", db=db).stdout)))
    assert (flat["id"], flat["value"], flat["kind"]) == ("1", "600", "news")
    assert "figures waiting for review" in airtally("review", db=db).stdout


def test_a_correction_is_stored_with_the_local_user_and_counts(db):
    done = airtally("review", "correct", "1", "539", "--note", "the text says 539", db=db)
    assert done.returncode == 0, done.stderr
    assert "corrected figure 1 to 539 (drones launched, report 1) as " in done.stderr
    assert json.loads(airtally("review", "--json", db=db).stdout) == []
    [decided] = json.loads(airtally("review", "--decided", "--json", db=db).stdout)
    assert (decided["decision"], decided["corrected_value"], decided["note"]) == ("correct", 539, "the text says 539")
    assert decided["reviewer"]
    view = json.loads(airtally("attack", "2025-07-04", "--json", db=db).stdout)
    assert view["totals"]["drones"]["launched"] == 539 and view["unconfirmed"] == []
    assert "corrected (read 600)" in airtally("attack", "2025-07-04", db=db).stdout


def test_the_attack_table_marks_unconfirmed_totals_and_low_figures(db):
    table = airtally("attack", "2025-07-04", db=db).stdout
    merged = table.split("merged totals", 1)[1].split("report 1", 1)[0]
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in merged.splitlines() if line.startswith("│")]
    assert [row[0] for row in cells if row[-1] == "yes"] == ["drones", "all"]
    figures = table.split("report 1", 1)[1]
    assert [[c.strip() for c in line.split("│")[1:-1]][4] for line in figures.splitlines()
            if line.startswith("│")] == ["low", "high"]


ERRORS = [
    (["review", "accept", "99"], 1, "airtally: no figure with id 99"),
    (["review", "correct", "1", "many", "--note", "x"], 2, "a corrected value must be a whole number"),
    (["review", "correct", "1", "5"], 2, "Missing option '--note'"),
    (["review", "reject", "0"], 2, "Invalid value for 'figure'"),
    (["review", "reject", "abc"], 2, "Invalid value for 'figure'"),
    (["reextract", "--source", "nobody"], 1, "airtally: no source 'nobody' in the record"),
    (["reextract", "--since", "July"], 2, "airtally: not a --since date: 'July'"),
]


@pytest.mark.parametrize("args, code, message", ERRORS, ids=[" ".join(e[0]) for e in ERRORS])
def test_bad_input_is_one_line_and_an_exit_code(db, args, code, message):
    done = airtally(*args, db=db)
    assert done.returncode == code, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


def test_reextract_prints_its_summary_and_a_second_run_changes_nothing(db):
    first = json.loads(airtally("reextract", "--json", db=db).stdout)
    assert {k: first[k] for k in ("reread", "changed", "unchanged", "failed")} == {"reread": 1, "changed": 1,
                                                                                  "unchanged": 0, "failed": 0}
    second = list(csv.DictReader(io.StringIO(airtally("reextract", "--csv", db=db).stdout)))
    assert second == [{"reread": "1", "changed": "0", "unchanged": "1", "failed": "0", "attacks_changed": "0"}]
