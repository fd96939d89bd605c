"""airtally: turns reports of air attacks on Ukraine into a verified, queryable record."""

from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str):
    # `airtally.open` pulls in the database layer; load it only when asked so that
    # `import airtally.extraction` stays light.
    if name == "open":
        from airtally.analytics.notebook import open as open_record

        return open_record
    raise AttributeError(name)
