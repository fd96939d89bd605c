"""Extraction: read one attack report (text + publication time) into figures with evidence.

Pure: no database, no network. The public API:

- ``extract(text, published=None, language=None, input_name="-") -> Extraction``
- ``detect_language(text) -> "en" | "uk" | "ru"``
- ``airtally.extraction.reading.read_text(path_or_dash) -> str``
"""

from __future__ import annotations

from airtally.extraction.engine import extract, parse_published
from airtally.extraction.language import detect_language

__all__ = ["extract", "detect_language", "parse_published"]
