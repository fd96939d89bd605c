"""Charts on their own: SVG images, CSV downloads and embeddable pages (these may be framed).

``/charts/{name}.svg`` and ``/charts/{name}.csv`` for nightly, monthly, running and
alerts-map (``at``, ``day``, ``m``), attack-alerts (``attack``: an id or a date); ``/embed/{name}`` wraps the SVG in a page of its own for an ``<iframe>``. The
filters are the overview's (class, from, to) or the alert map's (at, day, m).
"""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from airtally.errors import AirtallyError, InvalidValue
from airtally.web import views
from airtally.web.charts import dashboard_chart, standalone
from airtally.web.labels import words
from airtally.web.render import EMBED_HEADERS, engine_of, error_page, page, svg_response
from airtally.web.tilemap import tile_map

router = APIRouter(include_in_schema=False)
NAMES = (*views.CHARTS, "alerts-map", "attack-alerts")
MAP_COLUMNS = ("code", "name", "state", "since", "covered")
ATTACK_COLUMNS = ("code", "name", "minutes_under_alert", "share")


def _chart(request: Request, name: str, lang: str | None) -> tuple[str, list[dict], tuple[str, ...]]:
    """(svg, rows, columns) of chart ``name`` for the request's filters."""
    if name not in NAMES:
        raise InvalidValue(f"unknown chart {name!r} (use one of: {', '.join(NAMES)})")
    query, lang_words = request.query_params, words(lang)
    engine = engine_of(request)
    if name == "attack-alerts":
        covered = views.attack_alerts(engine, query.get("attack") or "")
        caption = lang_words("alerts_during") + f" ({covered['date']})"
        return tile_map(covered["states"], lang_words, covered["covered"], caption), covered["regions"], ATTACK_COLUMNS
    if name == "alerts-map":
        instant = views.alert_instant(query.get("at"), query.get("day"), query.get("m"))
        found = views.alert_states(engine, instant)
        caption = lang_words("alerts_title", at=found["at_kyiv"])
        rows = [{**r, "state": found["states"].get(r["code"], "none"), "covered": found["covered"]} for r in found["active"]]
        return tile_map(found["states"], lang_words, found["covered"], caption), rows, MAP_COLUMNS
    chosen = views.filters(query.get("class"), query.get("from"), query.get("to"))
    rows = views.chart_rows(engine, name, chosen)
    return dashboard_chart(name, rows, lang_words, chosen["class"]), rows, views.CHART_COLUMNS[name]


@router.get("/charts/{name}.{kind}")
def chart_file(request: Request, name: str, kind: str, lang: str | None = None):
    """The chart as an SVG image or its rows as a CSV download."""
    if kind not in ("svg", "csv"):
        return Response(f"no such format: {kind!r} (use svg or csv)\n", status_code=404, media_type="text/plain")
    try:
        body, rows, columns = _chart(request, name, lang)
    except AirtallyError as exc:
        return Response(f"{exc}\n", status_code=400, media_type="text/plain")
    if kind == "svg":
        return svg_response(standalone(body))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    headers = {**EMBED_HEADERS, "Content-Disposition": f'attachment; filename="airtally-{name}.csv"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/embed/{name}", response_class=HTMLResponse)
def embed(request: Request, name: str, lang: str | None = None):
    try:
        body, _, _ = _chart(request, name, lang)
        lang_words = words(lang)
    except AirtallyError as exc:
        return error_page(request, exc, 400, None)
    return page(request, "embed.html", lang_words, embed=True, name=name, chart=body)
