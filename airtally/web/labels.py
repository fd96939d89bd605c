"""The dashboard's words in English and Ukrainian, read from data/labels.yaml (data, not code).

>>> words("uk")("nav_alerts")
'Тривоги'
>>> words("en")("night_window", start="18:00", end="09:00")
'from 18:00 to 09:00'
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml
from markupsafe import Markup, escape

from airtally.errors import InvalidValue


@lru_cache(maxsize=1)
def _data() -> dict:
    text = resources.files("airtally.web").joinpath("data/labels.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def languages() -> tuple[str, ...]:
    """The languages the dashboard speaks, the default first."""
    return tuple(_data()["languages"])


def check_language(lang: str | None) -> str:
    """``lang`` when the dashboard speaks it (None: the default), else a clear error."""
    if lang is None or lang == "":
        return languages()[0]
    if lang not in languages():
        raise InvalidValue(f"unknown language {lang!r} (use one of: {', '.join(languages())})")
    return lang


class Words:
    """The labels of one language: ``words("key", name=value)`` fills the placeholders."""

    def __init__(self, lang: str):
        self.lang = check_language(lang)
        self.other = next(code for code in languages() if code != self.lang)

    def __call__(self, key: str, **values) -> str:
        text = _data()["labels"][key][self.lang]
        return text.format(**values) if values else text

    def html(self, key: str, **values) -> Markup:
        """The label as HTML: its text and its plain values escaped, a Markup value kept.

        >>> words("en").html("attack_title", date=Markup('<span class="nowrap">2025-07-04</span>'))
        Markup('The attack that ended on <span class="nowrap">2025-07-04</span>')
        """
        return Markup(escape(_data()["labels"][key][self.lang])).format(**values)


def words(lang: str | None) -> Words:
    """The labels of ``lang`` (en, uk; None: en)."""
    return Words(check_language(lang))


def all_labels() -> dict[str, dict[str, str]]:
    """Every key with its text per language (for the schema test)."""
    return _data()["labels"]
