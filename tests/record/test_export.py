"""`airtally export`: the curated schema round-trips; every format writes and reads back."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from airtally.errors import InvalidValue
from airtally.record.export import export
from tests.record.roundtrip import per_post_and_model  # noqa: E402


def _readable_rows(curated_csv):
    frame = pd.read_csv(curated_csv, dtype=str, keep_default_na=False)
    # the two rows the import skips (line 13: "two", line 23: unknown weapon)
    return frame.drop(index=[11, 21])


def test_curated_schema_round_trips_per_post_and_model(imported, curated_csv, tmp_path):
    out = tmp_path / "out.csv"
    assert export(imported, out, "csv", "curated") == 20
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(per_post_and_model(back), per_post_and_model(_readable_rows(curated_csv)))


def test_curated_export_keeps_other_and_unknown_columns(imported, tmp_path):
    out = tmp_path / "out.csv"
    export(imported, out, "csv", "curated")
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    shahed = back[(back.source == "kpszsu/posts/p0704") & (back.model == "Shahed-136/131")].iloc[0]
    assert (shahed.num_hit_location, shahed.launch_place, shahed.time_start) == ("8.0", "Kursk oblast", "2025-07-03 18:00")
    assert "combination" in set(back.my_note)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
@pytest.mark.parametrize("schema", ["airtally", "curated"])
def test_every_format_and_schema_reads_back(imported, tmp_path, fmt, schema):
    out = tmp_path / f"out.{fmt}"
    count = export(imported, out, fmt, schema)
    if fmt == "csv":
        back = pd.read_csv(out)
    elif fmt == "parquet":
        back = pd.read_parquet(out)
    else:
        back = pd.DataFrame(json.loads(out.read_text("utf-8")))
    assert len(back) == count > 0
    if schema == "airtally":
        launched = back[(back.subject == "shahed") & (back.measure == "launched")]["value"].astype(int)
        assert 539 in set(launched)


def test_unknown_format_is_a_clear_error(imported, tmp_path):
    with pytest.raises(InvalidValue, match="unknown export format 'xls'"):
        export(imported, tmp_path / "x", "xls", "curated")
