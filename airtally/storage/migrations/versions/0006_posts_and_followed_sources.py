"""reports of channel posts (post id, revision, withdrawn), followed sources, their posts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 09:20:00

A post's identity is its channel and post id, not its text: two posts with the same text are
two reports, an edit is the post's next revision. A post's content hash covers its identity
and revision with its text (so the hash stays unique), and a post is unique per (source, post
id, revision). ``followed_sources`` and ``source_posts`` hold what
``airtally watch`` follows and what it has read.
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_IS_POST = sa.text("post_id IS NOT NULL")


def upgrade() -> None:
    # plain ADD COLUMN: rebuilding ``reports`` on SQLite would trip the foreign keys of every
    # table that refers to it
    op.add_column('reports', sa.Column('post_id', sa.BigInteger(), nullable=True))
    op.add_column('reports', sa.Column('revision', sa.Integer(), nullable=True))
    op.add_column('reports', sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('uq_reports_post_revision', 'reports', ['source_id', 'post_id', 'revision'], unique=True,
                    sqlite_where=_IS_POST, postgresql_where=_IS_POST)
    op.create_table('followed_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('interval_s', sa.Float(), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_poll_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_poll_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_post_id', sa.BigInteger(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_error_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('etag', sa.String(length=500), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.CheckConstraint("kind IN ('national', 'regional', 'news', 'alerts')", name=op.f('ck_followed_sources_kind')),
    sa.CheckConstraint("platform IN ('telegram', 'feed')", name=op.f('ck_followed_sources_platform')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followed_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_followed_sources_name'))
    )
    op.create_table('source_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('post_key', sa.String(length=500), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('stored', 'pending', 'empty')", name=op.f('ck_source_posts_status')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_source_posts_report_id_reports')),
    sa.ForeignKeyConstraint(['source_id'], ['followed_sources.id'], name=op.f('fk_source_posts_source_id_followed_sources'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_posts')),
    sa.UniqueConstraint('source_id', 'post_key', name='uq_source_posts_source_post')
    )
    op.create_index('ix_source_posts_published_at', 'source_posts', ['source_id', 'published_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_source_posts_published_at', table_name='source_posts')
    op.drop_table('source_posts')
    op.drop_table('followed_sources')
    op.drop_index('uq_reports_post_revision', table_name='reports')
    if op.get_bind().dialect.name == 'sqlite':  # SQLite 3.35+ drops a column in place
        for column in ('withdrawn_at', 'revision', 'post_id'):
            op.execute(f'ALTER TABLE reports DROP COLUMN {column}')
        return
    for column in ('withdrawn_at', 'revision', 'post_id'):
        op.drop_column('reports', column)
