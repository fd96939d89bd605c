"""Where the per-attack class totals come from: the merged record, or one kind of report.

Every query in airtally.analytics reads a selectable shaped like ``attack_totals``
(``attack_id, subject, launched, destroyed, lost``, one row per attack and class) and joins
it to ``attacks``. By default that is ``attack_totals`` itself, the merged record that
airtally.record.merge keeps. ``--source-kind KIND`` builds the same shape from the current
(not superseded) figures of reports of that kind only, by the merge's rules
(airtally.record.merge) restricted to that kind:

1. per attack, source, class and measure: the source's class total ("drones", "missiles",
   "all") summed over its reports (a source's posts about one attack are its waves), else the
   sum of its weapon-model figures of that class (airtally.model.DRONE_CLASSES /
   MISSILE_CLASSES); "all" falls back to drones + missiles;
2. across the sources of that kind: regional sources are summed (each command covers its own
   part of the country); of several national (or news) sources the lead one counts (the one
   stating most figures, then the first stored) and the others only fill what it lacks. Unlike
   the merge, a second national source's separate wave is not added (on the curated data set
   this concerns one date, 2023-02-10).
3. people's review decisions apply (a rejected figure does not count, a corrected one counts
   with its new value) and ``unconfirmed`` says a value rests on a low-confidence figure no
   person has reviewed, as in the merged record.
"""

from __future__ import annotations

import sqlalchemy as sa

from airtally.errors import InvalidValue
from airtally.model import DRONE_CLASSES, MISSILE_CLASSES
from airtally.storage.tables_record import REPORT_KINDS, attack_totals, attacks, figures, reports
from airtally.storage.tables_reviews import CONFIDENCE, REVIEWED, VALUE, reviews

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


def _current(kind: str):
    """Current figures of reports of ``kind`` as reviewed, each with its source, the class it
    counts in, and 1 in ``low`` when it rests on an unreviewed low-confidence reading."""
    is_total = figures.c.subject.in_(CLASSES)
    cls = sa.case(
        (is_total, figures.c.subject),
        (figures.c.weapon_class.in_(sorted(DRONE_CLASSES)), sa.literal("drones")),
        (figures.c.weapon_class.in_(sorted(MISSILE_CLASSES)), sa.literal("missiles")),
    )
    return (
        sa.select(
            figures.c.id,
            figures.c.attack_id,
            reports.c.source_id,
            figures.c.subject,
            cls.label("cls"),
            figures.c.measure,
            sa.case((is_total, VALUE)).label("total"),
            sa.case((~is_total, VALUE)).label("part"),
            sa.case((CONFIDENCE == "low", 1), else_=0).label("low"),
        )
        .select_from(REVIEWED.join(reports, reports.c.id == figures.c.report_id))
        .where(figures.c.superseded_by.is_(None), reports.c.kind == kind, figures.c.measure.in_(MEASURES),
               sa.or_(reviews.c.decision.is_(None), reviews.c.decision != "reject"))
        .cte(f"current_{kind}")
    )


def _source_class_values(current):
    """Per attack, source, class and measure: the stated class total (summed over the source's
    reports), else the sum of the source's weapon figures of that class."""
    keys = (current.c.attack_id, current.c.source_id, current.c.cls, current.c.measure)
    value = sa.func.coalesce(sa.func.sum(current.c.total), sa.func.sum(current.c.part))
    # low: of the figures the value comes from (the stated totals when there are some)
    low = sa.case((sa.func.count(current.c.total) > 0, sa.func.max(sa.case((current.c.total.is_not(None), current.c.low),
                                                                          else_=0))),
                  else_=sa.func.max(current.c.low))
    return (sa.select(*keys, value.label("value"), low.label("low"))
            .where(current.c.cls.is_not(None)).group_by(*keys).cte("per_source"))


def _with_derived_all(per_source):
    """``per_source`` with "all" as the source states it, else its drones + missiles.

    One aggregation rather than an anti-join: PostgreSQL misjudges the CTE's size and would
    loop over it once per row.
    """
    keys = (per_source.c.attack_id, per_source.c.source_id, per_source.c.measure)
    is_all = per_source.c.cls == "all"
    stated = sa.func.sum(sa.case((is_all, per_source.c.value)))
    parts = sa.func.sum(sa.case((per_source.c.cls.in_(("drones", "missiles")), per_source.c.value)))
    low = sa.case((stated.is_not(None), sa.func.max(sa.case((is_all, per_source.c.low), else_=0))),
                  else_=sa.func.max(per_source.c.low))
    all_rows = sa.select(keys[0], keys[1], sa.literal("all").label("cls"), keys[2], sa.func.coalesce(stated, parts), low)
    plain = (
        sa.select(per_source.c.attack_id, per_source.c.source_id, per_source.c.cls, per_source.c.measure,
                  per_source.c.value, per_source.c.low)
        .where(per_source.c.cls != "all")
    )
    return sa.union_all(plain, all_rows.group_by(*keys)).cte("by_source")


def _source_ranks(current):
    """Per attack, its sources ranked as the merge ranks them: most figures first, then first stored."""
    stated = sa.func.count(sa.distinct(current.c.subject + "|" + current.c.measure))
    rank = sa.func.row_number().over(
        partition_by=current.c.attack_id, order_by=(stated.desc(), sa.func.min(current.c.id))
    )
    return (
        sa.select(current.c.attack_id, current.c.source_id, rank.label("source_rank"))
        .group_by(current.c.attack_id, current.c.source_id)
        .cte("source_ranks")
    )


def _lead_values(by_source, ranks):
    """Per attack, class and measure: the value of the best-ranked source that states it."""
    keys = (by_source.c.attack_id, by_source.c.cls, by_source.c.measure)
    pick = sa.func.row_number().over(partition_by=keys, order_by=ranks.c.source_rank)
    ranked = (
        sa.select(*keys, by_source.c.value, by_source.c.low, pick.label("pick"))
        .join(ranks, sa.and_(ranks.c.attack_id == by_source.c.attack_id, ranks.c.source_id == by_source.c.source_id))
        .where(by_source.c.value.is_not(None))
        .subquery("ranked")
    )
    return (sa.select(ranked.c.attack_id, ranked.c.cls, ranked.c.measure, ranked.c.value, ranked.c.low)
            .where(ranked.c.pick == 1).subquery("lead"))


def _kind_totals(kind: str):
    current = _current(kind)
    by_source = _with_derived_all(_source_class_values(current))
    if kind == "regional":
        values = by_source
    else:
        values = _lead_values(by_source, _source_ranks(current))
    measures = [sa.func.sum(sa.case((values.c.measure == m, values.c.value))).label(m) for m in MEASURES]
    return (
        sa.select(values.c.attack_id, values.c.cls.label("subject"), *measures,
                  (sa.func.max(values.c.low) == 1).label("unconfirmed"))
        .group_by(values.c.attack_id, values.c.cls)
        .subquery(f"totals_{kind}")
    )


def has_figures(totals):
    """A WHERE clause: the class row states at least one of launched, destroyed, lost."""
    return sa.or_(*(totals.c[m].is_not(None) for m in MEASURES))


def class_order(subject):
    """An ORDER BY key putting classes in the order drones, missiles, all."""
    return sa.case(*((subject == c, i) for i, c in enumerate(CLASSES)), else_=len(CLASSES))
