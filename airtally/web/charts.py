"""Charts drawn on the server as SVG: they show without JavaScript and embed anywhere.

Every data point is an element with its value in ``data-value`` and a ``<title>`` tooltip,
so a reader (or a test) can find each one.

>>> nice_step(537)
100
>>> ticks(537)
[0, 100, 200, 300, 400, 500, 600]
"""

from __future__ import annotations

import math
import re
from html import escape

# Charts keep their text at its size at any width: a chart is drawn in pixels, never scaled to
# fit. Its <svg> is the plot area (no viewBox): across it everything is placed in percent of its
# width, down it in pixels; the axis labels stand in margins outside it (overflow visible): the
# page's stylesheet gives the margins (style.css, .chart-wrap svg.fluid), ``standalone`` wraps the
# plot in them for an SVG download. Labels a narrow chart has no room for are "minor", hidden by
# the stylesheet's container query, so a phone shows fewer ticks at the same size, not smaller ones.
WIDTH = 760  # a standalone chart's width
LEFT, RIGHT = 56, 44  # the margins for the value axis (left) and the rate axis (right)
TOP, PLOT_H = 12, 220  # above the plot: room for the top tick label; the plot's height
ROW = 18  # a legend row
WIDE_LABELS, NARROW_LABELS = 12, 5  # at most this many period labels, wide and narrow
X_ZONE = {"bars": 70, "lines": 44}  # below the plot: the period labels (slanted) or the days and their name
SHORT_NAME = 14  # characters of a legend name that fit in a column of half a phone's plot
CHAR = 7  # pixels: about the width of a character of the chart's 12 px text
# The charts' colours, as attributes: an SVG download has no stylesheet (the page's has none for them)
COLOUR = {"launched": "#9aa5b8", "destroyed": "#1f6fb2", "rate": "#d9822b", "current": "#1f6fb2",
          "e1": "#8a94a8", "e2": "#b4bccb", "e3": "#d3d8e1", "grid": "#d9dde5", "text": "#5b6475"}


def nice_step(top: float, count: int = 6) -> int:
    """A round step (1, 2, 5 x 10^n) giving about ``count`` ticks up to ``top``."""
    raw = max(top, 1) / count
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw) or 1)


def ticks(top: float) -> list[int]:
    """Tick values from 0 to the first round value at or above ``top``."""
    step = nice_step(top)
    return list(range(0, int(math.ceil(max(top, 1) / step) * step) + 1, step))


def _columns(names: list[str]) -> int:
    """Two legend columns when every name fits in half of a phone's plot (~115 px), else one.

    >>> _columns(["Launched", "Shot down", "Interception rate"]), _columns(["2025-07 (This month)", "2025-06"])
    (2, 1)
    """
    beside_another = [name for i, name in enumerate(names) if i % 2 or i + 1 < len(names)]
    return 2 if all(len(name) <= SHORT_NAME for name in beside_another) else 1


def _height(kind: str, names: list[str]) -> int:
    return TOP + PLOT_H + X_ZONE[kind] + ROW * math.ceil(len(names) / _columns(names)) + 4


def _open(caption: str, kind: str, height: int) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart fluid {kind}" width="{WIDTH - LEFT - RIGHT}" '
            f'height="{height}" overflow="visible" font-family="system-ui, sans-serif" font-size="12" fill="{COLOUR["text"]}" '
            f'role="img" aria-label="{escape(caption)}"><title>{escape(caption)}</title>']


def standalone(svg: str) -> str:
    """A chart as an SVG document of its own: the plot inside its axis margins (a page's
    stylesheet gives them there), at ``WIDTH`` pixels. Anything else (a map) is returned as it is.

    >>> standalone(lines([], "c", "day", "none"))[:80]
    '<svg xmlns="http://www.w3.org/2000/svg" width="760" height="280"><svg xmlns="htt'
    """
    found = re.match(r'<svg [^>]*class="chart fluid[^>]* height="(\d+)"', svg)
    if found is None:
        return svg
    plot = svg.replace(' overflow="visible"', f' x="{LEFT}" overflow="visible"', 1)
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{found.group(1)}">{plot}</svg>'


def grouped(value: int, sep: str) -> str:
    """An integer with ``sep`` between groups of thousands: 1,291 or 1 291."""
    return f"{value:,}".replace(",", sep)


def _y_axis(top: int, scale, sep: str) -> list[str]:
    """Grid lines across the plot and their values in the left margin."""
    out = []
    for value in ticks(top):
        y = scale(value)
        out.append(f'<line class="grid" x1="0" x2="100%" y1="{y:.1f}" y2="{y:.1f}" stroke="{COLOUR["grid"]}"/>'
                   f'<text class="axis y" x="-6" y="{y + 4:.1f}" text-anchor="end">{grouped(value, sep)}</text>')
    return out


