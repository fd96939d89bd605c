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
from pathlib import Path

import yaml

PHRASES = yaml.safe_load((Path(__file__).resolve().parent / "post_phrases.yaml").read_text(encoding="utf-8"))
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


def plural(lang: str, n: int, forms: list[str]) -> str:
    """The noun form for a count: ``forms`` is [one, few, many].

    >>> [plural("uk", n, ["ракета", "ракети", "ракет"]) for n in (1, 3, 11, 21, 25)]
    ['ракета', 'ракети', 'ракет', 'ракета', 'ракет']
    >>> plural("en", 2, ["missile", "missiles", "missiles"])
    'missiles'
    """
    one, few, many = forms
    if lang == "en":
        return one if n == 1 else many
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _when(attack: Attack, lang: str) -> str:
    say, months = PHRASES["when"][lang], PHRASES["months"][lang]
    day = say["day"].format(d=attack.date.day, m=months[attack.date.month - 1])
    if attack.start is None:
        return say["night"].format(day=day)
    hm = f"{attack.start:%H:%M}"
    since = say["day"].format(d=attack.start.day, m=months[attack.start.month - 1])
    return say["daytime" if attack.daytime else "since"].format(day=day, hm=hm, since=since)


def _kinds(attack: Attack, lang: str) -> str:
    models = [w.model for w in attack.weapons if w.counts_as == "missiles"]
    names = PHRASES["missile_names"][lang]
    return names[models[0]] if len(models) == 1 and models[0] in names else names["various"]


def _paragraph(attack: Attack, lang: str) -> str:
    say = PHRASES["paragraph"][lang]
    parts = []
    if attack.has("drones"):
        parts.append(say["drones"].format(n=attack.total("drones", "launched")))
    if attack.has("missiles"):
        n = attack.total("missiles", "launched")
        parts.append(say["missiles"].format(n=n, noun=plural(lang, n, say["noun"]), kinds=_kinds(attack, lang)))
    text = say["attacked"].format(when=_when(attack, lang), parts=say["joiner"].join(parts))
    shot = []
    if attack.total("drones", "destroyed"):
        shot.append(say["drones_shot"].format(n=attack.total("drones", "destroyed")))
    if attack.total("missiles", "destroyed"):
        n = attack.total("missiles", "destroyed")
        shot.append(f"{n} {plural(lang, n, say['shot_noun'])}")
    if shot:
        text += say["shot"].format(as_of=attack.as_of, parts=say["joiner"].join(shot))
    if attack.total("drones", "lost"):
        text += say["lost"].format(n=attack.total("drones", "lost"))
    return text


def _bullets(attack: Attack, lang: str) -> str:
    say, names = PHRASES["bullets"][lang], PHRASES["missile_names"][lang]
    missiles = [w for w in attack.weapons if w.counts_as == "missiles"]
    lines = [say["attacked"].format(when=_when(attack, lang))]
    if attack.has("drones"):
        lines.append(say["drones"].format(n=attack.total("drones", "launched")))
    for w in missiles:
        lines.append(say["missile"].format(n=w.launched, noun=plural(lang, w.launched, say["noun"]), name=names[w.model]))
    shot = [w for w in missiles if w.destroyed]
    if attack.total("drones", "destroyed") or shot:
        lines += ["", say["shot"].format(as_of=attack.as_of)]
        if attack.total("drones", "destroyed"):
            lines.append(say["drones_shot"].format(n=attack.total("drones", "destroyed")))
        for w in shot:
            lines.append(say["missile"].format(n=w.destroyed, noun=plural(lang, w.destroyed, say["noun"]), name=names[w.model]))
    if attack.total("drones", "lost"):
        lines += ["", say["lost"].format(n=attack.total("drones", "lost"))]
    return "\n".join(lines)


WRITERS = {
    "uk_paragraph": lambda attack: _paragraph(attack, "uk"),
    "uk_bullets": lambda attack: _bullets(attack, "uk"),
    "ru_paragraph": lambda attack: _paragraph(attack, "ru"),
    "en_paragraph": lambda attack: _paragraph(attack, "en"),
}


def write_post(attack: Attack, fmt: str) -> str:
    """The text of ``attack`` as an Air Force post in format ``fmt`` (one of :data:`FORMATS`)."""
    return WRITERS[fmt](attack)
