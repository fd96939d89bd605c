"""The morning brief of one attack, written from the record (``airtally brief``).

``build_brief`` gathers, as typed data, everything a newsroom's morning note says about one
attack: launched and shot down per class and per model, how the attack ranks as of its own date
(``ranking.attack_ranks``), the month's running tally against earlier months
(``running.running_tally``, the dashboard's functions), the alerts during its window (or that the
stored history does not cover it), casualties, the threat timeline's highlights, the sources and
the open conflicts between them. A figure or a rank that rests on unconfirmed figures (low
confidence, not reviewed, no national report) carries what it rests on, for the renderer to say. ``airtally.analytics.brief_render`` writes it as md, html or txt.
Every number in it is read from the record; nothing is typed in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from airtally.alerts.queries import attack_window, nationwide
from airtally.analytics.ranking import attack_ranks, latest_attack_id
from airtally.analytics.running import running_tally
from airtally.catalog.weapons import catalogue
from airtally.clock import to_kyiv
from airtally.errors import NotFound
from airtally.record.attack_view import attack_detail
from airtally.record.threats import list_threats

CLASSES = ("drones", "missiles", "all")
COMPARED_MONTHS = 3  # earlier months the running tally is set against


@dataclass(frozen=True)
class Count:
    """Launched and shot down (destroyed) of one class or one model; lost is "did not reach"."""

    subject: str
    launched: int | None
    destroyed: int | None
    lost: int | None = None
    unconfirmed: bool = False  # rests on a low-confidence reading no person has reviewed


@dataclass(frozen=True)
class Rank:
    weapon_class: str
    value: int
    rank: int
    of: int
    record_date: str | None  # the largest attack before this one
    record_value: int | None
    since_date: str | None  # the latest earlier attack at least as large; None: the largest on record
    since_value: int | None
    # what the rank rests on that is unconfirmed: its own figure, larger attacks, the record
    unconfirmed: bool = False
    larger_unconfirmed: int = 0
    confirmed_rank: int | None = None
    record_unconfirmed: bool = False
    confirmed_record_date: str | None = None  # the largest confirmed attack before it, when the record is not
    confirmed_record_value: int | None = None


@dataclass(frozen=True)
class Running:
    weapon_class: str
    month: str
    day: int
    value: int
    earlier: list[tuple[str, int, int]]  # (month, same days, whole month), latest first
    rank_same_days: int
    months_compared: int
    unconfirmed: int = 0  # this month's attacks so far resting on unconfirmed figures
    earlier_unconfirmed: tuple[str, ...] = ()  # the earlier months holding such attacks


@dataclass(frozen=True)
class Alerts:
    window_start: str
    window_end: str
    window_assumed: bool
    covered: bool
    history_start: str | None
    history_end: str | None
    regions: list[tuple[str, float]] | None  # (oblast, hours under alert); None: not known
    nationwide: list[tuple[str, str, float]]  # (start, end, minutes)


@dataclass(frozen=True)
class Casualty:
    measure: str
    value: int
    qualifier: str | None
    source: str
    unconfirmed: bool = False


@dataclass(frozen=True)
class Threats:
    total: int
    by_type: list[tuple[str, int]]
    first: str | None
    last: str | None


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    published_at: str | None
    link: str | None
    origin: str | None


@dataclass(frozen=True)
class Conflict:
    subject: str
    measure: str
    record_value: int
    source: str
    other_value: int


@dataclass(frozen=True)
class Brief:
    attack_id: int
    date: str
    start: str | None
    end: str | None
    totals: list[Count]
    models: list[Count]
    ranks: list[Rank]
    running: list[Running]
    alerts: Alerts
    casualties: list[Casualty]
    threats: Threats
    sources: list[Source]
    conflicts: list[Conflict]


def _instant(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


# the curated data set names a Facebook post by its path: "kpszsu/posts/pfbid02AncHo..."
FACEBOOK_POST = re.compile(r"[\w.-]+/posts/pfbid\w+")


def _link(origin: str | None) -> str | None:
    """A link to the report: its origin when a URL, a Facebook post's address from its path, else None.

    >>> _link("kpszsu/posts/pfbid02Anc"), _link("airtally/examples/news.txt")
    ('https://www.facebook.com/kpszsu/posts/pfbid02Anc', None)
    """
    if origin and origin.startswith(("https://", "http://")):
        return origin
    if origin and FACEBOOK_POST.fullmatch(origin):
        return f"https://www.facebook.com/{origin}"
    return None


def _model_name(subject: str) -> str:
    try:
        return catalogue().get(subject).name
    except KeyError:
        return subject


def _ranks(engine: Engine, attack_id: int) -> list[Rank]:
    out = []
    for cls, r in attack_ranks(engine, attack_id).items():
        if r is None:
            continue
        record, since, confirmed = r["record"] or {}, r["since"] or {}, r["confirmed_record"] or {}
        out.append(Rank(cls, r["value"], r["rank"], r["of"], record.get("date"), record.get("value"),
                        since.get("date"), since.get("value"), r["unconfirmed"], r["larger_unconfirmed"],
                        r["confirmed_rank"], bool(record.get("unconfirmed")), confirmed.get("date"),
                        confirmed.get("value")))
    return out


def _running(engine: Engine, date: str, classes) -> list[Running]:
    out = []
    for cls in classes:
        tally = running_tally(engine, as_of=date, weapon_class=cls, months=COMPARED_MONTHS)
        if tally is None:
            continue
        out.append(Running(cls, tally["month"], tally["day"], tally["value"],
                           [(m["period"], m["same_days"], m["whole"]) for m in tally["earlier"]],
                           tally["rank_same_days"], tally["months_compared"], tally["unconfirmed"],
                           tuple(m["period"] for m in tally["earlier"] if m["unconfirmed"])))
    return out


def _alerts(engine: Engine, view: dict, attack: dict) -> Alerts:
    seen = view["alerts"]
    regions = None
    if seen["regions"] is not None:
        regions = [(r["name"], round(r["minutes_under_alert"] / 60, 1)) for r in seen["regions"]]
    periods = []
    if seen["history_covers"]:
        start, end, _ = attack_window(attack["date"], attack["start"], attack["end"])
        periods = [(p["start"], p["end"], p["minutes"]) for p in nationwide(engine, start=start, end=end)]
    return Alerts(seen["window_start"], seen["window_end"], seen["window_assumed"], seen["history_covers"],
                  seen["history_start"], seen["history_end"], regions, periods)


def _threats(engine: Engine, attack: dict) -> Threats:
    start, end, _ = attack_window(attack["date"], attack["start"], attack["end"])
    with engine.connect() as conn:
        found = list_threats(conn, start=start, end=end)
    kinds = Counter(t["type"] for t in found if t["type"] != "all_clear")
    return Threats(len(found), sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
                   to_kyiv(found[0]["at"]) if found else None, to_kyiv(found[-1]["at"]) if found else None)


def build_brief(engine: Engine, date: str | None = None) -> Brief:
    """The brief of the attack that ended on ``date`` (YYYY-MM-DD; default: the latest in the record)."""
    key: str | int | None = date
    if key is None:
        key = latest_attack_id(engine)
        if key is None:
            raise NotFound("the record holds no attack yet (airtally import curated PATH or airtally demo adds some)")
    view = attack_detail(engine, key)
    aid = view["id"]
    attack = {"date": dt.date.fromisoformat(view["date"]),
          "start": _instant(view["start"]), "end": _instant(view["end"])}
    unconfirmed = set(view["unconfirmed"])
    totals = [Count(c, view["totals"][c]["launched"], view["totals"][c]["destroyed"], view["totals"][c]["lost"],
                    c in unconfirmed)
              for c in CLASSES if view["totals"][c]["launched"] is not None or view["totals"][c]["destroyed"] is not None]
    models = [Count(_model_name(w["model"]), w["launched"], w["destroyed"], w["lost"], w["unconfirmed"])
              for w in view["weapons"]]
    names = {s["report_id"]: s["source"] for s in view["sources"]}
    qualifiers = {(c["report_id"], c["measure"]): c["qualifier"] for c in view["casualties"] if c["superseded_by"] is None}
    # the attack's casualty figure per measure (airtally.record.casualties), with the source it came from
    casualties = [Casualty(m, c["value"], qualifiers.get((c["report_id"], m)), names.get(c["report_id"], "?"),
                           c["unconfirmed"])
                  for m, c in view["casualty_totals"].items() if c is not None]
    sources = [Source(s["source"], s["kind"], s["published_at"], _link(s["origin"]), s["origin"]) for s in view["sources"]]
    conflicts = [Conflict(c["subject"], c["measure"], c["value"], c["source"], c["other_value"]) for c in view["conflicts"]]
    conflicts += [Conflict("casualties", c["measure"], c["value"], c["source"], c["other_value"])
                  for c in view["casualty_conflicts"]]
    return Brief(
        attack_id=aid, date=view["date"], start=view["start"], end=view["end"], totals=totals, models=models,
        ranks=_ranks(engine, aid), running=_running(engine, view["date"], [t.subject for t in totals if t.launched is not None]),
        alerts=_alerts(engine, view, attack), casualties=casualties, threats=_threats(engine, attack),
        sources=sources, conflicts=conflicts,
    )
