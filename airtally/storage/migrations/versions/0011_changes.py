"""changes: one row counting committed writes (the API's answer cache asks it whether
anything changed; PostgreSQL's WAL position moved with every other database's writes)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 10:15:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        'changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('writes', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_changes')),
    )
    op.bulk_insert(table, [{'id': 1, 'writes': 0}])


def downgrade() -> None:
    op.drop_table('changes')
