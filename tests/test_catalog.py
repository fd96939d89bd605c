"""The shared reference data: weapon catalogue and regions registry."""

from __future__ import annotations

import pytest

from airtally.catalog.normalize import normalize
from airtally.catalog.regions import by_form, by_name, region, regions, suggest
from airtally.catalog.weapons import catalogue


def test_normalize_keeps_length_and_letters():
    text = "У ніч на 4\u00a0липня \u2013 Х\u2011101, п\u2019ять «шахедів»"
    out = normalize(text)
    assert len(out) == len(text)
    assert "Х-101" in out and "п'ять" in out and '"шахедів"' in out
    assert "й" in normalize("й") and "ї" in normalize("ї")


@pytest.mark.parametrize(
    "alias,model",
    [("Х-101", "kh-101"), ("X-101", "kh-101"), ("Kh-555", "kh-101"), ("Калібр", "kalibr"),
     ("Iskander-M", "iskander-m"), ("KN-23", "iskander-m"), ("Кинджал", "kinzhal"),
     ("Shahed-136", "shahed"), ("Гербера", "gerbera"), ("С-300", "s-300"), ("Orlan-10", "orlan-10")],
)
def test_aliases_name_one_model(alias, model):
    assert catalogue().by_alias(alias).id == model


def test_every_curated_single_model_is_in_the_catalogue(shared_data):
    import csv

    names = {row["model"] for row in csv.DictReader(open(shared_data / "missiles_and_uavs.csv", encoding="utf-8"))}
    singles = {n for n in names if " and " not in n}
    missing = sorted(n for n in singles if catalogue().by_curated(n) is None)
    assert not missing


def test_aliases_are_unambiguous():
    seen: dict[str, str] = {}
    from airtally.catalog.normalize import fold

    for weapon in catalogue():
        for names in weapon.aliases.values():
            for alias in names:
                other = seen.setdefault(fold(alias), weapon.id)
                assert other == weapon.id, f"alias {alias!r} names both {other} and {weapon.id}"


def test_regions_registry():
    assert len(regions()) == 27
    assert len({r.code for r in regions()}) == 27
    assert region("UA-30").alerts_name == "Kyiv City"
    assert by_name("Vinnytska oblast").code == "UA-05"
    assert by_name("Київська область").code == "UA-32"


@pytest.mark.parametrize("name", ["Kharkiv", "Kharkiv Oblast", "kharkiv region", "Kharkivska oblast", "Kharkivska",
                                  "Харківська область", "Харківська", "Харьковская область", "Харьковская обл.", "UA-63"])
def test_every_registry_spelling_of_an_oblast(name):
    assert by_name(name).code == "UA-63"


def test_the_city_and_the_oblast_of_kyiv_stay_apart():
    assert by_name("Kyiv").code == "UA-30" and by_name("Kyiv region").code == "UA-32"
    assert by_name("Kyiv Oblast").code == "UA-32" and by_name("Київщина") is None and by_form("Київщина").code == "UA-32"


@pytest.mark.parametrize("name", ["Харків", "Kharkov", "Харьков", "Харківщина"])
def test_report_forms_name_the_oblast(name):
    assert by_form(name).code == "UA-63"


def test_unknown_names_get_suggestions():
    assert suggest("Karkiv") == ["Kharkiv Oblast"] and by_name("Karkiv") is None and by_form("Karkiv") is None
