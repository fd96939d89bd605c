"""The registry of Ukraine's regions, shared by the extractor and the alert code.

>>> region("UA-32").en
'Kyiv Oblast'
>>> by_name("Kyiv City").code
'UA-30'
>>> subdivision("Lubenskyi raion").region_code
'UA-53'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from airtally.catalog.normalize import fold
from airtally.catalog.yaml_text import load_yaml


@dataclass(frozen=True)
class Region:
    code: str
    en: str
    uk: str
    ru: str
    alerts_name: str
    alerts_in_ua_uid: int


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


def by_name(name: str) -> Region | None:
    """The region a name, code or alerts.in.ua UID refers to, or None."""
    return _index().get(fold(name.strip()))


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
