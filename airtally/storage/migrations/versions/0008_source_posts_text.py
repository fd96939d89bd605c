"""source_posts.text: a post kept to be read again holds its text

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 09:35:00

A post of the alert channel that names a place the registry does not know is kept ``pending``
with its text, to be read again once the registry learns the place.
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('source_posts', sa.Column('text', sa.Text(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE source_posts DROP COLUMN text')
        return
    op.drop_column('source_posts', 'text')
