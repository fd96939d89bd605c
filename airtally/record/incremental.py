"""Keeping an attack's totals current one report at a time, equal to a full re-merge.

A new report changes only its own source's summed values (``source_totals``) and place in the
merge (``attack_sources``). While the lead source and its window stay the same, the merged
value of a (subject, measure) depends only on the sources that hold it:

- the lead's value plus the sum of the adding sources' (``merge.adds_to``), when the lead has it;
- else, the first other source of the lead's kind in merge order (most values, then first
  stored) sets it, and the adding sources add to it (an adding first source is one of them).

So only the subjects the report's source holds are merged again, by a few indexed queries.
When the lead, its window or the winning kind change, or the attack has no stored state yet
(a new attack, or one stored before this state existed), the attack is merged whole
(``merge.recompute``). tests/record/test_incremental.py checks the result against a full
re-merge over random report sequences.

>>> _merged(("drones", "launched"), {"lead": {}, "added": {("drones", "launched"): (5, False)},
...         "first": {("drones", "launched"): (7, 12, False, True)}})
(12, 12, True)
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from airtally.record.merge import CLASS_SUBJECTS, MEASURES, Key, adds_to, by_source, recompute, state_rows
from airtally.storage import merge_state


def update_source(conn: Connection, attack_id: int, source_id: int, rows: list[dict]) -> None:
    """Bring the attack's totals up to date after a report of ``source_id`` joined it;
    ``rows`` are that source's current figures in the attack (``current_figures_of_source``)."""
    before = merge_state.lead_source(conn, attack_id)
    if before is None:
        recompute(conn, [attack_id])
        return
    held = merge_state.source_values(conn, attack_id, source_id)
    sources = by_source(rows)
    values, state = state_rows(sources, attack_id, before)
    merge_state.replace_source(conn, attack_id, source_id, values, state[0] if state else None)
    after = merge_state.lead_source(conn, attack_id)
    if (after is None or after["source_id"] != before["source_id"]
            or (after["kind"], after["start"], after["end"]) != (before["kind"], before["start"], before["end"])):
        recompute(conn, [attack_id])
        return
    subjects = sorted(held | {subject for subject, _ in (sources[0].values if sources else {})})
    if subjects:
        merge_state.replace_subject_totals(conn, attack_id, subjects, subject_totals(conn, attack_id, subjects, after))


def subject_totals(conn: Connection, attack_id: int, subjects: list[str], lead: dict) -> list[dict]:
    """The ``attack_totals`` rows of ``subjects``, as ``merge.merged_totals`` would give them."""
    state = merge_state.subject_state(conn, attack_id, subjects, MEASURES, lead["kind"], lead["source_id"])
    rows = []
    for subject in subjects:
        row = {"attack_id": attack_id, "subject": subject, "weapon_class": state["classes"].get(subject),
               "source_kind": lead["kind"], "report_id": None, "unconfirmed": False}
        for measure in MEASURES:
            row[measure], report_id, low = _merged((subject, measure), state)
            row["unconfirmed"] = row["unconfirmed"] or low
            if row["report_id"] is None:
                row["report_id"] = report_id
        if subject in CLASS_SUBJECTS or any(row[m] is not None for m in MEASURES):
            rows.append(row)
    return rows


def _merged(key: Key, state: dict) -> tuple[int | None, int | None, bool]:
    """(merged value, the report it came from, whether it rests on an unreviewed low figure)
    of one (subject, measure)."""
    added, added_low = state["added"].get(key, (None, False))
    if key in state["lead"]:
        value, report_id, low = state["lead"][key]
        return value + (added or 0), report_id, low or added_low
    first = state["first"].get(key)
    if first is None:
        return None, None, False
    value, report_id, additive, low = first
    if additive:
        return added, report_id, added_low
    return value + (added or 0), report_id, low or added_low
