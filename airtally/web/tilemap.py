"""A schematic tile map of Ukraine's oblasts, coloured by alert state, drawn as SVG.

Tile positions are data (data/tile_grid.yaml); region codes are the catalogue's. States:
``full`` (the oblast under alert), ``partial`` (part of it), ``permanent``, ``none``, and
``unknown`` where the stored history does not cover the time (never drawn as calm). An
attack's map grades its oblasts by the share of the night they spent under alert: ``q1`` (under a
quarter) to ``q4`` (over three quarters), see ``graded``.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from importlib import resources

import yaml

from airtally.catalog.regions import region
from airtally.web.labels import Words

STATES = ("full", "partial", "permanent", "none", "unknown")
GRADES = ("q1", "q2", "q3", "q4")


def graded(share: float) -> str:
    """The grade of an oblast under alert for ``share`` (0..1) of an attack's window.

    >>> [graded(s) for s in (0.1, 0.25, 0.6, 1.0)]
    ['q1', 'q2', 'q3', 'q4']
    """
    return GRADES[min(int(max(share, 0.0) * 4), 3)]
TILE, GAP, PAD = 64, 4, 8
LEGEND_ROW = 24


@lru_cache(maxsize=1)
def tiles() -> tuple[dict, ...]:
    """The tiles, each {code, col, row, en, uk}; every code is a catalogue region."""
    text = resources.files("airtally.web").joinpath("data/tile_grid.yaml").read_text("utf-8")
    found = tuple(yaml.safe_load(text)["tiles"])
    for tile in found:
        region(tile["code"])  # a KeyError here is a typo in the data file
    return found


def tile_map(states: dict[str, str], words: Words, covered: bool = True, caption: str = "") -> str:
    """The map as an SVG document: ``states`` maps region codes to a state; a code not in it is
    ``none`` when ``covered``, else ``unknown``."""
    cols = 1 + max(t["col"] for t in tiles())
    rows = 1 + max(t["row"] for t in tiles())
    shown = _shown(covered, any(state in GRADES for state in states.values()))
    width, height = PAD * 2 + cols * (TILE + GAP), PAD * 2 + rows * (TILE + GAP) + LEGEND_ROW * len(shown)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart tilemap" viewBox="0 0 {width} {height}" '
             f'data-covered="{str(covered).lower()}" '
             f'role="img" aria-label="{escape(caption)}">', f"<title>{escape(caption)}</title>"]
    for tile in tiles():
        state = states.get(tile["code"], "none" if covered else "unknown")
        parts.append(_tile(tile, state, words))
    parts.append(_legend(words, PAD, PAD + rows * (TILE + GAP) + 4, shown))
    parts.append("</svg>")
    return "".join(parts)


def _tile(tile: dict, state: str, words: Words) -> str:
    x, y = PAD + tile["col"] * (TILE + GAP), PAD + tile["row"] * (TILE + GAP)
    name = tile[words.lang]
    full_name = getattr(region(tile["code"]), words.lang)
    short = name if len(name) <= 10 else name[:9] + "."
    return (f'<g class="tile state-{state}" data-code="{tile["code"]}" data-state="{state}">'
            f'<title>{escape(full_name)}: {escape(words("state_" + state))}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="6"/>'
            f'<text class="name" x="{x + TILE / 2}" y="{y + TILE / 2 + 4}" text-anchor="middle">{escape(short)}</text>'
            f'<text class="abbr" display="none" x="{x + TILE / 2}" y="{y + TILE / 2 + 5}" text-anchor="middle">'
            f'{escape(tile["abbr"][words.lang])}</text></g>')


def _shown(covered: bool, grades: bool) -> tuple[str, ...]:
    """The states the legend names: what the map can show."""
    if not covered:
        return ("unknown", "permanent")
    return GRADES + ("none", "unknown") if grades else ("full", "partial", "permanent", "none", "unknown")


def _legend(words: Words, x: int, y: int, shown: tuple[str, ...]) -> str:
    """One state a row: room for a long name when a phone's stylesheet makes the text larger."""
    items = []
    for i, state in enumerate(shown):
        cy = y + i * LEGEND_ROW
        items.append(f'<g class="legend state-{state}"><rect x="{x}" y="{cy}" width="16" height="16" rx="3"/>'
                     f'<text x="{x + 22}" y="{cy + 13}">{escape(words("state_" + state))}</text></g>')
    return "".join(items)
