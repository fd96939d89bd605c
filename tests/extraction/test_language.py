"""Language detection counts letters as its regexes would, on any text."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from airtally.extraction.language import (_characters, _encoded, _every_character, _read, _script, detect_language,
                                          identify_language)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gate  # noqa: E402

# Latin, Cyrillic, their case look-alikes (long s, Kelvin sign, dotless i, old Cyrillic forms),
# Greek, punctuation and characters the byte codec lacks
_ALPHABET = "abcxyzABCXYZ ſKİı абвгяёЁіІїЇєЄґҐыЫэЭъЪᲀᲁᲆ ΑΒγδ ў ђ 12 .,-'«»–—\u00a0\u0301😀\ud800"


def test_letter_counts_match_the_script_regexes() -> None:
    rng = random.Random(7)
    script = _script()
    for _ in range(2000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40)))
        for name, pattern in _read("base")["script"].items():
            expected = len(re.findall(pattern, text, re.IGNORECASE))
            assert script[name](text, _encoded(text)) == expected, (name, text)


def test_languages() -> None:
    assert detect_language("") == "en"
    assert detect_language("Kyiv: ſhahed") == "en"
    assert detect_language("Ворог атакував дронами") == "uk"
    assert detect_language("Враг атаковал дронами ночью") == "ru"


def test_one_character_classes_match_what_they_match_in_all_of_unicode() -> None:
    every = _every_character()
    one_character = [p for p in _read("base")["script"].values() if re.fullmatch(r"\[[^\]]*\]", p)]
    assert one_character
    for pattern in [*one_character, "[a-zа-яё]", "s", "k", "i", "[ᲀ-ᲈ]", "[^a-z]", r"[\w]", "[\U00010400-\U0001044f]"]:
        assert _characters(pattern) == frozenset(re.findall(pattern, every, re.IGNORECASE)), pattern


# One report of a night's attack in each language airtally does not read (as a wire service would
# put it), and what it must be taken for.
OTHER_LANGUAGES = {
    "de": "In der Nacht hat Russland 50 Drohnen und zwei Raketen gestartet. 41 Drohnen wurden über der Ukraine "
          "abgeschossen, teilte die Luftwaffe mit.",
    "pl": "W nocy Rosja wystrzeliła 50 dronów i dwie rakiety. Obrona powietrzna zestrzeliła 41 dronów, "
          "poinformowały siły powietrzne.",
    "fr": "Dans la nuit, la Russie a lancé 50 drones et deux missiles. 41 drones ont été abattus, selon l'armée de l'air.",
    "es": "Durante la noche Rusia lanzó 50 drones y dos misiles. La defensa aérea derribó 41 drones, según la Fuerza Aérea.",
    "it": "Nella notte la Russia ha lanciato 50 droni e due missili. 41 droni sono stati abbattuti, secondo l'aeronautica.",
    "cs": "V noci Rusko vypustilo na Ukrajinu 50 dronů a dvě rakety. Protivzdušná obrana sestřelila 41 dronů, "
          "uvedlo letectvo, podle kterého byly zasaženy tři oblasti.",
    "sk": "V noci Rusko vypustilo na Ukrajinu 50 dronov a dve rakety. Protivzdušná obrana zostrelila 41 dronov, "
          "uviedlo letectvo, podľa ktorého boli zasiahnuté tri oblasti.",
    "be": "Уначы Расія запусціла 50 беспілотнікаў і дзве ракеты. Паводле Паветраных сіл, 41 беспілотнік быў збіты.",
}


def test_other_languages_are_told_apart() -> None:
    assert {code: identify_language(text) for code, text in OTHER_LANGUAGES.items()} == {code: code for code in OTHER_LANGUAGES}


def test_another_script_is_no_known_language() -> None:
    assert identify_language("俄罗斯昨夜发射了50架无人机，其中41架被击落。") is None


def test_every_corpus_report_is_in_its_own_language() -> None:
    """No report airtally reads is taken for another language (the languages share letters and words)."""
    wrong = [(case.name, identify_language(case.text)) for case in gate.load_cases()
             if identify_language(case.text) != detect_language(case.text)]
    assert wrong == []


def test_foreign_names_do_not_make_english_foreign() -> None:
    assert identify_language("Russia launched 50 drones at Łódź, Rzeszów and Přerov; 41 were shot down near Düsseldorf.") == "en"
