"""notify: the endpoints notifications are delivered to, and each delivery's state

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 12:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'notify_endpoints',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('secret', sa.String(length=200), nullable=True),
        sa.Column('token', sa.String(length=500), nullable=True),
        sa.Column('types', sa.String(length=100), server_default='', nullable=False),
        sa.Column('regions', sa.String(length=400), server_default='', nullable=False),
        sa.Column('min_launched', sa.Integer(), nullable=True),
        sa.Column('enabled', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('disabled_reason', sa.Text(), nullable=True),
        sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('start_after', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('scanned_to', sa.BigInteger(), server_default='0', nullable=False),
        sa.CheckConstraint("kind IN ('webhook', 'ntfy')", name=op.f('ck_notify_endpoints_kind')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_endpoints')),
    )
    op.create_table(
        'notify_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('endpoint_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.BigInteger(), nullable=False),
        sa.Column('status', sa.String(length=16), server_default='pending', nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_status_code', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'delivered', 'failed', 'expired')",
                           name=op.f('ck_notify_deliveries_status')),
        sa.ForeignKeyConstraint(['endpoint_id'], ['notify_endpoints.id'],
                                name=op.f('fk_notify_deliveries_endpoint_id_notify_endpoints'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_notify_deliveries_event_id_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_deliveries')),
        sa.UniqueConstraint('endpoint_id', 'event_id', name='uq_notify_deliveries_endpoint_event'),
    )
    op.create_index('ix_notify_deliveries_due', 'notify_deliveries', ['status', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_notify_deliveries_due', table_name='notify_deliveries')
    op.drop_table('notify_deliveries')
    op.drop_table('notify_endpoints')
