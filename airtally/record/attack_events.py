"""The events a change to attacks makes: ``attack.created``, ``attack.revised``,
``record.broken`` and ``record.revised`` (written to the outbox by ``airtally.record.events``).

A writer watches the attacks it is about to change (``AttackChanges.watch``), changes them,
then ``emit`` compares each attack's class totals (drones, missiles, all: launched, destroyed,
lost, hits in ``attack_totals``) with what they were:

- ``attack.created``: the attack had no class totals and now has some (it enters the record);
- ``attack.revised``: a stored class total changed (nothing changed: no event);
- ``record.broken``: a watched attack is now the all-time largest launch of a class, taking it
  from another attack (launched, ties to the earlier attack, as ``airtally largest`` ranks);
- ``record.revised``: the record holder's launched figure was lowered (the holder may change).

Records are those of attacks on Ukraine (RU-UA, ``largest``'s default direction). An
attack's oblasts are those its current reports, the threats in its window and the oblast
alerts overlapping its window name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from airtally import clock
from airtally.record.events import emit_rows, event_row, within_window
from airtally.record.merge import CLASS_SUBJECTS, MEASURES
from airtally.storage.attacks import as_utc
from airtally.storage.tables_alerts import alert_events
from airtally.storage.tables_record import attack_totals, attacks, reports
from airtally.storage.tables_threats import threats

Totals = dict[str, dict[str, int]]  # class -> measure -> value (measures with a value)
_CHUNK = 500
_RECORD_DIRECTION = ("RU", "UA")


def class_totals(conn: Connection, attack_ids: Iterable[int]) -> dict[int, Totals]:
    """Each attack's class totals (an attack without any: absent)."""
    ids = sorted(set(attack_ids))
    found: dict[int, Totals] = {}
    for i in range(0, len(ids), _CHUNK):
        query = (sa.select(attack_totals.c.attack_id, attack_totals.c.subject, *(attack_totals.c[m] for m in MEASURES))
                 .where(attack_totals.c.attack_id.in_(ids[i : i + _CHUNK]), attack_totals.c.subject.in_(CLASS_SUBJECTS)))
        for row in conn.execute(query).mappings():
            values = {m: row[m] for m in MEASURES if row[m] is not None}
            if values:
                found.setdefault(row["attack_id"], {})[row["subject"]] = values
    return found


def record_holders(conn: Connection) -> dict[str, dict | None]:
    """The all-time largest launch per class: {class: {attack_id, date, launched} or None}."""
    return {cls: _holder(conn, cls) for cls in CLASS_SUBJECTS}


def _holder(conn: Connection, cls: str) -> dict | None:
    query = (sa.select(attacks.c.id.label("attack_id"), attacks.c.date, attack_totals.c.launched)
             .join(attack_totals, attack_totals.c.attack_id == attacks.c.id)
             .where(attack_totals.c.subject == cls, attack_totals.c.launched.is_not(None),
                    attacks.c.attacker == _RECORD_DIRECTION[0], attacks.c.target == _RECORD_DIRECTION[1])
             .order_by(attack_totals.c.launched.desc(), attacks.c.date, attacks.c.id).limit(1))
    row = conn.execute(query).mappings().first()
    return None if row is None else {"attack_id": row["attack_id"], "date": row["date"].isoformat(),
                                     "launched": row["launched"]}


class AttackChanges:
    """The attacks one write changes, and the events their change makes (see the module docstring).

    ``notify`` false records the events without sending them (bulk imports, a catch-up); else
    an event notifies when its attack ended within the notification window."""

    def __init__(self, conn: Connection, *, notify: bool = True, records: bool = True,
                 now: dt.datetime | None = None):
        self.conn, self.notify, self.records, self.now = conn, notify, records, now
        self.before: dict[int, Totals] = {}
        self.holders: dict[str, dict | None] | None = None

    def watch(self, attack_ids: Iterable[int | None]) -> None:
        """Remember the class totals of ``attack_ids`` as they are now (the first time each is seen)."""
        new = {a for a in attack_ids if a is not None and a not in self.before}
        if not new:
            return
        if self.holders is None and self.records:
            self.holders = record_holders(self.conn)
        found = class_totals(self.conn, new)
        self.before.update({a: found.get(a, {}) for a in new})

    def watch_new(self, attack_ids: Iterable[int]) -> None:
        """Watch attacks the caller has just added (no totals yet: nothing to read)."""
        if self.holders is None and self.records:
            self.holders = record_holders(self.conn)
        self.before.update({a: {} for a in attack_ids if a not in self.before})

    def emit(self) -> int:
        """Write the events of the watched attacks' changes; their number."""
        after = class_totals(self.conn, self.before)
        changed = {a: after.get(a, {}) for a, was in self.before.items() if after.get(a, {}) != was}
        if not changed:
            return 0
        now = self.now or clock.now()
        info = _attack_info(self.conn, changed)
        regions = attack_regions(self.conn, info.values())
        rows = [self._attack_event(info[a], self.before[a], totals, regions.get(a, set()), now)
                for a, totals in sorted(changed.items())]
        if self.records and self.holders is not None:
            rows += self._record_events(info, regions, now)
        emit_rows(self.conn, rows)
        self.before = {}
        return len(rows)

    def _attack_event(self, attack: dict, before: Totals, after: Totals, regions: set[str], now: dt.datetime) -> dict:
        data = {**_attack_data(attack), "figures": after, "before": before,
                "changed": sorted(c for c in set(before) | set(after) if before.get(c) != after.get(c))}
        kind = "attack.created" if not before else "attack.revised"
        return event_row(kind, data=data, regions=regions, attack_id=attack["id"], subject_at=attack["subject_at"],
                         notify=self.notify and within_window(attack["subject_at"], now), now=now)

    def _record_events(self, info: dict[int, dict], regions: dict[int, set[str]], now: dt.datetime) -> list[dict]:
        assert self.holders is not None
        rows = []
        for cls, old in self.holders.items():
            new = _holder(self.conn, cls)
            kind = _record_change(old, new, self.before, cls)
            if kind is None:
                continue
            # about the new holder; about the old one when no attack holds the record any more
            about = (new or old)["attack_id"]  # type: ignore[index]
            attack = info.get(about) or _attack_info(self.conn, [about])[about]
            holder = new and {**new, "path": f"/attacks/{new['attack_id']}"}
            data = {"class": cls, "measure": "launched", "holder": holder, "previous": old}
            rows.append(event_row(kind, data=data, regions=regions.get(about, set()), attack_id=about,
                                  subject_at=attack["subject_at"],
                                  notify=self.notify and within_window(attack["subject_at"], now), now=now))
        self.holders = None
        return rows


