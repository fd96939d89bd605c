"""Imports every table module so that the shared metadata knows all tables."""

from airtally.storage import tables_alerts, tables_record, tables_threats, tables_tokens, tables_watch  # noqa: F401
