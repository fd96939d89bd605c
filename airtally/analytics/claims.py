"""Checking a record claim against the record as it stood on the claim's date.

A claim is about the attack that ended on D (``--date``; default: the latest attack in the
record), or, when it names a month ("a record number of launches in June"), about that month's
tally. Its wording (airtally.analytics.wording) picks the class, the measure and the period;
the check compares the claimed figure with the largest comparable one before it in that period:

- supported: the claimed figure is at least the previous record (a tie is said in ``notes``);
- contradicted: an earlier attack (month) in the period was larger; ``record`` names it;
- not_enough_data: no attack on D, no figure for the measure, or nothing earlier to compare with.

The same comparison is made for every class; where the classes disagree ("largest by drones
but not by all weapons") ``disagreements`` says so.

A verdict that rests on unconfirmed figures (low confidence, not reviewed, no national report)
says so: ``unconfirmed`` names what ("attack" or "month", "record"), a note explains, and when
the record compared with is unconfirmed the largest confirmed one is named
(``confirmed_record``) with the verdict against it.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from airtally.analytics.connect import connected
from airtally.analytics.periods import as_date, period_end
from airtally.clock import parse_date
from airtally.analytics.records import attack_row, attacks_query, month_row, months_query
from airtally.analytics.tally import tally_query
from airtally.analytics.totals import CLASSES, MEASURES, direction_filter, totals_for
from airtally.analytics.wording import Reading, latest_month_start, read
from airtally.storage.tables_record import attacks

# The full-scale invasion began on 24 February 2022: "since the beginning of the invasion".
INVASION = dt.date(2022, 2, 24)
CLASS_NAMES = {"drones": "drones", "missiles": "missiles", "all": "all weapons"}


def check(
    bind: Engine | Connection,
    text: str,
    date: str | dt.date | None = None,
    source_kind: str | None = None,
    direction: str | None = None,
    figures: dict | None = None,
) -> dict:
    """The verdict on the record claim ``text`` about the attack (or month) of ``date``.

    ``figures`` are the attack's own figures per class (``{"drones": {"launched": 539, ...},
    ...}``, as an extraction's ``totals``) when it is not (yet) in the record, e.g. a report
    pasted to be checked before it is stored; the record still supplies what came before.
    Returns ``{"verdict", "claim", "read", "attack", "month", "record", "margin", "by_class",
    "disagreements", "notes", "explanation"}`` (see the module docstring).
    """
    reading = read(text)
    day = parse_date(date, what="--date")
    scope = {"source_kind": source_kind, "direction": direction}
    with connected(bind) as conn:
        date_from = "--date" if day else "latest attack in the record"
        day = day or _latest_day(conn, direction)
        if day is None:
            result = _result(reading, dt.date.today(), "not_enough_data", {}, ["the record holds no attacks"], "")
        elif reading.subject == "month":
            result = _check_month(conn, reading, day, scope)
        else:
            result = _check_attack(conn, reading, day, scope, figures)
        if day is not None:
            result["notes"] += _coverage_notes(conn, reading, day, direction)
    if reading.period == "unnamed":
        result["notes"].append("no period named: compared with the whole record")
    result["read"].update(date=day.isoformat() if day else None, date_from=date_from)
    return result


def _latest_day(conn: Connection, direction: str | None) -> dt.date | None:
    latest = conn.execute(sa.select(sa.func.max(attacks.c.date)).where(direction_filter(direction))).scalar()
    return as_date(latest) if latest is not None else None


def _read_part(reading: Reading, day: dt.date) -> dict:
    start = reading.period_start(day)
    return {
        "subject": reading.subject,
        "class": reading.weapon_class,
        "class_words": list(reading.class_words),
        "measure": reading.measure,
        "measure_words": list(reading.measure_words),
        "period": reading.period if reading.period != "unnamed" else "all_time",
        "period_words": reading.period_words,
        "period_start": start.isoformat() if start else None,
    }


def _resting(mine: dict, attack: dict | None, month: dict | None) -> list[str]:
    """What the verdict rests on that is unconfirmed: "attack" (or "month", when some of its
    attacks are), "record" (the largest before it, or the largest month before it)."""
    out = []
    if (attack and attack.get("unconfirmed")) or (month and month.get("unconfirmed")):
        out.append("month" if month else "attack")
    record = mine.get("record")
    if record and record.get("unconfirmed"):
        out.append("record")
    return out


def _unconfirmed_notes(reading: Reading, resting: list[str], mine: dict) -> list[str]:
    notes = []
    if "attack" in resting:
        notes.append("the attack's figure rests on an unconfirmed reading (low confidence, not yet reviewed, no "
                     "national report): airtally review lists it")
    if "month" in resting:
        notes.append(f"the month counts {mine['month']['unconfirmed']} attacks resting on unconfirmed readings")
    if "record" in resting and "period" in mine["record"]:  # a month: some of its attacks are unconfirmed
        record = mine["record"]
        notes.append(f"the record month compared with ({record['period']}: {record[reading.measure]}) counts "
                     f"{record['unconfirmed']} attacks resting on unconfirmed readings")
    elif "record" in resting:
        record, confirmed = mine["record"], mine.get("confirmed_record")
        said = (f"the largest confirmed before it: {confirmed[reading.measure]} on {_when(confirmed)} "
                f"(verdict against it: {mine['confirmed_verdict']})") if confirmed else "no confirmed one before it"
        notes.append(f"the record compared with ({record[reading.measure]} on {_when(record)}) rests on an "
                     f"unconfirmed reading; {said}")
    return notes


def _result(reading, day, verdict, by_class, notes, subject, attack=None, month=None) -> dict:
    mine = by_class.get(reading.weapon_class, {})
    record, value = mine.get("record"), mine.get("value")
    resting = _resting(mine, attack, month) if verdict != "not_enough_data" else []
    result = {
        "verdict": verdict,
        "claim": reading.text,
        "read": _read_part(reading, day),
        "attack": attack,
        "month": month,
        "record": record,
        "margin": value - record[reading.measure] if record and value is not None else None,
        "by_class": by_class,
        "disagreements": _disagreements(reading, by_class),
        "notes": list(notes) + _unconfirmed_notes(reading, resting, mine),
        # what the verdict rests on that is unconfirmed ("attack"/"month", "record"); [] when nothing
        "unconfirmed": resting,
        "confirmed_record": mine.get("confirmed_record"),
    }
    result["explanation"] = _explain(reading, result, subject)
    return result


def _verdict(value: int | None, record: dict | None, measure: str) -> str:
    if value is None or record is None:
        return "not_enough_data"
    return "supported" if value >= record[measure] else "contradicted"


# -- one attack ---------------------------------------------------------------------------


def attack_on(conn: Connection, day: dt.date, source_kind: str | None = None, direction: str | None = None) -> dict | None:
    """The attack that ended on ``day`` with its figures per class, or None."""
    totals = totals_for(source_kind)
    query = (
        sa.select(attacks.c.id, totals.c.subject, *(totals.c[m] for m in MEASURES), totals.c.unconfirmed)
        .select_from(attacks.outerjoin(totals, totals.c.attack_id == attacks.c.id))
        .where(attacks.c.date == day, direction_filter(direction))
    )
    rows = conn.execute(query).mappings().all()
    if not rows:
        return None
    classes = {r["subject"]: {m: r[m] for m in MEASURES} | {"unconfirmed": bool(r["unconfirmed"])}
               for r in rows if r["subject"] in CLASSES}
    return {"attack_id": rows[0]["id"], "date": day.isoformat(), "classes": classes}


def _attack_record(conn, weapon_class, measure, start, day, scope, confirmed: bool = False) -> dict | None:
    query = attacks_query(weapon_class, measure, start=start, before=day, confirmed=confirmed, **scope).limit(1)
    row = conn.execute(query).mappings().first()
    return attack_row(row) if row else None


def _given(day: dt.date, figures: dict) -> dict:
    """Figures not in the record shaped as ``attack_on`` answers (an approximate figure counts
    as its number)."""
    def number(value):
        return next((v for v in value.values() if v is not None), None) if isinstance(value, dict) else value

    classes = {c: {m: number((figures.get(c) or {}).get(m)) for m in MEASURES} for c in CLASSES}
    return {"attack_id": None, "date": day.isoformat(), "classes": classes}


def _check_attack(conn: Connection, reading: Reading, day: dt.date, scope: dict, figures: dict | None = None) -> dict:
    claimed = _given(day, figures) if figures is not None else attack_on(conn, day, **scope)
    if claimed is None:
        note = f"no attack in the record ended on {day.isoformat()}"
        return _result(reading, day, "not_enough_data", {}, [note], "")
    start, measure = reading.period_start(day), reading.measure
    by_class = {}
    for weapon_class in CLASSES:
        value = claimed["classes"].get(weapon_class, {}).get(measure)
        record = _attack_record(conn, weapon_class, measure, start, day, scope)
        confirmed = None
        if record is not None and record["unconfirmed"]:  # the record that stands without unconfirmed figures
            confirmed = _attack_record(conn, weapon_class, measure, start, day, scope, confirmed=True)
        by_class[weapon_class] = _class_result(value, record, measure) | {
            "unconfirmed": bool(claimed["classes"].get(weapon_class, {}).get("unconfirmed")),
            "confirmed_record": confirmed,
            # the verdict against the largest confirmed attack before it (the record itself when confirmed)
            "confirmed_verdict": _verdict(value, confirmed if record["unconfirmed"] else record, measure) if record else None}
    figures = claimed["classes"].get(reading.weapon_class, {})
    attack = {"attack_id": claimed["attack_id"], "date": claimed["date"], "class": reading.weapon_class}
    attack |= {m: figures.get(m) for m in MEASURES} | {"unconfirmed": bool(figures.get("unconfirmed"))}
    verdict, notes = by_class[reading.weapon_class]["verdict"], _attack_notes(reading, by_class, day)
    return _result(reading, day, verdict, by_class, notes, f"the attack that ended on {day.isoformat()}", attack=attack)


def _class_result(value: int | None, record: dict | None, measure: str) -> dict:
    verdict = _verdict(value, record, measure)
    largest = None if verdict == "not_enough_data" else verdict == "supported"
    return {"value": value, "record": record, "largest": largest, "verdict": verdict}


def _attack_notes(reading: Reading, by_class: dict, day: dt.date) -> list[str]:
    mine = by_class[reading.weapon_class]
    if mine["value"] is None:
        return [f"the attack that ended on {day.isoformat()} has no {reading.measure} figure for {CLASS_NAMES[reading.weapon_class]}"]
    if mine["record"] is None:
        return [f"no earlier attack with a {reading.measure} figure for {CLASS_NAMES[reading.weapon_class]} in the period"]
    if mine["value"] == mine["record"][reading.measure]:
        return [f"ties the record of {mine['record']['date']} ({mine['value']})"]
    return []


# -- one month ----------------------------------------------------------------------------


def _month_total(conn, weapon_class, first, last, scope) -> dict | None:
    query = tally_query(conn.dialect.name, "month", (weapon_class,), first, last, **scope)
    row = conn.execute(query).mappings().first()
    return month_row(row) if row else None


def _month_record(conn, weapon_class, measure, start, before, scope) -> dict | None:
    query = months_query(conn.dialect.name, weapon_class, measure, start, before - dt.timedelta(days=1), **scope)
    row = conn.execute(query.limit(1)).mappings().first()
    return month_row(row) if row else None


def _month_value(month: dict | None, measure: str) -> int | None:
    """The month's figure, or None when none of its attacks has a launched figure."""
    if not month or month["attacks"] == month["attacks_without_launched"]:
        return None
    return month[measure]


