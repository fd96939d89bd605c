"""Answers from the alert history: active at an instant, stats, nationwide, during attacks.

The fixture files hold alerts on 2022-10-10 around 05:30 UTC and on the two nights of the
clock changes (2022-10-30: 04:00 EEST becomes 03:00 EET; 2023-03-26: 03:00 EET becomes 04:00 EEST).
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.clock import parse_instant
from airtally.alerts.queries import active_at, alerts_during, attack_window, during_attacks, nationwide, nationwide_regions, stats
from airtally.alerts.store import upsert_events
from airtally.errors import InvalidValue
from airtally.model import AlertEvent
from airtally.storage.tables_record import attacks

UTC = dt.timezone.utc


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def entries(result) -> list[tuple]:
    return [(r["code"], r["level"], r["name"], r["state"], r["since"], r["permanent"]) for r in result["regions"]]


LUHANSK = ("UA-09", "oblast", "Luhansk Oblast", "full", "2022-04-04T19:45:00+03:00", True)
CRIMEA = ("UA-43", "oblast", "Autonomous Republic of Crimea", "full", "2022-12-11T00:22:00+02:00", True)
# Oblast-wide alerts at 05:30 UTC on 2022-10-10: the same entries at every level.
OBLAST_WIDE_0530 = [
    LUHANSK,
    ("UA-30", "oblast", "Kyiv", "full", "2022-10-10T07:58:00+03:00", False),
    ("UA-46", "oblast", "Lviv Oblast", "full", "2022-10-10T08:10:00+03:00", False),
    ("UA-51", "oblast", "Odesa Oblast", "full", "2022-10-10T08:15:00+03:00", False),
]
AT_0530 = {
    "oblast": OBLAST_WIDE_0530 + [
        ("UA-53", "oblast", "Poltava Oblast", "partial", "2022-10-10T08:05:00+03:00", False),
        ("UA-71", "oblast", "Cherkasy Oblast", "partial", "2022-10-10T08:20:00+03:00", False),
    ],
    "raion": OBLAST_WIDE_0530 + [
        ("UA-53", "raion", "Lubenskyi raion", "partial", "2022-10-10T08:05:00+03:00", False),
        ("UA-71", "raion", "Umanskyi raion", "full", "2022-10-10T08:20:00+03:00", False),
    ],
    "hromada": OBLAST_WIDE_0530 + [
        ("UA-53", "hromada", "Hrebinkivska terytorialna hromada", "full", "2022-10-10T08:05:00+03:00", False),
        ("UA-71", "raion", "Umanskyi raion", "full", "2022-10-10T08:20:00+03:00", False),
        ("UA-71", "hromada", "Umanska terytorialna hromada", "full", "2022-10-10T08:25:00+03:00", False),
    ],
}


@pytest.mark.parametrize("level", ["oblast", "raion", "hromada"])
def test_active_at_each_level(alerts_engine, level):
    assert entries(active_at(alerts_engine, utc("2022-10-10 05:30"), level)) == AT_0530[level]


def test_active_from_one_source(alerts_engine):
    found = entries(active_at(alerts_engine, utc("2022-10-10 05:30"), "oblast", ["official"]))
    assert [e[0] for e in found] == ["UA-09", "UA-30", "UA-46", "UA-53", "UA-71"]  # the permanent one stays
    assert found[1][4] == "2022-10-10T08:00:00+03:00"


def test_intervals_are_half_open(alerts_engine):
    official = ["official"]
    assert "UA-46" in [e[0] for e in entries(active_at(alerts_engine, utc("2022-10-10 05:10"), sources=official))]
    assert "UA-46" not in [e[0] for e in entries(active_at(alerts_engine, utc("2022-10-10 06:10"), sources=official))]


def test_night_clocks_go_back_2022_10_30(alerts_engine):
    # 00:30 UTC is 03:30 summer time; 01:30 UTC is 03:30 winter time: the same wall clock twice.
    at = parse_instant("2022-10-30T03:10+02:00")  # the second 03:10, 01:10 UTC
    result = active_at(alerts_engine, at, sources=["official"])
    assert result["at"] == "2022-10-30T03:10:00+02:00"
    assert entries(result) == [LUHANSK, ("UA-63", "oblast", "Kharkiv Oblast", "full", "2022-10-30T03:30:00+03:00", False)]
    after = active_at(alerts_engine, parse_instant("2022-10-30T03:35+02:00"), sources=["official"])
    assert entries(after) == [LUHANSK]
    (day,) = stats(alerts_engine, "Kharkivska oblast", parse_instant("2022-10-30T00:00"), parse_instant("2022-10-31T00:00"), "day", sources=["official"])
    assert (day["period"], day["alerts"], day["total_hours"]) == ("2022-10-30", 1, 1.0)
    assert day["share"] == round(1 / 25, 4)  # that Kyiv day has 25 hours


def test_night_clocks_go_forward_2023_03_26(alerts_engine):
    result = active_at(alerts_engine, parse_instant("2023-03-26T04:15"), sources=["official"])  # summer time, 01:15 UTC
    assert result["at"] == "2023-03-26T04:15:00+03:00"
    assert entries(result) == [
        LUHANSK,
        ("UA-12", "oblast", "Dnipropetrovsk Oblast", "partial", "2023-03-26T02:40:00+02:00", False),
        ("UA-30", "oblast", "Kyiv", "full", "2023-03-26T02:50:00+02:00", False),
        CRIMEA,
        ("UA-51", "oblast", "Odesa Oblast", "full", "2023-03-26T02:30:00+02:00", False),
    ]
    (day,) = stats(alerts_engine, "UA-51", parse_instant("2023-03-26T00:00"), parse_instant("2023-03-27T00:00"), "day")
    assert day["longest_minutes"] == 60 and day["share"] == round(1 / 23, 4)  # a 23-hour day


def test_permanent_alerts_show_as_active_once_begun(alerts_engine):
    found = entries(active_at(alerts_engine, utc("2023-06-01 12:00")))
    assert LUHANSK in found and CRIMEA in found


def test_unknown_level_is_refused(alerts_engine):
    with pytest.raises(InvalidValue, match="oblast, raion or hromada"):
        active_at(alerts_engine, utc("2022-10-10 05:30"), "city")


def test_stats_for_a_region_merges_sources_and_leaves_out_permanent(alerts_engine):
    (row,) = stats(alerts_engine, "Kharkiv Oblast")
    assert (row["alerts"], row["longest_minutes"]) == (1, 80.0)  # official 00:30-01:30 within volunteer 00:25-01:45
    assert stats(alerts_engine, "UA-09") == []
    (with_permanent,) = stats(alerts_engine, "UA-09", include_permanent=True)
    assert with_permanent["alerts"] == 1


def test_stats_for_a_hromada(alerts_engine):
    (row,) = stats(alerts_engine, "Hrebinkivska terytorialna hromada")
    assert (row["region"], row["alerts"], row["longest_minutes"]) == ("Hrebinkivska terytorialna hromada", 1, 40.0)


def test_stats_unknown_region_says_what_to_use(alerts_engine):
    with pytest.raises(InvalidValue, match="ISO code"):
        stats(alerts_engine, "Mordor")


def test_alerts_during_a_window(alerts_engine):
    found = alerts_during(alerts_engine, utc("2022-10-10 05:00"), utc("2022-10-10 06:00"))
    assert [(r["code"], r["minutes_under_alert"], r["share"]) for r in found] == [
        ("UA-30", 60.0, 1.0), ("UA-46", 50.0, 0.8333), ("UA-51", 30.0, 0.5)]
    with_permanent = alerts_during(alerts_engine, utc("2022-10-10 05:00"), utc("2022-10-10 06:00"), include_permanent=True)
    assert [(r["code"], r["minutes_under_alert"]) for r in with_permanent][:2] == [("UA-09", 60.0), ("UA-30", 60.0)]


def test_attack_window_defaults_to_the_night_in_kyiv_time():
    start, end, assumed = attack_window(dt.date(2022, 10, 30), None, None)
    assert (start, end, assumed) == (utc("2022-10-29 15:00"), utc("2022-10-30 07:00"), True)


def test_during_attacks_covers_the_attacks_inside_the_alert_history(alerts_engine):
    now = dt.datetime.now(UTC)
    rows = [
        {"id": 1, "date": dt.date(2022, 10, 10), "start": utc("2022-10-10 05:00"), "end": utc("2022-10-10 06:00")},
        {"id": 2, "date": dt.date(2022, 10, 30), "start": None, "end": None},
        {"id": 3, "date": dt.date(2021, 1, 1), "start": None, "end": None},
    ]
    with alerts_engine.begin() as conn:
        conn.execute(attacks.insert(), [{**r, "attacker": "RU", "target": "UA", "created_at": now} for r in rows])
    found = during_attacks(alerts_engine)
    assert [a["attack_id"] for a in found] == [1, 2]
    assert found[0]["window_assumed"] is False and found[0]["regions"][0]["code"] == "UA-30"
    second = found[1]
    assert (second["window_start"], second["window_end"], second["window_assumed"]) == (
        "2022-10-29T18:00:00+03:00", "2022-10-30T09:00:00+02:00", True)
    assert [(r["code"], r["minutes_under_alert"]) for r in second["regions"]] == [("UA-63", 80.0)]


def _events(spans: dict[str, list[tuple[int, int]]], **kw) -> list[AlertEvent]:
    t0 = utc("2024-01-01 00:00")
    return [AlertEvent(region_code=code, started_at=t0 + dt.timedelta(minutes=s), finished_at=t0 + dt.timedelta(minutes=e), **kw)
            for code, pairs in spans.items() for s, e in pairs]


def test_nationwide_counts_the_country_not_the_stored_oblasts():
    assert len(nationwide_regions()) == 24  # 27 regions less Sevastopol, Luhansk and Crimea
    assert {"UA-09", "UA-40", "UA-43"}.isdisjoint(nationwide_regions())


# The country's 24 oblasts: 19 under alert from minute 0 to 60, the other 5 from 30 to 90.
@pytest.mark.parametrize(
    "threshold,expected",
    [(0.8, [("2024-01-01T02:30:00+02:00", "2024-01-01T03:00:00+02:00", 1.0)]),
     (0.75, [("2024-01-01T02:00:00+02:00", "2024-01-01T03:00:00+02:00", 1.0)]),
     (0.2, [("2024-01-01T02:00:00+02:00", "2024-01-01T03:30:00+02:00", 1.0)]),
     (1.0, [("2024-01-01T02:30:00+02:00", "2024-01-01T03:00:00+02:00", 1.0)])],
)
def test_nationwide_periods(engine, threshold, expected):
    codes = nationwide_regions()
    spans = {code: [(0, 60)] if i < 19 else [(30, 90)] for i, code in enumerate(codes)}
    with engine.begin() as conn:
        upsert_events(conn, _events(spans))
        upsert_events(conn, _events({codes[0]: [(0, 60)]}, source="volunteer"))  # the same alert twice counts once
        upsert_events(conn, _events({"UA-09": [(0, 120)]}))  # Luhansk: excluded as a permanent-alert region
        upsert_events(conn, [AlertEvent(region_code="UA-09", started_at=utc("2022-04-04 16:45"), source="permanent", permanent=True)])
    found = nationwide(engine, threshold)
    assert [(p["start"], p["end"], p["peak_share"]) for p in found] == expected


@pytest.mark.parametrize("alerted", [1, 5, 19])
def test_a_few_oblasts_under_alert_are_not_a_nationwide_alert(engine, alerted):
    # Before: the share was of the oblasts with alerts stored, so one open alert read as 100 %.
    codes = nationwide_regions()[:alerted]
    with engine.begin() as conn:
        upsert_events(conn, [AlertEvent(region_code=c, started_at=utc("2024-01-01 00:00")) for c in codes])
    assert nationwide(engine, 0.8) == []


def test_nationwide_threshold_must_be_a_share(engine):
    with pytest.raises(InvalidValue, match="share"):
        nationwide(engine, 80)


def test_during_attacks_can_list_the_attacks_outside_the_history_as_not_known(alerts_engine):
    now = dt.datetime.now(UTC)
    with alerts_engine.begin() as conn:
        conn.execute(attacks.insert(), [{"id": 1, "date": dt.date(2022, 10, 30), "start": None, "end": None, "attacker": "RU",
                                         "target": "UA", "created_at": now},
                                        {"id": 2, "date": dt.date(2025, 7, 4), "start": None, "end": None, "attacker": "RU",
                                         "target": "UA", "created_at": now}])
    assert [a["attack_id"] for a in during_attacks(alerts_engine)] == [1]
    found = during_attacks(alerts_engine, include_uncovered=True)
    assert [(a["attack_id"], a["history_covers"]) for a in found] == [(1, True), (2, False)]
    assert found[0]["regions"] and found[1]["regions"] is None
