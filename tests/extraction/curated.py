"""The curated data set's national Air Force attacks, and how well posts written from them read back.

Rows of ``missile_attacks_daily.csv`` whose ``source`` is an Air Force post (``kpszsu/...``) are
grouped into attacks by post and night (a row belongs to the night its end falls in, counting
evening rows after 18:00 into the next morning's report). Strike drones and decoys are drones,
missile models are missiles (by the catalogue's ``curated`` names), reconnaissance drones and
loitering munitions are left out, ``not_reach_goal`` is "locationally lost".
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections import defaultdict
from pathlib import Path

from gate import KYIV, dig
from posts import FORMATS, Attack, Weapon, write_post

from airtally.catalog.weapons import catalogue


def _number(raw: str) -> int | None:
    if raw in ("", None):
        return None
    value = float(raw)
    return None if math.isnan(value) else int(value)


def _parse_time(raw: str) -> dt.datetime:
    """A data set time: ``2025-07-04 06:00``, ``2023-05-16 3:30`` (unpadded) or a bare date."""
    day, _, clock = raw.strip().partition(" ")
    hour, _, minute = (clock or "0:00").partition(":")
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(int(hour), int(minute or 0)))


def classify(model: str) -> str | None:
    """``"drones"``, ``"missiles"``, ``"skip"`` (counted in neither) or None (unknown / mixed).

    >>> classify("X-101/X-555 and Kalibr"), classify("Orlan-10"), classify("Shahed-136/131 and Lancet")
    ('missiles', 'skip', None)
    """
    kinds = set()
    for part in model.split(" and "):
        weapon = catalogue().by_curated(part.strip())
        if weapon is None:
            return None
        kinds.add(weapon.counts_as or "skip")
    return kinds.pop() if len(kinds) == 1 else None


def _model_id(model: str) -> str:
    return catalogue().by_curated(model.split(" and ")[0].strip()).id


def _night(end: dt.datetime) -> dt.date:
    """The morning report a row belongs to: evening rows (after 18:00) go to the next day."""
    return (end + dt.timedelta(hours=6)).date()


def _attack(rows: list[dict]) -> Attack | None:
    """One attack from its rows, or None when a row cannot be written faithfully."""
    weapons = []
    for row in rows:
        kind, launched = classify(row["model"]), _number(row["launched"])
        if kind is None or (kind != "skip" and launched is None):
            return None
        if kind == "skip":
            continue
        weapons.append(Weapon(_model_id(row["model"]), kind, launched,
                              _number(row["destroyed"]) or 0, _number(row["not_reach_goal"]) or 0))
    if not weapons:
        return None
    starts = [_parse_time(r["time_start"]) for r in rows if " " in r["time_start"].strip()]
    ends = [_parse_time(r["time_end"]) for r in rows]
    end = max(ends)
    return Attack(date=end.date(), start=min(starts) if starts else None, weapons=tuple(weapons),
                  source=rows[0]["source"], as_of=f"{end:%H:%M}" if end.time() != dt.time(0) else "09:00")


def national_attacks(csv_path: Path) -> tuple[list[Attack], int]:
    """The national Air Force attacks of the data set, and how many groups were left out."""
    groups: dict[tuple[str, dt.date], list[dict]] = defaultdict(list)
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["source"].startswith("kpszsu/"):
                groups[(row["source"], _night(_parse_time(row["time_end"])))].append(row)
    attacks = [_attack(rows) for _, rows in sorted(groups.items(), key=lambda kv: kv[0][1])]
    kept = [a for a in attacks if a is not None]
    return kept, len(attacks) - len(kept)


def disagreements(attack: Attack, fmt: str) -> list[str]:
    """Fields where the extraction of the written post differs from the data set."""
    from airtally.extraction import extract

    published = dt.datetime.combine(attack.date, dt.time(12, 0), tzinfo=KYIV)
    got = extract(write_post(attack, fmt), published=published, input_name=attack.source).to_json()
    return [
        f"{path}: data set {want!r}, extracted {dig(got, path)!r}"
        for path, want in attack.expected().items()
        if dig(got, path) != want
    ]


def agreement(attacks: list[Attack]) -> tuple[float, int, list[str]]:
    """Share of written posts read back exactly, the number of posts, and the disagreements."""
    failed, lines = 0, []
    for attack in attacks:
        for fmt in FORMATS:
            bad = disagreements(attack, fmt)
            failed += bool(bad)
            lines += [f"{attack.date} {fmt} ...{attack.source[-10:]}: {line}" for line in bad]
    posts = len(attacks) * len(FORMATS)
    return (1 - failed / posts if posts else 1.0), posts, lines
