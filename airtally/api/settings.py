"""What ``airtally serve`` was told: database, path prefix, CORS, trusted proxies, limits.

The settings travel to uvicorn's worker processes through one environment variable (a worker
imports the app factory by name and builds the app from it).

>>> Settings.from_env({ENV: Settings(cors_origins=("https://example.org",)).to_json()}).cors_origins
('https://example.org',)
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

ENV = "AIRTALLY_SERVE_SETTINGS"


@dataclass(frozen=True)
class Settings:
    db_url: str | None = None
    # Origins allowed to call the API from a browser; none: CORS stays off.
    cors_origins: tuple[str, ...] = ()
    # Proxies whose X-Forwarded-For names the client ("*": any); others' headers are ignored.
    forwarded_allow_ips: tuple[str, ...] = ()
    max_body_bytes: int = 1_000_000
    # Requests per minute, counted in each worker process.
    writes_per_minute: int = 60
    extracts_per_minute: int = 30
    # GET answers kept per process until the database changes (airtally.api.cache); 0: none.
    cache_entries: int = 256
    # The live event stream (GET /api/events): clients held at once per process (503 beyond), the
    # Redis server that wakes it (None: $AIRTALLY_REDIS_URL, else LISTEN on PostgreSQL, else
    # polling the outbox every events_poll_interval seconds), a keep-alive comment every
    # events_keepalive seconds.
    event_clients: int = 1000
    redis_url: str | None = None
    events_poll_interval: float = 1.0
    events_keepalive: float = 15.0

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings ``airtally serve`` put in ``$AIRTALLY_SERVE_SETTINGS`` (defaults without it)."""
        raw = (os.environ if environ is None else environ).get(ENV)
        if not raw:
            return cls()
        values = json.loads(raw)
        for name in ("cors_origins", "forwarded_allow_ips"):
            values[name] = tuple(values.get(name) or ())
        return cls(**values)
