"""Live-threat posts read into typed threats (airtally.extraction.threats), cases from threat_cases.yaml."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
import yaml

from airtally.errors import UnsupportedLanguage
from airtally.extraction.lexicon import raw_lexicon, schema_errors
from airtally.extraction.threats import parse_threats

CASES = yaml.safe_load((Path(__file__).parent / "threat_cases.yaml").read_text("utf-8"))["cases"]
AT = dt.datetime(2025, 7, 4, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def _seen(threat) -> dict:
    return {"type": threat.type, "regions": threat.regions, "heading": threat.heading,
            "heading_region": threat.heading_region, "count": threat.count}


def _expected(entry: dict) -> dict:
    return {"type": entry["type"], "regions": entry.get("regions", []), "heading": entry.get("heading"),
            "heading_region": entry.get("heading_region"), "count": entry.get("count")}


def test_there_are_enough_cases_of_every_type():
    assert len(CASES) >= 90
    types = {entry["type"] for case in CASES for entry in case["expect"]}
    assert types == {"strike_drones", "jet_drones", "cruise_missiles", "ballistic_missiles", "hypersonic",
                     "guided_bombs", "aircraft_takeoff", "all_clear"}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_threat_case(case):
    threats = parse_threats(case["text"], at=AT)
    assert [_seen(t) for t in threats] == [_expected(e) for e in case["expect"]]
    assert all(t.at == AT for t in threats)


def test_each_threat_keeps_its_line():
    threats = parse_threats("Ударні БпЛА:\n- Одещина, курсом на Ізмаїл;\n")
    assert [t.text for t in threats] == ["Одещина, курсом на Ізмаїл;"]


def test_a_list_of_headings_keeps_every_oblast_it_names_in_order():
    threat, = parse_threats("Група БпЛА на Сумщині, рухаються на Полтавщину (курс південно-західний) та на Харківщину")
    assert (threat.heading_region, threat.heading_regions) == ("UA-53", ["UA-53", "UA-63"])
    threat, = parse_threats("БпЛА курсом на Ромни, Гадяч, Миргород, Полтаву")  # unknown towns add nothing, a repeat once
    assert threat.heading_regions == ["UA-53"]
    threat, = parse_threats("БпЛА на Сумщині курсом на схід")
    assert (threat.heading_region, threat.heading_regions) == (None, [])


def test_a_language_without_threat_words_is_an_error_naming_those_with():
    with pytest.raises(UnsupportedLanguage, match="read in uk only"):
        parse_threats("Shahed drones heading to Kyiv", language="en")
    with pytest.raises(UnsupportedLanguage, match="no lexicon"):
        parse_threats("x", language="de")


def test_the_threats_section_is_checked_by_the_schema():
    data = dict(raw_lexicon("uk"))
    data["threats"] = {key: value for key, value in data["threats"].items() if key != "heading"}
    data["threats"]["types"] = {k: v for k, v in data["threats"]["types"].items() if k != "hypersonic"} | {"rockets": ["x"]}
    errors = schema_errors(data, "uk")
    assert "uk.yaml: threats is missing 'heading'" in errors
    assert "uk.yaml: threats.types is missing 'hypersonic'" in errors
    assert "uk.yaml: threats.types has unknown type 'rockets'" in errors


# Threat-shaped fragments repeated to 16 KB, on one line and on many: the parser's time stays within
# a budget of plain regex passes over the same text (as tests/extraction/test_scaling.py bounds
# extraction). Measured at 60-210 passes; a heading list or a count looking back over the whole
# line would grow with the line's length and leave the budget far behind.
SHAPES = ["Група БпЛА на Сумщині, курсом на Полтаву, Кременчук, Миргород, ", "3 БпЛА в районі Конотопа курсом на ",
          "Київської, Черкаської та ", "Київської, Черкаської областей ",
          "(курс західний) та на Харківщину ", "Полтавщину, ", "5-7 ", "на / повз ", "курсом на Ромни (",
          "Шахеди на Житомирщині, Київщині та Черкащині!\n", "Група 5-7 БпЛА з півночі курсом на Суми.\n"]
SIZE, BUDGET = 16_000, 2_000
_WORDS = re.compile(r"\w+")


def _cpu(function, text: str) -> float:
    begin = time.process_time()
    function(text)
    return time.process_time() - begin


@pytest.mark.parametrize("fragment", SHAPES)
def test_parsing_stays_linear_in_length(fragment):
    text = (fragment * (SIZE // len(fragment) + 1))[:SIZE]
    parse_threats("Група БпЛА курсом на Кременчук")  # the lexicon is built once a process: not the text's time
    regex = max(min(_cpu(_WORDS.findall, text) for _ in range(3)), 1e-5)
    ratio = min(_cpu(parse_threats, text) for _ in range(2)) / regex  # twice: a pause of the machine is not the parser's
    assert ratio <= BUDGET, f"parse_threats took {ratio:,.0f} regex passes over {len(text):,} characters"
