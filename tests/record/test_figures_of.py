"""Each figure carries its own evidence from the extraction to the record's rows: the rows take
the figure's evidence as it comes (``Extraction.figures``), never look it up by a field's name."""

from __future__ import annotations

from importlib import resources

import pytest

from airtally.extraction import extract
from airtally.model import Evidence, Extraction, Span, WeaponFigure
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


def _span(start: int, text: str, confidence: str = "high") -> Span:
    return Span(start=start, end=start + len(text), text=text, confidence=confidence)


def test_a_weapon_figure_takes_only_its_own_evidence() -> None:
    """Two models' figures of one measure: each row keeps its own span (a name-suffix look-up took
    the first that ended the same)."""
    ex = Extraction(input="-", language="en", weapons=[
        WeaponFigure(model="shahed", weapon_class="strike_drone", launched=50, destroyed=41,
                     spans={"destroyed": [_span(30, "41 drones")], "launched": [_span(0, "50 Shahed drones")]}),
        WeaponFigure(model="kh-101", weapon_class="cruise_missile", launched=2,
                     spans={"launched": [_span(20, "two Kh-101", "low")]})])
    rows = {(r["subject"], r["measure"]): r["evidence_text"] for r in figure_rows(ex)}
    assert rows == {("shahed", "launched"): "50 Shahed drones", ("shahed", "destroyed"): "41 drones",
                    ("kh-101", "launched"): "two Kh-101"}
    assert [f.confidence for f in ex.figures()] == ["high", "high", "low"]


def test_the_flat_evidence_view_is_not_read() -> None:
    """The flat ``evidence`` list is a view for the JSON contract: a figure's rows take the spans
    the figure holds, so an entry there naming the figure's path gives it no evidence."""
    ex = Extraction(input="-", language="en", totals={"drones": {"launched": 50}},
                    evidence=[Evidence(field="totals.drones.launched", start=0, end=9, text="50 drones")])
    assert [(r["measure"], r["evidence_text"]) for r in figure_rows(ex)] == [("launched", None)]


def test_a_total_resting_on_several_spans_keeps_them_all() -> None:
    """A sum ("539 drones" + "11 missiles" for all launched): the figure holds both spans, its row
    the first."""
    ex = Extraction(input="-", language="en", totals={"all": {"launched": 550, "spans": {"launched": [
        _span(0, "539 drones"), _span(15, "11 missiles")]}}})
    (figure,) = ex.figures()
    assert [s.text for s in figure.evidence] == ["539 drones", "11 missiles"]
    assert [r["evidence_text"] for r in figure_rows(ex)] == ["539 drones"]


def test_casualties_carry_their_evidence() -> None:
    ex = Extraction(input="-", language="en", casualties={"killed": 2, "injured": 5, "spans": {
        "injured": [_span(10, "5 injured")], "killed": [_span(0, "2 killed")]}})
    assert [(r["measure"], r["evidence_text"]) for r in casualty_rows(ex)] == [("killed", "2 killed"), ("injured", "5 injured")]
