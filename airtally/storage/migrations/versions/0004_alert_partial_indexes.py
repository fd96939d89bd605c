"""alert_events: partial indexes of the open alerts and of the external ids

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 14:40:00

``ix_alert_events_finished_at`` indexed the end of every alert, but the queries only look up
the alerts without an end ("still open at t"); the few such rows now have their own partial
index, and a 100,000-row import no longer maintains a full index it never reads. Likewise the
unique (source, external_id) only indexes rows that have an external id: the CSV rows have none
(and NULLs never collided in it).
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_OPEN = sa.text("finished_at IS NULL")
_HAS_ID = sa.text("external_id IS NOT NULL")
_EXTERNAL = 'uq_alert_events_source_external_id'


def upgrade() -> None:
    with op.batch_alter_table('alert_events', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_events_finished_at')
        batch_op.create_index('ix_alert_events_open', ['started_at'], unique=False,
                              sqlite_where=_OPEN, postgresql_where=_OPEN)
        batch_op.drop_constraint(_EXTERNAL, type_='unique')
    with op.batch_alter_table('alert_events', schema=None) as batch_op:
        batch_op.create_index(_EXTERNAL, ['source', 'external_id'], unique=True,
                              sqlite_where=_HAS_ID, postgresql_where=_HAS_ID)


def downgrade() -> None:
    with op.batch_alter_table('alert_events', schema=None) as batch_op:
        batch_op.drop_index(_EXTERNAL)
        batch_op.drop_index('ix_alert_events_open')
        batch_op.create_index('ix_alert_events_finished_at', ['finished_at'], unique=False)
    with op.batch_alter_table('alert_events', schema=None) as batch_op:
        batch_op.create_unique_constraint(_EXTERNAL, ['source', 'external_id'])
