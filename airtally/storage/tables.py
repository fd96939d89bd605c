"""Imports every table module so that the shared metadata knows all tables."""

from airtally.storage import (  # noqa: F401
    tables_alerts, tables_changes, tables_events, tables_notify, tables_record, tables_reviews, tables_threats,
    tables_tokens, tables_watch,
)
