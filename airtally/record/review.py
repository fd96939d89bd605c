"""``airtally review``: the figures waiting for a person, and a person's decision on one.

Weapon figures and casualty figures (killed, injured) alike: a listed row's ``item`` says which
("figure" or "casualty"), and its ``id`` is the row's in that table. A low casualty figure never
overrides an official one (airtally.record.casualties); a decision on it is keyed by the report
and the measure under the subject "casualties".

A low-confidence figure (the engine read a competing value for the same field) counts only
where no national report covers the attack, and then as unconfirmed (airtally.record.merge).
A person accepts it (it counts as high), corrects it (a new value counts, with a note) or
rejects it (it stops counting; it stays stored). The decision is keyed by the report, subject
and measure, so it applies again after ``airtally reextract`` re-reads the report; it is
stored with who made it and when, and the attack's totals are merged again in the same
transaction.

>>> from airtally.storage.database import open_database
>>> decide(open_database("sqlite://"), 7, "reject", reviewer="ana")
Traceback (most recent call last):
...
airtally.errors.NotFound: no figure with id 7 (airtally review lists the figures waiting, with their ids)
"""

from __future__ import annotations

import datetime as dt
import getpass

from sqlalchemy.engine import Engine

from airtally.errors import InvalidValue, NotFound
from airtally.model import figure_path
from airtally.record.attack_events import AttackChanges
from airtally.record.merge import recompute
from airtally.storage import reviews as review_store
from airtally.storage.casualties import casualty_key
from airtally.storage.tables_reviews import DECISIONS
from airtally.storage.transactions import write_transaction

REVIEW_COLUMNS = ("item", "id", "attack_id", "report_id", "source", "kind", "subject", "measure", "value", "qualifier",
                  "evidence", "competing", "decision", "corrected_value", "note", "reviewer", "decided_at")
MAX_NOTE = 2000
# embeddings, overrides and isolates: they reorder the text shown after them (a "Trojan source" note)
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def local_reviewer() -> str:
    """Who decides on the CLI: the local user's login name ("local" when the system has none)."""
    try:
        return getpass.getuser() or "local"
    except (KeyError, OSError):
        return "local"


def check_decision(decision: str, value: object = None, note: str | None = None) -> int | None:
    """The correction's value as an int (None for accept/reject); a clear error otherwise."""
    if decision not in DECISIONS:
        raise InvalidValue(f"unknown decision {decision!r} (use one of: {', '.join(DECISIONS)})")
    if note is not None and len(note) > MAX_NOTE:
        raise InvalidValue(f"the note is {len(note)} characters long: at most {MAX_NOTE}")
    if note is not None and any(ord(c) < 32 and c not in "\t\n" or ord(c) == 127 for c in note):
        raise InvalidValue("the note has a control character in it (a NUL cannot be stored on PostgreSQL)")
    if note is not None and any(c in BIDI_CONTROLS for c in note):
        raise InvalidValue("the note has a text direction control in it (U+202A-U+202E, U+2066-U+2069): "
                           "it would reorder the review page's text around it; write the note without it")
    if decision != "correct":
        if value is not None:
            raise InvalidValue(f"{decision} takes no value (only correct does: airtally review correct ID VALUE)")
        return None
    # isdecimal, not isdigit: '²' is a digit that int() cannot read
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdecimal():
        raise InvalidValue(f"a corrected value must be a whole number 0 or more, not {value!r}")
    number = int(str(value).strip())
    if number > 2**31 - 1:
        raise InvalidValue(f"a corrected value of {number} is past any count of an attack")
    return number


ITEMS = ("figure", "casualty")


def decide(engine: Engine, figure_id: int, decision: str, value: object = None, note: str | None = None,
           reviewer: str | None = None, now: dt.datetime | None = None, item: str = "figure") -> dict:
    """Store ``reviewer``'s decision on figure ``figure_id`` (``item`` "casualty": on casualty
    row ``figure_id``) and merge its attack again, in one transaction; returns the decision as
    stored (with the figure's key)."""
    number = check_decision(decision, value, note)
    if item not in ITEMS:
        raise InvalidValue(f"unknown item {item!r} (use one of: {', '.join(ITEMS)})")
    when = now or dt.datetime.now(dt.timezone.utc)
    with write_transaction(engine) as conn:
        find = review_store.figure_key if item == "figure" else casualty_key
        key = find(conn, figure_id) if 0 < figure_id < 2**63 else None
        if key is None:
            what = "figure" if item == "figure" else "casualty figure"
            raise NotFound(f"no {what} with id {figure_id} (airtally review lists the figures waiting, with their ids)")
        who = reviewer or local_reviewer()
        changes = AttackChanges(conn)
        changes.watch([key["attack_id"]])
        review_store.store_decision(conn, key, decision, number, note, who, when)
        if item == "figure":  # casualties are not in the totals: counted when read
            recompute(conn, [key["attack_id"]])
        changes.emit()  # a decision that changes the attack's totals revises it
    return {"id": figure_id, "item": item, "report_id": key["report_id"], "attack_id": key["attack_id"], "subject": key["subject"],
            "measure": key["measure"], "decision": decision, "corrected_value": number, "note": note,
            "reviewer": who, "decided_at": when.isoformat()}


def waiting(engine: Engine, decided: bool = False, limit: int | None = None) -> list[dict]:
    """The current low-confidence figures no person has decided on (``decided``: the ones a
    person has), each with its report, source and evidence span."""
    with engine.connect() as conn:
        rows = review_store.pending(conn, limit, decided)
    return [_shaped(row) for row in rows]


def field_of(row: dict) -> str:
    """The figure's field as the engine's output names it ("totals.drones.launched",
    "weapons.shahed.destroyed", "casualties.killed")."""
    return figure_path(row["subject"], row["weapon_class"], row["measure"])


def _shaped(row: dict) -> dict:
    """A listed figure with its evidence and the competing readings the engine weighed for it,
    both as stored with the figure (``spans``)."""
    evidence = {"start": row.pop("evidence_start"), "end": row.pop("evidence_end"), "text": row.pop("evidence_text")}
    competing = (row.pop("spans") or {}).get("competing") or []
    decided_at = row.pop("decided_at")
    return {**row, "field": field_of(row), "evidence": evidence, "competing": competing,
            "decided_at": decided_at.isoformat() if decided_at else None}


def flat_row(row: dict) -> dict:
    """One row of ``waiting`` for a table or CSV (the evidence as its text)."""
    return {**row, "evidence": row["evidence"]["text"], "competing": " | ".join(c["text"] for c in row["competing"])}
