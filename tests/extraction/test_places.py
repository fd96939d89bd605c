"""Towns named in a post found in the registry (airtally.catalog.places): any case form, no guess."""

from __future__ import annotations

import doctest

import pytest

from airtally.catalog import places
from airtally.catalog.places import place_region

# name as a post writes it -> the oblast of the town, raion or hromada the registry holds (None: no guess)
CASES = [
    ("Кременчук", "UA-53"), ("Кременчука", "UA-53"), ("Кременчуці", "UA-53"),  # a town of a hromada, k/ц
    ("Полтаву", "UA-53"), ("Полтавою", "UA-53"), ("Миргороду", "UA-53"),
    ("Очакова", "UA-48"), ("Очакові", "UA-48"),  # і/о: Очаків
    ("Чугуєва", "UA-63"), ("Ізюма", "UA-63"), ("Умані", "UA-71"), ("Сумах", "UA-59"),
    ("Ніжина", "UA-74"), ("Ізмаїла", "UA-51"),  # towns named only through their raion (Nizhynskyi raion)
    ("Сіверськ", "UA-14"), ("Лиман", "UA-14"),  # towns named only through their hromada
    ("Покров", "UA-12"), ("Покровськ", "UA-14"),  # a town first: Pokrov's hromada adjective is Pokrovsk's too
    ("Ромни", None), ("Хотінь", None), ("Мену", None),  # not in the registry (it lists places with alerts of their own)
    ("Черкаська", None),  # Cherkaska hromada (UA-14) and Cherkaskyi raion (UA-71): two oblasts, no guess
    ("захід", None),
]


@pytest.mark.parametrize(("name", "code"), CASES, ids=[name for name, _ in CASES])
def test_place_region(name, code):
    assert place_region(name) == code


def test_a_language_without_case_forms_finds_nothing():
    assert place_region("Kremenchuk", language="en") is None


def test_docstring_examples():
    assert doctest.testmod(places).failed == 0
