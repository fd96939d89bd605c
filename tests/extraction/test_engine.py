"""The per-sentence verdicts of airtally.extraction.engine: worked out once, asked cheaply."""

from airtally.extraction.engine import _per_sentence
from airtally.extraction.document import Document


def test_a_verdict_is_worked_out_once_per_sentence():
    doc = Document("Russia fired 40 drones. 30 were downed.", "en")
    asked = []

    @_per_sentence
    def first(sentence):
        asked.append(sentence)
        return sentence is doc.story[0]

    assert [first(s) for s in doc.story * 3] == [True, False] * 3
    assert asked == doc.story
