"""Write ``airtally/extraction/patterns.json``: the analysis of every pattern the lexicons' matchers
use (``airtally.extraction.matcher.analyse``), so that a process builds its lexicons without
parsing them (most of a cold start's time), and ``wordshapes.json``: the words each word shape of
those matchers matches (``airtally.extraction.wordshapes.words_of``), so that a word is told by
looking it up, not by compiling a regex; and ``airtally/catalog/yaml_parsed.txt``: the package's
YAML data files (the lexicons, the catalogue) parsed, read as JSON in their place. Run it after
editing a lexicon, a weapon's aliases or a region's forms; a pattern, shape or file missing from
these (or changed since) is only parsed at run time, never wrong.

    python scripts/analyse_patterns.py
"""

from __future__ import annotations

import json
from pathlib import Path

from airtally.catalog import yaml_text
from airtally.extraction import matcher, wordshapes
from airtally.extraction.lexicon import LANGUAGES, Lexicon, lexicon

OUT = Path(matcher.__file__).resolve().parent / "patterns.json"
SHAPES = OUT.with_name("wordshapes.json")
PACKAGE = OUT.parent.parent
YAML_FILES = sorted([*PACKAGE.glob("extraction/lexicons/*.yaml"), *PACKAGE.glob("catalog/data/*.yaml")])


def main() -> None:
    if not matcher.__file__.endswith(".py"):
        raise SystemExit("run it on the Python engine (pip install -e .), not the compiled one")
    write_parsed()
    seen: dict[str, matcher.Analysis] = {}
    original = matcher.analyse

    def recording(pattern: str) -> matcher.Analysis:
        seen[pattern] = found = original(pattern)
        return found

    # every pattern the lexicons' matchers are built from passes here, none taken from the file
    matcher.analyse = recording
    matcher.known_analyses = dict
    shapes: set[str] = set()
    for language in LANGUAGES:
        lexicon.cache_clear()
        found: Lexicon = lexicon(language)
        assert found.language == language
        shapes |= found.scanner.shapes()
    write(OUT, seen)
    print(f"{OUT}: {len(seen)} patterns")
    words = {source: ways for source in shapes if wordshapes.plain_words(source) is None and (ways := wordshapes.words_of(source))}
    write(SHAPES, words)
    print(f"{SHAPES}: the words of {len(words)} shapes (of {len(shapes)}; the others are plain words or need a regex)")


def write_parsed() -> None:
    """``yaml_parsed.txt``: each YAML file's checksum and data (files whose data JSON cannot hold
    as it is, such as dates, are left to be parsed as YAML)."""
    import yaml

    lines, left = [], []
    for path in YAML_FILES:
        text = path.read_text("utf-8")
        data = yaml.safe_load(text)
        line = yaml_text.dumps_parsed(data)
        if yaml_text.loads_parsed(line) != data:
            left.append(path.name)
            continue
        lines.append(f"{yaml_text.text_key(text)}\t{line}\n")
    target = PACKAGE / "catalog" / yaml_text.PARSED
    target.write_text("".join(lines), encoding="utf-8")
    print(f"{target}: {len(lines)} YAML files parsed" + (f" (left as YAML: {', '.join(left)})" if left else ""))
    yaml_text._parsed.cache_clear()


def write(path: Path, table: dict) -> None:
    """``table`` as JSON, one key a line, sorted: diffs show what changed."""
    lines = (f"{json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}" for key, value in sorted(table.items()))
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
