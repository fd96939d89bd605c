"""Write ``airtally/extraction/patterns.json``: the analysis of every pattern the lexicons' matchers
use (``airtally.extraction.matcher.analyse``), so that a process builds its lexicons without
parsing them (most of a cold start's time). Run it after editing a lexicon, a weapon's aliases or a
region's forms; a pattern missing from the file is only parsed at run time, never wrong.

    python scripts/analyse_patterns.py
"""

from __future__ import annotations

import json
from pathlib import Path

from airtally.extraction import matcher
from airtally.extraction.lexicon import LANGUAGES, Lexicon, lexicon

OUT = Path(matcher.__file__).resolve().parent / "patterns.json"


def main() -> None:
    if not matcher.__file__.endswith(".py"):
        raise SystemExit("run it on the Python engine (pip install -e .), not the compiled one")
    seen: dict[str, matcher.Analysis] = {}
    original = matcher.analyse

    def recording(pattern: str) -> matcher.Analysis:
        seen[pattern] = found = original(pattern)
        return found

    # every pattern the lexicons' matchers are built from passes here, none taken from the file
    matcher.analyse = recording
    matcher.known_analyses = dict
    for language in LANGUAGES:
        lexicon.cache_clear()
        found: Lexicon = lexicon(language)
        assert found.language == language
    lines = (f"{json.dumps(pattern, ensure_ascii=False)}: {json.dumps(found, ensure_ascii=False)}" for pattern, found in sorted(seen.items()))
    OUT.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")  # one pattern a line: diffs show what changed
    print(f"{OUT}: {len(seen)} patterns")


if __name__ == "__main__":
    main()
