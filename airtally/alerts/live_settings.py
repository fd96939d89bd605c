"""The live client's defaults, apart from the client: the CLI shows them in its help without
importing httpx and SQLAlchemy (``airtally --help`` stays quick)."""

from __future__ import annotations

DEFAULT_BASE_URL = "https://api.alerts.in.ua"
# alerts.in.ua allows about 8-10 requests a minute overall (HTTP 429 past it) and about
# 2 a minute for a region's history: one poll per 10 s stays under the first with room for a
# history request; 8 s is the floor we accept against the real service.
DEFAULT_INTERVAL = 10.0
DEFAULT_TIMEOUT = 10.0
