"""Towns, raions and hromadas named in a post, found in the registry (``data/subdivisions.yaml``).

The region forms (``data/region_forms.yaml``) name the oblasts and a few cities; this finds the
oblast of any other town the registry holds, from the name as a post writes it, in any case
("курсом на Кременчук", "в районі Конотопа", "у напрямку Миргороду"). The name's case forms are
undone by ``data/place_cases.yaml``, then written in Latin letters (``place_tags.transliterate``)
and compared with the registry's towns ("m. Myrhorod ta ...") first, then with its raion and
hromada adjectives ("Nizhynskyi raion"). A name the registry holds in two oblasts, or does not
hold, gives None: no guess.

>>> place_region("Кременчуці"), place_region("Конотопа"), place_region("Ніжина"), place_region("Ромни")
('UA-53', 'UA-59', 'UA-74', None)
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from airtally.catalog.normalize import fold
from airtally.catalog.place_tags import transliterate
from airtally.catalog.regions import subdivisions
from airtally.catalog.yaml_text import load_yaml

_TOWN = re.compile(r"^m\. (?P<town>.+?) ta ")
_ADJECTIVE = re.compile(r"^(?P<stem>[\w'-]+?)(?:yi raion|a terytorialna hromada)$")


@lru_cache(maxsize=1)
def _cases() -> dict:
    return load_yaml(resources.files("airtally.catalog").joinpath("data/place_cases.yaml").read_text("utf-8"))


@lru_cache(maxsize=1)
def _towns() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Latin key -> oblast codes: the towns the hromadas are named after ("kremenchuk"), and the
    stems of the raions' and other hromadas' adjectives ("konotopsk", "siversk")."""
    towns: dict[str, set[str]] = {}
    adjectives: dict[str, set[str]] = {}
    for place in subdivisions():
        town = _TOWN.match(place.name)
        if town is not None:
            towns.setdefault(fold(town["town"]), set()).add(place.region_code)
        elif (adjective := _ADJECTIVE.match(fold(place.name))) is not None:
            adjectives.setdefault(adjective["stem"], set()).add(place.region_code)
    return towns, adjectives


def name_forms(word: str, language: str = "uk") -> list[str]:
    """``word`` and the names it may be a case form of (``data/place_cases.yaml``), lower case.

    >>> name_forms("Очакова")[:2]
    ['очакова', 'очаків']
    """
    word = fold(word.strip())
    forms = [word]
    for ending, name_ending in _cases().get(language, {}).get("endings", []):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            forms.append(word[: len(word) - len(ending)] + name_ending)
    return list(dict.fromkeys(forms))


@lru_cache(maxsize=4096)  # a post names the same few towns line after line
def place_region(name: str, language: str = "uk") -> str | None:
    """The ISO code of the oblast whose town, raion or hromada ``name`` is (any case form), or None
    when the registry does not hold it or holds it in more than one oblast."""
    if language not in _cases():
        return None
    towns, adjectives = _towns()
    latin = [transliterate(form) for form in name_forms(name, language)]
    suffix = _cases()[language]["adjective"]
    for index, keys in ((towns, latin), (adjectives, latin + [key + suffix for key in latin])):
        found = set().union(*(index.get(key, set()) for key in keys))
        if found:
            return found.pop() if len(found) == 1 else None
    return None
