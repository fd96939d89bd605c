"""What each dashboard page shows, gathered from the library (no HTTP here, no HTML).

Each function takes an engine and the page's filters and returns plain data for a template;
the charts' rows are also what their CSV downloads hold.
"""

from __future__ import annotations

import datetime as dt

from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from airtally.alerts.queries import active_at, coverage, nationwide, regions_in_history, stats_by_region
from airtally.analytics.ranking import attack_ranks, latest_attack_id, latest_date
from airtally.analytics.records import largest
from airtally.analytics.running import running_tally
from airtally.analytics.periods import label, period_end
from airtally.analytics.tally import tally
from airtally.analytics.totals import check_class
from airtally.clock import KYIV, UTC, kyiv_midnight, parse_date, parse_instant, to_kyiv
from airtally.errors import InvalidValue
from airtally.record.attack_view import attack_detail, report_texts
from airtally.web import highlight
from airtally.web.tilemap import graded, tiles

if TYPE_CHECKING:
    from airtally.model import Extraction

CHARTS = ("nightly", "monthly", "running")
NIGHTS = 60  # the nightly chart's default span, ending at the latest attack
CHART_COLUMNS = {
    "nightly": ("period", "class", "attacks", "launched", "destroyed", "lost", "interception_rate"),
    "monthly": ("period", "class", "attacks", "launched", "destroyed", "lost", "interception_rate"),
    "running": ("month", "day", "class", "measure", "cumulative"),
}


def filters(weapon_class: str | None, start: str | None, end: str | None) -> dict:
    """The charts' filters checked: class (default all), from and to (YYYY-MM-DD/YYYY-MM/YYYY)."""
    weapon_class = check_class(weapon_class or "all")
    parse_date(start, what="from date"), parse_date(end, end=True, what="to date")
    return {"class": weapon_class, "from": start or None, "to": end or None}


def chart_rows(engine: Engine, name: str, chosen: dict) -> list[dict]:
    """The rows behind chart ``name`` (nightly, monthly, running) for the ``filters``."""
    if name not in CHARTS:
        raise InvalidValue(f"unknown chart {name!r} (use one of: {', '.join(CHARTS)})")
    if name == "running":
        return running_rows(running_tally(engine, as_of=chosen["to"], weapon_class=chosen["class"]))
    by = "day" if name == "nightly" else "month"
    start, end = chosen["from"], chosen["to"]
    if by == "day" and start is None:
        last = parse_date(end, end=True) if end else latest_date(engine)
        if last is None:
            return []
        start = (last - dt.timedelta(days=NIGHTS - 1)).isoformat()
    return with_quiet_periods(tally(engine, by=by, weapon_class=chosen["class"], start=start, end=end), by)


def with_quiet_periods(rows: list[dict], by: str) -> list[dict]:
    """``rows`` (one class's tally, in order) with a row of zeros for every period between the
    first and the last that had no attack: a chart's bars stand one per night (or month), so a
    quiet night shows as 0 instead of the nights either side of it standing together."""
    if not rows:
        return rows
    known = {row["first_day"]: row for row in rows}
    zero = {k: 0 if isinstance(v, int) else v for k, v in rows[0].items()} | {"interception_rate": None, "destroyed_rate": None}
    day, last = dt.date.fromisoformat(rows[0]["first_day"]), dt.date.fromisoformat(rows[-1]["first_day"])
    filled = []
    while day <= last:
        end = period_end(by, day)
        filled.append(known.get(day.isoformat()) or zero | {"period": label(by, day), "first_day": day.isoformat(),
                                                             "last_day": end.isoformat()})
        day = end + dt.timedelta(days=1)
    return filled


def running_rows(running: dict | None) -> list[dict]:
    """A running tally (analytics.running) as rows: month, day, class, measure, cumulative."""
    if running is None:
        return []
    months = [(running["month"], running["cumulative"])] + [(m["period"], m["cumulative"]) for m in running["earlier"]]
    return [{"month": month, "day": day, "class": running["class"], "measure": running["measure"], "cumulative": value}
            for month, points in months for day, value in points]


def kyiv_window(detail: dict) -> tuple[str, str]:
    """The attack's window in Kyiv time, minutes only: ('2025-07-03 18:00', '2025-07-04 09:00')."""
    alerts = detail["alerts"]
    start, end = (to_kyiv(dt.datetime.fromisoformat(alerts[k]))[:16].replace("T", " ") for k in ("window_start", "window_end"))
    return start, end


def latest_card(engine: Engine) -> dict | None:
    """The latest attack, its totals, its window and how it ranked on its date, or None."""
    latest = latest_attack_id(engine)
    if latest is None:
        return None
    detail = attack_detail(engine, latest)
    return {"attack": detail, "ranks": attack_ranks(engine, latest), "window": kyiv_window(detail)}


