"""YAML data files read fast: the catalogue and the lexicons are read at the start of every
process, before a cold ``airtally extract`` reads a word.

The package's own YAML files are also shipped parsed, in ``yaml_parsed.txt`` (written by
``scripts/analyse_patterns.py``): one line per file, the checksum of its text, a tab, its data as
JSON. A text whose checksum is listed is read from there (JSON reads about a hundred times faster
than YAML, and no YAML parser is imported); any other text (a data file edited since, a file of
the user's) is parsed as YAML, with libyaml's parser where PyYAML has it. Nothing is written at
run time: an installation may be read-only, and the parsed data is never older than its text.

>>> load_yaml("forms: [a, b]")
{'forms': ['a', 'b']}
>>> text = "numbers: {1: [one], 2: [two]}"
>>> loads_parsed(dumps_parsed(load_yaml(text))) == load_yaml(text) == {"numbers": {1: ["one"], 2: ["two"]}}
True
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from importlib import resources
from typing import Any

PARSED = "yaml_parsed.txt"
_INT_KEYS = "\u0000int"  # a mapping with integer keys (JSON's keys are strings): {_INT_KEYS: [[key, value], ...]}


def yaml_error() -> type[Exception]:
    """PyYAML's error (for an ``except``, which evaluates it only when something was raised: a
    process reading only shipped data never imports PyYAML)."""
    import yaml

    return yaml.YAMLError  # type: ignore[no-any-return]


def text_key(text: str) -> str:
    """The checksum a YAML text is listed by in ``yaml_parsed.txt`` (CRC-32 and Adler-32 of its
    UTF-8, and its length: zlib's, which every process has loaded already, unlike hashlib)."""
    data = text.encode("utf-8")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}-{len(data)}"


def load_yaml(text: str) -> Any:
    """The data of a YAML document (``yaml.safe_load``'s), from ``yaml_parsed.txt`` when the text
    is listed there."""
    parsed = _parsed().get(text_key(text))
    if parsed is not None:
        return loads_parsed(parsed)
    import yaml  # only for a text not shipped parsed (~10 ms to import)

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=1)
def _parsed() -> dict[str, str]:
    """Checksum -> the data's JSON, as shipped (each parsed when asked for: a caller may change
    what it gets)."""
    try:
        lines = resources.files("airtally.catalog").joinpath(PARSED).read_text("utf-8").splitlines()
    except FileNotFoundError:
        return {}
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def dumps_parsed(data: Any) -> str:
    """``data`` as one line of JSON that ``loads_parsed`` reads back as it is."""
    return json.dumps(_int_keys_out(data), ensure_ascii=False, separators=(",", ":"))


def loads_parsed(line: str) -> Any:
    return json.loads(line, object_hook=_int_keys_in)


def _int_keys_out(data: Any) -> Any:
    if isinstance(data, dict):
        items = [(key, _int_keys_out(value)) for key, value in data.items()]
        if items and all(type(key) is int for key, _ in items):
            return {_INT_KEYS: [list(item) for item in items]}
        return dict(items)
    if isinstance(data, list):
        return [_int_keys_out(value) for value in data]
    return data


def _int_keys_in(mapping: dict[str, Any]) -> dict[Any, Any]:
    pairs = mapping.get(_INT_KEYS)
    return {key: value for key, value in pairs} if pairs is not None and len(mapping) == 1 else mapping
