"""One attack with all its sources, figures and evidence, conflicts, casualties (each row, and the
attack's figure per measure: airtally.record.casualties), claims.

Plain data for the CLI (``airtally attack``) and other callers; ``totals`` is shaped like
the extractor's output contract.

>>> view = attack_detail(engine, "2025-07-04")        # doctest: +SKIP
>>> view["totals"]["drones"]["launched"]               # doctest: +SKIP
539
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from airtally.alerts.queries import alerts_during, attack_window, coverage, covers, overlaps
from airtally.clock import is_date, parse_date, to_kyiv
from airtally.errors import InvalidValue, NotFound
from airtally.record.casualties import casualty_conflicts, casualty_totals
from airtally.record.merge import CLASS_SUBJECTS, MEASURES, conflicts
from airtally.record.figures_of import spans_of
from airtally.storage.attacks import as_utc, attack_figures, stored_spans
from airtally.storage.casualties import attack_casualties
from airtally.storage.tables_record import attack_totals, attacks, casualties, claims, figures as figures_table, reports, sources

MAX_ID = 2**63 - 1


def _attack_row(conn, key: str | int) -> dict:
    text = str(key).strip()
    if text.isascii() and text.isdigit():
        # an id past the database's integer range names no attack (and would overflow the driver)
        found = int(text) <= MAX_ID and conn.execute(sa.select(attacks).where(attacks.c.id == int(text)))
        row = found.mappings().first() if found else None
        if row is None:
            raise NotFound(f"no attack with id {text} (try a date: airtally attack 2025-07-04)")
        return dict(row)
    if not is_date(text) or len(text) != 10:
        raise InvalidValue(f"{text!r} is neither an attack id nor a date YYYY-MM-DD")
    date = parse_date(text, what="attack date")
    rows = conn.execute(sa.select(attacks).where(attacks.c.date == date)
                        .order_by((attacks.c.attacker != "RU"), attacks.c.id)).mappings().all()
    if not rows:
        raise NotFound(f"no attack ended on {date} in the record (airtally tally --by day lists them)")
    return dict(rows[0])


def _totals(rows: list[dict]) -> tuple[dict, list[dict]]:
    by_subject = {r["subject"]: r for r in rows}
    totals = {s: {m: by_subject.get(s, {}).get(m) for m in MEASURES} for s in CLASS_SUBJECTS}
    weapons = [{"model": r["subject"], "class": r["weapon_class"], **{m: r[m] for m in MEASURES},
                "report_id": r["report_id"], "unconfirmed": bool(r["unconfirmed"])}
               for r in rows if r["subject"] not in CLASS_SUBJECTS]
    return totals, weapons


def _figure(row: dict, text: str | None = None) -> dict:
    evidence = {"start": row["evidence_start"], "end": row["evidence_end"], "text": row["evidence_text"]}
    if text is not None:
        evidence["context"] = evidence_context(text, row["evidence_start"], row["evidence_end"])
    return {"id": row["id"], "subject": row["subject"], "class": row["weapon_class"], "measure": row["measure"],
            "value": row["value"], "qualifier": row["qualifier"], "label": row["label"], "line": row["line"],
            "rule": row["rule"], "superseded_by": row["superseded_by"], "confidence": row["confidence"],
            "reading": row["reading"], "review": _review(row), "evidence": evidence, "spans": spans_of(row)}


def _review(row: dict) -> dict | None:
    """A person's decision on the figure: what the engine read, and what the decision made of it."""
    if row["decision"] is None:
        return None
    return {"decision": row["decision"], "read_value": row["read_value"], "read_confidence": row["read_confidence"]}


def _casualty(row: dict) -> dict:
    """A casualty row as shown: its value and confidence as they count, a person's decision."""
    return {"id": row["id"], "report_id": row["report_id"], "source": row["source"], "kind": row["kind"],
            "measure": row["measure"], "value": row["value"], "qualifier": row["qualifier"],
            "confidence": row["confidence"], "evidence_text": row["evidence_text"], "reading": row["reading"],
            "superseded_by": row["superseded_by"], "review": _review(row), "spans": spans_of(row)}


CONTEXT = 160  # characters of report text shown on each side of a figure's evidence


def evidence_context(text: str, start: int | None, end: int | None, width: int = CONTEXT) -> dict | None:
    """The report text around an evidence span: ``{"before", "text", "after"}`` (None without a span).

    >>> evidence_context("Overnight 539 drones were launched.", 10, 20, width=6)
    {'before': 'night ', 'text': '539 drones', 'after': ' were '}
    """
    if start is None or end is None or not 0 <= start <= end <= len(text):
        return None
    return {"before": text[max(0, start - width):start], "text": text[start:end], "after": text[end:end + width]}