def overview(engine: Engine, chosen: dict) -> dict:
    """Everything the overview shows; ``empty`` when the record holds no attack figure."""
    card = latest_card(engine)
    if card is None:
        return {"empty": True, "filters": chosen}
    return {
        "empty": False, "filters": chosen, "card": card,
        "nightly": chart_rows(engine, "nightly", chosen), "monthly": chart_rows(engine, "monthly", chosen),
        "records": largest(engine, top=10, weapon_class=chosen["class"], as_of=chosen["to"]),
        "running": running_tally(engine, as_of=chosen["to"], weapon_class=chosen["class"]),
    }


# -- one attack ---------------------------------------------------------------------------


def model_name(model: str) -> str:
    """A weapon's catalogue name ("Shahed-136/131"); a combined subject ("kh-101+kalibr") as
    its parts' names."""
    from airtally.catalog.weapons import catalogue

    names = []
    for part in model.split("+"):
        try:
            names.append(catalogue().get(part).name)
        except KeyError:
            names.append(part)
    return " + ".join(names)


def _anchor(figure: dict) -> str:
    return f"ev-{figure['id']}"


def _merged_links(detail: dict) -> dict[tuple[str, str], str]:
    """(subject, measure) -> the anchor of the current figure the merged value came from."""
    merged = {(c, m): v for c, values in detail["totals"].items() for m, v in values.items()}
    merged.update({(w["model"], m): w[m] for w in detail["weapons"] for m in ("launched", "destroyed", "lost", "hits")})
    links: dict[tuple[str, str], str] = {}
    for source in detail["sources"]:
        for figure in source["figures"]:
            key = (figure["subject"], figure["measure"])
            if figure["superseded_by"] is None and merged.get(key) == figure["value"] and key not in links:
                links[key] = _anchor(figure)
    return links


def _source_view(source: dict, text: str, conflicts: list[dict]) -> dict:
    differs = {(c["subject"], c["measure"]) for c in conflicts if c["report_id"] == source["report_id"]}
    # every part a figure rests on (a sum's each), marked with the figure's anchor
    spans = [(part["start"], part["end"], _anchor(f)) for f in source["figures"]
             for part in f["spans"]["evidence"] or [f["evidence"]]]
    article = source["kind"] == "news" and source["language"] is not None
    has_spans = any(s is not None for s, _, _ in spans)
    shown = highlight.excerpt(text, spans) if article and has_spans else highlight.pieces(text, spans)
    figures = [f | {"anchor": _anchor(f), "conflict": (f["subject"], f["measure"]) in differs} for f in source["figures"]]
    return source | {"figures": figures, "pieces": [] if article and not has_spans else shown, "excerpt": article}


def _alerts_view(engine: Engine, detail: dict) -> dict:
    span = coverage(engine)
    window = detail["alerts"]
    start, end = dt.datetime.fromisoformat(window["window_start"]), dt.datetime.fromisoformat(window["window_end"])
    covered = span is not None and span[0] <= start and end <= span[1]
    states = {r["code"]: graded(r["share"]) for r in window["regions"]} if covered else {}
    return window | {"covered": covered, "states": states, "start_kyiv": to_kyiv(start), "end_kyiv": to_kyiv(end)}


def attack_alerts(engine: Engine, key: str) -> dict:
    """The oblasts under alert during attack ``key`` (an id or a date), for its map and CSV."""
    if not key:
        raise InvalidValue("which attack? (attack=2025-07-04 or attack=ID)")
    detail = attack_detail(engine, key)
    covered = _alerts_view(engine, detail)
    return covered | {"date": detail["date"], "regions": covered["regions"] if covered["covered"] else []}


def attack_page(engine: Engine, key: str) -> dict:
    """One attack: totals and figures by model linked to their evidence, the sources side by
    side (conflicts, revisions), how it ranked, the oblasts under alert during it."""
    detail = attack_detail(engine, key)
    texts = report_texts(engine, detail["id"])
    sources = [_source_view(s, texts.get(s["report_id"], ""), detail["conflicts"])
               | {"casualties": [c for c in detail["casualties"] if c["report_id"] == s["report_id"]]}
               for s in detail["sources"]]
    detail["weapons"] = [w | {"name": model_name(w["model"])} for w in detail["weapons"]]
    return {"attack": detail, "ranks": attack_ranks(engine, detail["id"]), "links": _merged_links(detail),
            "window": kyiv_window(detail),
            "sources": sources, "alerts": _alerts_view(engine, detail), "threats": _threats_view(engine, detail)}


def _minute(value: dt.datetime) -> str:
    """'07-04 01:12': a night's minute in Kyiv time."""
    return to_kyiv(value)[5:16].replace("T", " ")


def _threats_view(engine: Engine, detail: dict) -> list[dict]:
    """The threats the followed channels posted in the attack's window, times in Kyiv time."""
    from airtally.record.threats import threats_between

    window = detail["alerts"]
    start, end = dt.datetime.fromisoformat(window["window_start"]), dt.datetime.fromisoformat(window["window_end"])
    return [t | {"at_kyiv": _minute(t["at"]), "closed_kyiv": _minute(t["closed_at"]) if t["closed_at"] else None}
            for t in threats_between(engine, start, end)]


# -- alerts -------------------------------------------------------------------------------


