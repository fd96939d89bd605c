"""The registry of Ukraine's regions, shared by the extractor and the alert code.

>>> region("UA-32").en
'Kyiv Oblast'
>>> by_name("Kyiv City").code
'UA-30'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from airtally.catalog.normalize import fold


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
    return tuple(Region(**row) for row in yaml.safe_load(text)["regions"])


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
