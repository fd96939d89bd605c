"""``airtally.open``: the record as pandas DataFrames."""

from __future__ import annotations

import doctest
import importlib

import pandas as pd
import pytest

import airtally
from airtally.analytics.tally import TALLY_COLUMNS

from .conftest import SAMPLE, RecordBuilder


@pytest.fixture
def record(db_url):
    opened = airtally.open(db_url)
    RecordBuilder(opened.engine)(SAMPLE)
    with opened:
        yield opened


def test_tally_is_a_frame_with_the_cli_columns(record):
    frame = record.tally(by="month", weapon_class="drones")
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns[: len(TALLY_COLUMNS)]) == list(TALLY_COLUMNS)
    assert frame.set_index("period").loc["2025-06", "launched"] == 950


def test_records_of_attacks_and_months(record):
    attacks = record.records(top=2)
    assert attacks[["rank", "date", "launched"]].values.tolist() == [[1, "2025-07-09", 741], [2, "2025-07-04", 550]]
    months = record.records(top=1, weapon_class="missiles", months=True)
    assert months[["period", "launched"]].values.tolist() == [["2025-06", 80]]


def test_attacks_and_figures(record):
    attacks = record.attacks()
    row = attacks.loc[attacks.date.astype(str) == "2025-07-04"].iloc[0]
    assert (row.drones_launched, row.missiles_launched, row.all_launched) == (539, 11, 550)
    assert len(attacks) == 13
    assert record.figures().empty  # SAMPLE holds merged totals only


def test_check_returns_the_json_dict(record):
    result = record.check("the largest attack since the beginning of the invasion", "2025-07-04")
    assert result["verdict"] == "supported" and result["record"]["date"] == "2025-06-30"


def test_empty_answers_keep_their_columns(db_url):
    with airtally.open(db_url) as empty:
        assert list(empty.tally().columns[: len(TALLY_COLUMNS)]) == list(TALLY_COLUMNS)
        assert list(empty.records().columns)[:3] == ["rank", "date", "class"]


@pytest.mark.parametrize("module", ["periods", "tally", "records", "wording", "notebook", "plurals", "claim_notes"])
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(f"airtally.analytics.{module}"))
    assert result.failed == 0 and result.attempted > 0
