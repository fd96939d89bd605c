"""The two alerts that never end and are not listed in the data sets.

They are part of the record (stored with ``permanent=True``, source ``permanent``, no end) so
that "what was under alert" is true, and statistics leave them out unless asked.

>>> [e.region_code for e in permanent_alerts()]
['UA-09', 'UA-43']
"""

from __future__ import annotations

import datetime as dt

from airtally.model import AlertEvent

SOURCE = "permanent"
_SINCE = {
    "UA-09": dt.datetime(2022, 4, 4, 16, 45, tzinfo=dt.timezone.utc),  # Luhansk oblast
    "UA-43": dt.datetime(2022, 12, 10, 22, 22, tzinfo=dt.timezone.utc),  # Crimea
}


def permanent_alerts() -> list[AlertEvent]:
    """The permanent alerts as events (oblast level, no end)."""
    return [AlertEvent(region_code=code, started_at=since, source=SOURCE, permanent=True) for code, since in _SINCE.items()]


def permanent_regions() -> frozenset[str]:
    """The codes of the regions under a permanent alert."""
    return frozenset(_SINCE)
