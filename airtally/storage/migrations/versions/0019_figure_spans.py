"""figures.spans and casualties.spans: every span a figure was read from (a sum rests on each of
its parts) and the competing readings the engine weighed for it, stored with the figure

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 19:20:00

``{"evidence": [{"start", "end", "text"}, ...], "competing": [...]}``; NULL for rows with no
text to point into (the curated data set's, whose one span is ``evidence_*``). The first evidence
span stays in ``evidence_*`` as before. Rows stored before it are filled from their report's
stored extraction, read here as it was written up to this revision (the figure's spans under
its record, an ``ambiguous_figure`` warning under the figure's dotted path); a row whose first
span is not its report's current reading (an earlier reading, superseded) keeps NULL, and is
read as its one ``evidence_*`` span with no competing reading.
"""

from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

TABLES = ('figures', 'casualties')


def _spans(spans: list | None) -> list[dict]:
    return [{"start": s["start"], "end": s["end"], "text": s["text"]} for s in spans or []]


def _stored_spans(extraction: dict, table: str, row) -> dict | None:
    """The row's spans as the extraction holds them (None when it holds none for it)."""
    if table == 'casualties':
        record, path = extraction.get("casualties") or {}, f"casualties.{row.measure}"
    elif row.weapon_class is None:
        record, path = (extraction.get("totals") or {}).get(row.subject) or {}, f"totals.{row.subject}.{row.measure}"
    else:
        record = next((w for w in extraction.get("weapons") or [] if w.get("model") == row.subject), {})
        path = f"weapons.{row.subject}.{row.measure}"
    evidence = _spans((record.get("spans") or {}).get(row.measure))
    if not evidence or (evidence[0]["start"], evidence[0]["end"]) != (row.evidence_start, row.evidence_end):
        return None
    own = {(s["start"], s["end"]) for s in evidence}
    competing = [s for w in extraction.get("warnings") or []
                 if w.get("code") == "ambiguous_figure" and w.get("field") == path
                 for s in _spans(w.get("evidence")) if (s["start"], s["end"]) not in own]
    return {"evidence": evidence, "competing": competing}


CHUNK = 500  # reports read at a time: each report's extraction is parsed once, memory stays bounded


def _rows_table(table: str) -> sa.TableClause:
    columns: list[sa.ColumnClause] = [sa.column(name) for name in ('id', 'report_id', 'measure', 'evidence_start', 'evidence_end')]
    if table == 'figures':
        columns += [sa.column('subject'), sa.column('weapon_class')]
    return sa.table(table, *columns, sa.column('spans', sa.JSON))


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('spans', sa.JSON(), nullable=True))
    bind = op.get_bind()
    reports = sa.table('reports', sa.column('id', sa.Integer), sa.column('extraction', sa.JSON))
    tables = {table: _rows_table(table) for table in TABLES}
    ids = list(bind.execute(sa.select(reports.c.id).where(reports.c.extraction.isnot(None)).order_by(reports.c.id))
               .scalars())
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        # read through the JSON type: a dict, or None / another JSON value for no usable extraction
        extractions = dict(bind.execute(sa.select(reports.c.id, reports.c.extraction).where(reports.c.id.in_(chunk))).all())
        for table, rows_table in tables.items():
            updates = []
            query = sa.select(rows_table).where(rows_table.c.report_id.in_(chunk), rows_table.c.evidence_start.isnot(None))
            for row in bind.execute(query):
                extraction = extractions.get(row.report_id)
                found = _stored_spans(extraction, table, row) if isinstance(extraction, dict) else None
                if found is not None:
                    updates.append({"row_id": row.id, "spans": found})
            if updates:
                bind.execute(rows_table.update().where(rows_table.c.id == sa.bindparam("row_id"))
                             .values(spans=sa.bindparam("spans", type_=sa.JSON)), updates)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('spans')
