"""The machinery of airtally.extraction.totals: phrase groups, the typed sum's de-duplication, the classes named."""

from airtally.extraction.actions import assign_actions
from airtally.extraction.document import Document
from airtally.extraction.phrases import find_phrases
from airtally.extraction.totals import ACTION_FIELD, KINDS, _Chooser, _distinct_parts, _kinds_named, is_regional


def _read(text: str, language: str = "en"):
    doc = Document(text, language)
    phrases = find_phrases(doc)
    assign_actions(doc, phrases)
    return doc, phrases


def test_groups_hold_what_a_filter_over_all_phrases_gives():
    doc, phrases = _read("Russia launched 40 drones and 5 missiles overnight; 30 drones were shot down. "
                         "Over Odesa region air defence destroyed 7 drones.")
    chooser = _Chooser(doc, phrases)
    for kind in (*KINDS, "combined"):
        for action in ACTION_FIELD:
            for regional in (False, True):
                expected = [p for p in phrases if not p.share and p.value is not None and p.kind == kind
                            and p.action == action and is_regional(doc, p) == regional]
                assert chooser.candidates(kind, action, regional) == expected


def test_a_lone_phrase_is_its_own_part():
    doc, phrases = _read("Russia launched 12 Shahed drones.")
    assert _distinct_parts(phrases) is phrases


def test_the_same_figure_twice_in_prose_is_one_part():
    doc, phrases = _read("Russia launched 12 Shahed drones. In all, 12 Shahed drones were launched.")
    typed = [p for p in phrases if not p.generic]
    assert len(typed) == 2 and len(_distinct_parts(typed)) == 1


def test_classes_named_without_a_number_count():
    doc, _ = _read("Ukraine shot down 20 drones. Missiles were also fired at Kyiv.")
    assert _kinds_named(doc) == {"drones", "missiles"}
    assert _kinds_named(doc, {"drones", "other"}) == {"drones", "missiles"}
    doc, _ = _read("Ukraine shot down 20 drones over the north.")
    assert _kinds_named(doc) == {"drones"}
