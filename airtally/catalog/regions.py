"""The registry of Ukraine's regions, shared by the extractor and the alert code.

>>> region("UA-32").en
'Kyiv Oblast'
>>> by_name("Kyiv City").code
'UA-30'
>>> [by_name(n).code for n in ("Kharkiv", "kharkivska oblast", "Харківська", "Kyiv region", "UA-63")]
['UA-63', 'UA-63', 'UA-63', 'UA-32', 'UA-63']
>>> by_form("Харків").code, by_form("Kharkov").code
('UA-63', 'UA-63')
>>> suggest("Karkiv")
['Kharkiv Oblast']
>>> subdivision("Lubenskyi raion").region_code
'UA-53'
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from airtally.catalog.normalize import fold, normalize
from airtally.catalog.region_forms import region_pattern
from airtally.catalog.yaml_text import load_yaml

# The generic word of an oblast's name in each language: "Kharkiv Oblast", "Kharkiv region",
# "Харківська область", "Харьковская обл." all name the oblast "Kharkiv".
_GENERIC = re.compile(r"\s+(oblast|region|province|obl\.?|область|обл\.?)$")


@dataclass(frozen=True)
class Region:
    code: str
    en: str
    uk: str
    ru: str
    alerts_name: str
    alerts_in_ua_uid: int
    alerted: bool = True  # False: the official alert system posts no alerts for it (regions.yaml)


@lru_cache(maxsize=1)
def regions() -> tuple[Region, ...]:
    """All 27 first-level regions, in ISO code order."""
    text = resources.files("airtally.catalog").joinpath("data/regions.yaml").read_text("utf-8")
    return tuple(Region(**row) for row in load_yaml(text)["regions"])


@lru_cache(maxsize=1)
def _index() -> dict[str, Region]:
    index: dict[str, Region] = {}
    for r in regions():
        for key in (r.code, r.en, r.uk, r.ru, r.alerts_name, str(r.alerts_in_ua_uid)):
            index[fold(key)] = r
    return index


def region(code: str) -> Region:
    """The region with ISO 3166-2:UA ``code``; KeyError when there is none."""
    return _index()[fold(code)]


@lru_cache(maxsize=1)
def _stems() -> dict[str, Region]:
    """Oblast names without their generic word ("kharkiv", "kharkivska", "харківська")."""
    stems: dict[str, Region] = {}
    for r in regions():
        for key in (r.en, r.uk, r.ru, r.alerts_name):
            stem = _GENERIC.sub("", fold(key))
            if stem != fold(key):
                stems.setdefault(stem, r)
    return stems


def by_name(name: str) -> Region | None:
    """The region a name, code or alerts.in.ua UID refers to, or None: any spelling of the
    registry, with or without its generic word ("Kharkiv", "Kharkiv Oblast", "Kharkivska oblast")."""
    key = fold(name.strip())
    return _index().get(key) or _stems().get(_GENERIC.sub("", key))


def by_form(name: str) -> Region | None:
    """The region a report's form of its name is, when ``name`` is one whole ("Харків",
    "Kharkov", "Київщина"; data/region_forms.yaml), or None."""
    text = normalize(name.strip())
    for language in ("en", "uk", "ru"):
        pattern, groups = region_pattern(language)
        match = pattern.fullmatch(text)
        if match is not None and match.lastgroup is not None:
            return region(groups[match.lastgroup])
    return None


def suggest(name: str, limit: int = 3) -> list[str]:
    """The registry's names (oblasts, raions, hromadas) closest to ``name``, for "did you mean"."""
    names: dict[str, str] = {}
    for r in regions():
        for key in (r.en, r.uk, r.ru, r.alerts_name):
            names.setdefault(fold(key), r.en)
            names.setdefault(_GENERIC.sub("", fold(key)), r.en)
    for place in subdivisions():
        names.setdefault(fold(place.name), place.name)
    close = difflib.get_close_matches(fold(name.strip()), list(names), n=limit * 3, cutoff=0.75)
    return list(dict.fromkeys(names[key] for key in close))[:limit]


@dataclass(frozen=True)
class Subdivision:
    """A raion, or a hromada within its raion, as the alert data names it."""

    region_code: str
    raion: str
    hromada: str | None = None

    @property
    def level(self) -> str:
        return "hromada" if self.hromada else "raion"

    @property
    def name(self) -> str:
        return self.hromada or self.raion


@lru_cache(maxsize=1)
def subdivisions() -> tuple[Subdivision, ...]:
    """Every raion and hromada of data/subdivisions.yaml, each raion before its hromadas."""
    text = resources.files("airtally.catalog").joinpath("data/subdivisions.yaml").read_text("utf-8")
    found: list[Subdivision] = []
    for code, raions in load_yaml(text)["subdivisions"].items():
        for raion, hromadas in raions.items():
            found.append(Subdivision(code, raion))
            found.extend(Subdivision(code, raion, hromada) for hromada in hromadas)
    return tuple(found)


@lru_cache(maxsize=1)
def _subdivision_index() -> dict[str, list[Subdivision]]:
    index: dict[str, list[Subdivision]] = {}
    for place in subdivisions():
        index.setdefault(fold(place.name), []).append(place)
    return index


def subdivision(name: str, region_code: str | None = None) -> Subdivision | None:
    """The raion or hromada called ``name`` (within ``region_code`` when given), or None.

    A name that two oblasts share is None unless ``region_code`` says which one is meant.
    """
    found = [
        place
        for place in _subdivision_index().get(fold(name.strip()), [])
        if region_code is None or place.region_code == region_code
    ]
    return found[0] if len(found) == 1 else None
