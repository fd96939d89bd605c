"""Questions asked of the stored alert history: active at an instant, during a window, per attack.

Only air-raid alerts count (alerts.in.ua's other types are stored but left out here). Intervals
are half-open: an alert is active at ``t`` when ``started_at <= t < finished_at`` (or it has no
end). Several sources saying the same thing are combined: a place is under alert when any of
the chosen sources says so, since the earliest start among them.

>>> entry = ActiveEntry("UA-46", "Lviv Oblast", "oblast", "full", dt.datetime(2023, 3, 26, 0, 30, tzinfo=dt.timezone.utc), False)
>>> entry.to_json()["since"]
'2023-03-26T02:30:00+02:00'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from airtally.clock import UTC, kyiv_time, to_kyiv
from airtally.alerts.intervals import Interval, clip, seconds, union
from airtally.alerts.alerts_in_ua import SOURCE as ALERTS_IN_UA_SOURCE
from airtally.alerts.permanent import SOURCE as PERMANENT_SOURCE, permanent_regions
from airtally.catalog.regions import region, regions
from airtally.errors import InvalidValue
from airtally.storage.tables_alerts import UtcDateTime, alert_events as t

from airtally.storage.tables_record import attacks

LEVELS = ("oblast", "raion", "hromada")
_COLUMNS = (t.c.region_code, t.c.level, t.c.raion, t.c.hromada, t.c.started_at, t.c.finished_at, t.c.permanent)


@dataclass(frozen=True)
class ActiveEntry:
    """One place under alert at an instant: ``state`` is full, or partial (only parts of it)."""

    code: str
    name: str
    level: str
    state: str
    since: dt.datetime
    permanent: bool

    def to_json(self) -> dict:
        return {"code": self.code, "name": self.name, "level": self.level, "state": self.state,
                "since": to_kyiv(self.since), "permanent": self.permanent}


# Every source an alert can come from: the two CSV data sets, the live API, the permanent alerts.
SOURCES = ("official", "volunteer", ALERTS_IN_UA_SOURCE, PERMANENT_SOURCE)


def check_sources(sources: Sequence[str] | None) -> None:
    """Refuse a source name no alert can have (it would quietly match nothing).

    >>> check_sources(["oficial"])
    Traceback (most recent call last):
    airtally.errors.InvalidValue: unknown alert source 'oficial' (the sources are official, volunteer, alerts.in.ua, permanent)
    """
    for name in sources or ():
        if name not in SOURCES:
            raise InvalidValue(f"unknown alert source {name!r} (the sources are {', '.join(SOURCES)})")


def _filters(sources: Sequence[str] | None) -> list:
    check_sources(sources)
    found = [t.c.alert_type == "air_raid"]
    if sources:  # chooses among the data sets; the permanent alerts are always part of the record
        found.append(t.c.source.in_([*sources, PERMANENT_SOURCE]))
    return found


def _longest(connection: Connection) -> dt.timedelta:
    """The longest finished alert: how far before ``t`` an alert active at ``t`` can start."""
    value = connection.execute(sa.select(sa.func.max(t.c.duration_s))).scalar()
    return dt.timedelta(seconds=(value or 0) + 1)


def rows_overlapping(connection: Connection, start: dt.datetime, end: dt.datetime, sources=None, levels=LEVELS):
    """Stored alerts that overlap [start, end] (an instant when start == end), as row tuples.

    Two index range scans: finished alerts that started at most the longest duration before
    ``start``, and the few alerts without an end.
    """
    where = [*_filters(sources), t.c.level.in_(list(levels))]
    lowest = start - _longest(connection)
    ended = sa.select(*_COLUMNS).where(
        *where, t.c.started_at >= lowest, t.c.started_at <= end, t.c.finished_at > start
    )
    still_open = sa.select(*_COLUMNS).where(*where, t.c.finished_at.is_(None), t.c.started_at <= end)
    return list(connection.execute(ended)) + list(connection.execute(still_open))


def _place(row) -> tuple[str, str, str | None, str | None]:
    return row.region_code, row.level, row.raion, row.hromada


def _entries_at_level(rows, level: str) -> dict[tuple, ActiveEntry]:
    """Roll active rows up to ``level``: finer alerts make their enclosing place partial."""
    depth = LEVELS.index(level)
    full: dict[tuple, list] = {}
    partial: dict[tuple, list] = {}
    for row in rows:
        parts = (row.region_code, row.raion, row.hromada)[: LEVELS.index(row.level) + 1]
        target = full if LEVELS.index(row.level) <= depth else partial
        target.setdefault(parts[: depth + 1], []).append(row)
    entries = {}
    for key, group in [*partial.items(), *full.items()]:  # full wins over partial for one key
        state = "full" if key in full else "partial"
        first = min(group, key=lambda r: r.started_at)
        name = region(key[0]).en if len(key) == 1 else key[-1]
        entries[key] = ActiveEntry(key[0], name, LEVELS[len(key) - 1], state, first.started_at,
                                   state == "full" and first.permanent)
    return entries


def active_at(engine: Engine, at: dt.datetime, level: str = "oblast", sources: Sequence[str] | None = None) -> dict:
    """The places under alert at ``at``, as ``{"at": ..., "regions": [...]}`` (Kyiv times).

    At oblast level there is one entry per oblast; at raion level an oblast-wide alert stays one
    oblast entry, a raion alert is a raion entry and hromada alerts make their raion partial;
    at hromada level every active alert is its own entry.
    """
    if level not in LEVELS:
        raise InvalidValue(f"unknown level {level!r} (use oblast, raion or hromada)")
    with engine.connect() as connection:
        rows = [r for r in rows_overlapping(connection, at, at, sources) if r.started_at <= at]
    entries = _entries_at_level(rows, level)
    ordered = sorted(entries.items(), key=lambda kv: tuple(p or "" for p in kv[0]))
    return {"at": to_kyiv(at), "regions": [entry.to_json() for _, entry in ordered]}


def _per_region(rows, now: dt.datetime, include_permanent: bool, only_oblast: bool = True) -> dict[str, list[Interval]]:
    """Oblast-level alerts per region, each region's intervals merged across sources."""
    spans: dict[str, list[Interval]] = {}
    # Plain tuples, unpacked: attribute access on 100,000 rows costs more than the sweep.
    for code, level, _, _, started, finished, permanent in rows:
        if (only_oblast and level != "oblast") or (permanent and not include_permanent):
            continue
        spans.setdefault(code, []).append((started, finished or max(now, started)))
    return {code: union(intervals) for code, intervals in spans.items()}


