"""The verb machinery of airtally.extraction.actions: the bisecting look-ups match their definitions."""

import re

from airtally.extraction.actions import _CLAUSE, _Verbs, assign_actions, clause_of
from airtally.extraction.document import Document
from airtally.extraction.phrases import find_phrases

TEXTS = [
    ("en", "Russia launched 40 drones, air defences shot down 30 of them, while 10 were lost. "
           "Another 5 drones hit targets - no one was hurt; 2 missiles were not intercepted."),
    ("uk", "Ворог атакував 50 дронами, збито 40, але 10 локаційно втрачено; ракет не було."),
    ("ru", "Ночью сбиты 12 беспилотников и 3 ракеты, однако 2 ракеты не удалось сбить."),
]


def _definitions(verbs, phrase, lo, hi):
    """The cue before, after and right after a phrase as the rules define them (scans over all cues)."""
    text = verbs.doc.text
    preceding = [c for c in verbs.cues if lo <= c.start and c.end <= phrase.start]
    following = [c for c in verbs.cues if c.start >= phrase.end and c.end <= hi]
    close = [c for c in verbs.cues if phrase.end <= c.start < hi and len(text[phrase.end : c.start].split()) <= 2
             and not any(ch in text[phrase.end : c.start] for ch in ",.;:")]
    return (preceding[-1] if preceding else None), (following[0] if following else None), close


def test_cue_lookups_match_their_definitions():
    for language, text in TEXTS:
        doc = Document(text, language)
        phrases = find_phrases(doc)
        for sentence in doc.story:
            mine = [p for p in phrases if p.sentence is sentence]
            verbs = _Verbs(doc, sentence, mine)
            assert verbs.starts == sorted(verbs.starts)
            for phrase in mine:
                for lo, hi in (verbs.clause(phrase), (sentence.start, sentence.end)):
                    before, after, close = _definitions(verbs, phrase, lo, hi)
                    assert verbs.before(phrase, lo) == before
                    assert verbs.after(phrase, hi) == after
                    if close:
                        assert verbs.right_after(phrase, hi) == close[0]


def test_clause_of_matches_a_search_for_its_marks():
    """The marks found once per sentence and bisected give the clause a direct search gives."""
    direct = re.compile(_CLAUSE.pattern)  # another pattern object: clause_of searches the text with it
    for language, text in TEXTS + [("en", "Russia fired 40 drones (and 3 missiles) - 30 were downed; 10: lost, but 2 hit.")]:
        doc = Document(text, language)
        for phrase in find_phrases(doc):
            assert clause_of(doc, phrase.sentence, phrase) == clause_of(doc, phrase.sentence, phrase, direct)


def test_sentences_pass_their_verb_on():
    """A sentence without figures passes its (denied) verb to the bullets or the sentence after it."""
    cases = [("ru", "Ракеты сбить не удалось:\n- 3 ракеты Х-101;", (3, "not_destroyed", "bullet_header")),
             ("uk", "Ворог атакував дронами.\n12 шахедів.", (12, "launched", "previous_sentence"))]
    for language, text, expected in cases:
        doc = Document(text, language)
        phrases = find_phrases(doc)
        assign_actions(doc, phrases)
        assert [(p.value, p.action, p.action_rule) for p in phrases] == [expected]


def _segment_by_search(doc, sentence, phrase):
    """A phrase's segment as a direct search finds it: between the semicolons around it, then
    between the contrast words around it within that."""
    text = doc.text
    before = [m.end() for m in re.finditer(";", text[: phrase.start]) if m.start() >= sentence.start]
    after = text.find(";", phrase.end, sentence.end)
    lo, hi = (before[-1] if before else sentence.start), (after if after >= 0 else sentence.end)
    words = [m.start() for m in doc.lex.contrast.finditer(text, lo, phrase.start)]
    later = doc.lex.contrast.search(text, phrase.end, hi)
    return (words[-1] if words else lo), (later.start() if later else hi)


def test_segments_match_a_search_for_semicolons_and_contrast_words():
    """The semicolons and contrast words listed once per sentence and bisected give the segment a
    direct search gives (the look-up once searched the sentence for every phrase)."""
    texts = TEXTS + [("en", "Russia fired 40 drones; 30 were downed, but 10 were lost; however 2 hit, while 1 fell."),
                     ("uk", "Запущено 20 дронів; збито 15, але 5 втрачено; а 2 ракети влучили, проте 1 збито.")]
    for language, text in texts:
        doc = Document(text, language)
        phrases = find_phrases(doc)
        for sentence in doc.story:
            mine = [p for p in phrases if p.sentence is sentence]
            verbs = _Verbs(doc, sentence, mine)
            for phrase in mine:
                assert verbs.segment(phrase) == _segment_by_search(doc, sentence, phrase)
