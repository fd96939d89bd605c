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

    >>> UtcDateTime().process_bind_param(dt.datetime(2022, 10, 30, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))), None)
    datetime.datetime(2022, 10, 30, 1, 0, tzinfo=datetime.timezone.utc)
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: alert times must carry a time zone")
        value = value.astimezone(dt.timezone.utc)
        if dialect is not None and dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


alert_events = sa.Table(
    "alert_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # official | volunteer | alerts-in-ua | permanent
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
    sa.UniqueConstraint("source", "external_id", name="uq_alert_events_source_external_id"),
    sa.UniqueConstraint("source", "place", "alert_type", "started_at", name="uq_alert_events_natural_key"),
)
sa.Index("ix_alert_events_started_at", alert_events.c.started_at)
sa.Index("ix_alert_events_finished_at", alert_events.c.finished_at)
sa.Index("ix_alert_events_duration_s", alert_events.c.duration_s)
sa.Index("ix_alert_events_region_started", alert_events.c.region_code, alert_events.c.started_at)
