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
from html import escape

WIDTH, HEIGHT = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 56, 48, 16, 84


def nice_step(top: float, count: int = 6) -> int:
    """A round step (1, 2, 5 x 10^n) giving about ``count`` ticks up to ``top``."""
    raw = max(top, 1) / count
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw) or 1)


def ticks(top: float) -> list[int]:
    """Tick values from 0 to the first round value at or above ``top``."""
    step = nice_step(top)
    return list(range(0, int(math.ceil(max(top, 1) / step) * step) + 1, step))


def _open(caption: str, kind: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-label="{escape(caption)}"><title>{escape(caption)}</title>']


def grouped(value: int, sep: str) -> str:
    """An integer with ``sep`` between groups of thousands: 1,291 or 1 291."""
    return f"{value:,}".replace(",", sep)


def _y_axis(top: int, scale, sep: str) -> list[str]:
    out = []
    for value in ticks(top):
        y = scale(value)
        out.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                   f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{grouped(value, sep)}</text>')
    return out


def _x_labels(labels: list[str], xs: list[float]) -> list[str]:
    every = max(1, math.ceil(len(labels) / 12))
    out = []
    for i, (label, x) in enumerate(zip(labels, xs)):
        if i % every == 0 or i == len(labels) - 1 and len(labels) <= 12:
            out.append(f'<text class="axis" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="end" '
                       f'transform="rotate(-40 {x:.1f} {HEIGHT - BOTTOM + 16})">{escape(label)}</text>')
    return out


def _legend(items: list[tuple[str, str]]) -> str:
    out = []
    for i, (cls, text) in enumerate(items):
        x = LEFT + i * 180
        out.append(f'<g class="legend {cls}"><rect x="{x}" y="{HEIGHT - 18}" width="14" height="10"/>'
                   f'<text x="{x + 20}" y="{HEIGHT - 9}">{escape(text)}</text></g>')
    return "".join(out)


def empty_chart(caption: str, message: str) -> str:
    """An SVG saying there is nothing to draw."""
    return "".join(_open(caption, "empty")) + (
        f'<text class="empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">{escape(message)}</text></svg>')


def bars(rows: list[dict], caption: str, names: dict[str, str], empty: str, sep: str = ",") -> str:
    """Launched and shot down per period as overlapping bars, the interception rate as a line.

    ``rows``: dicts with ``label``, ``launched``, ``destroyed``, ``interception_rate`` (0..1 or
    None); ``names``: the legend's words for launched, destroyed, interception_rate; ``sep``:
    the language's thousands separator.
    """
    if not rows:
        return empty_chart(caption, empty)
    top = ticks(max(r["launched"] or 0 for r in rows) or 1)[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(rows)

    def y(value):
        return TOP + plot_h * (1 - (value or 0) / top)

    xs = [LEFT + slot * (i + 0.5) for i in range(len(rows))]
    out = _open(caption, "bars") + _y_axis(top, y, sep)
    width = max(slot * 0.8, 1)
    for row, x in zip(rows, xs):
        for measure in ("launched", "destroyed"):
            value = row[measure] or 0
            out.append(f'<rect class="bar {measure}" x="{x - width / 2:.1f}" y="{y(value):.1f}" width="{width:.1f}" '
                       f'height="{max(y(0) - y(value), 0):.1f}" data-label="{escape(row["label"])}" data-value="{value}">'
                       f'<title>{escape(row["label"])}: {escape(names[measure])} {grouped(value, sep)}</title></rect>')
    out += _rate_line(rows, xs, plot_h, names["interception_rate"])
    out += _x_labels([r["label"] for r in rows], xs)
    out.append(_legend([("launched", names["launched"]), ("destroyed", names["destroyed"]),
                        ("rate", names["interception_rate"])]))
    out.append("</svg>")
    return "".join(out)


def _rate_line(rows: list[dict], xs: list[float], plot_h: float, name: str) -> list[str]:
    """The interception rate on a 0-100 % axis at the right."""
    def y(rate):
        return TOP + plot_h * (1 - min(rate, 1.0))

    points = [(x, r["interception_rate"], r["label"]) for x, r in zip(xs, rows) if r["interception_rate"] is not None]
    out = [f'<text class="axis rate" x="{WIDTH - RIGHT + 6}" y="{y(p) + 4:.1f}">{int(p * 100)}%</text>' for p in (0, 0.5, 1)]
    # one line per run of periods with a rate: a quiet night (no launches, no rate) breaks the line
    runs: list[list[tuple[float, float]]] = [[]]
    for x, r in zip(xs, rows):
        if r["interception_rate"] is None:
            runs.append([])
        else:
            runs[-1].append((x, r["interception_rate"]))
    for run in runs:
        if len(run) > 1:
            path = " ".join(f"{x:.1f},{y(rate):.1f}" for x, rate in run)
            out.append(f'<polyline class="rate" points="{path}"/>')
    for x, rate, label in points:
        out.append(f'<circle class="point rate" cx="{x:.1f}" cy="{y(rate):.1f}" r="3" data-label="{escape(label)}" '
                   f'data-value="{rate}"><title>{escape(label)}: {escape(name)} {rate * 100:.1f}%</title></circle>')
    return out


def lines(series: list[dict], caption: str, x_name: str, empty: str, sep: str = ",") -> str:
    """Cumulative lines over the days of a month: ``series`` of {name, points: [[day, value]],
    cls}; the first is drawn on top, with its points marked."""
    if not series or not any(s["points"] for s in series):
        return empty_chart(caption, empty)
    top = ticks(max(v for s in series for _, v in s["points"]) or 1)[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day):
        return LEFT + plot_w * (day - 1) / 30

    def y(value):
        return TOP + plot_h * (1 - value / top)

    out = _open(caption, "lines") + _y_axis(top, y, sep)
    for s in reversed(series):
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in s["points"])
        out.append(f'<polyline class="line {s["cls"]}" points="{path}"><title>{escape(s["name"])}</title></polyline>')
    first = series[0]
    for day, value in first["points"]:
        out.append(f'<circle class="point {first["cls"]}" cx="{x(day):.1f}" cy="{y(value):.1f}" r="3" data-label="{day}" '
                   f'data-value="{value}"><title>{escape(first["name"])}, {day}: {grouped(value, sep)}</title></circle>')
    for day in (1, 8, 15, 22, 29):
        out.append(f'<text class="axis" x="{x(day):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{day}</text>')
    out.append(f'<text class="axis" x="{LEFT + plot_w / 2}" y="{HEIGHT - BOTTOM + 36}" text-anchor="middle">{escape(x_name)}</text>')
    out.append(_legend([(s["cls"], s["name"]) for s in series[:4]]))
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
