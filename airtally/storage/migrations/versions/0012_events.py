"""events: the outbox of changes worth telling (the live event stream and notifications read it)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 12:15:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'events',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('type', sa.String(length=40), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('subject_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('attack_id', sa.Integer(), nullable=True),
        sa.Column('threat_id', sa.Integer(), nullable=True),
        sa.Column('regions', sa.JSON(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('notify', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    )
    op.create_index('ix_events_attack_id', 'events', ['attack_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_events_attack_id', table_name='events')
    op.drop_table('events')
