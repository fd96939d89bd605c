"""The example reports bundled with airtally, and ingesting them (``airtally demo``).

>>> [e.kind for e in bundled_examples()][:2]
['national', 'news']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

import yaml
from sqlalchemy.engine import Engine

from airtally.clock import parse_published
from airtally.record.ingest import IngestSummary, ingest_text


@dataclass(frozen=True)
class Example:
    file: str
    published: dt.datetime
    source: str
    kind: str
    language: str

    def text(self) -> str:
        return resources.files("airtally.examples").joinpath(self.file).read_text("utf-8")


def bundled_examples() -> list[Example]:
    """The examples listed in ``airtally/examples/examples.yaml``, in its order."""
    manifest = resources.files("airtally.examples").joinpath("examples.yaml").read_text("utf-8")
    return [
        Example(
            file=row["file"],
            published=parse_published(row["published"]),
            source=row["source"],
            kind=row["kind"],
            language=row["language"],
        )
        for row in yaml.safe_load(manifest)["examples"]
    ]


def ingest_examples(engine: Engine) -> tuple[IngestSummary, list[tuple[Example, str]]]:
    """Ingest every bundled example; returns the summary and each example's outcome status."""
    summary = IngestSummary()
    outcomes = []
    for example in bundled_examples():
        outcome = ingest_text(
            engine,
            example.text(),
            origin=f"airtally/examples/{example.file}",
            published=example.published,
            source=example.source,
            kind=example.kind,
        )
        summary.count(outcome)
        outcomes.append((example, outcome.status))
    return summary, outcomes
