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

The check decides what to say as items, a code and its values (``Note``); the words come from
``claim_notes.yaml`` in the language asked for (``airtally.analytics.claim_notes``).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from airtally.analytics.claim_notes import Note, check_language, word
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


def check(
    bind: Engine | Connection,
    text: str,
    date: str | dt.date | None = None,
    source_kind: str | None = None,
    direction: str | None = None,
    figures: dict | None = None,
    lang: str = "en",
) -> dict:
    """The verdict on the record claim ``text`` about the attack (or month) of ``date``.

    ``figures`` are the attack's own figures per class (``{"drones": {"launched": 539, ...},
    ...}``, as an extraction's ``totals``) when it is not (yet) in the record, e.g. a report
    pasted to be checked before it is stored; the record still supplies what came before.
    Returns ``{"verdict", "claim", "read", "attack", "month", "record", "margin", "by_class",
    "disagreements", "notes", "explanation", ...}`` (see the module docstring): the notes,
    disagreements and explanation worded in ``lang`` (en, uk), and each also as an item
    (``note_items``, ``disagreement_items``, ``explanation_item``: ``{"code", "values"}``).
    """
    lang = check_language(lang)
    reading = read(text)
    day = parse_date(date, what="--date")
    scope = {"source_kind": source_kind, "direction": direction}
    with connected(bind) as conn:
        date_from = "--date" if day else "latest attack in the record"
        day = day or _latest_day(conn, direction)
        if day is None:
            result = _result(reading, dt.date.today(), "not_enough_data", {}, [Note("empty_record", {})])
        elif reading.subject == "month":
            result = _check_month(conn, reading, day, scope)
        else:
            result = _check_attack(conn, reading, day, scope, figures)
        if day is not None:
            result["notes"] += _coverage_notes(conn, reading, day, direction)
    if reading.period == "unnamed":
        result["notes"].append(Note("no_period", {}))
    result["read"].update(date=day.isoformat() if day else None, date_from=date_from)
    return _worded(result, lang)


def _worded(result: dict, lang: str) -> dict:
    """The result with its items worded in ``lang`` (in their places) and given as JSON after them."""
    items = {key: result[key] for key in ("disagreements", "notes", "explanation")}
    return result | {
        "disagreements": [word(n, lang) for n in items["disagreements"]],
        "notes": [word(n, lang) for n in items["notes"]],
        "explanation": word(items["explanation"], lang),
        "lang": lang,
        "disagreement_items": [n.as_json() for n in items["disagreements"]],
        "note_items": [n.as_json() for n in items["notes"]],
        "explanation_item": items["explanation"].as_json(),
    }


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


def _unconfirmed_notes(reading: Reading, resting: list[str], mine: dict) -> list[Note]:
    notes = []
    if "attack" in resting:
        notes.append(Note("attack_unconfirmed", {}))
    if "month" in resting:
        notes.append(Note("month_unconfirmed", {"count": mine["month"]["unconfirmed"]}))
    if "record" in resting and "period" in mine["record"]:  # a month: some of its attacks are unconfirmed
        record = mine["record"]
        notes.append(Note("record_month_unconfirmed", {"month": record["period"], "value": record[reading.measure],
                                                       "count": record["unconfirmed"]}))
    elif "record" in resting:
        record, confirmed = mine["record"], mine.get("confirmed_record")
        values = {"value": record[reading.measure], "date": _when(record)}
        if confirmed is None:
            notes.append(Note("record_unconfirmed_alone", values))
        else:
            notes.append(Note("record_unconfirmed", values | {
                "confirmed_value": confirmed[reading.measure], "confirmed_date": _when(confirmed),
                "confirmed_verdict": mine["confirmed_verdict"]}))
    return notes


def _result(reading, day, verdict, by_class, notes, attack=None, month=None) -> dict:
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
    result["explanation"] = _explain(reading, result)
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
        note = Note("no_attack_on_date", {"date": day.isoformat()})
        return _result(reading, day, "not_enough_data", {}, [note])
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
    return _result(reading, day, verdict, by_class, notes, attack=attack)


def _class_result(value: int | None, record: dict | None, measure: str) -> dict:
    verdict = _verdict(value, record, measure)
    largest = None if verdict == "not_enough_data" else verdict == "supported"
    return {"value": value, "record": record, "largest": largest, "verdict": verdict}


