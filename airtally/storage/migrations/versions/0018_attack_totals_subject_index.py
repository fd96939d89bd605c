"""attack_totals: a covering index by subject (class or weapon model) for the tallies and
records, which read one to three subjects of every attack: SQLite scanned the attacks and looked
each one's totals up by primary key (tally by month 4.3 -> 2.9 ms CPU on the curated record,
the largest attacks 0.55 -> 0.32 ms; BENCHMARKS.md, "Serving"); PostgreSQL reads it as an
index-only scan instead of a sequential one

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 15:40:00
"""

from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

COLUMNS = ['subject', 'attack_id', 'launched', 'destroyed', 'lost', 'unconfirmed']


def upgrade() -> None:
    op.create_index('ix_attack_totals_subject', 'attack_totals', COLUMNS)


def downgrade() -> None:
    op.drop_index('ix_attack_totals_subject', table_name='attack_totals')
