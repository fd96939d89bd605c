"""How an attack ranks on its own date, and the month's running tally (SAMPLE, tests/analytics/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from airtally.analytics.ranking import attack_ranks, latest_attack_id
from airtally.analytics.running import running_tally
from airtally.errors import InvalidValue


def test_an_attack_ranks_among_the_attacks_up_to_its_own_date(sample):
    from airtally.record.attack_view import attack_detail

    ids = {d: attack_detail(sample, d)["id"] for d in ("2025-06-15", "2025-07-04", "2025-07-10")}
    ranks = attack_ranks(sample, ids["2025-07-04"])
    assert (ranks["drones"]["rank"], ranks["drones"]["of"], ranks["drones"]["ordinal"]) == (1, 9, "1st")
    assert ranks["drones"]["record"] == {"date": "2025-06-15", "value": 500, "unconfirmed": False}
    assert (ranks["missiles"]["rank"], ranks["missiles"]["of"], ranks["missiles"]["value"]) == (4, 6, 11)
    assert ranks["all"]["rank"] == 1
    # "the largest since": the latest earlier attack at least as large; none for a new record
    assert ranks["drones"]["since"] is None
    assert ranks["missiles"]["since"] == {"date": "2025-06-30", "value": 70, "unconfirmed": False}
    # later, larger attacks do not change how it ranked then; the 10 July attack ranks 6th of 11
    later = attack_ranks(sample, ids["2025-07-10"])["drones"]
    assert (later["rank"], later["of"], later["record"]) == (6, 11, {"date": "2025-07-09", "value": 728, "unconfirmed": False})
    assert later["since"] == {"date": "2025-07-09", "value": 728, "unconfirmed": False}
    first = attack_ranks(sample, ids["2025-06-15"])["drones"]
    assert (first["rank"], first["of"], first["record"]["value"]) == (1, 7, 400)


def test_a_class_without_the_figure_has_no_rank(sample, build_record):
    from airtally.record.attack_view import attack_detail

    only_destroyed = attack_detail(sample, "2025-07-05")["id"]
    assert attack_ranks(sample, only_destroyed) == {"drones": None, "missiles": None, "all": None}
    by_destroyed = attack_ranks(sample, only_destroyed, measure="destroyed")["drones"]
    assert (by_destroyed["rank"], by_destroyed["of"]) == (8, 10)  # 150, 300, 90, 300, 400, 380, 268 shot down more
    with pytest.raises(InvalidValue, match="unknown measure"):
        attack_ranks(sample, only_destroyed, measure="hits")


def test_the_latest_attack_is_the_latest_with_a_figure_of_the_direction(sample, engine):
    from airtally.record.attack_view import attack_detail

    assert latest_attack_id(sample) == attack_detail(sample, "2025-07-10")["id"]
    assert latest_attack_id(engine.connect()) is not None


def test_latest_attack_on_an_empty_record_is_none(engine):
    assert latest_attack_id(engine) is None
    assert running_tally(engine) is None


def test_running_tally_against_the_same_days_and_whole_earlier_months(sample):
    july = running_tally(sample, weapon_class="drones")
    assert (july["as_of"], july["month"], july["day"], july["value"]) == ("2025-07-10", "2025-07", 10, 539 + 728 + 397)
    assert july["cumulative"][3] == [4, 539] and july["cumulative"][-1] == [10, 1664] and len(july["cumulative"]) == 10
    compared = {m["period"]: (m["same_days"], m["whole"]) for m in july["earlier"]}
    assert compared == {"2025-06": (0, 950), "2025-05": (350, 350), "2025-04": (100, 100), "2025-03": (200, 600),
                        "2025-01": (20, 20), "2024-12": (0, 10)}  # February had no attack: left out
    assert [m["period"] for m in july["earlier"]][:2] == ["2025-06", "2025-05"]
    assert (july["rank_same_days"], july["rank_whole"]) == (1, 1)


def test_running_tally_as_of_a_day_ranks_the_month_so_far(sample):
    june = running_tally(sample, as_of="2025-06-20", weapon_class="drones")
    assert june["value"] == 500 and len(june["cumulative"]) == 20
    march = next(m for m in june["earlier"] if m["period"] == "2025-03")
    assert (march["same_days"], march["whole"]) == (600, 600)
    assert (june["rank_same_days"], june["rank_whole"]) == (2, 2)
    assert running_tally(sample, as_of="2025-06-20", weapon_class="drones", months=1)["months_compared"] == 1


def test_running_tally_clamps_the_same_days_to_a_shorter_month(engine, build_record):
    build_record("""
    2025-02-28 merged drones 40 1 -
    2025-03-31 merged drones 10 1 -
    """)
    march = running_tally(engine, weapon_class="drones")
    assert march["earlier"][0] == {"period": "2025-02", "same_days": 40, "whole": 40,
                                   "cumulative": march["earlier"][0]["cumulative"], "unconfirmed": 0}
    assert march["rank_same_days"] == 2


# as of: this month's unconfirmed attacks so far, the earlier months holding some, whether it rests on any
RUNNING_UNCONFIRMED = [
    ("2025-07-05", 0, ["2025-06", "2025-03"], True),
    ("2025-07-10", 1, ["2025-06", "2025-03"], True),
    ("2025-03-10", 0, [], False),
    ("2025-03-25", 1, [], True),
]


@pytest.mark.parametrize("as_of, mine, months, rests", RUNNING_UNCONFIRMED, ids=[r[0] for r in RUNNING_UNCONFIRMED])
def test_running_tally_says_which_months_count_unconfirmed_attacks(engine, build_record, as_of, mine, months, rests):
    build_record(UNCONFIRMED)
    running = running_tally(engine, as_of=as_of, weapon_class="drones")
    assert running["unconfirmed"] == mine
    assert [m["period"] for m in running["earlier"] if m["unconfirmed"]] == months
    assert running["rests_on_unconfirmed"] is rests


def test_running_tally_rejects_bad_values(sample):
    with pytest.raises(InvalidValue, match="unknown class"):
        running_tally(sample, weapon_class="tanks")
    with pytest.raises(InvalidValue, match="not a --as-of date"):
        running_tally(sample, as_of="July")
    with pytest.raises(InvalidValue, match="months must be"):
        running_tally(sample, months=0)


def _ranks_by_reading_every_row(engine, attack_id: int, measure: str) -> dict:
    """attack_ranks' definition applied to every row in Python: the reference for its SQL."""
    import sqlalchemy as sa

    from airtally.analytics.ranking import ordinal
    from airtally.storage.tables_record import attack_totals, attacks

    with engine.connect() as conn:
        rows = conn.execute(sa.select(attacks.c.id, attacks.c.date, attacks.c.attacker, attacks.c.target,
                                      attack_totals.c.subject, attack_totals.c[measure].label("value"),
                                      attack_totals.c.unconfirmed)
                            .join(attack_totals, attack_totals.c.attack_id == attacks.c.id)).all()
    me = {r.subject: r for r in rows if r.id == attack_id}
    ranks = {}
    for cls in ("drones", "missiles", "all"):
        own = me.get(cls)
        if own is None or own.value is None:
            ranks[cls] = None
            continue
        base = [r for r in rows if r.subject == cls and r.value is not None and (r.attacker, r.target) == (own.attacker, own.target)
                and r.date <= own.date]
        record = min((r for r in base if r.id != attack_id), key=lambda r: (-r.value, r.date), default=None)
        since = max((r for r in base if r.value >= own.value and r.date < own.date), key=lambda r: r.date, default=None)
        confirmed = min((r for r in base if r.id != attack_id and not r.unconfirmed), key=lambda r: (-r.value, r.date),
                        default=None)
        rank = 1 + sum(r.value > own.value for r in base)
        larger_unconfirmed = sum(r.value > own.value and bool(r.unconfirmed) for r in base)
        ranks[cls] = {"rank": rank, "ordinal": ordinal(rank), "of": len(base), "value": own.value,
                      "record": record and {"date": record.date.isoformat(), "value": record.value,
                                            "unconfirmed": bool(record.unconfirmed)},
                      "since": since and {"date": since.date.isoformat(), "value": since.value,
                                          "unconfirmed": bool(since.unconfirmed)},
                      "unconfirmed": bool(own.unconfirmed), "larger_unconfirmed": larger_unconfirmed,
                      "confirmed_rank": rank - larger_unconfirmed,
                      "confirmed_record": (confirmed and {"date": confirmed.date.isoformat(), "value": confirmed.value}
                                           if record and record.unconfirmed else None),
                      "rests_on_unconfirmed": bool(own.unconfirmed) or larger_unconfirmed > 0
                      or bool(record and record.unconfirmed)}
    return ranks


