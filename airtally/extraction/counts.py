"""Figures that may be exact (an int) or approximate ({"min": 200}, {"max": 17}, {"about": 50}).

>>> add_values([268, 2])
270
>>> add_values([{"min": 300}, 20])
{'min': 320}
>>> add_values([{"min": 3}, {"max": 2}]) is None
True
"""

from __future__ import annotations

Value = int | dict | None


def numeric(value: Value) -> int | None:
    """The number in a figure, exact or not."""
    if isinstance(value, dict):
        return next((v for v in value.values() if v is not None), None)
    return value


def add_values(values: list[Value]) -> Value:
    """The sum of figures; approximate when a part is, None when the kinds cannot be combined."""
    if not values or None in values:
        return None
    kinds = {next(iter(v)) for v in values if isinstance(v, dict)}
    if not kinds:
        return sum(values)
    total = sum(numeric(v) for v in values)
    if len(kinds) > 1:
        return None
    return {kinds.pop(): total}


def subtract(value: Value, minus: int) -> Value:
    """``value`` less an exact count (exact only)."""
    return value - minus if isinstance(value, int) else None
