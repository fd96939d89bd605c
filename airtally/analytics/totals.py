"""Where the per-attack class totals come from: the merged record, or one kind of report.

Every query in airtally.analytics reads a selectable shaped like ``attack_totals``
(``attack_id, subject, launched, destroyed, lost``, one row per attack and class) and joins
it to ``attacks``. By default that is ``attack_totals`` itself, the merged record that
airtally.record.merge keeps. ``--source-kind KIND`` builds the same shape from the current
(not superseded) figures of reports of that kind only:

1. per report and class, the report's class total ("drones", "missiles", "all") when it states
   one, else the sum of its weapon-model figures of that class (catalogue classes counted as in
   airtally.model.DRONE_CLASSES / MISSILE_CLASSES); "all" falls back to drones + missiles;
2. per attack, across the reports of that kind: national and regional reports are summed
   (several national posts of one night each report a part, and a regional post is by
   definition a part), news reports take the largest value (articles repeat the same
   official figure; adding them would count it once per article).
"""

from __future__ import annotations

import sqlalchemy as sa

from airtally.errors import InvalidValue
from airtally.model import DRONE_CLASSES, MISSILE_CLASSES
from airtally.storage.tables_record import REPORT_KINDS, attack_totals, attacks, figures, reports

CLASSES = ("drones", "missiles", "all")
MEASURES = ("launched", "destroyed", "lost")
SOURCE_KINDS = (*REPORT_KINDS, "all")
DIRECTIONS = {"RU-UA": ("RU", "UA"), "UA-RU": ("UA", "RU"), "any": None}


def check_class(weapon_class: str) -> str:
    if weapon_class not in CLASSES:
        raise InvalidValue(f"unknown class {weapon_class!r} (use one of: {', '.join(CLASSES)})")
    return weapon_class


def check_source_kind(kind: str | None) -> str:
    kind = kind or "all"
    if kind not in SOURCE_KINDS:
        raise InvalidValue(f"unknown source kind {kind!r} (use one of: {', '.join(SOURCE_KINDS)})")
    return kind


def direction_filter(direction: str | None):
    """A WHERE clause on ``attacks`` for ``RU-UA`` (the default), ``UA-RU`` or ``any``."""
    key = (direction or "RU-UA").upper().replace(">", "-").replace("ANY", "any")
    if key not in DIRECTIONS:
        raise InvalidValue(f"unknown direction {direction!r} (use one of: {', '.join(DIRECTIONS)})")
    pair = DIRECTIONS[key]
    if pair is None:
        return sa.true()
    return sa.and_(attacks.c.attacker == pair[0], attacks.c.target == pair[1])


def totals_for(kind: str | None = None):
    """The per-attack class totals to read: ``attack_totals``, or those built from one report kind."""
    kind = check_source_kind(kind)
    if kind == "all":
        return attack_totals
    return _kind_totals(kind)


def _report_class_values(kind: str):
    """Per report, class and measure: the class total, else the sum of the models of that class."""
    is_total = figures.c.subject.in_(CLASSES)
    cls = sa.case(
        (is_total, figures.c.subject),
        (figures.c.weapon_class.in_(sorted(DRONE_CLASSES)), sa.literal("drones")),
        (figures.c.weapon_class.in_(sorted(MISSILE_CLASSES)), sa.literal("missiles")),
    )
    current = (
        sa.select(
            figures.c.attack_id,
            figures.c.report_id,
            cls.label("cls"),
            figures.c.measure,
            sa.case((is_total, figures.c.value)).label("total"),
            sa.case((~is_total, figures.c.value)).label("part"),
        )
        .join(reports, reports.c.id == figures.c.report_id)
        .where(figures.c.superseded_by.is_(None), reports.c.kind == kind, figures.c.measure.in_(MEASURES))
        .cte(f"current_{kind}")
    )
    keys = (current.c.attack_id, current.c.report_id, current.c.cls, current.c.measure)
    return (
        sa.select(*keys, sa.func.coalesce(sa.func.max(current.c.total), sa.func.sum(current.c.part)).label("value"))
        .where(current.c.cls.is_not(None))
        .group_by(*keys)
        .cte(f"per_report_{kind}")
    )


def _with_derived_all(per_report):
    """``per_report`` plus an "all" row (drones + missiles) where a report states no "all" total."""
    stated = per_report.alias("stated")
    has_all = (
        sa.select(sa.literal(1))
        .where(
            stated.c.attack_id == per_report.c.attack_id,
            stated.c.report_id == per_report.c.report_id,
            stated.c.measure == per_report.c.measure,
            stated.c.cls == "all",
        )
        .exists()
    )
    keys = (per_report.c.attack_id, per_report.c.report_id, per_report.c.measure)
    derived = (
        sa.select(keys[0], keys[1], sa.literal("all").label("cls"), keys[2], sa.func.sum(per_report.c.value))
        .where(per_report.c.cls.in_(("drones", "missiles")), ~has_all)
        .group_by(*keys)
    )
    plain = sa.select(per_report.c.attack_id, per_report.c.report_id, per_report.c.cls, per_report.c.measure, per_report.c.value)
    return sa.union_all(plain, derived).subquery("by_report")


def _kind_totals(kind: str):
    by_report = _with_derived_all(_report_class_values(kind))
    combine = sa.func.sum if kind in ("national", "regional") else sa.func.max
    measures = [combine(sa.case((by_report.c.measure == m, by_report.c.value))).label(m) for m in MEASURES]
    return (
        sa.select(by_report.c.attack_id, by_report.c.cls.label("subject"), *measures)
        .group_by(by_report.c.attack_id, by_report.c.cls)
        .subquery(f"totals_{kind}")
    )


def class_order(subject):
    """An ORDER BY key putting classes in the order drones, missiles, all."""
    return sa.case(*((subject == c, i) for i, c in enumerate(CLASSES)), else_=len(CLASSES))