def _record_change(old: dict | None, new: dict | None, before: dict[int, Totals], cls: str) -> str | None:
    """``record.broken``, ``record.revised`` or None, from the class's holder before and after."""
    if old is not None and old["attack_id"] in before:
        now_launched = new["launched"] if new and new["attack_id"] == old["attack_id"] else None
        if now_launched is None or now_launched < old["launched"]:
            return "record.revised"  # the holder's own figure went down (and it may have lost the record)
    if new is not None and new["attack_id"] in before and (old is None or new["attack_id"] != old["attack_id"]):
        return "record.broken"
    return None


def _attack_info(conn: Connection, attack_ids: Iterable[int]) -> dict[int, dict]:
    ids, found = sorted(set(attack_ids)), {}
    for i in range(0, len(ids), _CHUNK):
        for row in conn.execute(sa.select(attacks).where(attacks.c.id.in_(ids[i : i + _CHUNK]))).mappings():
            start, end = as_utc(row["start"]), as_utc(row["end"])
            found[row["id"]] = {**row, "start": start, "end": end,
                                "subject_at": end or clock.kyiv_midnight(row["date"] + dt.timedelta(days=1))}
    return found


def _attack_data(attack: dict) -> dict:
    return {"attack_id": attack["id"], "date": attack["date"].isoformat(),
            "direction": f"{attack['attacker']}-{attack['target']}",
            "start": _iso(attack["start"]), "end": _iso(attack["end"]), "path": f"/attacks/{attack['id']}"}


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def attack_regions(conn: Connection, attacks_: Iterable[dict]) -> dict[int, set[str]]:
    """The oblasts each attack concerns: named by its current reports, by the threats in its
    window, and by the oblast alerts overlapping its window (an attack without a stored window:
    the evening before its date to the date's end, Kyiv time)."""
    listed = list(attacks_)
    found: dict[int, set[str]] = {a["id"]: set() for a in listed}
    ids = sorted(found)
    dialect = conn.dialect.name
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        named = (sa.select(reports.c.attack_id, reports.c.extraction["regions"].label("regions"))
                 .where(reports.c.attack_id.in_(chunk), reports.c.withdrawn_at.is_(None),
                        reports.c.extraction.is_not(None)))
        for row in conn.execute(named):
            found[row.attack_id].update(code for code in (row.regions or []) if isinstance(code, str))
    windowed = [a["id"] for a in listed if a["start"] is not None and a["end"] is not None]
    for i in range(0, len(windowed), _CHUNK):  # the stored windows, in one query per chunk
        window = (attacks.c.start, attacks.c.end, _day_before(attacks.c.start, dialect))
        _add_window_regions(conn, found, windowed[i : i + _CHUNK], window)
    for attack in listed:
        if attack["start"] is None or attack["end"] is None:
            start = attack["start"] or clock.kyiv_midnight(attack["date"]) - dt.timedelta(hours=6)
            end = attack["end"] or clock.kyiv_midnight(attack["date"] + dt.timedelta(days=1))
            _add_window_regions(conn, found, [attack["id"]], (start, end, start - dt.timedelta(days=1)))
    return found


def _day_before(column, dialect: str):
    if dialect == "sqlite":  # stored as text: SQLite's own date arithmetic, compared as text
        return sa.func.datetime(column, "-1 day")
    return column - dt.timedelta(days=1)


def _add_window_regions(conn: Connection, found: dict[int, set[str]], attack_ids: list[int], window: tuple) -> None:
    """Add the oblasts of the threats and alerts in ``window`` (start, end, a day before the start:
    columns of ``attacks`` or values) to each attack's."""
    start, end, day_before = window
    in_window = sa.and_(threats.c.at >= start, threats.c.at <= end)
    for row in conn.execute(sa.select(attacks.c.id, threats.c.regions, threats.c.heading_regions)
                            .join(threats, in_window).where(attacks.c.id.in_(attack_ids), threats.c.type != "all_clear")):
        found[row.id].update(row.regions.split() + row.heading_regions.split())
    # an alert that overlaps the window, started at most a day before it (the index bounds the
    # search); a longer one is a permanent one, not this attack's
    overlaps = sa.and_(alert_events.c.started_at >= day_before, alert_events.c.started_at <= end,
                       sa.or_(alert_events.c.finished_at.is_(None), alert_events.c.finished_at >= start))
    alerts = (sa.select(attacks.c.id, alert_events.c.region_code).distinct().join(alert_events, overlaps)
              .where(attacks.c.id.in_(attack_ids), alert_events.c.permanent.is_(False), alert_events.c.level == "oblast"))
    for alert in conn.execute(alerts):
        found[alert.id].add(alert.region_code)
