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
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split(),
    "en": "January February March April May June July August September October November December".split(),
}
# Ukrainian names used in bullet lists, by catalogue id (as the Air Force writes them).
# Missile names as the Air Force writes them, by catalogue id; "various" names a mix of types.
MISSILE_NAMES = {
    "uk": {
        "kh-101": "Х-101/Х-555", "kalibr": "«Калібр»", "iskander-k": "Іскандер-К", "iskander-m": "Іскандер-М/KN-23",
        "kinzhal": "Х-47М2 «Кинджал»", "zircon": "«Циркон»", "oniks": "«Онікс»", "kh-22": "Х-22", "kh-32": "Х-32",
        "kh-59": "Х-59/69", "kh-31": "Х-31П", "kh-35": "Х-35", "s-300": "С-300/С-400", "banderol": "«Бандероль»",
        "icbm": "МБР", "unknown-missile": "невстановленого типу", "various": "різних типів",
    },
    "ru": {
        "kh-101": "Х-101/Х-555", "kalibr": "«Калибр»", "iskander-k": "Искандер-К", "iskander-m": "Искандер-М/KN-23",
        "kinzhal": "Х-47М2 «Кинжал»", "zircon": "«Циркон»", "oniks": "«Оникс»", "kh-22": "Х-22", "kh-32": "Х-32",
        "kh-59": "Х-59/69", "kh-31": "Х-31П", "kh-35": "Х-35", "s-300": "С-300/С-400", "banderol": "«Бандероль»",
        "icbm": "МБР", "unknown-missile": "неустановленного типа", "various": "разных типов",
    },
    "en": {"various": "of various types"},
}
FORMATS = ("uk_paragraph", "uk_bullets", "ru_paragraph", "en_paragraph")


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
    """Ukrainian (and Russian) noun form for a count.

    >>> [plural_uk(n, "ракета", "ракети", "ракет") for n in (1, 3, 11, 21, 25)]
    ['ракета', 'ракети', 'ракет', 'ракета', 'ракет']
    """
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


# How a post dates its attack, per language: {day}/{since} are "4 липня" / "July 4".
WHEN = {
    "uk": {"day": "{d} {m}", "night": "У ніч на {day}", "daytime": "{day} з {hm}",
           "since": "У ніч на {day} (з {hm} {since})"},
    "ru": {"day": "{d} {m}", "night": "В ночь на {day}", "daytime": "{day} с {hm}",
           "since": "В ночь на {day} (с {hm} {since})"},
    "en": {"day": "{m} {d}", "night": "Overnight on {day}", "daytime": "On {day}, from {hm}",
           "since": "Overnight on {day} (from {hm} on {since})"},
}


def _when(attack: Attack, lang: str) -> str:
    say = WHEN[lang]
    day = say["day"].format(d=attack.date.day, m=MONTHS[lang][attack.date.month - 1])
    if attack.start is None:
        return say["night"].format(day=day)
    hm = f"{attack.start:%H:%M}"
    since = say["day"].format(d=attack.start.day, m=MONTHS[lang][attack.start.month - 1])
    return say["daytime" if attack.daytime else "since"].format(day=day, hm=hm, since=since)


def _kinds(attack: Attack, lang: str) -> str:
    models = [w.model for w in attack.weapons if w.counts_as == "missiles"]
    names = MISSILE_NAMES[lang]
    return names[models[0]] if len(models) == 1 and models[0] in names else names["various"]


def _missiles_en(n: int, *_forms: str) -> str:
    return "missile" if n == 1 else "missiles"


