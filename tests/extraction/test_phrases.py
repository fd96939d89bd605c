"""The indexes find_phrases builds once a report (Story, HitIndex) and the fast paths beside them."""

from airtally.extraction.document import Document
from airtally.extraction.links import link_phrases
from airtally.extraction.phrases import STRATEGIES, Story, find_phrases


def _doc(text: str, language: str = "en") -> Document:
    return Document(text, language)


def test_story_skips_sentences_without_hits_and_lists_numbers_in_order():
    doc = _doc("The weather was fine. Russia fired 579 drones and eight missiles.")
    story = Story(doc)
    assert [doc.text[i.sentence.start : i.sentence.end] for i in story.sentences] == [
        "Russia fired 579 drones and eight missiles."]
    index = story.sentences[0]
    assert [index.hits[i].key for i in index.numbers] == [579, 8]
    assert {"number", "drone", "missile"} <= story.kinds


def test_story_where_is_empty_for_a_kind_the_story_lacks():
    story = Story(_doc("Russia fired 579 drones."))
    assert story.where({"of_them"}) == []
    assert [(index.hits[i].kind, i) for index, i in story.where({"drone"})] == [("drone", 2)]


def test_within_covers_the_hits_of_a_phrase():
    doc = _doc("Russia fired about 50 drones and 3 missiles.")
    story = Story(doc)
    index = story.sentences[0]
    phrase = next(p for p in find_phrases(doc) if p.value == 50)
    i = index.hits.index(phrase.anchor)
    covered = [index.hits[j].kind for j in index.within(i, phrase.start, phrase.end)]
    assert covered == ["approx", "number", "drone"]


def test_link_phrases_builds_its_story_when_not_given():
    doc = _doc("ПВО уничтожила 17 из 22 вражеских ударных БпЛА.", "ru")
    story = Story(doc)
    phrases = sorted((p for s in STRATEGIES for p in s(doc, story)), key=lambda p: p.start)
    linked = link_phrases(doc, phrases)
    assert [(p.value, p.rule) for p in linked] == [(17, "n_of_m"), (22, "number_weapon")]


def test_one_model_and_a_group_of_missile_models():
    one = find_phrases(_doc("Russia launched 21 Kh-101 missiles."))
    assert [(p.value, p.kind, p.model, p.generic) for p in one] == [(21, "missiles", "kh-101", False)]
    group = find_phrases(_doc("Russia launched 28 Kh-101 and Iskander-K missiles."))
    assert [(p.value, p.kind, p.group) for p in group] == [(28, "missiles", "iskander-k+kh-101")]
