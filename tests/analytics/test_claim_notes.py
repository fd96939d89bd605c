"""The claim check's notes as items (a code and its values) worded per language from
airtally/analytics/claim_notes.yaml, and the plural forms from airtally/analytics/plurals.yaml."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest
import yaml

import airtally.analytics.claims as claims_module
from airtally.analytics.claim_notes import LANGUAGES, Note, placeholders, word, wordings
from airtally.analytics.claims import check
from airtally.analytics.plurals import forms, plural, rules
from airtally.analytics.totals import CLASSES, MEASURES
from airtally.errors import InvalidValue

CASES = Path(__file__).parent / "cases"
CHECKS = yaml.safe_load((CASES / "checks.yaml").read_text("utf-8"))
VERDICTS = ("supported", "contradicted", "not_enough_data")


def _decided_codes() -> list[str]:
    """Every code claims.py may decide: the literal codes of its ``Note(...)`` calls."""
    tree = ast.parse(Path(claims_module.__file__).read_text("utf-8"))
    codes = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Note":
            first = node.args[0]
            branches = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            assert all(isinstance(b, ast.Constant) for b in branches), f"a code not written as a literal: {ast.unparse(first)}"
            codes += [b.value for b in branches]
    return sorted(set(codes))


DECIDED = _decided_codes()
WORDED = sorted(set().union(*(wordings()[lang]["notes"] for lang in LANGUAGES)))


def test_the_codes_are_found_and_every_worded_code_is_decided():
    assert len(DECIDED) >= 20 and "ties_record" in DECIDED and "attack_against_record_since" in DECIDED
    assert set(WORDED) <= set(DECIDED), f"worded but never decided: {sorted(set(WORDED) - set(DECIDED))}"


def test_the_dashboard_and_the_brief_languages_have_wordings():
    from airtally.analytics.brief_render import LANGUAGES as BRIEF
    from airtally.web.labels import languages

    assert set(languages()) | set(BRIEF) <= set(LANGUAGES)


@pytest.mark.parametrize("lang, code", list(itertools.product(LANGUAGES, sorted(set(DECIDED) | set(WORDED)))))
def test_every_code_has_a_wording_in_every_language(lang, code):
    assert code in wordings()[lang]["notes"], f"claim_notes.yaml: {lang} has no wording for {code!r}"


# Values a note may carry, each with every value it can take where it is a code or a count.
SAMPLES = {
    "date": ["2025-07-04"], "record_date": ["2025-06-29"], "confirmed_date": ["2025-06-15"], "first": ["2022-09-28"],
    "start": ["2022-02-24"], "since": ["2025-01-01"], "month": ["2025-07"], "record_month": ["2025-06"],
    "record_when": ["2025-06-29", "2025-06"], "value": [550], "record_value": [1400], "confirmed_value": [539],
    "count": [1, 2, 5, 11, 21, 22], "class": list(CLASSES), "other_class": list(CLASSES), "measure": list(MEASURES),
    "verdict": ["supported", "contradicted"], "confirmed_verdict": list(VERDICTS),
}


def _fillings(names: set[str]) -> list[dict]:
    unknown = names - set(SAMPLES)
    assert not unknown, f"SAMPLES has no values for {sorted(unknown)}"
    ordered = sorted(names)
    return [dict(zip(ordered, combo)) for combo in itertools.product(*(SAMPLES[n] for n in ordered))]


@pytest.mark.parametrize("lang, code", list(itertools.product(LANGUAGES, WORDED)))
def test_every_wording_is_filled_for_every_value_it_can_take(lang, code):
    """Every term a wording names exists in its language and words every code or count a value
    can take; the placeholders are the note's values (those English uses, or more)."""
    names = {name for text in (wordings()[other]["notes"][code] for other in LANGUAGES) for name, _ in placeholders(text)}
    for values in _fillings(names):
        text = word(Note(code, values), lang)
        assert text and "{" not in text and "None" not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_counted_word_has_every_plural_form_of_its_language(lang):
    terms = wordings()[lang]["terms"]
    counted = {name for text in wordings()[lang]["notes"].values() for value, name in placeholders(text) if value == "count" and name}
    assert counted, "no counted word: the plural forms are not exercised"
    for name in counted:
        assert set(terms[name]) == set(forms(lang)), f"{lang}: {name} has forms {sorted(terms[name])}, the language {forms(lang)}"


