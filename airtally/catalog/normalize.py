"""The one text normaliser, for input and lexicon alike.

It keeps every character's position meaningful for evidence spans: ``normalize`` maps one
character to exactly one character, so offsets into the normalised text are offsets into
the original. Diacritics are never stripped (й and ї matter).

>>> normalize("539\u00a0drones \u2013 Kh\u2011101")
'539 drones - Kh-101'
"""

from __future__ import annotations

import re
import unicodedata

_ONE_FOR_ONE = str.maketrans(
    {
        # spaces: no-break, thin, narrow no-break, figure, en/em spaces
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\t": " ",
        # dashes and hyphens
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        # apostrophes (Ukrainian uses them inside words: п'ять, м'ясо)
        "\u2019": "'",
        "\u02bc": "'",
        "\u2018": "'",
        "`": "'",
        "\u00b4": "'",
        # quotation marks
        "\u00ab": '"',
        "\u00bb": '"',
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
    }
)

_LOOK_ALIKES = re.compile("[" + "".join(map(re.escape, map(chr, _ONE_FOR_ONE))) + "]")


def normalize(text: str) -> str:
    """NFC-compose ``text`` and fold look-alike spaces, dashes, apostrophes and quotes.

    The result has the same length as the NFC form of the input, so positions carry over.
    """
    text = unicodedata.normalize("NFC", text)
    # a text holds few of the look-alikes: replacing each found beats translating every character
    for char in set(_LOOK_ALIKES.findall(text)):
        text = text.replace(char, _ONE_FOR_ONE[ord(char)])
    return text


def fold(text: str) -> str:
    """``normalize`` then lower-case: the key used to compare names and aliases."""
    return normalize(text).casefold()
