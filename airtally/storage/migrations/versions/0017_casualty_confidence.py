"""casualties.confidence and casualties.reading: a casualty figure carries the engine's
confidence (high|low) and the reading of its report it comes from, as figures do (0015);
people's decisions on casualty figures are stored in ``reviews`` under the subject "casualties"

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 15:30:00

Existing casualty rows become "high" (what was stored before read as certain), reading 1:
``airtally reextract`` gives them the current engine's confidence.
"""

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added columns with server defaults: no table rewrite on SQLite. The CHECK on confidence
    # is added on PostgreSQL only (SQLite would copy the whole table to add one), as in 0015.
    op.add_column('casualties', sa.Column('confidence', sa.String(length=4), server_default='high', nullable=False))
    op.add_column('casualties', sa.Column('reading', sa.Integer(), server_default='1', nullable=False))
    if op.get_bind().dialect.name == 'postgresql':
        op.create_check_constraint(op.f('ck_casualties_confidence'), 'casualties',
                                   "confidence = 'high' OR confidence = 'low'")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f('ck_casualties_confidence'), 'casualties', type_='check')
    with op.batch_alter_table('casualties') as batch:
        batch.drop_column('reading')
        batch.drop_column('confidence')
