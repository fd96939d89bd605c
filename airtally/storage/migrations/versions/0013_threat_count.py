"""threats.count: the number of the threat its line states ("3 БпЛА"; None when it states none)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 12:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN: a nullable column needs no table rebuild on SQLite
    op.add_column('threats', sa.Column('count', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('threats', schema=None) as batch_op:
        batch_op.drop_column('count')
