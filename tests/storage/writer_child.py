"""One ``airtally`` command run by tests/storage/test_concurrent_writers.py, started on a signal.

``python writer_child.py READY GO PAUSES ARGS...``: imports airtally, creates the file READY,
waits for the file GO, then runs ``airtally ARGS...``. PAUSES (comma-separated, or "-") names
steps of the library that sleep after they have read what is stored, so that concurrent
writers certainly overlap where a get-or-create can race:

- ``schema``: after reading the schema's revision (Alembic's version table);
- ``alerts``: after each batch of alerts is stored (the permanent alerts come first);
- ``attacks``: after looking up the attacks a write joins (curated import and ingest);
- ``sources``: before each followed source is added (after ``sources init`` read which are).
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

PAUSE = 0.4  # seconds


def _stretched(function):
    @functools.wraps(function)
    def slow(*args, **kwargs):
        result = function(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    return slow


def _delayed(function):
    @functools.wraps(function)
    def slow(*args, **kwargs):
        time.sleep(PAUSE)
        return function(*args, **kwargs)

    return slow


def stretch(pauses: set[str]) -> None:
    if "schema" in pauses:
        from alembic.runtime.migration import MigrationContext

        MigrationContext.get_current_heads = _stretched(MigrationContext.get_current_heads)
    if "alerts" in pauses:
        from airtally.alerts import importer

        importer.upsert_events = _stretched(importer.upsert_events)
    if "attacks" in pauses:
        from airtally.storage import attacks

        attacks.attacks_by_key = _stretched(attacks.attacks_by_key)
        attacks._find = _stretched(attacks._find)
    if "sources" in pauses:
        from airtally.sources import followed

        followed.add_source = _delayed(followed.add_source)


def main() -> None:
    ready, go, pauses, *args = sys.argv[1:]
    import airtally.record.ingest  # noqa: F401  (loaded before the start, as the rest)
    from airtally.cli import main as run_airtally

    stretch(set(pauses.split(",")) - {"-"})
    Path(ready).touch()
    deadline = time.monotonic() + 120
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    sys.argv = ["airtally", *args]
    run_airtally()


if __name__ == "__main__":
    main()
