"""Air Force posts written from figures: the generator behind the data tier and the property tests.

An :class:`Attack` holds one attack's figures per weapon (drones and missiles, recon drones left
out); the writers turn it into the text of an Air Force post in one of :data:`FORMATS`:

>>> attack = Attack(date=dt.date(2025, 7, 4), start=dt.datetime(2025, 7, 3, 18, 0),
...                 weapons=(Weapon("shahed", "drones", 539, 268, 208),))
>>> print(write_post(attack, "uk_paragraph"))
У ніч на 4 липня (з 18:00 3 липня) противник атакував 539 ударними БпЛА типу Shahed та дронами-імітаторами різних типів. Станом на 09:00 збито/подавлено 268 ворожих БпЛА. 208 ворожих безпілотників-імітаторів локаційно втрачені (без негативних наслідків).
>>> attack.expected()["totals.drones.lost"]
208
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MONTHS = {
    "uk": "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня".split(),
    "en": "January February March April May June July August September October November December".split(),
}
# Ukrainian names used in bullet lists, by catalogue id (as the Air Force writes them).
MISSILE_NAMES_UK = {
    "kh-101": "Х-101/Х-555", "kalibr": "«Калібр»", "iskander-k": "Іскандер-К", "iskander-m": "Іскандер-М/KN-23",
    "kinzhal": "Х-47М2 «Кинджал»", "zircon": "«Циркон»", "oniks": "«Онікс»", "kh-22": "Х-22", "kh-32": "Х-32",
    "kh-59": "Х-59/69", "kh-31": "Х-31П", "kh-35": "Х-35", "s-300": "С-300/С-400", "banderol": "«Бандероль»",
    "icbm": "МБР", "unknown-missile": "невстановленого типу",
}
MISSILE_NAMES_EN = {
    "kh-101": "Kh-101/Kh-555", "kalibr": "Kalibr", "iskander-k": "Iskander-K", "iskander-m": "Iskander-M/KN-23",
    "kinzhal": "Kh-47M2 Kinzhal", "zircon": "Zircon", "oniks": "Oniks", "kh-22": "Kh-22", "kh-32": "Kh-32",
    "kh-59": "Kh-59/69", "kh-31": "Kh-31P", "kh-35": "Kh-35", "s-300": "S-300/S-400", "banderol": "Banderol",
    "icbm": "ICBM", "unknown-missile": "unidentified",
}
FORMATS = ("uk_paragraph", "uk_bullets", "en_paragraph")


@dataclass(frozen=True)
class Weapon:
    """One weapon model's figures; ``counts_as`` is ``"drones"`` or ``"missiles"``."""

    model: str
    counts_as: str
    launched: int
    destroyed: int = 0
    lost: int = 0


@dataclass(frozen=True)
class Attack:
    """One attack: the Kyiv date it ended, when it started (None if unknown), its weapons.

    ``as_of`` is the time of the figures ("станом на 09:00").
    """

    date: dt.date
    start: dt.datetime | None
    weapons: tuple[Weapon, ...]
    source: str = ""
    as_of: str = "09:00"

    def total(self, counts_as: str, key: str) -> int:
        return sum(getattr(w, key) for w in self.weapons if w.counts_as == counts_as)

    def has(self, counts_as: str) -> bool:
        return any(w.counts_as == counts_as for w in self.weapons)

    def expected(self) -> dict[str, object]:
        """The figures an extraction of any written post must give back (None: not written)."""
        out: dict[str, object] = {"period.date": self.date.isoformat()}
        for group, keys in (("drones", ("launched", "destroyed", "lost")), ("missiles", ("launched", "destroyed"))):
            for key in keys:
                value = self.total(group, key) if self.has(group) else None
                # The writers leave out a zero destroyed/lost figure, so it reads as "not stated".
                out[f"totals.{group}.{key}"] = value if value or key == "launched" else None
        return out

    @property
    def daytime(self) -> bool:
        return self.start is not None and self.start.date() == self.date and self.start.hour >= 6


def plural_uk(n: int, one: str, few: str, many: str) -> str:
    """Ukrainian noun form for a count.

    >>> [plural_uk(n, "ракета", "ракети", "ракет") for n in (1, 3, 11, 21, 25)]
    ['ракета', 'ракети', 'ракет', 'ракета', 'ракет']
    """
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _when_uk(attack: Attack) -> str:
    day = f"{attack.date.day} {MONTHS['uk'][attack.date.month - 1]}"
    if attack.start is None:
        return f"У ніч на {day}"
    if attack.daytime:
        return f"{day} з {attack.start:%H:%M}"
    since = f"{attack.start.day} {MONTHS['uk'][attack.start.month - 1]}"
    return f"У ніч на {day} (з {attack.start:%H:%M} {since})"


