"""An attack's casualty figures (killed, injured): which count, and where sources disagree.

Casualty rows are not summed into ``attack_totals``; the attack's figure per measure is worked
out from its current rows when it is read (README "Casualties and their confidence"):

1. Only current rows count (not superseded, not rejected by a person); a correction counts
   with its new value and an accepted or corrected row as high.
2. Per source, its largest value (a later post restates a rising toll; it is not added).
3. The figure comes from one kind, in the weapons' order: national, else news, else regional
   (regional officials' figures are summed: each speaks of its own oblast). A **low** news
   figure no person has decided on counts only when no official report (national or regional)
   gives the measure at all: it never overrides an official figure.
4. Among national (or news) sources the largest value counts; it is ``unconfirmed`` when it
   rests on a low row no person has decided on.
5. Conflicts: a national or news source's value that differs from the counted one, except a
   value read with low confidence (review lists it instead) and regional parts.

>>> rows = [dict(id=1, report_id=7, source_id=1, source="kyiv_ova", kind="regional", measure="killed", value=3,
...              confidence="high", decision=None, superseded_by=None),
...         dict(id=2, report_id=9, source_id=2, source="news", kind="news", measure="killed", value=30,
...              confidence="low", decision=None, superseded_by=None)]
>>> casualty_totals(rows)["killed"]
{'value': 3, 'kind': 'regional', 'report_id': 7, 'unconfirmed': False}
>>> casualty_conflicts(rows)
[]
"""

from __future__ import annotations

from collections.abc import Iterable

CASUALTY_MEASURES = ("killed", "injured")
KIND_ORDER = ("national", "news", "regional")
OFFICIAL = ("national", "regional")


def counting(rows: Iterable[dict]) -> list[dict]:
    """The rows that count: current and not rejected; a low news row only where no official
    row gives its measure."""
    current = [r for r in rows if r["superseded_by"] is None and r.get("decision") != "reject"]
    official = {r["measure"] for r in current if r["kind"] in OFFICIAL}
    return [r for r in current if not (r["kind"] == "news" and r["confidence"] == "low" and r["measure"] in official)]


def _per_source(rows: list[dict]) -> dict[int, dict]:
    """Each source's largest row (the first stored among equals)."""
    best: dict[int, dict] = {}
    for row in rows:
        held = best.get(row["source_id"])
        if held is None or row["value"] > held["value"]:
            best[row["source_id"]] = row
    return best


def _measure_total(rows: list[dict]) -> dict | None:
    for kind in KIND_ORDER:
        tier = list(_per_source([r for r in rows if r["kind"] == kind]).values())
        if not tier:
            continue
        if kind == "regional":
            return {"value": sum(r["value"] for r in tier), "kind": kind, "report_id": tier[0]["report_id"],
                    "unconfirmed": any(r["confidence"] == "low" for r in tier)}
        lead = max(tier, key=lambda r: (r["value"], -r["id"]))
        return {"value": lead["value"], "kind": kind, "report_id": lead["report_id"],
                "unconfirmed": lead["confidence"] == "low"}
    return None


def casualty_totals(rows: Iterable[dict]) -> dict[str, dict | None]:
    """Per measure (killed, injured) the attack's figure: ``{"value", "kind", "report_id",
    "unconfirmed"}``, or None when no counting row gives it."""
    counted = counting(rows)
    return {m: _measure_total([r for r in counted if r["measure"] == m]) for m in CASUALTY_MEASURES}


def casualty_conflicts(rows: Iterable[dict]) -> list[dict]:
    """Where a national or news source's high-confidence value differs from the attack's figure."""
    rows = list(rows)
    totals = casualty_totals(rows)
    found = []
    for measure in CASUALTY_MEASURES:
        total = totals[measure]
        if total is None:
            continue
        mine = [r for r in counting(rows) if r["measure"] == measure and r["kind"] != "regional"
                and r["confidence"] == "high"]
        for row in _per_source(mine).values():
            if row["value"] != total["value"]:
                found.append({"measure": measure, "value": total["value"], "source": row["source"], "kind": row["kind"],
                              "report_id": row["report_id"], "other_value": row["value"]})
    return found
