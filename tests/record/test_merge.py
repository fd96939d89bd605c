"""The merge rules (airtally.record.merge), as data cases and as invariants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from airtally.record.merge import conflicts, merged_totals

CASES = yaml.safe_load((Path(__file__).parent / "merge_cases.yaml").read_text("utf-8"))
SOURCE_IDS: dict[str, int] = {}


def _window(text):
    if not text:
        return None, None
    a, b = (int(x) for x in text.split("-"))
    day = dt.datetime(2025, 7, 4, tzinfo=dt.timezone.utc)
    return day + dt.timedelta(hours=a), day + dt.timedelta(hours=b)


MARKERS = ("superseded", "low", "accepted", "rejected")


def _reviewed(value, rest):
    """(value, confidence, decision) as the figure counts after the case's markers."""
    confidence = "low" if "low" in rest else "high"
    correction = next((int(r.split()[1]) for r in rest if str(r).startswith("corrected ")), None)
    if correction is not None:
        return correction, "high", "correct"
    if "accepted" in rest:
        return value, "high", "accept"
    return value, confidence, "reject" if "rejected" in rest else None


def _rows(figures):
    rows = []
    for i, fig in enumerate(figures, 1):
        source, kind, subject, cls, measure, value, *rest = fig
        window = next((r for r in rest if r and r not in MARKERS and not str(r).startswith("corrected ")), None)
        start, end = _window(window)
        value, confidence, decision = _reviewed(value, rest)
        rows.append(dict(id=i, report_id=100 + SOURCE_IDS.setdefault(source, len(SOURCE_IDS) + 1),
                         source_id=SOURCE_IDS[source], source=source, kind=kind, subject=subject,
                         weapon_class=cls, measure=measure, value=value, confidence=confidence, decision=decision,
                         superseded_by=99 if "superseded" in rest else None, period_start=start, period_end=end))
    return rows


def _value(totals, key):
    subject, measure = key.split(".")
    return next(t[measure] for t in totals if t["subject"] == subject)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_merge_case(case):
    rows = _rows(case["figures"])
    totals = merged_totals(rows, attack_id=1)
    for key, expected in case["expect"].items():
        if key == "kind":
            assert totals[0]["source_kind"] == expected
        elif key == "conflicts":
            assert len(conflicts(rows)) == expected
        elif key == "unconfirmed":
            assert sorted(t["subject"] for t in totals if t["unconfirmed"]) == expected
        else:
            assert _value(totals, key) == expected, key


def _figure(source_id, kind, subject, cls, measure, value):
    return dict(id=0, report_id=source_id, source_id=source_id, source=f"s{source_id}", kind=kind, subject=subject,
                weapon_class=cls, measure=measure, value=value, superseded_by=None, period_start=None, period_end=None)


national = st.lists(st.tuples(st.sampled_from([("shahed", "strike_drone"), ("kh-101", "cruise_missile")]),
                              st.sampled_from(["launched", "destroyed"]), st.integers(0, 1000)), min_size=1)
regional = st.lists(st.tuples(st.integers(10, 12), st.sampled_from([("shahed", "strike_drone"), ("unknown-drone", "unknown_drone")]),
                              st.integers(0, 1000)))


@given(national, regional)
def test_regional_figures_never_change_a_national_total(nat, reg):
    base = [_figure(1, "national", s, c, m, v) for (s, c), m, v in nat]
    parts = [_figure(src, "regional", s, c, "launched", v) for src, (s, c), v in reg]
    assert merged_totals(base + parts, 1) == merged_totals(base, 1)


@given(national)
def test_all_is_drones_plus_missiles_when_derived(nat):
    totals = {t["subject"]: t for t in merged_totals([_figure(1, "national", s, c, m, v) for (s, c), m, v in nat], 1)}
    for measure in ("launched", "destroyed"):
        parts = [totals[s][measure] for s in ("drones", "missiles") if totals[s][measure] is not None]
        assert totals["all"][measure] == (sum(parts) if parts else None)
