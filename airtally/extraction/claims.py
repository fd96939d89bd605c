"""Claims about the attack's size: "the largest since the beginning of the invasion", "рекордна".

Each claim is kind ``largest`` (the record/largest/most massive family) with ``since`` saying
against what: ``"invasion"`` when the text says since the invasion or of the war, the words
after "since" otherwise, None when it gives no baseline.

>>> from airtally.extraction.document import Document
>>> doc = Document("Officials called it the largest attack since the beginning of the invasion.", "en")
>>> [(c.kind, c.since, c.text) for c in find_claims(doc, lambda s: True)]
[('largest', 'invasion', 'largest attack since the beginning of the invasion')]
"""

from __future__ import annotations

import re

from airtally.extraction.document import Document, SentenceTest
from airtally.model import Claim

_STOP = re.compile(r"[.;!?\n]|,\s")


def find_claims(doc: Document, usable: SentenceTest) -> list[Claim]:
    """The size claims in the sentences ``usable(sentence)`` accepts."""
    claims = []
    for sentence in doc.story:
        largest = sentence.flags.get("largest")
        if largest is None:  # most sentences: one dict lookup, no call
            continue
        start = largest[0][0]
        # "the largest since the start of the invasion" reads as statistics but is the claim itself;
        # "surpassing the previous record" after the claim does not undo it
        cues_before = [a for a, _ in sentence.flags.get("distractor", []) if a < start]
        excused = sentence.has("since_invasion") or sentence.has("distractor")
        if cues_before or not (usable(sentence) or excused):
            continue
        stop = _STOP.search(doc.text, start, sentence.end)
        end = stop.start() if stop else sentence.end
        since = None
        for a, b in sentence.flags.get("since_invasion", []):
            if a >= start:
                since, end = "invasion", max(end, b)
                break
        end = min(end, start + 120)
        claims.append(Claim(kind="largest", since=since, text=doc.raw[start:end], start=start, end=end))
    return claims
