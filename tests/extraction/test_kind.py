"""The kind of a report (national, regional, news) is decided by the extraction, beside its scope,
from the lexicon's news markers (tests/extraction/kind_cases.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from airtally.extraction import extract
from airtally.extraction.lexicon import LANGUAGES, raw_lexicon

CASES = yaml.safe_load((Path(__file__).parent / "kind_cases.yaml").read_text("utf-8"))


@pytest.mark.parametrize(("text", "scope", "kind"), CASES, ids=[c[0][:40] for c in CASES])
def test_kind_beside_scope(text: str, scope: str | None, kind: str) -> None:
    result = extract(text)
    assert (result.scope, result.kind) == (scope, kind)
    assert result.to_json()["kind"] == kind


def test_a_report_in_another_language_has_no_kind() -> None:
    result = extract("In der Nacht hat Russland 50 Drohnen gestartet; 41 wurden über der Ukraine abgeschossen, teilte die Luftwaffe mit.")
    assert result.unsupported_language and result.kind is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_news_markers(language: str) -> None:
    markers = raw_lexicon(language)["news_markers"]
    assert len(markers) >= 5 and all(isinstance(m, str) and m.strip() for m in markers)
