"""The words of a claim check's notes, disagreements and explanation, in the reader's language.

The check (``airtally.analytics.claims``) decides each as a ``Note``: a code and its values, plain
JSON (dates as YYYY-MM-DD, months as YYYY-MM, counts, and codes such as a class or a verdict).
This module words a note in a language from ``claim_notes.yaml`` (data, not code), as
``brief_render`` words the brief: it imports nothing of the check.

>>> word(Note("ties_record", {"date": "2025-01-01", "value": 300}), "en")
'ties the record of 2025-01-01 (300)'
>>> word(Note("month_unconfirmed", {"count": 2}), "uk")
'у місяці 2 атаки з непідтвердженими даними'
>>> word(Note("no_earlier_month", {"class": "all", "measure": "launched"}), "uk")
'у цьому періоді немає попереднього місяця з числом запущених дронів і ракет'
"""

from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import yaml

from airtally.analytics.plurals import plural
from airtally.errors import InvalidValue


class Note(NamedTuple):
    """One thing the check says: ``code`` (a key of ``claim_notes.yaml``'s ``notes``) and the
    values its wording takes."""

    code: str
    values: dict

    def as_json(self) -> dict:
        """``{"code", "values"}``, as the check's JSON gives it."""
        return {"code": self.code, "values": dict(self.values)}


@lru_cache(maxsize=1)
def wordings() -> dict[str, dict]:
    """Each language's terms and note wordings (``claim_notes.yaml``)."""
    return yaml.safe_load(resources.files("airtally.analytics").joinpath("claim_notes.yaml").read_text("utf-8"))


LANGUAGES = tuple(wordings())


def check_language(lang: str | None) -> str:
    """``lang`` when the notes have wordings in it (None: English), else a clear error."""
    if not lang:
        return LANGUAGES[0]
    if lang not in wordings():
        raise InvalidValue(f"unknown language {lang!r} for a claim check's notes (use one of: {', '.join(LANGUAGES)})")
    return lang


class _Wording(string.Formatter):
    """Fills a wording: ``{name}`` with the value (a whole number grouped by the language's
    thousands separator), ``{name:term}`` with the term's word for the value (a code's word,
    or the form a count takes)."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang, self.words = lang, wordings()[lang]

    def format_field(self, value, spec: str) -> str:
        whole = isinstance(value, int) and not isinstance(value, bool)
        if not spec:
            return f"{value:,}".replace(",", self.words["thousands"]) if whole else str(value)
        term = self.words["terms"][spec]
        return plural(self.lang, value, term) if whole else term[value]


def word(note: Note, lang: str = "en") -> str:
    """``note`` worded in ``lang`` (en, uk)."""
    lang = check_language(lang)
    return _Wording(lang).format(wordings()[lang]["notes"][note.code], **note.values)


def placeholders(text: str) -> list[tuple[str, str]]:
    """The (value name, term or '') of each placeholder of a wording (for the schema test).

    >>> placeholders("{count} {count:attacks} on {date}")
    [('count', ''), ('count', 'attacks'), ('date', '')]
    """
    return [(name, spec or "") for _, name, spec, _ in string.Formatter().parse(text) if name is not None]
