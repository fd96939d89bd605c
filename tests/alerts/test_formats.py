"""The alert file parsers, case by case from cases_rows.yaml, and the fixture files whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from airtally.alerts.formats import FORMATS, HEADERS, detect_format, parse
from airtally.errors import MalformedData

CASES = yaml.safe_load((Path(__file__).parent / "cases_rows.yaml").read_text("utf-8"))


def _value(event, name):
    value = getattr(event, name)
    return value.isoformat() if isinstance(value, dt.datetime) else value


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_row(case):
    text = ",".join(HEADERS[case["format"]]) + ("" if case["format"] == "volunteer" else ",source") + "\n" + case["row"] + "\n"
    parsed = FORMATS[case["format"]](text)
    if "error" in case:
        assert not parsed.events
        (problem,) = parsed.errors
        assert problem.line == 2 and case["error"] in problem.message
        return
    assert not parsed.errors and parsed.lines == [2]
    (event,) = parsed.events
    assert {k: _value(event, k) for k in case["expect"]} == case["expect"]
    quirks = [q.message for q in parsed.quirks]
    if "quirk" in case:
        assert len(quirks) == 1 and case["quirk"] in quirks[0]
    else:
        assert quirks == []


@pytest.mark.parametrize(
    "name,fmt,events,quirks",
    [("official_small.csv", "official", 11, 2), ("volunteer_small.csv", "volunteer", 5, 1)],
)
def test_fixture_files_are_read_whole(fixtures, name, fmt, events, quirks):
    parsed = parse((fixtures / name).read_text("utf-8"))
    assert parsed.format == fmt
    assert (len(parsed.events), len(parsed.quirks), parsed.errors) == (events, quirks, [])


def test_bad_rows_are_listed_with_their_line_numbers(fixtures):
    parsed = parse((fixtures / "official_bad.csv").read_text("utf-8"))
    assert [p.line for p in parsed.errors] == [3, 4, 5, 6, 7]
    assert parsed.lines == [2]


@pytest.mark.parametrize(
    "first_line,fmt",
    [("oblast,raion,hromada,level,started_at,finished_at,source", "official"),
     ("region,started_at,finished_at,naive", "volunteer"),
     ('{"alerts": [], "meta": {}}', "alerts-in-ua"),
     ("\ufeffregion,started_at,finished_at,naive", "volunteer")],
)
def test_format_is_detected_from_the_first_line(first_line, fmt):
    assert detect_format(first_line + "\n") == fmt


def test_unknown_header_names_the_formats():
    with pytest.raises(MalformedData, match="pass --format"):
        detect_format("a,b,c\n1,2,3\n")


def test_a_forced_format_that_does_not_fit_says_which_columns_lack():
    with pytest.raises(MalformedData, match="lacks the column"):
        parse("region,started_at,finished_at,naive\n", "official")


@pytest.mark.parametrize("name", ["official_small.csv", "volunteer_small.csv"])
def test_bare_cr_line_ends_read_as_any_other(fixtures, name):
    """A file saved with old Mac line ends was an internal error (csv: new-line in unquoted field)."""
    text = (fixtures / name).read_text("utf-8")
    as_cr = parse(text.replace("\r\n", "\n").replace("\n", "\r"))
    plain = parse(text)
    assert (as_cr.format, as_cr.events, as_cr.lines, as_cr.errors) == (plain.format, plain.events, plain.lines, plain.errors)


def test_a_field_past_the_csv_limit_is_malformed_data_with_its_line(fixtures):
    lines = (fixtures / "official_small.csv").read_text("utf-8").splitlines()
    lines[2] = "x" * 200_000 + lines[2]
    with pytest.raises(MalformedData, match="line 3: not readable as CSV"):
        parse("\n".join(lines), "official")


def test_alert_row_has_alert_events_fields_in_order() -> None:
    """``AlertRow`` writes its fields out (so they are typed); they must stay ``AlertEvent``'s."""
    from airtally.alerts.formats import AlertRow
    from airtally.model import AlertEvent

    assert AlertRow._fields == tuple(AlertEvent.model_fields)
