"""The weapon catalogue: models, their class and their names in EN/UK/RU.

>>> catalogue().by_alias("Х-101").id
'kh-101'
>>> catalogue().by_curated("X-59/X-69").weapon_class
'guided_missile'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from airtally.catalog.normalize import fold
from airtally.catalog.yaml_text import load_yaml
from airtally.model import DRONE_CLASSES, MISSILE_CLASSES


@dataclass(frozen=True)
class Weapon:
    id: str
    weapon_class: str
    name: str
    curated: tuple[str, ...]
    aliases: dict[str, tuple[str, ...]]
    # "drones", "missiles" or None (recon drones, glide bombs, loitering munitions); set once from
    # the class, as the extractor asks it for every weapon word of every report
    counts_as: str | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        counts = "drones" if self.weapon_class in DRONE_CLASSES else "missiles" if self.weapon_class in MISSILE_CLASSES else None
        object.__setattr__(self, "counts_as", counts)


class Catalogue:
    def __init__(self, weapons: list[Weapon]):
        self.weapons = weapons
        self._by_id = {w.id: w for w in weapons}
        self._by_alias: dict[str, Weapon] = {}
        self._by_curated: dict[str, Weapon] = {}
        for w in weapons:
            for names in w.aliases.values():
                for alias in names:
                    self._by_alias.setdefault(fold(alias), w)
            self._by_alias.setdefault(fold(w.id), w)
            self._by_alias.setdefault(fold(w.name), w)
            for name in w.curated:
                self._by_curated[fold(name)] = w

    def get(self, weapon_id: str) -> Weapon:
        return self._by_id[weapon_id]

    def by_alias(self, name: str) -> Weapon | None:
        return self._by_alias.get(fold(name))

    def by_curated(self, name: str) -> Weapon | None:
        return self._by_curated.get(fold(name))

    def __iter__(self):
        return iter(self.weapons)


def _load(raw: dict) -> Catalogue:
    weapons = [
        Weapon(
            id=m["id"],
            weapon_class=m["class"],
            name=m["name"],
            curated=tuple(m.get("curated", [])),
            aliases={lang: tuple(names) for lang, names in m.get("aliases", {}).items()},
        )
        for m in raw["models"]
    ]
    return Catalogue(weapons)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The bundled catalogue (loaded once)."""
    text = resources.files("airtally.catalog").joinpath("data/weapons.yaml").read_text("utf-8")
    return _load(load_yaml(text))