def alerts_during(
    engine: Engine, start: dt.datetime, end: dt.datetime, include_permanent: bool = False, sources=None
) -> list[dict]:
    """Which oblasts were under alert (oblast-wide) during [start, end), and for how long.

    Returns ``[{code, name, minutes_under_alert, share}]``, longest first; ``share`` is the
    part of the window under alert (0..1). Permanent alerts are left out unless asked for.
    """
    if end <= start:
        raise InvalidValue(f"the window ends ({end.isoformat()}) before it starts ({start.isoformat()})")
    with engine.connect() as connection:
        rows = rows_overlapping(connection, start, end, sources, levels=("oblast",))
    window = (end - start).total_seconds()
    found = []
    for code, intervals in _per_region(rows, end, include_permanent).items():
        covered = seconds(clip(intervals, start, end))
        if covered > 0:
            found.append({"code": code, "name": region(code).en, "minutes_under_alert": round(covered / 60, 1),
                          "share": round(covered / window, 4)})
    return sorted(found, key=lambda r: (-r["minutes_under_alert"], r["code"]))


def coverage(engine: Engine, sources=None) -> tuple[dt.datetime, dt.datetime] | None:
    """First start and last end of the stored (non-permanent) alerts, or None when there are none."""
    query = sa.select(sa.func.min(t.c.started_at), sa.func.max(t.c.finished_at)).where(*_filters(sources), t.c.permanent.is_(False))
    with engine.connect() as connection:
        first, last = connection.execute(query).one()
    if first is None or last is None:
        return None
    stored = t.c.started_at.type
    assert isinstance(stored, UtcDateTime) and isinstance(t.c.finished_at.type, UtcDateTime), "alert times are UtcDateTime columns"
    return stored.process_result_value(first, engine.dialect), stored.process_result_value(last, engine.dialect)


