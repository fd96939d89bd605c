"""threats: the threat timeline read from the followed channels' live posts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 10:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'threats',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=200), nullable=False),
        sa.Column('post_key', sa.String(length=500), nullable=False),
        sa.Column('line', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('type', sa.String(length=24), nullable=False),
        sa.Column('regions', sa.String(length=400), server_default='', nullable=False),
        sa.Column('heading', sa.String(length=500), nullable=True),
        sa.Column('heading_region', sa.String(length=8), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_by', sa.Integer(), nullable=True),
        sa.CheckConstraint("type IN ('strike_drones', 'jet_drones', 'cruise_missiles', 'ballistic_missiles', 'hypersonic', "
                           "'guided_bombs', 'aircraft_takeoff', 'all_clear')", name=op.f('ck_threats_type')),
        sa.ForeignKeyConstraint(['closed_by'], ['threats.id'], name=op.f('fk_threats_closed_by_threats'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_threats')),
        sa.UniqueConstraint('source', 'post_key', 'line', name='uq_threats_source_post_line'),
    )
    op.create_index('ix_threats_at', 'threats', ['at'], unique=False)
    op.create_index('ix_threats_open', 'threats', ['closed_at', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_threats_open', table_name='threats')
    op.drop_index('ix_threats_at', table_name='threats')
    op.drop_table('threats')