def _attack_notes(reading: Reading, by_class: dict, day: dt.date) -> list[Note]:
    mine, what = by_class[reading.weapon_class], {"measure": reading.measure, "class": reading.weapon_class}
    if mine["value"] is None:
        return [Note("attack_no_figure", {"date": day.isoformat()} | what)]
    if mine["record"] is None:
        return [Note("no_earlier_attack", what)]
    if mine["value"] == mine["record"][reading.measure]:
        return [Note("ties_record", {"date": mine["record"]["date"], "value": mine["value"]})]
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


def _month_notes(reading: Reading, mine: dict, first: dt.date, last: dt.date) -> list[Note]:
    month, what = f"{first:%Y-%m}", {"measure": reading.measure, "class": reading.weapon_class}
    notes = [Note("month_counted_to", {"month": month, "date": last.isoformat()})] if last < period_end("month", first) else []
    if mine["value"] is None:
        notes.insert(0, Note("month_no_figure", {"month": month} | what))
    elif mine["record"] is None:
        notes.insert(0, Note("no_earlier_month", what))
    elif mine["value"] == mine["record"][reading.measure]:
        notes.append(Note("ties_month_record", {"month": mine["record"]["period"], "value": mine["value"]}))
    return notes


def _check_month(conn: Connection, reading: Reading, day: dt.date, scope: dict) -> dict:
    assert reading.claimed_month is not None, "a claim about a month is read with its month (wording.read)"
    first = latest_month_start(*reading.claimed_month, day)
    last = min(period_end("month", first), day)
    start, measure = reading.period_start(day), reading.measure
    if first > day:
        note = Note("month_not_begun", {"month": f"{first:%Y-%m}", "date": day.isoformat()})
        return _result(reading, day, "not_enough_data", {}, [note])
    by_class = {}
    for weapon_class in CLASSES:
        month = _month_total(conn, weapon_class, first, last, scope)
        record = _month_record(conn, weapon_class, measure, start, first, scope)
        by_class[weapon_class] = _class_result(_month_value(month, measure), record, measure) | {"month": month}
    notes = _month_notes(reading, by_class[reading.weapon_class], first, last)
    verdict, month = by_class[reading.weapon_class]["verdict"], by_class[reading.weapon_class]["month"]
    return _result(reading, day, verdict, by_class, notes, month=month)


# -- what the answer says (worded by airtally.analytics.claim_notes) ---------------------


def _disagreements(reading: Reading, by_class: dict) -> list[Note]:
    mine = by_class.get(reading.weapon_class, {}).get("largest")
    out = []
    for weapon_class, result in by_class.items():
        if weapon_class == reading.weapon_class or result["largest"] is None or mine is None or result["largest"] == mine:
            continue
        record, classes = result["record"], {"class": reading.weapon_class, "other_class": weapon_class}
        if mine:
            out.append(Note("largest_but_not_by", classes | {"record_when": _when(record),
                                                             "record_value": record[reading.measure]}))
        else:
            out.append(Note("largest_only_by", classes | {"value": result["value"]}))
    return out


def _when(row: dict) -> str:
    return row.get("period") or row["date"]


def _explain(reading: Reading, result: dict) -> Note:
    """The verdict in a sentence: the claimed figure against the record before it; without a
    verdict, the first note (why there is none)."""
    if result["verdict"] == "not_enough_data":
        return result["notes"][0] if result["notes"] else Note("nothing_to_compare", {})
    mine = result["by_class"][reading.weapon_class]
    record, since = mine["record"], result["read"]["period_start"]
    values = {"value": mine["value"], "measure": reading.measure, "class": reading.weapon_class,
              "verdict": result["verdict"], "record_value": record[reading.measure]}
    values |= {"since": since} if since else {}
    if result["month"] is not None:
        values |= {"month": result["month"]["period"], "record_month": record["period"]}
        return Note("month_against_record_since" if since else "month_against_record", values)
    values |= {"date": result["attack"]["date"], "record_date": record["date"]}
    return Note("attack_against_record_since" if since else "attack_against_record", values)


def _coverage_notes(conn: Connection, reading: Reading, day: dt.date, direction: str | None) -> list[Note]:
    start = reading.period_start(day) or INVASION
    first = conn.execute(sa.select(sa.func.min(attacks.c.date)).where(direction_filter(direction))).scalar()
    if first is None or as_date(first) <= start:
        return []
    return [Note("record_starts_later", {"first": as_date(first).isoformat(), "start": start.isoformat()})]
