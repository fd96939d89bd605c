"""Claim wording and claim checks, from the cases in tests/analytics/cases/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from airtally.analytics.claims import check
from airtally.analytics.wording import CLASSES, LANGUAGES, PERIOD_ORDER, read
from airtally.errors import InvalidValue

CASES = Path(__file__).parent / "cases"
WORDING = yaml.safe_load((CASES / "wording.yaml").read_text("utf-8"))
CHECKS = yaml.safe_load((CASES / "checks.yaml").read_text("utf-8"))
FIELDS = {"class": "weapon_class", "measure": "measure", "period": "period", "subject": "subject",
          "period_month": "period_month", "period_year": "period_year", "claimed_month": "claimed_month"}


@pytest.mark.parametrize("case", WORDING, ids=[c["text"][:50] for c in WORDING])
def test_wording_is_read(case):
    reading = read(case["text"])
    got = {key: getattr(reading, attr) for key, attr in FIELDS.items() if key in case}
    want = {key: tuple(case[key]) if isinstance(case[key], list) else case[key] for key in got}
    assert got == want
    if "measure" not in case:
        assert reading.measure == "launched"


@pytest.mark.parametrize("text", ["hello", "539 drones were launched overnight", "атака дронів"])
def test_text_without_a_record_claim_is_a_clear_error(text):
    with pytest.raises(InvalidValue, match="no record claim"):
        read(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_section_has_words_in_every_language(language):
    """The claim wording lives in each language's lexicon (claim_wording), its months in time.months."""
    from airtally.extraction.lexicon import raw_lexicon

    lex = raw_lexicon(language)
    for key in ("record", *CLASSES, "destroyed", *PERIOD_ORDER, "in_month"):
        assert lex["claim_wording"][key], f"{language}: claim_wording.{key} is empty"
    assert sorted(lex["time"]["months"]) == list(range(1, 13))


@pytest.mark.parametrize(("text", "month"), [("record number of drones in червня", 6), ("largest attack since jan 2025", 1),
                                             ("крупнейшая атака с марта", 3), ("largest attack since May", 5)])
def test_a_month_in_any_language_is_read(text, month):
    reading = read(text)
    assert (reading.claimed_month or reading.period_month)[0] == month


def test_period_start_takes_the_latest_such_month():
    since_march = read("the largest attack since March")
    assert since_march.period_start(dt.date(2025, 3, 20)) == dt.date(2025, 3, 1)
    assert since_march.period_start(dt.date(2025, 2, 20)) == dt.date(2024, 3, 1)
    assert read("the largest attack this year").period_start(dt.date(2025, 7, 4)) == dt.date(2025, 1, 1)
    assert read("the largest attack ever").period_start(dt.date(2025, 7, 4)) is None


@pytest.mark.parametrize("case", CHECKS, ids=[f"{c['text'][:40]}@{c['date']}" for c in CHECKS])
def test_claim_check(sample, case):
    result = check(sample, case["text"], case["date"])
    assert result["verdict"] == case["verdict"], result["explanation"]
    claimed = result["attack"] or result["month"]
    if "value" in case:
        assert claimed[result["read"]["measure"]] == case["value"]
    if "record" in case:
        record = result["record"]
        assert str(case["record"]) == (record.get("period") or record["date"])
    if "disagree" in case:
        assert any(case["disagree"] in line for line in result["disagreements"]), result["disagreements"]
    if result["verdict"] == "not_enough_data":
        assert result["notes"] and result["explanation"] == result["notes"][0]


def test_check_answers_in_the_documented_shape(sample):
    result = check(sample, "the largest drone and missile attack since the beginning of the invasion", "2025-07-04")
    assert result["attack"] == {"attack_id": result["attack"]["attack_id"], "date": "2025-07-04", "class": "all",
                                "launched": 550, "destroyed": 270, "lost": 208, "unconfirmed": False}
    assert result["record"]["date"] == "2025-06-30" and result["record"]["launched"] == 520
    assert (result["unconfirmed"], result["confirmed_record"]) == ([], None)
    assert result["margin"] == 30
    assert result["read"] | {"class_words": None} == {
        "subject": "attack", "class": "all", "class_words": None, "measure": "launched", "measure_words": [],
        "period": "all_time", "period_words": "since the beginning of the invasion", "period_start": None,
        "date": "2025-07-04", "date_from": "--date"}
    assert set(result["by_class"]) == {"drones", "missiles", "all"}
    assert any("record starts on 2024-12-30" in note for note in result["notes"])


