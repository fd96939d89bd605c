"""How reports name Ukraine's regions: inflected and adjectival forms per language.

The forms live in ``data/region_forms.yaml`` (regular-expression fragments keyed by ISO code);
``region_pattern`` compiles them into one pattern whose named groups say which region matched.

>>> [m for m in find_regions("Атака на Харківщині та у Києві", "uk")]
['UA-63', 'UA-30']
>>> find_regions("drones over the Kyiv region", "en")
['UA-32']

Places outside Ukraine (``data/foreign_regions.yaml``: Russia's federal subjects and the seas) are
named the same way but kept apart: never one of a report's regions.

>>> find_foreign("Над Дагестаном сбили восемь, над Брянской областью - пять", "ru")
['RU-DA', 'RU-BRY']
>>> find_foreign("над Бєлгородщиною та в Криму", "uk"), find_regions("над Бєлгородщиною та в Криму", "uk")
(['RU-BEL'], ['UA-43'])
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from airtally.catalog.yaml_text import load_yaml

Forms = dict[str, dict[str, tuple[str, ...]]]  # code -> language -> regex fragments


@lru_cache(maxsize=1)
def region_forms() -> dict[str, dict[str, tuple[str, ...]]]:
    """ISO code -> language -> the forms (regex fragments) reports use for the region."""
    text = resources.files("airtally.catalog").joinpath("data/region_forms.yaml").read_text("utf-8")
    raw = load_yaml(text)["forms"]
    return {code: {lang: tuple(forms) for lang, forms in by_lang.items()} for code, by_lang in raw.items()}


@lru_cache(maxsize=1)
def lowercase_forms() -> frozenset[str]:
    """The forms that may stand in lower case; all others are capitalised proper names."""
    text = resources.files("airtally.catalog").joinpath("data/region_forms.yaml").read_text("utf-8")
    return frozenset(load_yaml(text).get("lowercase", []))


@lru_cache(maxsize=8)
def region_pattern(language: str) -> tuple[re.Pattern, dict[str, str]]:
    """One compiled pattern for ``language`` and the map from its group names to ISO codes.

    Longer forms are tried first, so "Kyiv region" (UA-32) wins over "Kyiv" (UA-30).
    """
    entries = [(form, code) for code, by_lang in region_forms().items() for form in by_lang.get(language, ())]
    entries.sort(key=lambda entry: len(entry[0]), reverse=True)
    groups = {f"r{i}": code for i, (_, code) in enumerate(entries)}
    alternation = "|".join(f"(?P<r{i}>{form})" for i, (form, _) in enumerate(entries))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE), groups


def find_regions(text: str, language: str) -> list[str]:
    """The ISO codes of the regions named in ``text``, in order of first mention."""
    pattern, groups = region_pattern(language)
    found: list[str] = []
    for match in pattern.finditer(text):
        if match.lastgroup is None:  # only in a language with no forms, whose pattern matches nothing but ""
            continue
        code = groups[match.lastgroup]
        if code not in found:
            found.append(code)
    return found


@lru_cache(maxsize=1)
def _foreign_data() -> dict[str, Forms]:
    text = resources.files("airtally.catalog").joinpath("data/foreign_regions.yaml").read_text("utf-8")
    raw = load_yaml(text)
    return {section: {code: {lang: tuple(forms) for lang, forms in by_lang.items()} for code, by_lang in raw[section].items()}
            for section in ("forms", "waters")}


def foreign_forms(waters: bool = True, regions: bool = True) -> Forms:
    """Code -> language -> forms of the places outside Ukraine: Russia's federal subjects (ISO
    3166-2:RU) unless ``regions`` is False, and the seas (``SEA-...``, no country's) unless
    ``waters`` is False."""
    data = _foreign_data()
    return {**(data["forms"] if regions else {}), **(data["waters"] if waters else {})}


def foreign_alternation(language: str, waters: bool = True, regions: bool = True) -> str:
    """The forms of ``language`` as one regular-expression alternation, longer forms first, or
    one that never matches for a language without them.

    >>> re.fullmatch(foreign_alternation("en"), "the black sea", re.IGNORECASE) is not None
    True
    """
    places = foreign_forms(waters, regions)
    forms = sorted((form for by_lang in places.values() for form in by_lang.get(language, ())), key=len, reverse=True)
    return "|".join(f"(?:{form})" for form in forms) or "(?!x)x"


@lru_cache(maxsize=8)
def _foreign_pattern(language: str) -> tuple[re.Pattern, dict[str, str]]:
    entries = sorted(((form, code) for code, by_lang in foreign_forms().items() for form in by_lang.get(language, ())),
                     key=lambda entry: len(entry[0]), reverse=True)
    groups = {f"f{i}": code for i, (_, code) in enumerate(entries)}
    alternation = "|".join(f"(?P<f{i}>{form})" for i, (form, _) in enumerate(entries)) or "(?!x)x"
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE), groups


def find_foreign(text: str, language: str) -> list[str]:
    """The codes of the places outside Ukraine named in ``text``, in order of first mention."""
    pattern, groups = _foreign_pattern(language)
    found: list[str] = []
    for match in pattern.finditer(text):
        if match.lastgroup is not None and groups[match.lastgroup] not in found:
            found.append(groups[match.lastgroup])
    return found
