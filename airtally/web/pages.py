"""The dashboard's pages: overview, one attack, alerts, paste a report, review.

Routes are adapters: read the query, call airtally.web.views (the library underneath), render.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from airtally.errors import AirtallyError
from airtally.web import views
from airtally.web.charts import dashboard_chart
from airtally.web.labels import words
from airtally.web.render import engine_of, error_page, page
from airtally.web.tilemap import tile_map

router = APIRouter(include_in_schema=False)
PASTE_LIMIT = 100_000  # characters: a report, not a book


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, lang: str | None = None):
    """Filters: class, from, to (read from the query: `class` and `from` are Python words)."""
    query = request.query_params
    try:
        chosen = views.filters(query.get("class"), query.get("from"), query.get("to"))
        lang_words = words(lang)
        data = views.overview(engine_of(request), chosen)
    except AirtallyError as exc:
        return error_page(request, exc, 400, lang)
    if not data["empty"]:
        rows = {"nightly": data["nightly"], "monthly": data["monthly"], "running": views.running_rows(data["running"])}
        data["charts"] = {name: dashboard_chart(name, r, lang_words, chosen["class"]) for name, r in rows.items()}
    return page(request, "overview.html", lang_words, **data)


@router.get("/attacks/{key}", response_class=HTMLResponse)
def attack(request: Request, key: str, lang: str | None = None):
    try:
        lang_words = words(lang)
    except AirtallyError as exc:
        return error_page(request, exc, 400, None)
    try:
        data = views.attack_page(engine_of(request), key)
    except AirtallyError as exc:
        return error_page(request, exc, 404, lang)
    caption = lang_words("alerts_during")
    map_svg = tile_map(data["alerts"]["states"], lang_words, data["alerts"]["covered"], caption)
    return page(request, "attack.html", lang_words, map_svg=map_svg, **data)


@router.get("/alerts", response_class=HTMLResponse)
def alerts(request: Request, lang: str | None = None, at: str | None = None, day: str | None = None, m: str | None = None):
    try:
        lang_words = words(lang)
        instant = views.alert_instant(at, day, m)
        data = views.alerts_page(engine_of(request), instant)
    except AirtallyError as exc:
        return error_page(request, exc, 400, lang)
    caption = lang_words("alerts_title", at=data["at_kyiv"])
    return page(request, "alerts.html", lang_words, map_svg=tile_map(data["states"], lang_words, data["covered"], caption), **data)


@router.get("/paste", response_class=HTMLResponse)
def paste_form(request: Request, lang: str | None = None):
    try:
        lang_words = words(lang)
    except AirtallyError as exc:
        return error_page(request, exc, 400, None)
    return page(request, "paste.html", lang_words, text="", published="", result=None)


@router.post("/paste", response_class=HTMLResponse)
async def paste_extract(request: Request, lang: str | None = None):
    """The form posted without JavaScript: extract and show; nothing is stored here."""
    body = await request.body()
    if len(body) > PASTE_LIMIT * 4:
        return error_page(request, f"the text is longer than {PASTE_LIMIT:,} characters", 413, lang)
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
    text, published = form.get("text", ""), form.get("published", "").strip()
    try:
        lang_words = words(lang or form.get("lang"))
        if not text.strip():
            return page(request, "paste.html", lang_words, status=400, text=text, published=published, result=None,
                        message=lang_words("empty_text"))
        result = views.paste_result(engine_of(request), text, published, lang_words.lang)
    except AirtallyError as exc:
        return error_page(request, exc, 400, lang)
    return page(request, "paste.html", lang_words, text=text, published=published, result=result)


@router.get("/review", response_class=HTMLResponse)
def review(request: Request, lang: str | None = None):
    """The figures waiting for a person, and the decisions made; deciding goes through the API
    with the token typed into the page (POST /api/review/{id})."""
    from airtally.record.review import waiting

    try:
        lang_words = words(lang)
    except AirtallyError as exc:
        return error_page(request, exc, 400, None)
    engine = engine_of(request)
    return page(request, "review.html", lang_words, waiting=waiting(engine), decided=waiting(engine, decided=True))