def regions_in_history(engine: Engine, sources=None) -> set[str]:
    """The ISO codes of the regions with at least one (non-permanent) air-raid alert stored: of
    the others the history knows nothing (the data sets have no rows for occupied Sevastopol)."""
    query = sa.select(t.c.region_code).where(*_filters(sources), t.c.permanent.is_(False)).distinct()
    with engine.connect() as connection:
        return set(connection.execute(query).scalars())


def attack_window(date: dt.date, start: dt.datetime | None, end: dt.datetime | None) -> tuple[dt.datetime, dt.datetime, bool]:
    """An attack's time window; a missing start is 18:00 the day before, a missing end 09:00
    of its date (Kyiv time). The flag says whether either was assumed.

    >>> attack_window(dt.date(2023, 3, 26), None, None)[:2] == (kyiv_time(dt.date(2023, 3, 25), 18), kyiv_time(dt.date(2023, 3, 26), 9))
    True
    """
    assumed = start is None or end is None
    start = start.astimezone(UTC) if start else kyiv_time(date - dt.timedelta(days=1), 18)
    end = end.astimezone(UTC) if end else kyiv_time(date, 9)
    return start, end, assumed


def covers(span: tuple[dt.datetime, dt.datetime] | None, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether a history spanning ``span`` (``coverage``'s answer) covers the window start..end:
    outside it, no alert stored says nothing about the country, not that it was calm."""
    return span is not None and span[0] <= start and end <= span[1]


def overlaps(span: tuple[dt.datetime, dt.datetime] | None, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether a history spanning ``span`` holds any part of the window start..end."""
    return span is not None and span[0] < end and start < span[1]


def during_attacks(engine: Engine, sources=None, include_uncovered: bool = False) -> list[dict]:
    """For every attack inside the stored alert history (of ``sources``): its window and
    ``alerts_during`` it, ``history_covers`` True. With ``include_uncovered`` the attacks
    outside it are listed too, ``history_covers`` False and ``regions`` None (not known)."""
    span = coverage(engine, sources)
    with engine.connect() as connection:
        stored = connection.execute(sa.select(attacks.c.id, attacks.c.date, attacks.c.start, attacks.c.end).order_by(attacks.c.date, attacks.c.id)).all()
    found = []
    for attack in stored:
        start, end, assumed = attack_window(attack.date, attack.start, attack.end)
        covered = covers(span, start, end) and start < end
        if not covered and not include_uncovered:
            continue
        found.append({"attack_id": attack.id, "date": attack.date.isoformat(), "window_start": to_kyiv(start),
                      "window_end": to_kyiv(end), "window_assumed": assumed, "history_covers": covered,
                      "regions": alerts_during(engine, start, end, sources=sources) if covered else None})
    return found


def _check_window(start: dt.datetime | None, end: dt.datetime | None) -> None:
    if start is not None and end is not None and end <= start:
        raise InvalidValue(f"--to ({to_kyiv(end)}) is not after --from ({to_kyiv(start)}); swap them")


def _oblast_rows(connection: Connection, sources, start: dt.datetime | None, end: dt.datetime | None, place: str | None):
    query = sa.select(*_COLUMNS).where(*_filters(sources))
    query = query.where(t.c.place == place) if place else query.where(t.c.level == "oblast")
    if end is not None:
        query = query.where(t.c.started_at < end)
    if start is not None:
        query = query.where(sa.or_(t.c.finished_at > start, t.c.finished_at.is_(None)))
    return connection.execute(query).all()


def nationwide_regions() -> tuple[str, ...]:
    """The regions a nationwide alert is counted over: every region of the registry that the
    official alert system covers (not Sevastopol), less those under a permanent alert (Luhansk,
    Crimea): 24 in all, whatever the stored history holds."""
    excluded = permanent_regions()
    return tuple(r.code for r in regions() if r.alerted and r.code not in excluded)


def nationwide(
    engine: Engine, threshold: float = 0.8, sources=None, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> list[dict]:
    """Periods when at least ``threshold`` of the country's oblasts (``nationwide_regions``) were
    under an oblast-wide alert at once.

    The share is of the whole country, not of the oblasts that happen to have alerts stored: one
    open alert is one oblast of 24, never "100 % nationwide". A sweep over the interval endpoints,
    each region's intervals first merged across sources. Returns
    ``[{start, end, minutes, peak_share, peak_regions}]``.
    """
    if not 0 < threshold <= 1:
        raise InvalidValue(f"threshold {threshold} must be a share between 0 (exclusive) and 1")
    _check_window(start, end)
    now = dt.datetime.now(UTC)
    with engine.connect() as connection:
        rows = _oblast_rows(connection, sources, start, end, None)
    counted = nationwide_regions()
    spans = {c: i for c, i in _per_region(rows, now, False).items() if c in counted}
    if start is not None or end is not None:
        low, high = start or dt.datetime.min.replace(tzinfo=UTC), end or dt.datetime.max.replace(tzinfo=UTC)
        spans = {c: clip(i, low, high) for c, i in spans.items()}
    needed = threshold * len(counted) - 1e-9
    return [_period(p, len(counted)) for p in _sweep(spans.values(), needed)]


def _sweep(per_region, needed: float) -> list[tuple[dt.datetime, dt.datetime, int]]:
    """(start, end, peak count) of the stretches when at least ``needed`` intervals overlap."""
    changes: dict[dt.datetime, int] = {}
    for intervals in per_region:
        for s, e in intervals:
            changes[s] = changes.get(s, 0) + 1
            changes[e] = changes.get(e, 0) - 1
    periods, count, opened, peak = [], 0, None, 0
    for moment in sorted(changes):
        count += changes[moment]
        if count >= needed and opened is None:
            opened, peak = moment, count
        elif count >= needed:
            peak = max(peak, count)
        elif opened is not None:
            periods.append((opened, moment, peak))
            opened = None
    return periods


def _period(period: tuple[dt.datetime, dt.datetime, int], total: int) -> dict:
    start, end, peak = period
    return {"start": to_kyiv(start), "end": to_kyiv(end), "minutes": round((end - start).total_seconds() / 60, 1),
            "peak_share": round(peak / total, 4), "peak_regions": peak}


@dataclass(frozen=True)
class Place:
    """What ``--region`` names: an oblast, or one raion or hromada (``key`` as stored)."""

    code: str
    name: str
    key: str | None  # None: every oblast


def resolve_place(name: str | None) -> Place:
    """The oblast, raion or hromada called ``name`` (any registry spelling); None: all oblasts."""
    from airtally.alerts.store import place_key
    from airtally.catalog.regions import by_form, by_name, subdivision, suggest

    if not name:
        return Place("", "all oblasts", None)
    found = by_name(name)
    if found is not None:
        return Place(found.code, found.en, found.code)
    sub = subdivision(name)
    if sub is None:
        form = by_form(name)
        if form is not None:
            return Place(form.code, form.en, form.code)
        close = suggest(name)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise InvalidValue(f"unknown region {name!r} ({hint}use an ISO code like UA-46, an oblast name in English, "
                           "Ukrainian or Russian, or a raion/hromada as the alert data names it)")
    raion_key = place_key(sub.region_code, sub.raion, sub.hromada)
    return Place(sub.region_code, sub.name, raion_key)


def _buckets(start: dt.datetime, end: dt.datetime, by: str | None) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """(label, start, end) periods of Kyiv calendar days or months covering [start, end)."""
    from airtally.clock import KYIV, kyiv_midnight

    if by is None:
        return [(f"{start.astimezone(KYIV).date()}..{(end - dt.timedelta(microseconds=1)).astimezone(KYIV).date()}", start, end)]
    if by not in ("day", "month"):
        raise InvalidValue(f"--by {by!r}: use day or month")
    day = start.astimezone(KYIV).date().replace(**({"day": 1} if by == "month" else {}))
    found = []
    while kyiv_midnight(day) < end:
        following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) if by == "month" else day + dt.timedelta(days=1)
        label = day.strftime("%Y-%m") if by == "month" else day.isoformat()
        found.append((label, max(start, kyiv_midnight(day)), min(end, kyiv_midnight(following))))
        day = following
    return found


def stats(
    engine: Engine, region_name: str | None = None, start: dt.datetime | None = None, end: dt.datetime | None = None,
    by: str | None = None, include_permanent: bool = False, sources=None,
) -> list[dict]:
    """Number of alerts, total/median/longest duration and share of time under alert.

    For one place (``region_name``) or, without one, every oblast's oblast-wide alerts (the
    share is then the mean over the oblasts with alerts). An alert is one stretch under alert
    after merging sources; it counts in the period it starts in, while the share counts the
    time under alert inside each period. Permanent alerts are left out unless asked for.
    """
    _check_window(start, end)
    place = resolve_place(region_name)
    now = dt.datetime.now(UTC)
    with engine.connect() as connection:
        rows = _oblast_rows(connection, sources, start, end, place.key)
    # With a raion or hromada named, its own alerts are the ones that count.
    spans = _per_region(rows, now, include_permanent, only_oblast=place.key is None or "|" not in place.key)
    intervals = [i for group in spans.values() for i in group]
    if not intervals:
        return []
    start = start or min(s for s, _ in intervals)
    end = end or max(e for _, e in intervals)
    buckets = _buckets(start, end, by)
    starting, covered = _fill_buckets(intervals, buckets)
    regions = len(spans)
    return [_bucket_stats(label, high - low, starting[i], covered[i], regions, place) for i, (label, low, high) in enumerate(buckets)]


def stats_by_region(
    engine: Engine, start: dt.datetime, end: dt.datetime, include_permanent: bool = False, sources=None
) -> list[dict]:
    """``stats`` of every oblast with oblast-wide alerts in [start, end), each row with its
    ``code``, from one read of the alerts (not one per oblast); the most hours first."""
    _check_window(start, end)
    with engine.connect() as connection:
        rows = _oblast_rows(connection, sources, start, end, None)
    (label, low, high), = _buckets(start, end, None)
    found = []
    for code, intervals in _per_region(rows, dt.datetime.now(UTC), include_permanent).items():
        (starting,), (covered,) = _fill_buckets(intervals, [(label, low, high)])
        place = Place(code, region(code).en, code)
        found.append(_bucket_stats(label, high - low, starting, covered, 1, place) | {"code": code})
    return sorted(found, key=lambda r: (-r["total_hours"], r["code"]))


def _fill_buckets(intervals: list[Interval], buckets) -> tuple[list[list[Interval]], list[float]]:
    """Per bucket: the alerts that start in it, and the seconds under alert inside it."""
    import bisect

    lows = [low for _, low, _ in buckets]
    starting: list[list[Interval]] = [[] for _ in buckets]
    covered = [0.0] * len(buckets)
    for s, e in intervals:
        first = max(bisect.bisect_right(lows, s) - 1, 0)
        if buckets[first][1] <= s < buckets[first][2]:
            starting[first].append((s, e))
        for i in range(first, len(buckets)):
            _, low, high = buckets[i]
            if low >= e:
                break
            covered[i] += max(0.0, (min(e, high) - max(s, low)).total_seconds())
    return starting, covered


def _bucket_stats(label: str, length: dt.timedelta, starting: list[Interval], covered: float, regions: int, place: Place) -> dict:
    import statistics

    ordered = sorted((e - s, s) for s, e in starting)
    minutes = [d.total_seconds() / 60 for d, _ in ordered]
    return {
        "period": label, "region": place.name, "alerts": len(ordered),
        "total_hours": round(sum(minutes) / 60, 2),
        "median_minutes": round(statistics.median(minutes), 1) if minutes else None,
        "longest_minutes": round(minutes[-1], 1) if minutes else None,
        "longest_started": to_kyiv(ordered[-1][1]) if ordered else None,
        "share": round(covered / (length.total_seconds() * regions), 4),
    }