PLURALS = [("uk", n, w) for n, w in [(0, "атак"), (1, "атака"), (2, "атаки"), (4, "атаки"), (5, "атак"), (11, "атак"),
                                     (12, "атак"), (14, "атак"), (21, "атака"), (22, "атаки"), (101, "атака"),
                                     (111, "атак"), (1004, "атаки")]] + [
          ("en", n, w) for n, w in [(0, "attacks"), (1, "attack"), (2, "attacks"), (21, "attacks")]]


@pytest.mark.parametrize("lang, count, expected", PLURALS, ids=[f"{lang}-{n}" for lang, n, _ in PLURALS])
def test_a_count_takes_its_plural_form(lang, count, expected):
    assert plural(lang, count, wordings()[lang]["terms"]["attacks"]) == expected
    assert word(Note("month_unconfirmed", {"count": count}), lang).split(" ")[{"uk": 3, "en": 4}[lang]] == expected


@pytest.mark.parametrize("lang", sorted(rules()))
def test_each_languages_last_plural_rule_always_holds(lang):
    assert set(rules()[lang][-1]) == {"form"}


def test_numbers_and_dates_as_the_dashboard_writes_them():
    values = {"month": "2025-06", "value": 1400, "count": 3}
    assert word(Note("record_month_unconfirmed", values), "en") == (
        "the record month compared with (2025-06: 1400) counts 3 attacks resting on unconfirmed readings")
    assert word(Note("record_month_unconfirmed", values), "uk") == (
        "у місяці-рекорді, з яким порівняно (2025-06: 1\u00a0400), 3 атаки з непідтвердженими даними")


def test_an_unknown_language_is_a_clear_error(sample):
    with pytest.raises(InvalidValue, match="unknown language 'de' for a claim check's notes"):
        check(sample, "the largest attack ever", "2025-07-04", lang="de")


# Latin words a Ukrainian note may hold: the command it names
LATIN_ALLOWED = {"airtally", "review"}


@pytest.mark.parametrize("case", CHECKS, ids=[f"{c['text'][:40]}@{c['date']}" for c in CHECKS])
def test_a_check_asked_in_ukrainian_words_the_same_items_in_ukrainian(sample, case):
    english, ukrainian = (check(sample, case["text"], case["date"], lang=lang) for lang in ("en", "uk"))
    items = ("note_items", "disagreement_items", "explanation_item", "verdict", "record", "by_class")
    assert {k: english[k] for k in items} == {k: ukrainian[k] for k in items}
    assert (english["lang"], ukrainian["lang"]) == ("en", "uk")
    for result in (english, ukrainian):
        lang = result["lang"]
        assert result["notes"] == [word(Note(**item), lang) for item in result["note_items"]]
        assert result["disagreements"] == [word(Note(**item), lang) for item in result["disagreement_items"]]
        assert result["explanation"] == word(Note(**result["explanation_item"]), lang)
    said = " ".join([ukrainian["explanation"], *ukrainian["notes"], *ukrainian["disagreements"]])
    assert set(re.findall(r"[A-Za-z]+", said)) <= LATIN_ALLOWED, said


def test_the_english_answer_is_the_one_the_check_always_gave(sample):
    result = check(sample, "the largest drone and missile attack since the beginning of the invasion", "2025-07-04")
    assert result["explanation"] == ("the attack that ended on 2025-07-04 has 550 launched (all weapons), at least the "
                                     "largest before it since the start of the record: 520 on 2025-06-30")
    assert result["disagreements"] == ["largest by all weapons but not by missiles (record 2025-06-30: 70)"]
    assert result["notes"] == ["the record starts on 2024-12-30, after the period's start 2022-02-24: earlier attacks are not in it"]
    assert result["explanation_item"] == {"code": "attack_against_record", "values": {
        "value": 550, "measure": "launched", "class": "all", "verdict": "supported", "record_value": 520,
        "date": "2025-07-04", "record_date": "2025-06-30"}}
    assert result["note_items"] == [{"code": "record_starts_later", "values": {"first": "2024-12-30", "start": "2022-02-24"}}]


def test_the_ukrainian_answer_reads_naturally(sample):
    result = check(sample, "наймасованіша атака дронів і ракет від початку повномасштабного вторгнення", "2025-07-04", lang="uk")
    assert result["explanation"] == ("в атаці, що закінчилася 2025-07-04, запущено 550 (дрони й ракети) — не менше, ніж "
                                     "у найбільшій попередній атаці від початку запису: 520, 2025-06-30")
    assert result["disagreements"] == ["найбільше дронів і ракет, але не ракет (рекорд 2025-06-30: 70)"]
    assert result["notes"] == ["запис починається 2024-12-30, пізніше за початок періоду (2022-02-24): раніших атак у ньому немає"]
