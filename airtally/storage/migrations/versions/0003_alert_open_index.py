"""alert_events: a partial index of the open alerts instead of an index of every end

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:40:00

``ix_alert_events_finished_at`` indexed the end of every alert, but the queries only look up
the alerts without an end ("still open at t"); the few such rows now have their own partial
index, and a 100,000-row import no longer maintains a full index it never reads.
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_OPEN = sa.text("finished_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table('alert_events', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_events_finished_at')
        batch_op.create_index('ix_alert_events_open', ['started_at'], unique=False,
                              sqlite_where=_OPEN, postgresql_where=_OPEN)


def downgrade() -> None:
    with op.batch_alter_table('alert_events', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_events_open')
        batch_op.create_index('ix_alert_events_finished_at', ['finished_at'], unique=False)
