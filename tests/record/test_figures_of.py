"""Each figure carries its own evidence from the extraction to the record's rows: the rows take
the figure's evidence as it comes (``Extraction.figures``), never look it up by a field's name."""

from __future__ import annotations

from importlib import resources

import pytest

from airtally.extraction import extract
from airtally.model import Evidence, Extraction, WeaponFigure
from airtally.record.figures_of import casualty_rows, figure_rows

EXAMPLES = ["airforce-2025-07-04.txt", "news-2025-07-04-en.txt", "news-2025-06-17-uk.txt", "regional-south-2025-07-04.txt"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_stated_figure_carries_its_evidence(name: str) -> None:
    text = resources.files("airtally.examples").joinpath(name).read_text("utf-8")
    ex = extract(text)
    figures = ex.figures() + ex.casualty_figures()
    assert figures
    for figure in figures:
        assert figure.evidence, f"{figure.subject}.{figure.measure} has no evidence"
        for item in figure.evidence:
            assert text[item.start:item.end] == item.text
    rows = figure_rows(ex)
    assert [(r["subject"], r["measure"], r["evidence_start"]) for r in rows] == [
        (f.subject, f.measure, f.evidence[0].start) for f in ex.figures()]


def test_a_weapon_figure_takes_only_its_own_evidence() -> None:
    """Two models' figures of one measure: each row keeps its own span (a name-suffix look-up took
    the first that ended the same)."""
    ex = Extraction(input="-", language="en", weapons=[
        WeaponFigure(model="shahed", weapon_class="strike_drone", launched=50, destroyed=41, evidence=[
            Evidence(field="shahed.destroyed", start=30, end=39, text="41 drones"),
            Evidence(field="shahed.launched", start=0, end=16, text="50 Shahed drones")]),
        WeaponFigure(model="kh-101", weapon_class="cruise_missile", launched=2, evidence=[
            Evidence(field="kh-101.launched", start=20, end=29, text="two Kh-101", confidence="low")],
            confidence={"launched": "low"})])
    rows = {(r["subject"], r["measure"]): r["evidence_text"] for r in figure_rows(ex)}
    assert rows == {("shahed", "launched"): "50 Shahed drones", ("shahed", "destroyed"): "41 drones",
                    ("kh-101", "launched"): "two Kh-101"}
    assert [f.confidence for f in ex.figures()] == ["high", "high", "low"]


def test_casualties_carry_their_evidence() -> None:
    ex = Extraction(input="-", language="en", casualties={"killed": 2, "injured": 5}, evidence=[
        Evidence(field="casualties.injured", start=10, end=20, text="5 injured"),
        Evidence(field="casualties.killed", start=0, end=8, text="2 killed")])
    assert [(r["measure"], r["evidence_text"]) for r in casualty_rows(ex)] == [("killed", "2 killed"), ("injured", "5 injured")]
