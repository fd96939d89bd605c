"""A schematic tile map of Ukraine's oblasts, coloured by alert state, drawn as SVG.

Tile positions are data (data/tile_grid.yaml); region codes are the catalogue's. States:
``full`` (the oblast under alert), ``partial`` (part of it), ``permanent``, ``none``, and
``unknown`` where the stored history does not cover the time (never drawn as calm).
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from importlib import resources

import yaml

from airtally.catalog.regions import region
from airtally.web.labels import Words

STATES = ("full", "partial", "permanent", "none", "unknown")
TILE, GAP, PAD = 64, 4, 8


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
    width, height = PAD * 2 + cols * (TILE + GAP), PAD * 2 + rows * (TILE + GAP) + 24 * (3 if covered else 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart tilemap" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(caption)}">', f"<title>{escape(caption)}</title>"]
    for tile in tiles():
        state = states.get(tile["code"], "none" if covered else "unknown")
        parts.append(_tile(tile, state, words))
    parts.append(_legend(words, PAD, PAD + rows * (TILE + GAP) + 4, covered))
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
            f'<text x="{x + TILE / 2}" y="{y + TILE / 2 + 4}" text-anchor="middle">{escape(short)}</text></g>')


def _legend(words: Words, x: int, y: int, covered: bool) -> str:
    shown = ("full", "partial", "permanent", "none", "unknown") if covered else ("unknown", "permanent")
    items = []
    for i, state in enumerate(shown):
        cx, cy = x + (i % 2) * 250, y + (i // 2) * 24
        items.append(f'<g class="legend state-{state}"><rect x="{cx}" y="{cy}" width="16" height="16" rx="3"/>'
                     f'<text x="{cx + 22}" y="{cy + 13}">{escape(words("state_" + state))}</text></g>')
    return "".join(items)
