"""The regions registry as the alert code uses it: alert-data spellings, UIDs, subdivisions."""

from __future__ import annotations

import csv

import pytest

from airtally.catalog.regions import by_name, region, regions, subdivision, subdivisions


def test_alerts_in_ua_uids_are_the_known_ones():
    uids = {r.alerts_in_ua_uid: r.code for r in regions()}
    assert len(uids) == 27
    assert (uids[31], uids[14], uids[29], uids[30], uids[3], uids[28]) == ("UA-30", "UA-32", "UA-43", "UA-40", "UA-68", "UA-14")


@pytest.mark.parametrize("name,code", [("Lubenskyi raion", "UA-53"), ("Umanskyi raion", "UA-71"),
                                       ("m. Nikopol ta Nikopolska terytorialna hromada", "UA-12")])
def test_subdivisions_know_their_oblast(name, code):
    assert subdivision(name).region_code == code
    assert subdivision(name, "UA-05") is None


def test_every_hromada_sits_under_a_listed_raion():
    places = subdivisions()
    raions = {(p.region_code, p.raion) for p in places if p.level == "raion"}
    assert all((p.region_code, p.raion) in raions for p in places if p.level == "hromada")
    assert all(region(p.region_code) for p in places)


def test_every_place_in_the_alert_data_is_in_the_registry(shared_data):
    missing = set()
    for row in csv.DictReader((shared_data / "alerts" / "official_data_en.csv").open(encoding="utf-8")):
        oblast, raion = (row["oblast"], row["raion"]) if by_name(row["oblast"]) else (row["raion"], row["oblast"])
        if by_name(oblast) is None:
            missing.add(oblast)
        for name in (raion, row["hromada"]):
            if name and subdivision(name, by_name(oblast).code) is None:
                missing.add(name)
    for row in csv.DictReader((shared_data / "alerts" / "volunteer_data_en.csv").open(encoding="utf-8")):
        if by_name(row["region"]) is None:
            missing.add(row["region"])
    assert not missing