def _when_en(attack: Attack) -> str:
    day = f"{MONTHS['en'][attack.date.month - 1]} {attack.date.day}"
    if attack.start is None:
        return f"Overnight on {day}"
    if attack.daytime:
        return f"On {day}, from {attack.start:%H:%M}"
    since = f"{MONTHS['en'][attack.start.month - 1]} {attack.start.day}"
    return f"Overnight on {day} (from {attack.start:%H:%M} on {since})"


def _kinds_uk(attack: Attack) -> str:
    models = [w.model for w in attack.weapons if w.counts_as == "missiles"]
    return MISSILE_NAMES_UK[models[0]] if len(models) == 1 else "різних типів"


def _uk_paragraph(attack: Attack) -> str:
    d_l, m_l = attack.total("drones", "launched"), attack.total("missiles", "launched")
    parts = []
    if attack.has("drones"):
        parts.append(f"{d_l} ударними БпЛА типу Shahed та дронами-імітаторами різних типів")
    if attack.has("missiles"):
        parts.append(f"{m_l} {plural_uk(m_l, 'ракетою', 'ракетами', 'ракетами')} {_kinds_uk(attack)}")
    text = f"{_when_uk(attack)} противник атакував {' та '.join(parts)}."
    shot = []
    if attack.total("drones", "destroyed"):
        shot.append(f"{attack.total('drones', 'destroyed')} ворожих БпЛА")
    if attack.total("missiles", "destroyed"):
        m_d = attack.total("missiles", "destroyed")
        shot.append(f"{m_d} {plural_uk(m_d, 'ракету', 'ракети', 'ракет')}")
    if shot:
        text += f" Станом на {attack.as_of} збито/подавлено {' та '.join(shot)}."
    if attack.total("drones", "lost"):
        text += f" {attack.total('drones', 'lost')} ворожих безпілотників-імітаторів локаційно втрачені (без негативних наслідків)."
    return text


def _uk_bullets(attack: Attack) -> str:
    lines = [f"{_when_uk(attack)} противник атакував:"]
    if attack.has("drones"):
        lines.append(f"– {attack.total('drones', 'launched')} ударних БпЛА типу Shahed та дронів-імітаторів;")
    for w in attack.weapons:
        if w.counts_as == "missiles":
            noun = plural_uk(w.launched, "ракета", "ракети", "ракет")
            lines.append(f"– {w.launched} {noun} {MISSILE_NAMES_UK[w.model]};")
    shot = [w for w in attack.weapons if w.counts_as == "missiles" and w.destroyed]
    d_d = attack.total("drones", "destroyed")
    if d_d or shot:
        lines.append("")
        lines.append(f"Станом на {attack.as_of} знищено:")
        if d_d:
            lines.append(f"– {d_d} ворожих БпЛА;")
        for w in shot:
            noun = plural_uk(w.destroyed, "ракета", "ракети", "ракет")
            lines.append(f"– {w.destroyed} {noun} {MISSILE_NAMES_UK[w.model]};")
    if attack.total("drones", "lost"):
        lines.append("")
        lines.append(f"{attack.total('drones', 'lost')} ворожих безпілотників-імітаторів локаційно втрачені.")
    return "\n".join(lines)


def _en_paragraph(attack: Attack) -> str:
    parts = []
    if attack.has("drones"):
        parts.append(f"{attack.total('drones', 'launched')} Shahed-type strike UAVs and decoy drones")
    if attack.has("missiles"):
        m_l = attack.total("missiles", "launched")
        parts.append(f"{m_l} {'missile' if m_l == 1 else 'missiles'} of various types")
    text = f"{_when_en(attack)}, the enemy attacked Ukraine with {' and '.join(parts)}."
    shot = []
    if attack.total("drones", "destroyed"):
        shot.append(f"{attack.total('drones', 'destroyed')} enemy UAVs")
    if attack.total("missiles", "destroyed"):
        m_d = attack.total("missiles", "destroyed")
        shot.append(f"{m_d} {'missile' if m_d == 1 else 'missiles'}")
    if shot:
        text += f" As of {attack.as_of}, air defence shot down or suppressed {' and '.join(shot)}."
    if attack.total("drones", "lost"):
        text += f" {attack.total('drones', 'lost')} enemy decoy drones were locationally lost."
    return text


WRITERS = {"uk_paragraph": _uk_paragraph, "uk_bullets": _uk_bullets, "en_paragraph": _en_paragraph}


def write_post(attack: Attack, fmt: str) -> str:
    """The text of ``attack`` as an Air Force post in format ``fmt`` (one of :data:`FORMATS`)."""
    return WRITERS[fmt](attack)
