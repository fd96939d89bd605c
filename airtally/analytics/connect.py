"""Borrowing a connection from whatever the caller holds: an engine or an open connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine


@contextmanager
def connected(bind: Engine | Connection) -> Iterator[Connection]:
    """``with connected(engine_or_connection) as conn``: the connection given, or a new one closed after."""
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as conn:
        yield conn