def alert_instant(at: str | None, day: str | None, minute: str | None, now: dt.datetime | None = None) -> dt.datetime:
    """The time the alert map shows: ``at`` (ISO, Kyiv time without an offset), else ``day`` +
    ``minute`` minutes after Kyiv midnight (the slider), else now."""
    if at:
        return parse_instant(at)
    if day:
        date = parse_date(day, what="day")
        start = kyiv_midnight(date)
        length = (kyiv_midnight(date + dt.timedelta(days=1)) - start) // dt.timedelta(minutes=1)  # 1380 to 1500
        try:
            minutes = int(minute or 0)
        except ValueError:
            minutes = -1
        if not 0 <= minutes < length:  # a minute past the day's end would show the next day under this one's name
            raise InvalidValue(f"not a minute of the day {date.isoformat()}: {minute!r} (use 0 to {length - 1})")
        return start + dt.timedelta(minutes=minutes)
    return now or dt.datetime.now(UTC)


def alert_states(engine: Engine, at: dt.datetime) -> dict:
    """The oblasts' alert states at ``at`` and whether the stored history covers it."""
    span = coverage(engine)
    covered = span is not None and span[0] <= at <= span[1]
    active = active_at(engine, at)["regions"]
    states = {r["code"]: ("permanent" if r["permanent"] else r["state"]) for r in active}
    if not covered:  # only what is known for certain: the permanent alerts
        states = {code: state for code, state in states.items() if state == "permanent"}
    else:  # a region the history has no alert for at all is unknown, not calm
        known = regions_in_history(engine)
        states |= {t["code"]: "unknown" for t in tiles() if t["code"] not in known and t["code"] not in states}
    return {"at": at, "at_kyiv": to_kyiv(at), "covered": covered, "span": span, "states": states,
            "active": [r for r in active if covered or r["permanent"]]}


def _month_bounds(at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    first = at.astimezone(KYIV).date().replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return kyiv_midnight(first), kyiv_midnight(following)


def alerts_page(engine: Engine, at: dt.datetime) -> dict:
    """The map at ``at``, the slider's day, and the nationwide periods and per-oblast
    statistics of ``at``'s month, within the stored history (an alert with no end stored would
    otherwise run on past it and fill months the history knows nothing about)."""
    found = alert_states(engine, at)
    local = at.astimezone(KYIV)
    base = {"day": local.date().isoformat(), "minute": local.hour * 60 + local.minute, "month": f"{local:%Y-%m}",
            "nationwide": [], "per_region": [], "month_covered": False}
    span = found["span"]
    if span is None:
        return found | base
    month_start, month_end = _month_bounds(at)
    start, end = max(month_start, span[0]), min(month_end, span[1])
    last = span[1].astimezone(KYIV).replace(second=0, microsecond=0)
    found |= base | {"last_covered": last.replace(tzinfo=None).isoformat(timespec="minutes"),
                     "span_kyiv": tuple(to_kyiv(t)[:16].replace("T", " ") for t in span)}
    if end <= start:
        return found
    per_region = [row for row in stats_by_region(engine, start, end) if row["alerts"]]
    return found | {"nationwide": nationwide(engine, start=start, end=end), "per_region": per_region, "month_covered": True}


# -- paste a report -----------------------------------------------------------------------


def paste_result(engine: Engine, text: str, published: str | None, lang: str = "en") -> dict:
    """The extraction of a pasted report (nothing stored), its evidence as highlighted pieces
    and each record claim checked against the record before the report's date (its notes in
    ``lang``)."""
    from airtally.analytics.claims import check
    from airtally.extraction import extract

    result = extract(text, published=published or None)
    data = result.to_json()
    spans, links = figure_spans(result)
    date = data["period"]["date"]
    checks = [{"claim": claim, "check": _checked(check, engine, claim["text"], date, data["totals"], lang)}
              for claim in data["claims"]]
    return {"data": data, "pieces": highlight.pieces(text, spans), "links": links, "checks": checks}


def figure_spans(result: Extraction) -> tuple[list[tuple[int, int, str]], dict[tuple[str, str], str]]:
    """Every span the extraction's figures hold, keyed by its figure ("x-3": all the spans of the
    fourth figure, so a sum is marked on each of its parts), and (subject, measure) -> the key a
    figure's value links to (the totals' classes, weapon models, casualties, locations). The
    period's spans are marked too, under keys of their own that no figure links to."""
    figures = result.figures() + result.casualty_figures() + result.location_figures()
    spans = [(s.start, s.end, f"x-{i}") for i, figure in enumerate(figures) for s in figure.evidence]
    links = {(f.subject, f.measure): f"x-{i}" for i, f in enumerate(figures) if f.evidence}
    spans += [(s.start, s.end, f"p-{name}") for name, held in result.period.spans.items() for s in held]
    return spans, links


def _checked(check, engine: Engine, claim: str, date: str | None, totals: dict, lang: str) -> dict | None:
    """The verdict on one claim, or None when there is no date or the wording has no record word."""
    if not date:
        return None
    try:
        return check(engine, claim, date, figures=totals, lang=lang)
    except InvalidValue:
        return None
