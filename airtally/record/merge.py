"""Merging the reports of one attack into its totals (``attack_totals``) and its conflicts.

The rules, in order (README "Merging" says the same):

1. Only current figures count: a figure superseded by a later report of the same source
   (the "as of 09:00" update) stays stored but is left out.
2. Each source's figures are summed per subject and measure (a source's posts about one
   attack are its waves, e.g. the curated data set's night post and its daytime post);
   class totals a source does not state are the sum of its weapon figures by class
   (drones, missiles; "all" = drones + missiles).
3. The attack's totals come from one kind of report: national if any national report has
   figures, else news, else regional. A lower kind never adds to a higher one: a regional
   command's post is a part of the national picture, never added to the national total.
4. Among several national (or news) sources: the lead source is the one with the most
   figures (ties: the first stored). Another source adds its figures only when its time
   window does not overlap the lead's (a separate wave); otherwise it only fills figures
   the lead lacks, and every differing value is listed as a conflict.
5. Regional-only attacks sum their regional sources per weapon and class (the regional
   commands cover different parts of the country).
6. Confidence: a figure the engine read as ``low`` and no person has decided on yet counts
   where its kind wins (so never over a national report), and the merged value it feeds is
   marked unconfirmed (``attack_totals.unconfirmed``); it never makes a conflict. A person's
   decision (airtally.storage.reviews) applies first: accepted counts as high, corrected
   counts with its new value, rejected does not count at all.

>>> rows = [dict(id=1, report_id=7, source_id=1, source="kpszsu", kind="national", subject="shahed",
...              weapon_class="strike_drone", measure="launched", value=539, superseded_by=None,
...              period_start=None, period_end=None),
...         dict(id=2, report_id=9, source_id=2, source="news", kind="news", subject="drones",
...              weapon_class=None, measure="launched", value=550, superseded_by=None,
...              period_start=None, period_end=None)]
>>> [(t["subject"], t["launched"]) for t in merged_totals(rows, attack_id=1)]
[('drones', 539), ('missiles', None), ('all', 539), ('shahed', 539)]
>>> [(c["subject"], c["value"], c["other_value"]) for c in conflicts(rows)]
[('all', 539, 550), ('drones', 539, 550)]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection

from airtally.model import DRONE_CLASSES, MISSILE_CLASSES
from airtally.storage import attacks as attack_store
from airtally.storage import merge_state

MEASURES = ("launched", "destroyed", "lost", "hits")
CLASS_SUBJECTS = ("drones", "missiles", "all")
KIND_ORDER = ("national", "news", "regional")

Key = tuple[str, str]  # (subject, measure)


def counts_as(weapon_class: str | None) -> str | None:
    """``"drones"``, ``"missiles"`` or None for a weapon class."""
    if weapon_class in DRONE_CLASSES:
        return "drones"
    if weapon_class in MISSILE_CLASSES:
        return "missiles"
    return None


@dataclass
class SourceFigures:
    """One source's current figures for one attack, summed per (subject, measure)."""

    source_id: int
    name: str
    kind: str
    first_id: int
    values: dict[Key, int] = field(default_factory=dict)
    report_of: dict[Key, int] = field(default_factory=dict)
    classes: dict[str, str | None] = field(default_factory=dict)
    start: dt.datetime | None = None  # the earliest period_start of its figures
    end: dt.datetime | None = None
    # The keys whose value rests on a low-confidence figure no person has decided on.
    low: set[Key] = field(default_factory=set)

    def add(self, row: dict) -> None:
        subject = row["subject"]
        key = (subject, row["measure"])
        self.values[key] = self.values.get(key, 0) + row["value"]
        if row.get("confidence", "high") == "low":
            self.low.add(key)
        if key not in self.report_of:
            self.report_of[key] = row["report_id"]
        if subject not in self.classes:
            self.classes[subject] = row["weapon_class"]
        self.start = _earliest(self.start, row.get("period_start"))
        self.end = _latest(self.end, row.get("period_end"))

    def complete_classes(self) -> None:
        """Derive the class totals the source did not state from its weapon figures."""
        values = self.values
        derived: dict[Key, int] = {}
        derived_low: set[Key] = set()
        for (subject, measure), value in values.items():
            cls = counts_as(self.classes.get(subject)) if subject not in CLASS_SUBJECTS else None
            if cls:
                derived[(cls, measure)] = derived.get((cls, measure), 0) + value
                if (subject, measure) in self.low:
                    derived_low.add((cls, measure))
        for key, value in derived.items():
            if key not in values:
                values[key] = value
                self.low |= {key} & derived_low
        for measure in MEASURES:
            drones, missiles = values.get(("drones", measure)), values.get(("missiles", measure))
            if ("all", measure) not in values and (drones is not None or missiles is not None):
                values[("all", measure)] = (drones or 0) + (missiles or 0)
                if {("drones", measure), ("missiles", measure)} & self.low:
                    self.low.add(("all", measure))
        first_report = min(self.report_of.values(), default=None)
        for key in values:
            if key not in self.report_of:
                # add() gives every value it stores a report, and derived values exist only
                # beside stated ones: so there is a first report here.
                assert first_report is not None, "a derived value of a source with no report"
                self.report_of[key] = first_report

    def overlaps(self, other: "SourceFigures") -> bool:
        if self.start is None or self.end is None or other.start is None or other.end is None:
            return True
        return self.start <= other.end and other.start <= self.end


