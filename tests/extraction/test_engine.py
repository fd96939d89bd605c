"""The per-sentence verdicts of airtally.extraction.engine: worked out once, asked cheaply; what extract takes."""

import pytest

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


@pytest.mark.parametrize("text", [None, b"Russia launched 50 drones", 42])
def test_extract_takes_text_only(text) -> None:
    from airtally.extraction import extract

    with pytest.raises(TypeError, match="reads a report's text as a str, not " + type(text).__name__):
        extract(text)  # type: ignore[arg-type]
