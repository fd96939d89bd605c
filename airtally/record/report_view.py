"""One stored report as the API shows it: figures with evidence snippets, casualties, claims,
the source and its link; the full text only where it may be shown.

A news article is someone else's text: its full text goes only to callers with a token
(``full_text=True``); everyone sees its figures, the evidence snippets and the link. Posts of
the Air Force and the regional commands are public statements and are shown whole.

>>> report_view(engine, 12)["text_withheld"]          # doctest: +SKIP
True
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from airtally.errors import NotFound
from airtally.record.attack_view import evidence_context
from airtally.storage.attacks import as_utc
from airtally.storage.tables_record import casualties, claims, figures, reports, sources

SNIPPET = 80  # characters of text on each side of an evidence span


def _link(origin: str | None) -> str | None:
    return origin if origin and origin.startswith(("https://", "http://")) else None


def _evidence(text: str, start, end) -> dict:
    return {"start": start, "end": end, "snippet": evidence_context(text, start, end, SNIPPET)}


def report_view(engine: Engine, report_id: int, full_text: bool = False) -> dict:
    """The report ``report_id`` as JSON-ready data (see the module docstring)."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(reports, sources.c.name.label("source"))
                           .join(sources, sources.c.id == reports.c.source_id)
                           .where(reports.c.id == report_id)).mappings().first()
        if row is None:
            raise NotFound(f"no report with id {report_id}")
        found = conn.execute(sa.select(figures).where(figures.c.report_id == report_id).order_by(figures.c.id)).mappings().all()
        hurt = conn.execute(sa.select(casualties).where(casualties.c.report_id == report_id)
                            .order_by(casualties.c.id)).mappings().all()
        said = conn.execute(sa.select(claims).where(claims.c.report_id == report_id).order_by(claims.c.id)).mappings().all()
    text = row["text"]
    shown = full_text or row["kind"] != "news"
    published = as_utc(row["published_at"])
    return {
        "id": row["id"], "source": row["source"], "kind": row["kind"], "language": row["language"],
        "published_at": published.isoformat() if published else None, "origin": row["origin"],
        "link": _link(row["origin"]), "attack_id": row["attack_id"], "is_attack_report": row["is_attack_report"],
        "figures": [{"id": f["id"], "subject": f["subject"], "class": f["weapon_class"], "measure": f["measure"],
                     "value": f["value"], "qualifier": f["qualifier"], "rule": f["rule"],
                     "superseded_by": f["superseded_by"], "evidence": _evidence(text, f["evidence_start"], f["evidence_end"])}
                    for f in found],
        "casualties": [{"measure": c["measure"], "value": c["value"], "qualifier": c["qualifier"],
                        "evidence": _evidence(text, c["evidence_start"], c["evidence_end"])} for c in hurt],
        "claims": [{"kind": c["kind"], "text": c["text"], "start": c["start"], "end": c["end"]} for c in said],
        "text": text if shown else None,
        "text_withheld": not shown,
    }