def _earliest(a, b):
    return b if a is None else a if b is None else min(a, b)


def _latest(a, b):
    return b if a is None else a if b is None else max(a, b)


def by_source(rows: Iterable[dict]) -> list[SourceFigures]:
    """The current figures grouped per source, class totals completed, in stored order."""
    grouped: dict[int, SourceFigures] = {}
    for row in rows:
        if row["superseded_by"] is not None or row.get("decision") == "reject":
            continue
        src = grouped.get(row["source_id"])
        if src is None:
            src = grouped[row["source_id"]] = SourceFigures(row["source_id"], row["source"], row["kind"], row["id"])
        src.add(row)
    for src in grouped.values():
        src.complete_classes()
    return list(grouped.values())


def _lead_first(sources: list[SourceFigures]) -> list[SourceFigures]:
    return sorted(sources, key=lambda s: (-len(s.values), s.first_id))


@dataclass
class Merged:
    """The merged values of one attack, where each came from, and which sources were summed."""

    kind: str | None = None
    values: dict[Key, int] = field(default_factory=dict)
    report_of: dict[Key, int] = field(default_factory=dict)
    summed: set[int] = field(default_factory=set)
    low: set[Key] = field(default_factory=set)  # values resting on an unreviewed low figure


def merge_sources(sources: list[SourceFigures]) -> Merged:
    """The winning kind's values following the module's rules."""
    for kind in KIND_ORDER:
        tier = _lead_first([s for s in sources if s.kind == kind])
        if not tier:
            continue
        merged = Merged(kind, dict(tier[0].values), dict(tier[0].report_of), {tier[0].source_id}, set(tier[0].low))
        for other in tier[1:]:
            additive = kind == "regional" or not tier[0].overlaps(other)
            if additive:
                merged.summed.add(other.source_id)
            for key, value in other.values.items():
                if additive and key in merged.values:
                    merged.values[key] += value
                elif key not in merged.values:
                    merged.values[key], merged.report_of[key] = value, other.report_of[key]
                else:
                    continue
                merged.low |= {key} & other.low
        return merged
    return Merged()


def merged_totals(rows: Iterable[dict], attack_id: int) -> list[dict]:
    """The ``attack_totals`` rows of one attack from all its figures (current and superseded).

    Every attack with figures gets the three class rows ("drones", "missiles", "all"; a value
    is None when no source stated or implied it) and one row per weapon subject.
    """
    return totals_of(by_source(rows), attack_id)


def totals_of(sources: list[SourceFigures], attack_id: int) -> list[dict]:
    """``merged_totals`` from the sources ``by_source`` gives."""
    merged = merge_sources(sources)
    if merged.kind is None:
        return []
    classes: dict[str, str | None] = {}
    for src in sources:
        for subject, cls in src.classes.items():
            classes.setdefault(subject, cls)
    subjects = list(CLASS_SUBJECTS) + sorted({s for s, _ in merged.values} - set(CLASS_SUBJECTS))
    return [_totals_row(attack_id, subject, classes.get(subject), merged) for subject in subjects]