def _sources(conn, attack_id: int, figures: list[dict], context: bool = False) -> list[dict]:
    query = (sa.select(reports.c.id, sources.c.name, reports.c.kind, reports.c.published_at, reports.c.origin,
                       reports.c.language, reports.c.is_attack_report, reports.c.text)
             .join(sources, sources.c.id == reports.c.source_id)
             .where(reports.c.attack_id == attack_id).order_by(reports.c.id))
    out = []
    for r in conn.execute(query).mappings():
        out.append({"report_id": r["id"], "source": r["name"], "kind": r["kind"],
                    "published_at": to_kyiv(r["published_at"]),
                    "origin": r["origin"], "language": r["language"],
                    "figures": [_figure(f, r["text"] if context else None) for f in figures
                                if f["report_id"] == r["id"]]})
    return out


def alert_coverage(engine: Engine, attack: dict) -> dict:
    """Which oblasts were under alert during the attack's window, and for how long.

    A window the record does not know is assumed (18:00 the day before to 09:00, Kyiv time).
    When the stored alert history has nothing of the window, ``regions`` is None (not known);
    when it covers only part of it, ``history_covers`` is False and the note says so.
    """
    start, end, assumed = attack_window(attack["date"], as_utc(attack["start"]), as_utc(attack["end"]))
    span = coverage(engine)
    covered = covers(span, start, end)
    if span is None:
        note = "no alert history is stored (airtally import alerts PATH adds one)"
    elif not covered:
        note = (f"the stored alert history ({to_kyiv(span[0])} .. {to_kyiv(span[1])}) does not cover this attack's "
                "window: no alerts listed here does not mean a calm country")
    else:
        note = None
    return {"window_start": to_kyiv(start), "window_end": to_kyiv(end), "window_assumed": assumed,
            "history_covers": covered, "history_start": to_kyiv(span[0]) if span else None,
            "history_end": to_kyiv(span[1]) if span else None, "note": note,
            "regions": alerts_during(engine, start, end) if overlaps(span, start, end) else None}


def _with_spans(conn, table: sa.Table, rows: list[dict]) -> list[dict]:
    """``rows`` of ``table`` (figures or casualties), each with its stored ``spans`` (None when it has none)."""
    spans = stored_spans(conn, table, [row["id"] for row in rows])
    return [{**row, "spans": spans.get(row["id"])} for row in rows]


def attack_detail(engine: Engine, key: str | int, context: bool = False) -> dict:
    """The attack ``key`` (an id, or a Kyiv date YYYY-MM-DD) as plain JSON-ready data; with
    ``context`` every figure's evidence also carries the report text around it."""
    with engine.connect() as conn:
        attack = _attack_row(conn, key)
        aid = attack["id"]
        totals_rows = [dict(r) for r in conn.execute(sa.select(attack_totals).where(attack_totals.c.attack_id == aid)
                                                     .order_by(attack_totals.c.subject)).mappings()]
        figures = _with_spans(conn, figures_table, attack_figures(conn, [aid]))
        totals, weapons = _totals(totals_rows)
        hurt = _with_spans(conn, casualties, attack_casualties(conn, aid))
        said = [dict(r) for r in conn.execute(sa.select(claims.c.report_id, claims.c.kind, claims.c.text)
                                              .where(claims.c.attack_id == aid)).mappings()]
        view = {
            "id": aid, "date": attack["date"].isoformat(), "start": to_kyiv(attack["start"]), "end": to_kyiv(attack["end"]),
            "attacker": attack["attacker"], "target": attack["target"],
            "totals_from": totals_rows[0]["source_kind"] if totals_rows else None,
            # the subjects whose merged values rest on a low-confidence reading not yet reviewed
            "unconfirmed": [r["subject"] for r in totals_rows if r["unconfirmed"]],
            "totals": totals, "weapons": weapons, "sources": _sources(conn, aid, figures, context),
            "conflicts": conflicts(figures), "casualties": [_casualty(c) for c in hurt],
            "casualty_totals": casualty_totals(hurt), "casualty_conflicts": casualty_conflicts(hurt), "claims": said,
        }
    # after the connection above is back in the pool: the alert queries take their own, and a
    # thread holding one while waiting for another starved the pool under concurrent requests
    view["alerts"] = alert_coverage(engine, attack)
    return view


def report_texts(engine: Engine, attack_id: int) -> dict[int, str]:
    """The verbatim text of each report of attack ``attack_id`` (evidence offsets point into it)."""
    query = sa.select(reports.c.id, reports.c.text).where(reports.c.attack_id == attack_id)
    with engine.connect() as conn:
        return {row.id: row.text for row in conn.execute(query)}
