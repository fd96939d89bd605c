"""Figures that may be exact (an int) or approximate ({"min": 200}, {"max": 17}, {"about": 50}),
and the records of the figures chosen for an attack (``Figure``, ``Totals``).

>>> add_values([268, 2])
270
>>> add_values([{"min": 300}, 20])
{'min': 320}
>>> add_values([{"min": 3}, {"max": 2}]) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from airtally.extraction.quantity import Phrase

Value = int | dict[str, int] | None  # exact, approximate ({"min": 200}: one bound), or not given
KINDS = ("drones", "missiles")  # the classes of weapon an attack's totals are given for


def numeric(value: Value) -> int | None:
    """The number in a figure, exact or not."""
    if isinstance(value, dict):
        return next((v for v in value.values() if v is not None), None)
    return value


def exact_values(values: list[Value]) -> list[int] | None:
    """``values`` when every one is exact (an int), else None."""
    exact = [v for v in values if isinstance(v, int)]
    return exact if len(exact) == len(values) else None


def add_values(values: list[Value]) -> Value:
    """The sum of figures; approximate when a part is, None when the kinds cannot be combined."""
    if not values or None in values:
        return None
    exact = sum(v for v in values if isinstance(v, int))
    approximate = [v for v in values if isinstance(v, dict)]
    if not approximate:
        return exact
    kinds = {next(iter(v)) for v in approximate}
    if len(kinds) > 1:
        return None
    return {kinds.pop(): exact + sum(next(iter(v.values())) for v in approximate)}


def subtract(value: Value, minus: int) -> Value:
    """``value`` less an exact count (exact only)."""
    return value - minus if isinstance(value, int) else None


@dataclass
class Figure:
    value: Value
    rule: str
    phrases: list[Phrase] = field(default_factory=list)
    regional: bool = False
    confidence: str = "high"  # "low" when another reading competes (``confidence.judge``)
    judged: bool = False  # weighed already (``confidence.judge`` runs before and after the derived figures)


@dataclass
class Totals:
    """The chosen figures by (class, field), only those with a value, and the warnings on the way."""

    figures: dict[tuple[str, str], Figure] = field(default_factory=dict)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # the fields read with a competing reading: (field, message, spans: the chosen one's, then the rival's)
    ambiguous: list[tuple[str, str, list[tuple[int, int]]]] = field(default_factory=list)

    def value(self, kind: str, name: str) -> Value:
        figure = self.figures.get((kind, name))
        return figure.value if figure else None

    def set(self, kind: str, name: str, figure: Figure | None) -> None:
        if figure is not None and figure.value is not None:
            self.figures[(kind, name)] = figure
