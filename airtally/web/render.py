"""Rendering pages: the templates, the words of the page's language, links that keep the
filters, and the headers that say who may frame a page.

Pages may not be framed (X-Frame-Options DENY, CSP frame-ancestors 'none'); embeddable routes
(charts, maps) may be framed by anyone. Every page allows only its own scripts, styles and
images ('self'): nothing comes from elsewhere.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from airtally.analytics.ranking import ordinal
from airtally.analytics.totals import CLASSES
from airtally.catalog.regions import region
from airtally.errors import AirtallyError
from airtally.web.labels import Words, languages, words
from airtally.web.charts import grouped
from airtally.web.views import model_name

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = Jinja2Templates(directory=HERE / "templates")
_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'self'"
PAGE_HEADERS = {"X-Frame-Options": "DENY", "Content-Security-Policy": f"{_POLICY}; frame-ancestors 'none'",
                "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
EMBED_HEADERS = {"Content-Security-Policy": f"{_POLICY}; frame-ancestors *", "X-Content-Type-Options": "nosniff"}


def engine_of(request: Request):
    """The engine behind ``app.state.database`` (a Database object or an Engine)."""
    database = request.app.state.database
    return getattr(database, "engine", database)


def link(request: Request, path: str | None = None, **changes) -> str:
    """``path`` (default: this page's) with this page's query parameters, ``changes`` applied
    (a None value drops the parameter)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        key = key.rstrip("_")
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode({k: v for k, v in params.items() if v != ""})
    root = request.scope.get("root_path", "")
    here = request.url.path if path is None else root + path
    return here + (f"?{query}" if query else "")


def nav(request: Request, path: str, lang: Words) -> str:
    """A link to another page: only the language carries over (the default language is left out)."""
    root = request.scope.get("root_path", "")
    return root + path + ("" if lang.lang == languages()[0] else f"?lang={lang.lang}")


def number(value, lang: Words) -> str:
    """An integer with the language's thousands separator: 1,291 in English, 1 291 in Ukrainian."""
    return grouped(value, lang("thousands_separator"))


def place_name(code: str, lang: Words) -> str:
    """A region's name in the page's language (the catalogue's), from its ISO code."""
    return getattr(region(code), lang.lang)


def subject_name(subject: str, lang: Words) -> str:
    """What a figure counts, for a reader: a class in the page's language ("drones", "дрони"), a
    weapon by its catalogue name ("Shahed-136/131"), never the record's id ("shahed-136")."""
    return lang("class_" + subject) if subject in CLASSES else model_name(subject)


def nowrap(text) -> Markup:
    """``text`` kept on one line (a date or a time: a phone would break '2025-07-04' at a hyphen)."""
    return Markup('<span class="nowrap">{}</span>').format(text)


def cell(key: str, value) -> str:
    """A chart table's cell as text: a rate as a percentage (0.8123 -> 81.2%), a missing one as –."""
    if key.endswith("_rate"):
        return "–" if value is None else f"{value * 100:.1f}%"
    return str(value)


def table_rows(rows: list[dict], keys: list[str]) -> Markup:
    """The ``<tr>`` rows of a chart's table, cells escaped: written here rather than as a loop in
    the template, where escaping hundreds of cells one by one was most of the overview's rendering."""
    return Markup("".join("<tr>" + "".join(f"<td>{escape(cell(k, row[k]))}</td>" for k in keys) + "</tr>" for row in rows))


def page(request: Request, template: str, lang: Words, status: int = 200, embed: bool = False, **context) -> HTMLResponse:
    """The template rendered with the page's words and link helpers, with the framing headers."""
    context.update(request=request, w=lang, lang=lang.lang, link=lambda path=None, **c: link(request, path, **c),
                   nav=lambda path: nav(request, path, lang), root=request.scope.get("root_path", ""), svg=Markup,
                   num=lambda value: number(value, lang), place=lambda code: place_name(code, lang),
                   subject=lambda name: subject_name(name, lang), table_rows=table_rows, ordinal=ordinal, nowrap=nowrap)
    response = TEMPLATES.TemplateResponse(request, template, context, status_code=status)
    response.headers.update(EMBED_HEADERS if embed else PAGE_HEADERS)
    return response


def error_page(request: Request, error: AirtallyError | str, status: int, lang: str | None = None) -> HTMLResponse:
    """A page saying what was wrong with the request (the library's one-line message)."""
    try:
        chosen = words(lang)
    except AirtallyError:
        chosen = words(None)
    return page(request, "error.html", chosen, status=status, message=str(error))


def svg_response(body: str) -> Response:
    return Response(body, media_type="image/svg+xml", headers=EMBED_HEADERS)
