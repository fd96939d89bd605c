"""The plural form of a counted word, by each language's rule in ``plurals.yaml`` (data, not code).

>>> attacks = {"one": "атака", "few": "атаки", "many": "атак"}
>>> [f"{n} {plural('uk', n, attacks)}" for n in (1, 2, 5, 11, 21, 22, 112)]
['1 атака', '2 атаки', '5 атак', '11 атак', '21 атака', '22 атаки', '112 атак']
>>> plural("en", 1, {"one": "attack", "other": "attacks"}), plural("en", 0, {"one": "attack", "other": "attacks"})
('attack', 'attacks')
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from airtally.errors import InvalidValue


@lru_cache(maxsize=1)
def rules() -> dict[str, list[dict]]:
    """Each language's plural rules, in order (``plurals.yaml``)."""
    return yaml.safe_load(resources.files("airtally.analytics").joinpath("plurals.yaml").read_text("utf-8"))


def forms(lang: str) -> tuple[str, ...]:
    """The plural forms ``lang`` names, e.g. ('one', 'few', 'many') for Ukrainian."""
    return tuple(rule["form"] for rule in _rules_of(lang))


def plural_form(lang: str, count: int) -> str:
    """The form ``count`` takes in ``lang``: 'one', 'few', 'many' or 'other'."""
    n = abs(count)
    for rule in _rules_of(lang):
        if (n in rule.get("is", (n,)) and n % 10 in rule.get("mod10", (n % 10,))
                and n % 100 not in rule.get("not_mod100", ())):
            return str(rule["form"])
    raise InvalidValue(f"no plural rule of {lang!r} holds for {count} (its last rule in plurals.yaml should hold always)")


def plural(lang: str, count: int, words: dict[str, str]) -> str:
    """The word of ``words`` (form -> word) that goes with ``count`` in ``lang``."""
    form = plural_form(lang, count)
    if form not in words:
        raise InvalidValue(f"the word {words!r} has no {form!r} form, which {count} takes in {lang!r}")
    return words[form]


def _rules_of(lang: str) -> list[dict]:
    if lang not in rules():
        raise InvalidValue(f"no plural rules for {lang!r} (plurals.yaml has: {', '.join(rules())})")
    return rules()[lang]
