"""How reports name Ukraine's regions: inflected and adjectival forms per language.

The forms live in ``data/region_forms.yaml`` (regular-expression fragments keyed by ISO code);
``region_pattern`` compiles them into one pattern whose named groups say which region matched.

>>> [m for m in find_regions("Атака на Харківщині та у Києві", "uk")]
['UA-63', 'UA-30']
>>> find_regions("drones over the Kyiv region", "en")
['UA-32']
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from airtally.catalog.yaml_text import load_yaml



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
