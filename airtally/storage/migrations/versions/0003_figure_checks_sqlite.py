"""figures: CHECK constraints as OR of equalities on SQLite

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:40:00

SQLite evaluates ``measure IN ('launched', ...)`` in a CHECK constraint by building a
temporary index for the list on every inserted row; on the curated import's 7,500 figures
that was ~40 ms of the import (more than half the cost of inserting them). ``measure =
'launched' OR ...`` accepts exactly the same values and costs almost nothing. SQLite cannot
alter a constraint, so the table is rebuilt (rows, ids and indexes kept; ``figures`` is the
only table referring to itself and no other table refers to it). PostgreSQL is left as it is.
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

MEASURES = ('launched', 'destroyed', 'lost', 'hits')
QUALIFIERS = ('exact', 'min', 'max', 'about')


def _one_of(column: str, values: tuple[str, ...], as_or: bool) -> str:
    if as_or:
        return " OR ".join(f"{column} = '{v}'" for v in values)
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _rebuild_figures(as_or: bool) -> None:
    op.create_table('_figures_new',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attack_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('weapon_class', sa.String(length=32), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.Column('measure', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('qualifier', sa.String(length=8), server_default='exact', nullable=False),
    sa.Column('evidence_start', sa.Integer(), nullable=True),
    sa.Column('evidence_end', sa.Integer(), nullable=True),
    sa.Column('evidence_text', sa.Text(), nullable=True),
    sa.Column('rule', sa.String(length=100), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=True),
    sa.CheckConstraint(_one_of('measure', MEASURES, as_or), name=op.f('ck_figures_measure')),
    sa.CheckConstraint(_one_of('qualifier', QUALIFIERS, as_or), name=op.f('ck_figures_qualifier')),
    sa.ForeignKeyConstraint(['attack_id'], ['attacks.id'], name='fk_figures_attack_id_attacks'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name='fk_figures_report_id_reports'),
    # Refers to itself under its new name: the rename below turns that into "figures", and the
    # old table can be dropped without its rows' references standing in the way.
    sa.ForeignKeyConstraint(['superseded_by'], ['_figures_new.id'], name='fk_figures_superseded_by_figures'),
    sa.PrimaryKeyConstraint('id', name='pk_figures')
    )
    op.execute("INSERT INTO _figures_new SELECT * FROM figures ORDER BY id")
    op.drop_table('figures')  # its indexes go with it
    op.rename_table('_figures_new', 'figures')
    op.create_index('ix_figures_attack_id', 'figures', ['attack_id'], unique=False)
    op.create_index('ix_figures_attack_subject', 'figures', ['attack_id', 'subject', 'measure'], unique=False)
    op.create_index('ix_figures_report_id', 'figures', ['report_id'], unique=False)


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _rebuild_figures(as_or=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _rebuild_figures(as_or=False)
