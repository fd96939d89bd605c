"""The seed article of the issue: 539/11 launched, 268/2 destroyed, 550 in all, 23 injured,
2025-07-04, RU → UA and a "largest" claim; once on the shared original, once on our paraphrase."""

from __future__ import annotations

from pathlib import Path

import pytest

from airtally.extraction import extract

HERE = Path(__file__).resolve().parent
ORIGINAL = HERE.parents[2] / "shared" / "examples" / "seed-article-2025-07-04.txt"
PARAPHRASE = HERE / "data" / "seed-paraphrase-2025-07-04.txt"


def _sources():
    yield pytest.param(PARAPHRASE, id="paraphrase")
    marks = [] if ORIGINAL.exists() else [pytest.mark.skip(reason=f"{ORIGINAL} is not present")]
    yield pytest.param(ORIGINAL, id="original", marks=marks)


@pytest.mark.parametrize("path", list(_sources()))
def test_seed_article(path: Path):
    text = path.read_text("utf-8")
    result = extract(text, published="2025-07-04", input_name=path.name)
    assert result.is_attack_report and (result.attacker, result.target) == ("RU", "UA")
    totals = result.totals
    assert (totals.drones.launched, totals.missiles.launched) == (539, 11)
    assert (totals.drones.destroyed, totals.missiles.destroyed) == (268, 2)
    assert (totals.all.launched, totals.all.destroyed) == (550, 270)
    assert result.casualties.injured == 23 and result.casualties.killed is None
    assert str(result.period.date) == "2025-07-04"
    assert any(c.kind == "largest" and c.since == "invasion" for c in result.claims)
    assert all("record 5,438" not in c.text and "June" not in c.text for c in result.claims)
    for item in result.evidence:
        assert text[item.start : item.end] == item.text
    fields = {e.field for e in result.evidence}
    assert {"totals.drones.launched", "totals.all.launched", "casualties.injured"} <= fields