def _month_notes(reading: Reading, mine: dict, first: dt.date, last: dt.date) -> list[str]:
    name = CLASS_NAMES[reading.weapon_class]
    notes = [f"{first:%Y-%m} counted up to {last.isoformat()}"] if last < period_end("month", first) else []
    if mine["value"] is None:
        notes.insert(0, f"no attack in {first:%Y-%m} has a launched figure for {name}")
    elif mine["record"] is None:
        notes.insert(0, f"no earlier month with {name} in the period")
    elif mine["value"] == mine["record"][reading.measure]:
        notes.append(f"ties the record of {mine['record']['period']} ({mine['value']})")
    return notes


def _check_month(conn: Connection, reading: Reading, day: dt.date, scope: dict) -> dict:
    first = latest_month_start(*reading.claimed_month, day)
    last = min(period_end("month", first), day)
    start, measure = reading.period_start(day), reading.measure
    if first > day:
        note = f"{first:%Y-%m} had not begun on {day.isoformat()}"
        return _result(reading, day, "not_enough_data", {}, [note], "")
    by_class = {}
    for weapon_class in CLASSES:
        month = _month_total(conn, weapon_class, first, last, scope)
        record = _month_record(conn, weapon_class, measure, start, first, scope)
        by_class[weapon_class] = _class_result(_month_value(month, measure), record, measure) | {"month": month}
    notes = _month_notes(reading, by_class[reading.weapon_class], first, last)
    verdict, month = by_class[reading.weapon_class]["verdict"], by_class[reading.weapon_class]["month"]
    return _result(reading, day, verdict, by_class, notes, f"{first:%Y-%m}", month=month)


