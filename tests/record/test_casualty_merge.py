"""Which casualty figure of an attack counts, and which sources conflict with it
(airtally.record.casualties), as the cases in casualty_cases.yaml say."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from airtally.record.casualties import casualty_conflicts, casualty_totals

CASES = yaml.safe_load((Path(__file__).parent / "casualty_cases.yaml").read_text("utf-8"))


def _rows(case: dict) -> list[dict]:
    sources: dict[str, int] = {}
    rows = []
    for number, (source, kind, measure, value, confidence, decision, *flags) in enumerate(case["rows"], start=1):
        sources.setdefault(source, len(sources) + 1)
        # a person's acceptance makes the row count as high, as the store reads it
        rows.append(dict(id=number, report_id=100 + number, source_id=sources[source], source=source, kind=kind,
                         measure=measure, value=value, decision=decision,
                         confidence="high" if decision in ("accept", "correct") else confidence,
                         superseded_by=number + 1 if "superseded" in flags else None))
    return rows


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_casualty_figure_of_an_attack(case):
    rows = _rows(case)
    totals = casualty_totals(rows)
    for measure, expected in case["expect"].items():
        found = totals[measure]
        shown = None if found is None else [found["value"], found["kind"], found["unconfirmed"]]
        assert shown == expected, measure
    conflicts = [[c["source"], c["measure"], c["other_value"]] for c in casualty_conflicts(rows)]
    assert conflicts == case["conflicts"]
