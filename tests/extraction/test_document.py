"""The document's character tests agree with the Unicode categories they stand for."""

from __future__ import annotations

import sys
import unicodedata

from airtally.extraction.document import _LETTER_OR_DIGIT


def test_letter_or_digit_is_category_l_or_n() -> None:
    wrong = [hex(code) for code in range(sys.maxunicode + 1)
             if (unicodedata.category(chr(code))[0] in "LN") != bool(_LETTER_OR_DIGIT.match(chr(code)))]
    assert wrong == []
