"""A database's content without what depends on the order of writes (ids, write times):
two databases holding the same record and alert history give equal states."""

from __future__ import annotations

import sqlalchemy as sa

from airtally.storage.tables_alerts import alert_events
from airtally.storage.tables_watch import followed_sources
from airtally.storage.tables_record import attack_totals, attacks, curated_rows, figures, reports, sources


def _rows(conn, query) -> list[tuple]:
    return sorted((tuple(row) for row in conn.execute(query)), key=repr)


def database_state(url: str) -> dict[str, list[tuple]]:
    """Every table of the record and the alert history, rows keyed by their natural keys."""
    engine = sa.create_engine(url)
    report = sa.select(reports.c.id, reports.c.content_hash).subquery()
    attack = sa.select(attacks.c.id, attacks.c.date, attacks.c.attacker, attacks.c.target).subquery()
    later = figures.alias("later")
    try:
        with engine.connect() as conn:
            return {
                "alerts": _rows(conn, sa.select(*(c for c in alert_events.c if c.name != "id"))),
                "sources": _rows(conn, sa.select(sources.c.name, sources.c.kind)),
                "attacks": _rows(conn, sa.select(attacks.c.date, attacks.c.attacker, attacks.c.target,
                                                 attacks.c.start, attacks.c.end)),
                "reports": _rows(conn, sa.select(reports.c.content_hash, reports.c.kind, sources.c.name,
                                                 attack.c.date, reports.c.period_start, reports.c.period_end)
                                 .join(sources, sources.c.id == reports.c.source_id)
                                 .outerjoin(attack, attack.c.id == reports.c.attack_id)),
                "figures": _rows(conn, sa.select(report.c.content_hash, figures.c.subject, figures.c.measure,
                                                 figures.c.value, figures.c.qualifier, figures.c.evidence_start,
                                                 later.c.measure.label("superseded_by_measure"))
                                 .join(report, report.c.id == figures.c.report_id)
                                 .outerjoin(later, later.c.id == figures.c.superseded_by)),
                "totals": _rows(conn, sa.select(attack.c.date, attack.c.attacker, attack_totals.c.subject,
                                                attack_totals.c.launched, attack_totals.c.destroyed,
                                                attack_totals.c.lost, attack_totals.c.hits,
                                                attack_totals.c.source_kind)
                                .join(attack, attack.c.id == attack_totals.c.attack_id)),
                "followed": _rows(conn, sa.select(followed_sources.c.name, followed_sources.c.platform,
                                                  followed_sources.c.kind, followed_sources.c.url)),
                "curated_rows": _rows(conn, sa.select(report.c.content_hash, curated_rows.c.line)
                                      .join(report, report.c.id == curated_rows.c.report_id)),
            }
    finally:
        engine.dispose()
