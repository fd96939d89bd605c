"""The per-language lexicons follow one schema, compile, and read their own number words."""

from __future__ import annotations

import re

import pytest

from airtally.catalog.normalize import normalize
from airtally.extraction.lexicon import LANGUAGES, REQUIRED, _read, base_errors, lexicon, raw_lexicon, schema_errors
from airtally.extraction.matcher import first_chars


@pytest.mark.parametrize("language", LANGUAGES)
def test_lexicon_follows_the_schema(language):
    assert schema_errors(raw_lexicon(language), language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_lexicon_declares_its_language(language):
    assert raw_lexicon(language)["language"] == language


def test_base_lexicon_has_the_shared_keys():
    assert base_errors(_read("base")) == []
    assert base_errors({}) and "missing key 'script'" in base_errors({})[0]


def test_schema_reports_missing_and_unknown_keys():
    data = {key: {} for key in REQUIRED}
    del data["actions"]
    data["verbs"] = []
    errors = schema_errors(data, "xx")
    assert any("missing key 'actions'" in e for e in errors)
    assert any("unknown key 'verbs'" in e for e in errors)
    assert any("approx is missing 'min'" in e for e in errors)


def _patterns(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _patterns(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _patterns(value)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_pattern_compiles(language):
    data = dict(raw_lexicon(language))
    data.pop("language")
    for pattern in _patterns(data):
        re.compile(normalize(pattern), re.IGNORECASE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_number_words_read_as_their_value(language):
    lex = lexicon(language)
    for value, patterns in raw_lexicon(language)["numbers"].items():
        for pattern in patterns:
            word = re.sub(r"\(([^|)]*)[^)]*\)\??", r"\1", pattern).replace("\\", "").replace("?", "")
            hits = [h for h in lex.hits(word) if h.kind == "number"]
            assert hits and hits[0].key == value, f"{language}: {word!r} should read as {value}"


@pytest.mark.parametrize(
    "language,text,value",
    [("uk", "двома", 2), ("uk", "двох", 2), ("uk", "п'ятьма", 5), ("uk", "чотирьох", 4), ("ru", "двух", 2),
     ("ru", "семи", 7), ("ru", "одном", 1), ("en", "eleven", 11), ("uk", "обидві", 2), ("ru", "обе", 2)],
)
def test_inflected_number_words(language, text, value):
    hits = [h for h in lexicon(language).hits(text) if h.key == value]
    assert hits, f"{text!r} should read as {value}"


def test_first_characters_of_patterns():
    assert first_chars(r"дв(а|і)") == {"д", "Д"}
    assert first_chars(r"(shot|knocked) down") >= {"s", "k"}
    assert first_chars(r"\w+") is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_weapon_words_name_what_the_catalogue_knows(language):
    """A lexicon's models are catalogue ids, and its classes are missile classes (the extractor reads a
    model's kind from the catalogue and takes a class word for missiles)."""
    from airtally.catalog.weapons import catalogue
    from airtally.model import MISSILE_CLASSES

    weapons = raw_lexicon(language)["weapons"]
    ids = {w.id for w in catalogue()}
    assert set(weapons["models"]) <= ids
    assert set(weapons["class"]) <= MISSILE_CLASSES