def _totals_row(attack_id: int, subject: str, weapon_class: str | None, merged: Merged) -> dict:
    row = {"attack_id": attack_id, "subject": subject, "weapon_class": weapon_class, "source_kind": merged.kind}
    for measure in MEASURES:
        row[measure] = merged.values.get((subject, measure))
    present = [merged.report_of[(subject, m)] for m in MEASURES if (subject, m) in merged.report_of]
    row["report_id"] = present[0] if present else None
    row["unconfirmed"] = any((subject, m) in merged.low for m in MEASURES)
    return row


def conflicts(rows: Iterable[dict]) -> list[dict]:
    """Where a national or news source states a different value than the merged record.

    Regional sources are parts, so their smaller numbers are not conflicts; nor is a value
    resting on an unreviewed low-confidence figure (the review lists it instead).
    """
    sources = by_source(rows)
    merged = merge_sources(sources)
    found = []
    for src in sources:
        if src.kind == "regional" or (src.source_id in merged.summed and len(merged.summed) > 1):
            continue
        for key, other in sorted(src.values.items()):
            if key in merged.values and merged.values[key] != other and key not in src.low:
                found.append({"subject": key[0], "measure": key[1], "value": merged.values[key], "source": src.name,
                              "kind": src.kind, "report_id": src.report_of.get(key), "other_value": other})
    return found


def lead_of(sources: list[SourceFigures]) -> SourceFigures | None:
    """The source whose values the merge starts from (rule 4), None without sources."""
    for kind in KIND_ORDER:
        tier = [s for s in sources if s.kind == kind]
        if tier:
            return _lead_first(tier)[0]
    return None


def adds_to(lead: SourceFigures | dict, src: SourceFigures) -> bool:
    """Whether ``src``'s values add to the lead's (a regional part, or a separate wave) rather
    than only fill what the lead lacks; the lead itself adds nothing to itself."""
    lead_id, start, end = (lead.source_id, lead.start, lead.end) if isinstance(lead, SourceFigures) else (
        lead["source_id"], lead["start"], lead["end"])
    if src.source_id == lead_id:
        return False
    return src.kind == "regional" or not src.overlaps(SourceFigures(lead_id, "", "", 0, start=start, end=end))


def state_rows(sources: list[SourceFigures], attack_id: int, lead: SourceFigures | dict | None) -> tuple[list, list]:
    """The merge's stored state of ``sources`` (``source_totals`` and ``attack_sources`` rows)."""
    values, rows = [], []
    for src in sources:
        place = dict(attack_id=attack_id, source_id=src.source_id, kind=src.kind, size=len(src.values),
                     first_id=src.first_id, additive=lead is not None and adds_to(lead, src))
        for (subject, measure), value in src.values.items():
            values.append(dict(place, subject=subject, measure=measure, value=value,
                               report_id=src.report_of.get((subject, measure)), low=(subject, measure) in src.low,
                               stated=subject in src.classes, weapon_class=src.classes.get(subject)))
        rows.append(dict(place, start=src.start, end=src.end))
    return values, rows


def recompute(conn: Connection, attack_ids: Iterable[int], figures: list[dict] | None = None) -> None:
    """Rebuild ``attack_totals`` and the merge's state of the attacks from their figures (read
    back, or ``figures`` when given: every figure of those attacks, as ``attack_figures`` gives
    them), inside the caller's transaction."""
    ids = sorted(set(attack_ids))
    by_attack: dict[int, list[dict]] = defaultdict(list)
    for row in attack_store.attack_figures(conn, ids) if figures is None else figures:
        by_attack[row["attack_id"]].append(row)
    totals, values, rows = [], [], []
    for attack_id in ids:
        sources = by_source(by_attack[attack_id])
        totals += totals_of(sources, attack_id)
        state = state_rows(sources, attack_id, lead_of(sources))
        values += state[0]
        rows += state[1]
    attack_store.replace_totals(conn, ids, totals)
    merge_state.replace_state(conn, ids, values, rows)
