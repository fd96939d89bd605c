"""Extraction: read one attack report (text + publication time) into figures with evidence.

Pure: no database, no network. The public API:

- ``extract(text, published=None, language=None, input_name="-") -> Extraction``
- ``detect_language(text) -> "en" | "uk" | "ru"``; ``identify_language(text)``: that, or the code of
  another language the text reads as ("de", "pl", ...; None when not known), which ``extract``
  answers with the warning ``unsupported_language`` and no figures
- ``airtally.inputs.read_text(path_or_dash) -> str`` (reading a report file)
- ``COMPILED``: whether the engine runs compiled (``AIRTALLY_COMPILE=1 pip install .``, see
  setup.py) or as Python; both give the same output.
"""

from __future__ import annotations

from airtally.extraction import engine
from airtally.extraction.engine import extract, parse_published
from airtally.extraction.language import detect_language, identify_language

COMPILED = not engine.__file__.endswith(".py")  # a mypyc build: extension modules, not sources

__all__ = ["extract", "detect_language", "identify_language", "parse_published", "COMPILED"]