def test_a_tie_is_supported_and_said(engine, build_record):
    build_record("""
    2025-01-01 merged drones 300 1 -
    2025-01-02 merged drones 300 1 -
    """)
    result = check(engine, "the largest drone attack", "2025-01-02")
    assert result["verdict"] == "supported"
    assert "ties the record of 2025-01-01 (300)" in result["notes"]


def test_empty_record(engine):
    result = check(engine, "the largest attack ever")
    assert result["verdict"] == "not_enough_data"
    assert result["notes"] == ["the record holds no attacks"] and result["read"]["date"] is None


def test_bad_date_is_a_clear_error(engine):
    with pytest.raises(InvalidValue, match="not a --date: '4 July'"):
        check(engine, "the largest attack ever", "4 July")


def test_a_claim_about_figures_not_in_the_record_is_checked_against_the_record_before_them(sample):
    claim = "the largest drone attack since the beginning of the invasion"
    assert check(sample, claim, "2025-07-20")["verdict"] == "not_enough_data"  # no attack stored that day
    pasted = check(sample, claim, "2025-07-20", figures={"drones": {"launched": 800, "destroyed": {"about": 500}}})
    assert (pasted["verdict"], pasted["record"]["date"], pasted["margin"]) == ("supported", "2025-07-09", 72)
    assert pasted["attack"]["attack_id"] is None and pasted["attack"]["destroyed"] == 500
    smaller = check(sample, claim, "2025-07-20", figures={"drones": {"launched": 600}})
    assert smaller["verdict"] == "contradicted" and smaller["record"]["launched"] == 728


# A claim checked against a record holding unconfirmed figures: the claim, the date, what the
# verdict rests on, the verdict, the largest confirmed record named (date) and the verdict against it.
UNCONFIRMED_CHECKS = [
    ("the largest drone attack ever", "2025-07-04", ["record"], "contradicted", ("2025-06-30", 500), "supported"),
    ("the largest drone attack ever", "2025-07-09", ["attack", "record"], "supported", ("2025-07-04", 539), "supported"),
    ("the largest drone attack ever", "2025-06-30", ["record"], "contradicted", ("2025-03-20", 400), "supported"),
    ("the largest drone attack ever", "2025-03-21", ["attack"], "supported", None, "supported"),
    ("the largest drone attack ever", "2025-03-20", [], "not_enough_data", None, None),
    ("a record number of drones in July", "2025-07-10", ["month", "record"], "supported", None, None),
]
UNCONFIRMED_RECORD = """
2025-03-20  merged  drones  400  300  80
2025-03-21  merged  drones  450  300  80  unconfirmed
2025-06-15  merged  drones  900  400  90  unconfirmed
2025-06-30  merged  drones  500  380  60
2025-07-04  merged  drones  539  268  208
2025-07-09  merged  drones  950  296  415 unconfirmed
2025-07-10  merged  drones  397  164  204
"""


@pytest.mark.parametrize("claim, date, resting, verdict, confirmed, confirmed_verdict", UNCONFIRMED_CHECKS,
                         ids=[f"{c[:20]}-{d}" for c, d, *_ in UNCONFIRMED_CHECKS])
def test_a_verdict_resting_on_unconfirmed_figures_says_so(engine, build_record, claim, date, resting, verdict,
                                                          confirmed, confirmed_verdict):
    build_record(UNCONFIRMED_RECORD)
    result = check(engine, claim, date)
    assert (result["unconfirmed"], result["verdict"]) == (resting, verdict)
    held = result["confirmed_record"]
    assert (held and (held["date"], held["launched"])) == confirmed
    assert result["by_class"]["drones"].get("confirmed_verdict") == confirmed_verdict
    said = " ".join(result["notes"])
    assert ("unconfirmed" in said) == bool(resting)
    ukrainian = check(engine, claim, date, lang="uk")
    assert ukrainian["note_items"] == result["note_items"]
    assert ("підтвердж" in " ".join(ukrainian["notes"])) == bool(resting)  # не підтверджено, непідтверджені, підтвердженої
    if confirmed:
        assert (f"the largest confirmed before it: {confirmed[1]} on {confirmed[0]} "
                f"(verdict against it: {confirmed_verdict})") in said
