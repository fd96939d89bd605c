"""The alerts.in.ua parser, specified by tests/alerts_live/fixtures/parse_cases.yaml."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from airtally.alerts import alerts_in_ua
from airtally.errors import MalformedData, UnreadableInput

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = yaml.safe_load((FIXTURES / "parse_cases.yaml").read_text("utf-8"))
BASE_ITEM = {
    "id": 70001,
    "location_title": "Львівська область",
    "location_type": "oblast",
    "started_at": "2024-05-01T00:00:00.000Z",
    "finished_at": None,
    "updated_at": "2024-05-01T00:00:00.000Z",
    "alert_type": "air_raid",
    "location_uid": "27",
    "location_oblast": "Львівська область",
    "location_oblast_uid": 27,
    "location_raion": None,
    "notes": None,
    "calculated": None,
}


def _event_fields(event) -> dict:
    return event.model_dump(mode="json")


def _expected(fields: dict) -> dict:
    """YAML times are written as ISO strings; the events dump them the same way."""
    return {k: (v.replace("+00:00", "Z") if isinstance(v, str) and k.endswith("_at") else v) for k, v in fields.items()}


def _subset(actual: dict, expected: dict) -> dict:
    return {k: actual[k] for k in expected}


@pytest.mark.parametrize("case", CASES["responses"], ids=lambda c: c["file"])
def test_saved_response_parses_to_expected_events(case):
    data = json.loads((FIXTURES / "responses" / case["file"]).read_text("utf-8"))
    parse = alerts_in_ua.parse_active if case["kind"] == "active" else alerts_in_ua.parse_history
    snap = parse(data)
    expected_updated = case["last_updated_at"]
    assert (snap.last_updated_at.isoformat() if snap.last_updated_at else None) == expected_updated
    assert len(snap.events) == len(case["events"])
    for event, want in zip(snap.events, case["events"]):
        assert _subset(_event_fields(event), _expected(want)) == _expected(want)
        assert event.source == "alerts.in.ua"


@pytest.mark.parametrize("case", CASES["responses"], ids=lambda c: c["file"])
def test_parse_file_reads_saved_responses(case):
    events = alerts_in_ua.parse_file(FIXTURES / "responses" / case["file"])
    assert [e.external_id for e in events] == [c["external_id"] for c in case["events"]]


def _item(case: dict) -> dict:
    item = dict(BASE_ITEM, **case.get("set", {}))
    for name in case.get("drop", []):
        item.pop(name)
    return item


@pytest.mark.parametrize("case", [c for c in CASES["items"] if "expect" in c], ids=lambda c: c["name"])
def test_item(case):
    event = alerts_in_ua.parse_item(_item(case))
    assert _subset(_event_fields(event), _expected(case["expect"])) == _expected(case["expect"])


@pytest.mark.parametrize("case", [c for c in CASES["items"] if "error" in c], ids=lambda c: c["name"])
def test_malformed_item_names_index_and_field(case):
    with pytest.raises(MalformedData) as caught:
        alerts_in_ua.parse_item(_item(case))
    assert caught.value.message.startswith(case["error"])


def test_error_names_the_index_of_the_bad_item_in_a_response():
    bad = dict(BASE_ITEM, id=3)
    del bad["started_at"]
    data = {"alerts": [BASE_ITEM, dict(BASE_ITEM, id=2), bad], "meta": {"last_updated_at": "2024/05/01 00:00:00 +0000"}}
    with pytest.raises(MalformedData, match=r'^alert 2: missing "started_at" \(id 3\)'):
        alerts_in_ua.parse_active(data)


@pytest.mark.parametrize(
    "data, message",
    [
        ([], 'response is not an alerts.in.ua response: expected an object with an "alerts" list'),
        ({"alerts": {}}, 'expected an object with an "alerts" list'),
        ({"alerts": []}, 'response has no "meta" object'),
        ({"alerts": [], "meta": []}, '"meta" is list, expected an object'),
        ({"alerts": [], "meta": {"last_updated_at": "yesterday"}}, "meta.last_updated_at 'yesterday' is not a time"),
        ({"alerts": [7], "meta": {}}, "alert 0: expected an object, got int"),
    ],
)
def test_malformed_response(data, message):
    with pytest.raises(MalformedData) as caught:
        alerts_in_ua.parse_active(data)
    assert message in caught.value.message


def test_history_needs_no_meta_and_active_accepts_iso_meta():
    assert alerts_in_ua.parse_history({"alerts": []}).last_updated_at is None
    snap = alerts_in_ua.parse_active({"alerts": [], "meta": {"last_updated_at": "2024-05-01T03:00:00+03:00"}})
    assert snap.last_updated_at == dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    "body, message",
    [
        (b'{"alerts": [{"id": 1, "location_ty', "is not valid JSON: Unterminated string"),
        (b"\xff\xfe{}", r"is not UTF-8 text \(byte 0\)"),
        (b"<html>502 Bad Gateway</html>", "is not valid JSON: Expecting value: line 1 column 1"),
    ],
)
def test_malformed_bytes(body, message):
    with pytest.raises(MalformedData, match=message):
        alerts_in_ua.parse_bytes(body)


def test_parse_file_errors_name_the_file(tmp_path):
    with pytest.raises(UnreadableInput, match="no such file"):
        alerts_in_ua.parse_file(tmp_path / "missing.json")
    empty = tmp_path / "empty.json"
    empty.write_text("  \n")
    with pytest.raises(UnreadableInput, match="empty.json: is empty"):
        alerts_in_ua.parse_file(empty)
    broken = tmp_path / "broken.json"
    broken.write_text('{"alerts": [')
    with pytest.raises(MalformedData, match=r"broken.json is not valid JSON: .* line 1 column 13"):
        alerts_in_ua.parse_file(broken)


def test_history_path():
    assert alerts_in_ua.history_path("16", "week_ago") == "/v1/regions/16/alerts/week_ago.json"
    with pytest.raises(ValueError, match="unknown history period 'year_ago'"):
        alerts_in_ua.history_path(16, "year_ago")


utc_times = st.datetimes(
    min_value=dt.datetime(2022, 2, 24), max_value=dt.datetime(2030, 1, 1), timezones=st.just(dt.timezone.utc)
)


@given(start=utc_times, minutes=st.integers(0, 60 * 24 * 400), calculated=st.sampled_from([None, False, True]))
def test_times_round_trip_through_the_api_format(start, minutes, calculated):
    start = start.replace(microsecond=start.microsecond // 1000 * 1000)
    end = start + dt.timedelta(minutes=minutes)
    api = "%Y-%m-%dT%H:%M:%S.%fZ"
    item = dict(BASE_ITEM, started_at=start.strftime(api), finished_at=end.strftime(api), calculated=calculated)
    event = alerts_in_ua.parse_item(item)
    assert (event.started_at, event.finished_at) == (start, end)
    assert event.started_at.utcoffset() == dt.timedelta(0)
    assert event.end_is_estimate is bool(calculated)
