"""Every Python source of the project compiles without a warning: an invalid escape such as
``"(?!\\w)"`` in a non-raw string is a DeprecationWarning on Python 3.11 and a SyntaxWarning from
3.12 (an error in a later release), shown only once, when the bytecode is first written, so an
import-time check would miss it on a warm cache."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for folder in ("airtally", "tests", "scripts", "benchmarks") for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_source_compiles_without_warnings(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_an_invalid_escape_is_caught() -> None:
    with warnings.catch_warnings(), pytest.raises((DeprecationWarning, SyntaxWarning, SyntaxError)):
        warnings.simplefilter("error")
        compile('x = "(?!\\w)"\n', "example.py", "exec")
