"""The official alert channel's hashtags (``#Донецька_область``) matched to the registry's places.

The official alert data set is built from that channel with its names transliterated
(national system, ``data/transliteration_uk.yaml``), so a tag is transliterated and compared
with the registry's names (``regions.yaml``'s ``alerts_name``, ``subdivisions.yaml``) with
spaces, dots, hyphens and apostrophes set aside as the channel sets them aside. The few tags
that cannot be found that way are listed in ``data/alert_hashtags.yaml``.

>>> transliterate("зграя їжаків у Яготині")
'zghraia yizhakiv u yahotyni'
>>> place_by_hashtag("#Донецька_область")
TagPlace(region_code='UA-14', level='oblast', raion=None, hromada=None)
>>> place_by_hashtag("#м_Нікополь_та_Нікопольська_територіальна_громада").raion
'Nikopolskyi raion'
>>> place_by_hashtag("#Lubenskyi") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from airtally.catalog.normalize import fold
from airtally.catalog.regions import regions, subdivisions
from airtally.catalog.yaml_text import load_yaml


@dataclass(frozen=True)
class TagPlace:
    """A place of the alert history: an oblast, or a raion or hromada within it."""

    region_code: str
    level: str
    raion: str | None = None
    hromada: str | None = None


def _data(name: str) -> dict:
    return load_yaml(resources.files("airtally.catalog").joinpath(f"data/{name}").read_text("utf-8"))


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    data = _data("transliteration_uk.yaml")
    return data["letters"], data["initial"], data["pairs"]


def transliterate(text: str) -> str:
    """Lower-cased Ukrainian ``text`` in Latin letters (national system); other characters kept."""
    letters, initial, pairs = _table()
    text = fold(text)
    out, i = [], 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in pairs:
            out.append(pairs[pair])
            i += 2
            continue
        char = text[i]
        at_start = i == 0 or not (text[i - 1].isalpha() or text[i - 1] in "'’")
        out.append(initial[char] if at_start and char in initial else letters.get(char, char))
        i += 1
    return "".join(out)


_SET_ASIDE = re.compile(r"[.\-'’ʼ]")


def tag_key(name: str) -> str:
    """The form a name and a tag are compared in: folded, Latin, '_' for spaces, no dots,
    hyphens or apostrophes ("m. Nikopol ta ..." and "#м_Нікополь_та_..." meet)."""
    return _SET_ASIDE.sub("", transliterate(name.lstrip("#"))).replace(" ", "_")


@lru_cache(maxsize=1)
def _index() -> dict[str, TagPlace | None]:
    """tag key -> place; None where two places share the key (the tag is then ambiguous)."""
    index: dict[str, TagPlace | None] = {}

    def add(key: str, place: TagPlace) -> None:
        index[key] = place if key not in index or index[key] == place else None

    for region in regions():
        add(tag_key(region.alerts_name), TagPlace(region.code, "oblast"))
    for sub in subdivisions():
        add(tag_key(sub.name), TagPlace(sub.region_code, sub.level, sub.raion, sub.hromada))
    return index


@lru_cache(maxsize=1)
def _exceptions() -> dict[str, str]:
    return {fold(tag): name for tag, name in _data("alert_hashtags.yaml")["exceptions"].items()}


@lru_cache(maxsize=1)
def ignored_markers() -> tuple[str, ...]:
    """Words that make a post of the channel a test (``Тестовий Регіон``), folded."""
    return tuple(fold(marker) for marker in _data("alert_hashtags.yaml")["ignored"])


def place_by_hashtag(tag: str) -> TagPlace | None:
    """The place a channel's hashtag names, or None when the registry does not know it."""
    name = _exceptions().get(fold(tag.strip()))
    return _index().get(tag_key(name if name is not None else tag.strip()))