# SAMPLE with some attacks resting on unconfirmed figures (low confidence, unreviewed, no national report)
UNCONFIRMED = """
2025-03-05  merged  drones    200  150  30
2025-03-20  merged  drones    400  300  80  unconfirmed
2025-04-10  merged  drones    100  90   5
2025-04-10  merged  missiles  60   40   -   unconfirmed
2025-05-01  merged  drones    350  300  40
2025-06-15  merged  drones    500  400  90  unconfirmed
2025-06-30  merged  drones    450  380  60
2025-07-04  merged  drones    539  268  208
2025-07-04  merged  missiles  11   2    -
2025-07-09  merged  drones    728  296  415 unconfirmed
2025-07-10  merged  drones    397  164  204
"""


@pytest.mark.parametrize("table", ["sample", "unconfirmed"])
@pytest.mark.parametrize("measure", ["launched", "destroyed", "lost"])
def test_every_attack_ranks_as_its_definition_read_row_by_row(engine, build_record, table, measure):
    import sqlalchemy as sa

    from tests.analytics.conftest import SAMPLE

    build_record(SAMPLE if table == "sample" else UNCONFIRMED)
    with engine.connect() as conn:
        ids = conn.execute(sa.text("SELECT id FROM attacks ORDER BY id")).scalars().all()
    for attack_id in ids:
        assert attack_ranks(engine, attack_id, measure=measure) == _ranks_by_reading_every_row(engine, attack_id, measure), attack_id


