"""reviews, figure confidence: figures carry high|low and the reading of their report they
come from; totals say when they rest on unreviewed low figures; people's decisions on figures
are stored keyed by report, subject and measure (they survive re-reading the report)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 12:30:00

Existing figures become "high" (what was stored before read as certain), reading 1.
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added columns with server defaults: no table rewrite on SQLite, and every existing row
    # gets its value. The CHECK on confidence is added on PostgreSQL only: SQLite cannot add a
    # constraint without copying the whole figures table, so there the library alone keeps to
    # the two values (figure rows take them from Extraction.confidence_of).
    op.add_column('figures', sa.Column('confidence', sa.String(length=4), server_default='high', nullable=False))
    op.add_column('figures', sa.Column('reading', sa.Integer(), server_default='1', nullable=False))
    op.add_column('attack_totals', sa.Column('unconfirmed', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('source_totals', sa.Column('low', sa.Boolean(), server_default=sa.false(), nullable=False))
    if op.get_bind().dialect.name == 'postgresql':
        op.create_check_constraint(op.f('ck_figures_confidence'), 'figures', "confidence = 'high' OR confidence = 'low'")
    op.create_table(
        'reviews',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=64), nullable=False),
        sa.Column('measure', sa.String(length=16), nullable=False),
        sa.Column('decision', sa.String(length=8), nullable=False),
        sa.Column('value', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('reviewer', sa.String(length=200), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("decision = 'accept' OR decision = 'correct' OR decision = 'reject'",
                           name=op.f('ck_reviews_decision')),
        sa.CheckConstraint("decision <> 'correct' OR value IS NOT NULL", name=op.f('ck_reviews_correction_value')),
        sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_reviews_report_id_reports')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
        sa.UniqueConstraint('report_id', 'subject', 'measure', name='uq_reviews_key'),
    )


def downgrade() -> None:
    op.drop_table('reviews')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f('ck_figures_confidence'), 'figures', type_='check')
    with op.batch_alter_table('source_totals') as batch:
        batch.drop_column('low')
    with op.batch_alter_table('attack_totals') as batch:
        batch.drop_column('unconfirmed')
    with op.batch_alter_table('figures') as batch:
        batch.drop_column('reading')
        batch.drop_column('confidence')