# The sentences of a one-paragraph post, per language: {n} is a figure, {missiles} its noun.
PARAGRAPH = {
    "uk": {
        "when": lambda attack: _when(attack, "uk"), "joiner": " та ", "attacked": "{when} противник атакував {parts}.",
        "drones": "{n} ударними БпЛА типу Shahed та дронами-імітаторами різних типів",
        "missiles": "{n} {noun} {kinds}", "noun": lambda n: plural_uk(n, "ракетою", "ракетами", "ракетами"),
        "shot_noun": lambda n: plural_uk(n, "ракету", "ракети", "ракет"),
        "drones_shot": "{n} ворожих БпЛА", "shot": " Станом на {as_of} збито/подавлено {parts}.",
        "lost": " {n} ворожих безпілотників-імітаторів локаційно втрачені (без негативних наслідків).",
    },
    "ru": {
        "when": lambda attack: _when(attack, "ru"), "joiner": " и ", "attacked": "{when} противник атаковал {parts}.",
        "drones": "{n} ударными БпЛА типа Shahed и дронами-имитаторами разных типов",
        "missiles": "{n} {noun} {kinds}", "noun": lambda n: plural_uk(n, "ракетой", "ракетами", "ракетами"),
        "shot_noun": lambda n: plural_uk(n, "ракету", "ракеты", "ракет"),
        "drones_shot": "{n} вражеских БпЛА", "shot": " По состоянию на {as_of} сбиты/подавлены {parts}.",
        "lost": " {n} вражеских беспилотников-имитаторов локационно потеряны (без негативных последствий).",
    },
    "en": {
        "when": lambda attack: _when(attack, "en"), "joiner": " and ", "attacked": "{when}, the enemy attacked Ukraine with {parts}.",
        "drones": "{n} Shahed-type strike UAVs and decoy drones",
        "missiles": "{n} {noun} {kinds}", "noun": _missiles_en, "shot_noun": _missiles_en,
        "drones_shot": "{n} enemy UAVs", "shot": " As of {as_of}, air defence shot down or suppressed {parts}.",
        "lost": " {n} enemy decoy drones were locationally lost.",
    },
}


def _paragraph(attack: Attack, lang: str) -> str:
    say = PARAGRAPH[lang]
    parts = []
    if attack.has("drones"):
        parts.append(say["drones"].format(n=attack.total("drones", "launched")))
    if attack.has("missiles"):
        n = attack.total("missiles", "launched")
        parts.append(say["missiles"].format(n=n, noun=say["noun"](n), kinds=_kinds(attack, lang)))
    text = say["attacked"].format(when=say["when"](attack), parts=say["joiner"].join(parts))
    shot = []
    if attack.total("drones", "destroyed"):
        shot.append(say["drones_shot"].format(n=attack.total("drones", "destroyed")))
    if attack.total("missiles", "destroyed"):
        n = attack.total("missiles", "destroyed")
        shot.append(f"{n} {say['shot_noun'](n)}")
    if shot:
        text += say["shot"].format(as_of=attack.as_of, parts=say["joiner"].join(shot))
    if attack.total("drones", "lost"):
        text += say["lost"].format(n=attack.total("drones", "lost"))
    return text


def _uk_bullets(attack: Attack) -> str:
    lines = [f"{_when(attack, 'uk')} противник атакував:"]
    if attack.has("drones"):
        lines.append(f"– {attack.total('drones', 'launched')} ударних БпЛА типу Shahed та дронів-імітаторів;")
    for w in attack.weapons:
        if w.counts_as == "missiles":
            noun = plural_uk(w.launched, "ракета", "ракети", "ракет")
            lines.append(f"– {w.launched} {noun} {MISSILE_NAMES['uk'][w.model]};")
    shot = [w for w in attack.weapons if w.counts_as == "missiles" and w.destroyed]
    d_d = attack.total("drones", "destroyed")
    if d_d or shot:
        lines.append("")
        lines.append(f"Станом на {attack.as_of} знищено:")
        if d_d:
            lines.append(f"– {d_d} ворожих БпЛА;")
        for w in shot:
            noun = plural_uk(w.destroyed, "ракета", "ракети", "ракет")
            lines.append(f"– {w.destroyed} {noun} {MISSILE_NAMES['uk'][w.model]};")
    if attack.total("drones", "lost"):
        lines.append("")
        lines.append(f"{attack.total('drones', 'lost')} ворожих безпілотників-імітаторів локаційно втрачені.")
    return "\n".join(lines)


WRITERS = {
    "uk_paragraph": lambda attack: _paragraph(attack, "uk"),
    "uk_bullets": _uk_bullets,
    "ru_paragraph": lambda attack: _paragraph(attack, "ru"),
    "en_paragraph": lambda attack: _paragraph(attack, "en"),
}


def write_post(attack: Attack, fmt: str) -> str:
    """The text of ``attack`` as an Air Force post in format ``fmt`` (one of :data:`FORMATS`)."""
    return WRITERS[fmt](attack)