# date, class: what the rank rests on (own figure unconfirmed, larger unconfirmed attacks,
# rank among confirmed, the record unconfirmed, the largest confirmed before it)
RESTS_ON = [
    ("2025-07-04", "drones", (False, 0, 1, True, {"date": "2025-06-30", "value": 450})),
    ("2025-07-10", "drones", (False, 3, 3, True, {"date": "2025-07-04", "value": 539})),
    ("2025-07-09", "drones", (True, 0, 1, False, None)),
    ("2025-05-01", "drones", (False, 1, 1, True, {"date": "2025-03-05", "value": 200})),
    ("2025-07-04", "missiles", (False, 1, 1, True, None)),
    ("2025-03-05", "drones", (False, 0, 1, False, None)),
]


@pytest.mark.parametrize("date, cls, expected", RESTS_ON, ids=[f"{d}-{c}" for d, c, _ in RESTS_ON])
def test_a_rank_says_what_it_rests_on_that_is_unconfirmed(engine, build_record, date, cls, expected):
    ids = build_record(UNCONFIRMED)
    rank = attack_ranks(engine, ids[(dt.date.fromisoformat(date), "RU")])[cls]
    record_unconfirmed = bool(rank["record"] and rank["record"]["unconfirmed"])
    assert (rank["unconfirmed"], rank["larger_unconfirmed"], rank["confirmed_rank"], record_unconfirmed,
            rank["confirmed_record"]) == expected
    assert rank["rests_on_unconfirmed"] == (expected[0] or expected[1] > 0 or expected[3])
