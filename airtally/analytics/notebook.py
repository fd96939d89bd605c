"""The record for notebooks: ``airtally.open(db_url)`` with methods that return pandas DataFrames.

>>> import airtally
>>> record = airtally.open("sqlite://")          # an in-memory database, migrated
>>> list(record.tally(by="month").columns)[:6]
['period', 'class', 'attacks', 'launched', 'destroyed', 'lost']
>>> record.check("the largest drone attack ever", date="2025-07-04")["verdict"]
'not_enough_data'
>>> record.close()
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.engine import Engine

from airtally.analytics.claims import check
from airtally.analytics.records import ATTACK_COLUMNS, MONTH_COLUMNS, largest
from airtally.analytics.tally import TALLY_COLUMNS, tally
from airtally.record.frames import attacks_frame, figures_frame
from airtally.storage.database import Database


class Record:
    """Read-only views of one airtally database; every table-like answer is a DataFrame."""

    def __init__(self, engine: Engine, database: Database | None = None):
        self.engine = engine
        self.database = database

    def attacks(self) -> pd.DataFrame:
        """One row per attack: id, date, window, direction and the merged class totals as
        columns ``drones_launched`` ... ``all_hits`` (airtally.record.frames.attacks_frame)."""
        return attacks_frame(self.engine)

    def figures(self, current: bool = True) -> pd.DataFrame:
        """Every figure with its attack, report kind, source and evidence; ``current=False``
        keeps the superseded ones too (airtally.record.frames.figures_frame)."""
        return figures_frame(self.engine, current_only=current)

    def tally(self, by: str = "month", weapon_class: str | None = None, start=None, end=None,
              source_kind: str | None = None, direction: str | None = None) -> pd.DataFrame:
        """``airtally tally`` as a DataFrame (see airtally.analytics.tally.tally)."""
        rows = tally(self.engine, by, weapon_class, start, end, source_kind, direction)
        return pd.DataFrame(rows, columns=_columns(rows, TALLY_COLUMNS))

    def records(self, top: int = 10, weapon_class: str = "all", as_of=None, months: bool = False,
                source_kind: str | None = None, direction: str | None = None) -> pd.DataFrame:
        """The largest attacks (or, with ``months=True``, months) ranked by launched."""
        rows = largest(self.engine, top, weapon_class, as_of, months, source_kind, direction)
        return pd.DataFrame(rows, columns=_columns(rows, MONTH_COLUMNS if months else ATTACK_COLUMNS))

    def check(self, text: str, date: str | dt.date | None = None, source_kind: str | None = None, lang: str = "en") -> dict:
        """The verdict on a record claim (a dict, as ``airtally check --json`` prints it; notes in ``lang``)."""
        return check(self.engine, text, date, source_kind, lang=lang)

    def close(self) -> None:
        (self.database or self.engine).dispose()

    def __enter__(self) -> Record:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<airtally record {self.engine.url.render_as_string(hide_password=True)}>"


def _columns(rows: list[dict], first: tuple[str, ...]) -> list[str]:
    """``first`` then any further keys of the rows, so that an empty answer still has its columns."""
    extra = [k for k in (rows[0] if rows else {}) if k not in first]
    return [*first, *extra]


def open(db_url: str | None = None) -> Record:  # noqa: A001  (airtally.open, like io.open)
    """The record in ``db_url`` (default: ``$AIRTALLY_DB`` or the platform data file), migrated."""
    database = Database.open(db_url)
    return Record(database.engine, database)
