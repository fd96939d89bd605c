"""``airtally import curated``: the curated data set's CSV into the record.

Rows are grouped into reports by their source post and the Kyiv date their attack ended
(one post can cover several nights); each report joins the attack of that date. The whole
import is one transaction: a killed or failed import leaves the database as it was, and a
re-run skips the reports already stored (content hash), so importing twice stores once.

>>> summary = import_curated(FIXTURE, engine)              # doctest: +SKIP
>>> summary.attacks, summary.reports, summary.duplicates   # doctest: +SKIP
(4, 6, 0)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy.engine import Connection, Engine

from airtally import clock
from airtally.inputs import read_data_set
from airtally.record.attack_events import AttackChanges
from airtally.record.curated_rows import CuratedRow, account, kind_of, launched_parts, read_rows, row_warnings
from airtally.record.ingest import superseded
from airtally.record.merge import recompute
from airtally.storage import attacks as attack_store
from airtally.storage import reports as report_store
from airtally.storage.bulk import insert_rows, reserve_ids
from airtally.storage.tables_record import curated_rows as curated_table
from airtally.storage.tables_record import figures as figure_table
from airtally.storage.transactions import write_transaction

ATTACKER, TARGET = "RU", "UA"  # the curated data set records Russia's attacks on Ukraine


@dataclass
class ImportSummary:
    """What an import did; ``problems`` are skipped rows, ``warnings`` kept-but-flagged rows."""

    rows: int = 0
    reports: int = 0
    duplicates: int = 0
    attacks: int = 0
    figures: int = 0
    reused: list[int] = field(default_factory=list, repr=False)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Group:
    """The rows of one source post about one attack date: one report."""

    source: str
    rows: list[CuratedRow]
    text: str = ""
    hash: str = ""
    offsets: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def date(self):
        return self.rows[0].date

    @cached_property
    def window(self):
        starts = [r.start for r in self.rows if r.start]
        ends = [r.end for r in self.rows if r.end]
        return (min(starts) if starts else None), (max(ends) if ends else None)


def group_rows(header: list[str], rows: list[CuratedRow]) -> list[Group]:
    """Rows grouped by (source post, Kyiv end date), each group serialised as its report text."""
    grouped: dict[tuple, list[CuratedRow]] = defaultdict(list)
    for row in rows:
        grouped[(row.source, row.date)].append(row)
    lines = _csv_lines([header] + [row.raw for row in rows])
    header_line, line_of = lines[0], {row.line: text for row, text in zip(rows, lines[1:])}
    groups = [Group(source, members) for (source, _), members in grouped.items()]
    for group in groups:
        _serialise(group, header_line, line_of)
    return groups


class _Lines(list):
    """A file-like sink that keeps each string written (csv.writer writes one per row)."""

    write = list.append


def _csv_lines(rows: list[list[str]]) -> list[str]:
    sink = _Lines()
    csv.writer(sink, lineterminator="\n").writerows(rows)
    return sink


def _serialise(group: Group, header_line: str, line_of: dict[int, str]) -> None:
    parts = [f"curated data set, source post {group.source}\n", header_line]
    start = len(parts[0]) + len(header_line)
    for row in group.rows:
        text = line_of[row.line]
        group.offsets[row.line] = (start, start + len(text) - 1)
        start += len(text)
        parts.append(text)
    group.text = "".join(parts)


def _figures(group: Group, report: dict, warnings: list[str]) -> list[dict]:
    """The group's figures; each also carries its report's kind, source and window for the merge."""
    common = dict(attack_id=report["attack_id"], report_id=report["id"], qualifier="exact", superseded_by=None,
                  kind=report["kind"], source=account(group.source), source_id=report["source_id"],
                  period_start=report["period_start"], period_end=report["period_end"])
    figures = []
    for row in group.rows:
        start, end = group.offsets[row.line]
        base = dict(common, label=row.model, line=row.line, evidence_start=start, evidence_end=end,
                    evidence_text=group.text[start:end])
        parts = launched_parts(row)
        if len(row.weapons) > 1:
            warnings.append(_combination_warning(row, parts))
        weapon_class = _class_of(row.weapons)
        for column, measure in (("launched", "launched"), ("destroyed", "destroyed"), ("not_reach_goal", "lost")):
            value = row.counts[column]
            if value is None:
                continue
            if measure == "launched" and parts:
                figures += [dict(base, subject=s, weapon_class=_class_of([w for w in row.weapons if w.id == s]),
                                 measure=measure, value=v, rule="curated.launched_details") for s, v in parts.items()]
                continue
            figures.append(dict(base, subject=row.subject, weapon_class=weapon_class,
                                measure=measure, value=value, rule=f"curated.{column}"))
    return figures


def _class_of(weapons) -> str:
    """One class for a model or a combination (mixed missiles count as unknown_missile)."""
    classes = {w.weapon_class for w in weapons}
    if len(classes) == 1:
        return classes.pop()
    counted = {w.counts_as for w in weapons}
    if counted == {"missiles"}:
        return "unknown_missile"
    if counted == {"drones"}:
        return "unknown_drone"
    return weapons[0].weapon_class


def _combination_warning(row: CuratedRow, parts: dict | None) -> str:
    split = "launched split by launched_details, the rest" if parts else "figures"
    return (f"line {row.line}: {row.model!r} is a combination; {split} kept under "
            f"{row.subject!r} ({_class_of(row.weapons)}) because the source gives no split")


def import_curated(path: Path, engine: Engine, now: dt.datetime | None = None) -> ImportSummary:
    """Import the curated CSV at ``path`` into the record in one transaction; rows dated after
    ``now`` (default: the clock's) + 1 day, or ending before they start, are kept and warned of."""
    text = read_data_set(path, "the curated data set")
    rows, problems = read_rows(io.StringIO(text, newline=None))
    header = next(csv.reader(io.StringIO(text, newline=None)), [])
    summary = ImportSummary(rows=len(rows), problems=problems, warnings=row_warnings(rows, now or clock.now()))
    groups = group_rows(header, rows)
    with write_transaction(engine) as conn:
        store_groups(conn, groups, summary)
    return summary


def store_groups(conn: Connection, groups: list[Group], summary: ImportSummary) -> None:
    """Store the groups not yet stored: attacks, reports, figures, rows; then recompute totals."""
    for group in groups:
        group.hash = report_store.content_hash(group.text)
    known = report_store.known_hashes(conn, [g.hash for g in groups])
    new = [g for g in groups if g.hash not in known]
    summary.duplicates = len(groups) - len(new)
    if not new:
        return
    attack_of = _attacks_for(conn, new, summary)
    # a bulk import: its events are recorded (one per attack it changed), not to be sent
    changes = AttackChanges(conn, notify=False)
    changes.watch(summary.reused)
    changes.watch_new(set(attack_of.values()) - set(summary.reused))
    first_of = {account(g.source): g.source for g in new}
    source_ids = {a: report_store.source_id(conn, a, kind_of(path)) for a, path in first_of.items()}
    reports = [_report_row(g, source_ids, attack_of) for g in new]
    for report, report_id in zip(reports, report_store.insert_reports(conn, reports)):
        report["id"] = report_id
    figures, rows = [], []
    for group, report in zip(new, reports):
        figures += _figures(group, report, summary.warnings)
        rows += [dict(report_id=report["id"], line=r.line, model=r.model, time_start=r.time_start,
                      time_end=r.time_end, fields=r.fields) for r in group.rows]
    for figure, figure_id in zip(figures, reserve_ids(conn, figure_table, len(figures))):
        figure["id"] = figure_id
    attack_store.insert_figures(conn, figures, returning=False)
    insert_rows(conn, curated_table, rows)
    supersede_revised(conn, reports, set(summary.reused))
    fresh = set(attack_of.values()) - set(summary.reused)
    recompute(conn, summary.reused)  # attacks that had figures before: read them all back
    recompute_fresh(conn, fresh, figures)
    changes.emit()
    summary.reports, summary.figures = len(new), len(figures)


def supersede_revised(conn: Connection, reports: list[dict], reused: set[int]) -> None:
    """In attacks that had reports before, apply merging rule 1 between this import's reports
    and the same source's earlier ones (``ingest.superseded``): a night read from the channel
    and then imported from the data set is revised, not added up. This import's own reports of
    one source are not revisions of each other (the data set's posts are its waves)."""
    mine = {report["id"] for report in reports}
    for report in reports:
        if report["attack_id"] not in reused:
            continue
        current = attack_store.current_figures_of_source(conn, report["attack_id"], report["source_id"])
        own = {row["id"]: row for row in current if row["report_id"] == report["id"]}
        if not own:
            continue
        me = dict(next(iter(own.values())), report_id=report["id"])
        others = [row for row in current if row["report_id"] not in mine]
        attack_store.supersede(conn, superseded(others, me, own))


def recompute_fresh(conn: Connection, attack_ids: set[int], figures: list[dict]) -> None:
    """Totals of attacks this import created, from the figures in hand (no read-back); each
    figure carries its id and its report's kind, source and window, as ``attack_figures`` gives."""
    recompute(conn, attack_ids, [f for f in figures if f["attack_id"] in attack_ids])


def _report_row(group: Group, source_ids: dict, attack_of: dict) -> dict:
    start, end = group.window
    return dict(source_id=source_ids[account(group.source)], attack_id=attack_of[group.date],
                kind=kind_of(group.source), language=None, published_at=None, text=group.text,
                content_hash=group.hash, origin=group.source, period_start=start, period_end=end,
                is_attack_report=True)


def _attacks_for(conn: Connection, groups: list[Group], summary: ImportSummary) -> dict:
    """Attack id per date: existing attacks reused (their windows widened), the rest added."""
    windows: dict = {}
    for group in groups:
        start, end = group.window
        old = windows.get(group.date, (None, None))
        windows[group.date] = (_pick(min, old[0], start), _pick(max, old[1], end))
    existing = attack_store.attacks_by_key(conn, windows)
    attack_of = {}
    for date, (start, end) in windows.items():
        found = existing.get((date, ATTACKER, TARGET))
        if found:
            attack_of[date] = found["id"]
            summary.reused.append(found["id"])
            attack_store.widen_window(conn, found["id"], start, end)
    missing = sorted(d for d in windows if d not in attack_of)
    ids = attack_store.insert_attacks(conn, [dict(date=d, attacker=ATTACKER, target=TARGET, start=windows[d][0],
                                                   end=windows[d][1]) for d in missing])
    attack_of.update(zip(missing, ids))
    summary.attacks = len(missing)
    return attack_of


def _pick(fn, a, b):
    return b if a is None else a if b is None else fn(a, b)