def _shown(count: int, most: int) -> int:
    """Every how many labels one is shown so that at most ``most`` of ``count`` are."""
    return max(1, math.ceil(count / most))


def _x_labels(labels: list[str], xs: list[float]) -> list[str]:
    """The periods' labels, slanted, under their bars; those a narrow chart leaves out are minor."""
    every = _shown(len(labels), WIDE_LABELS)
    narrow = every * _shown(len(labels), NARROW_LABELS * every)
    y = TOP + PLOT_H + 14
    out = []
    for i, (label, x) in enumerate(zip(labels, xs)):
        last = i == len(labels) - 1 and len(labels) <= WIDE_LABELS
        if i % every == 0 or last:
            minor = "" if i % narrow == 0 else " minor"
            out.append(f'<svg class="axis-label{minor}" x="{x:.2f}%" y="{y}" overflow="visible">'
                       f'<text class="axis x" transform="rotate(-40)" text-anchor="end">{escape(label)}</text></svg>')
    return out


def _legend(items: list[tuple[str, str]], y: float) -> str:
    """The legend twice: in one row (shown by default, as in a standalone SVG) and, for a narrow
    chart, in two columns of half its width when its names are short, else one name a row (the
    stylesheet's container query swaps them; ``display`` is an attribute so that a stylesheet
    can override it)."""
    wide, x = [], 0
    for cls, text in items:
        wide.append(_legend_item(cls, text, f"{x}", y))
        x += 20 + CHAR * len(text) + 24
    columns = _columns([text for _, text in items])
    narrow = [_legend_item(cls, text, f"{(i % columns) * 50}%", y + (i // columns) * ROW) for i, (cls, text) in enumerate(items)]
    return f'<g class="legend-wide">{"".join(wide)}</g><g class="legend-narrow" display="none">{"".join(narrow)}</g>'


def _legend_item(cls: str, text: str, x: str, y: float) -> str:
    return (f'<svg class="legend {cls}" x="{x}" y="{y}" overflow="visible">'
            f'<rect x="0" y="0" width="14" height="10" fill="{COLOUR[cls.split()[-1]]}"/>'
            f'<text x="20" y="10">{escape(text)}</text></svg>')


def empty_chart(caption: str, message: str) -> str:
    """An SVG saying there is nothing to draw."""
    height = _height("lines", [])
    return "".join(_open(caption, "empty", height)) + (
        f'<text class="empty" x="50%" y="{height / 2}" font-size="16" text-anchor="middle">{escape(message)}</text></svg>')


def _stretched(inner: list[str]) -> str:
    """Lines drawn across the plot on a 0-100 x axis, stretched to its width (their strokes not)."""
    return (f'<svg class="stretched" width="100%" height="{TOP + PLOT_H}" viewBox="0 0 100 {TOP + PLOT_H}" '
            f'preserveAspectRatio="none" overflow="visible">{"".join(inner)}</svg>')


def bars(rows: list[dict], caption: str, names: dict[str, str], empty: str, sep: str = ",") -> str:
    """Launched and shot down per period as overlapping bars, the interception rate as a line.

    ``rows``: dicts with ``label``, ``launched``, ``destroyed``, ``interception_rate`` (0..1 or
    None); ``names``: the legend's words for launched, destroyed, interception_rate; ``sep``:
    the language's thousands separator.
    """
    if not rows:
        return empty_chart(caption, empty)
    top = ticks(max(r["launched"] or 0 for r in rows) or 1)[-1]
    slot = 100 / len(rows)

    def y(value):
        return TOP + PLOT_H * (1 - (value or 0) / top)

    xs = [slot * (i + 0.5) for i in range(len(rows))]
    legend = [("launched", names["launched"]), ("destroyed", names["destroyed"]), ("rate", names["interception_rate"])]
    out = _open(caption, "bars", _height("bars", [name for _, name in legend])) + _y_axis(top, y, sep)
    width = slot * 0.8
    for row, x in zip(rows, xs):
        for measure in ("launched", "destroyed"):
            value = row[measure] or 0
            out.append(f'<rect class="bar {measure}" x="{x - width / 2:.2f}%" y="{y(value):.1f}" width="{width:.2f}%" fill="{COLOUR[measure]}" '
                       f'height="{max(y(0) - y(value), 0):.1f}" data-label="{escape(row["label"])}" data-value="{value}">'
                       f'<title>{escape(row["label"])}: {escape(names[measure])} {grouped(value, sep)}</title></rect>')
    out += _rate_line(rows, xs, names["interception_rate"])
    out += _x_labels([r["label"] for r in rows], xs)
    out.append(_legend(legend, TOP + PLOT_H + X_ZONE["bars"]))
    out.append("</svg>")
    return "".join(out)


def _rate_line(rows: list[dict], xs: list[float], name: str) -> list[str]:
    """The interception rate on a 0-100 % axis in the right margin."""
    def y(rate):
        return TOP + PLOT_H * (1 - min(rate, 1.0))

    points = [(x, r["interception_rate"], r["label"]) for x, r in zip(xs, rows) if r["interception_rate"] is not None]
    out = ['<svg class="rate-axis" x="100%" overflow="visible">'] + [
        f'<text class="axis rate" x="6" y="{y(p) + 4:.1f}">{int(p * 100)}%</text>' for p in (0, 0.5, 1)] + ["</svg>"]
    # one line per run of periods with a rate: a quiet night (no launches, no rate) breaks the line
    runs: list[list[tuple[float, float]]] = [[]]
    for x, r in zip(xs, rows):
        if r["interception_rate"] is None:
            runs.append([])
        else:
            runs[-1].append((x, r["interception_rate"]))
    out.append(_stretched([f'<polyline class="rate" vector-effect="non-scaling-stroke" fill="none" stroke="{COLOUR["rate"]}" stroke-width="2" '
                           f'points="{" ".join(f"{x:.2f},{y(rate):.1f}" for x, rate in run)}"/>'
                           for run in runs if len(run) > 1]))
    for x, rate, label in points:
        out.append(f'<circle class="point rate" cx="{x:.2f}%" cy="{y(rate):.1f}" r="3" fill="{COLOUR["rate"]}" data-label="{escape(label)}" '
                   f'data-value="{rate}"><title>{escape(label)}: {escape(name)} {rate * 100:.1f}%</title></circle>')
    return out


def lines(series: list[dict], caption: str, x_name: str, empty: str, sep: str = ",") -> str:
    """Cumulative lines over the days of a month: ``series`` of {name, points: [[day, value]],
    cls}; the first is drawn on top, with its points marked."""
    if not series or not any(s["points"] for s in series):
        return empty_chart(caption, empty)
    top = ticks(max(v for s in series for _, v in s["points"]) or 1)[-1]
    shown = series[:4]

    def x(day):
        return 100 * (day - 1) / 30

    def y(value):
        return TOP + PLOT_H * (1 - value / top)

    out = _open(caption, "lines", _height("lines", [s["name"] for s in shown])) + _y_axis(top, y, sep)
    out.append(_stretched([f'<polyline class="line {s["cls"]}" vector-effect="non-scaling-stroke" fill="none" '
                           f'stroke="{COLOUR[s["cls"].split()[-1]]}" stroke-width="{3 if s is series[0] else 2}" '
                           f'points="{" ".join(f"{x(d):.2f},{y(v):.1f}" for d, v in s["points"])}">'
                           f'<title>{escape(s["name"])}</title></polyline>' for s in reversed(series)]))
    first = series[0]
    for day, value in first["points"]:
        out.append(f'<circle class="point {first["cls"]}" cx="{x(day):.2f}%" cy="{y(value):.1f}" r="3" fill="{COLOUR[first["cls"].split()[-1]]}" data-label="{day}" '
                   f'data-value="{value}"><title>{escape(first["name"])}, {day}: {grouped(value, sep)}</title></circle>')
    for day in (1, 8, 15, 22, 29):
        out.append(f'<text class="axis x" x="{x(day):.2f}%" y="{TOP + PLOT_H + 18}" text-anchor="middle">{day}</text>')
    out.append(f'<text class="axis" x="50%" y="{TOP + PLOT_H + 36}" text-anchor="middle">{escape(x_name)}</text>')
    out.append(_legend([(s["cls"], s["name"]) for s in shown], TOP + PLOT_H + X_ZONE["lines"]))
    out.append("</svg>")
    return "".join(out)


def dashboard_chart(name: str, rows: list[dict], words, weapon_class: str) -> str:
    """The SVG of a dashboard chart (nightly, monthly, running) from its rows (views.chart_rows)."""
    what = words("class_" + weapon_class)
    names = {m: words(m) for m in ("launched", "destroyed", "interception_rate")}
    sep = words("thousands_separator")
    if name == "running":
        months = list(dict.fromkeys(r["month"] for r in rows))
        series = [{"name": month if i else f"{month} ({words('this_month')})", "cls": "current" if i == 0 else f"earlier e{min(i, 3)}",
                   "points": [[r["day"], r["cumulative"]] for r in rows if r["month"] == month]}
                  for i, month in enumerate(months[:4])]
        caption = words("running_title", month=months[0]) + f" ({what})" if months else what
        return lines(series, caption, words("day_of_month"), words("no_data_chart"), sep)
    caption = f'{words("per_night" if name == "nightly" else "per_month")} ({what})'
    shaped = [{"label": r["period"], "launched": r["launched"], "destroyed": r["destroyed"],
               "interception_rate": r["interception_rate"]} for r in rows]
    return bars(shaped, caption, names, words("no_data_chart"), sep)