# -- wording the answer -------------------------------------------------------------------


def _disagreements(reading: Reading, by_class: dict) -> list[str]:
    mine = by_class.get(reading.weapon_class, {}).get("largest")
    out = []
    for weapon_class, result in by_class.items():
        if weapon_class == reading.weapon_class or result["largest"] is None or mine is None or result["largest"] == mine:
            continue
        record = result["record"]
        mine_name, other_name = CLASS_NAMES[reading.weapon_class], CLASS_NAMES[weapon_class]
        if mine:
            out.append(f"largest by {mine_name} but not by {other_name} (record {_when(record)}: {record[reading.measure]})")
        else:
            out.append(f"not largest by {mine_name} but largest by {other_name} ({result['value']})")
    return out


def _when(row: dict) -> str:
    return row.get("period") or row["date"]


def _explain(reading: Reading, result: dict, subject: str) -> str:
    if result["verdict"] == "not_enough_data":
        return result["notes"][0] if result["notes"] else "nothing to compare with"
    mine = result["by_class"][reading.weapon_class]
    what = f"{reading.measure} ({CLASS_NAMES[reading.weapon_class]})"
    since = result["read"]["period_start"] or "the start of the record"
    record = mine["record"]
    relation = "at least" if result["verdict"] == "supported" else "fewer than"
    return (
        f"{subject} has {mine['value']} {what}, {relation} the largest before it "
        f"since {since}: {record[reading.measure]} on {_when(record)}"
    )


def _coverage_notes(conn: Connection, reading: Reading, day: dt.date, direction: str | None) -> list[str]:
    start = reading.period_start(day) or INVASION
    first = conn.execute(sa.select(sa.func.min(attacks.c.date)).where(direction_filter(direction))).scalar()
    if first is None or as_date(first) <= start:
        return []
    return [f"the record starts on {as_date(first).isoformat()}, after the period's start {start.isoformat()}: earlier attacks are not in it"]
