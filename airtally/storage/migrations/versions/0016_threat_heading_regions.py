"""threats.heading_regions: every oblast a threat's heading names ("курсом на Полтавщину та на
Харківщину": "UA-53 UA-63"), heading_region staying the first

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 13:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN: rows stored before read as naming their heading_region only
    op.add_column('threats', sa.Column('heading_regions', sa.String(length=400), server_default='', nullable=False))
    op.execute("UPDATE threats SET heading_regions = heading_region WHERE heading_region IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('threats', schema=None) as batch_op:
        batch_op.drop_column('heading_regions')
