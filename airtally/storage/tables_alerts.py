"""Tables of the air-raid alert history: one row per alert for one place.

Times are stored in UTC. ``UtcDateTime`` makes that hold on every backend: PostgreSQL keeps
``timestamptz``; SQLite has no time zone type, so values are converted to UTC and stored
without an offset, which keeps its text comparisons (``started_at <= :t``) correct.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from airtally.storage.metadata import metadata

ALERT_LEVELS = ("oblast", "raion", "hromada")


class UtcDateTime(sa.types.TypeDecorator):
    """A timezone-aware datetime stored as UTC; naive values are refused, not guessed.

    On SQLite the column is still DATETIME, but the value is the text ``sqlite_text`` writes
    (naive UTC with microseconds, the text SQLAlchemy itself would write), read back with one
    ``fromisoformat``: reading 100,000 alerts is then twice as fast as through SQLAlchemy's
    SQLite datetime parsing plus a time zone.

    >>> UtcDateTime().process_bind_param(dt.datetime(2022, 10, 30, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))), None)
    datetime.datetime(2022, 10, 30, 1, 0, tzinfo=datetime.timezone.utc)
    >>> sqlite_text(dt.datetime(2022, 10, 30, 1, 0, tzinfo=dt.timezone.utc))
    '2022-10-30 01:00:00.000000'
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def bind_processor(self, dialect):
        if dialect.name == "sqlite":
            return self._bind_sqlite
        return super().bind_processor(dialect)

    def result_processor(self, dialect, coltype):
        if dialect.name == "sqlite":
            return self._read_sqlite
        return super().result_processor(dialect, coltype)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: alert times must carry a time zone")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value, dialect):
        return value.astimezone(dt.timezone.utc) if value is not None else None

    def _bind_sqlite(self, value):
        return sqlite_text(self.process_bind_param(value, None)) if value is not None else None

    @staticmethod
    def _read_sqlite(value):
        return dt.datetime.fromisoformat(value + "+00:00") if value is not None else None


def sqlite_text(value: dt.datetime) -> str:
    """How SQLite stores an aware datetime: naive UTC text with microseconds (sorts as time).

    The text of ``value.astimezone(utc).isoformat(" ", "microseconds")`` without its "+00:00",
    formatted from the fields: a third cheaper than isoformat, which formats the offset too.
    """
    if value.tzinfo is not dt.timezone.utc:  # the parsers' times already are: skip a copy
        value = value.astimezone(dt.timezone.utc)
    return "%04d-%02d-%02d %02d:%02d:%02d.%06d" % (
        value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond,
    )


alert_events = sa.Table(
    "alert_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # official | volunteer | alerts.in.ua | permanent
    sa.Column("source", sa.String(32), nullable=False),
    # The source's own id (alerts.in.ua's alert id); None for the CSV data sets.
    sa.Column("external_id", sa.String(64)),
    sa.Column("level", sa.String(8), nullable=False),
    # ISO 3166-2:UA code of the oblast (also for raion and hromada alerts).
    sa.Column("region_code", sa.String(6), nullable=False),
    sa.Column("raion", sa.String(200)),
    sa.Column("hromada", sa.String(300)),
    # "UA-53", "UA-53|Lubenskyi raion", "UA-53|Lubenskyi raion|<hromada>": one non-null key
    # for the place, because NULLs never collide in a unique index.
    sa.Column("place", sa.String(520), nullable=False),
    sa.Column("started_at", UtcDateTime, nullable=False),
    # None while the alert is active (or never ended: the permanent alerts).
    sa.Column("finished_at", UtcDateTime),
    # finished_at - started_at in seconds. Its maximum bounds how far back an "active at t"
    # query must look, so that query reads a narrow index range instead of all history.
    sa.Column("duration_s", sa.Integer),
    sa.Column("end_is_estimate", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("alert_type", sa.String(24), nullable=False, server_default="air_raid"),
    sa.Column("permanent", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.CheckConstraint("level IN ('oblast', 'raion', 'hromada')", name="level"),
    sa.UniqueConstraint("source", "place", "alert_type", "started_at", name="uq_alert_events_natural_key"),
)
# One row per source's own id. Partial: the CSV rows have none, and NULLs never collide anyway,
# so a 100,000-row CSV import need not index them.
sa.Index(
    "uq_alert_events_source_external_id", alert_events.c.source, alert_events.c.external_id, unique=True,
    sqlite_where=alert_events.c.external_id.isnot(None), postgresql_where=alert_events.c.external_id.isnot(None),
)
sa.Index("ix_alert_events_started_at", alert_events.c.started_at)
# The alerts without an end, for "still open at t": a handful of rows, so a 100,000-row import
# barely touches it (an index of every finished_at cost a tenth of the import and was never read).
sa.Index(
    "ix_alert_events_open", alert_events.c.started_at,
    sqlite_where=alert_events.c.finished_at.is_(None), postgresql_where=alert_events.c.finished_at.is_(None),
)
sa.Index("ix_alert_events_duration_s", alert_events.c.duration_s)
# "Active at t" for chosen sources (``--source official``): one source's alerts in a time range.
# Without these SQLite reads the (source, place, ...) unique index, every row of the source.
sa.Index("ix_alert_events_source_started_at", alert_events.c.source, alert_events.c.started_at)
sa.Index(
    "ix_alert_events_open_source", alert_events.c.source, alert_events.c.started_at,
    sqlite_where=alert_events.c.finished_at.is_(None), postgresql_where=alert_events.c.finished_at.is_(None),
)
