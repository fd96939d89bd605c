"""The phrase machinery below the strategies, the linker and the totals (quantity.py): its fast
paths give what the plain definitions give, and the modules import in any order."""

import inspect
import subprocess
import sys

import pytest

from airtally.extraction.document import Document
from airtally.extraction.phrases import find_phrases
from airtally.extraction.quantity import _FIELD_NAMES, _MARKED, NUMBERISH, Phrase, Story

TEXTS = [
    ("Russia fired 579 drones and eight missiles. All 14 of the missiles were shot down.", "en"),
    ("ПВО уничтожила 17 из 22 вражеских ударных БпЛА. Ракету Х-59 сбили.", "ru"),
    ("Загалом 57 із них збито. Усі ракети знищено, кожну з них.", "uk"),
]


def _full_scan(story: Story, kinds: set[str]) -> list[tuple[object, int]]:
    return [(index, i) for index in story.sentences for i, hit in enumerate(index.hits) if hit.kind in kinds]


@pytest.mark.parametrize("text,language", TEXTS)
def test_story_places_match_a_scan_of_every_hit(text, language):
    story = Story(Document(text, language))
    for index in story.sentences:
        assert index.numbers == [i for i, hit in enumerate(index.hits) if hit.kind in NUMBERISH]
        assert index.marked == [i for i, hit in enumerate(index.hits) if hit.kind in _MARKED]
    for kinds in ({"partitive"}, {"one_implied", "one_definite"}, {"every_one", "all"}, {"drone"}, NUMBERISH):
        assert story.where(kinds) == _full_scan(story, kinds)


@pytest.mark.parametrize("text,language", TEXTS)
def test_within_matches_its_definition(text, language):
    story = Story(Document(text, language))
    for index in story.sentences:
        hits = index.hits
        for i in range(len(hits)):
            for start, end in ((hits[i].start, hits[i].end), (hits[max(i - 1, 0)].start, hits[-1].end)):
                expected = [j for j, hit in enumerate(hits) if start <= hit.start < end]
                assert list(index.within(i, start, end)) == expected


def test_copy_is_a_shallow_copy_of_every_field():
    sentence = Document("Russia fired 579 drones.", "en").sentences[0]
    anchor, head = sentence.hits[1], sentence.hits[2]
    phrase = Phrase(579, anchor.start, head.end, sentence, heads=[head], anchor=anchor)
    phrase.action, phrase.referent = "launched", Phrase(1, 0, 1, sentence)
    copied = phrase.copy()
    assert copied is not phrase
    assert all(getattr(copied, name) is getattr(phrase, name) for name in _FIELD_NAMES)


def test_the_field_names_are_the_phrase_s_fields_in_order():
    """copy() passes the fields positionally: the names must be __init__'s parameters, in order."""
    assert tuple(inspect.signature(Phrase).parameters) == _FIELD_NAMES


@pytest.mark.parametrize("first", ["links", "derived", "totals", "counts", "quantity", "phrases"])
def test_modules_import_in_any_order(first):
    code = f"import airtally.extraction.{first}; from airtally.extraction.totals import choose_totals; " \
           "from airtally.extraction.phrases import find_phrases"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(("text", "counted", "keys"), [
    # "the" before the second name: an item of its own (the one Kinzhal named before), not counted with the first
    ("Five Kh-69s and the Kinzhal were destroyed.", "Five Kh-69s", {"kh-59"}),
    ("Russia fired 28 Kh-101 and Kalibr missiles.", "28 Kh-101 and Kalibr missiles", {"kalibr+kh-101"}),
])
def test_a_model_after_a_definite_article_is_not_counted_with_the_one_before(text, counted, keys):
    doc = Document(text, "en")
    numbered = [p for p in find_phrases(doc) if p.value is not None and p.value > 1]
    assert [doc.text[p.start : p.end] for p in numbered] == [counted]
    assert {p.key for p in numbered} == keys
