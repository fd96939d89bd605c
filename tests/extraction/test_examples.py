"""The bundled example reports (airtally/examples) and their manifest agree."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import yaml

EXAMPLES = resources.files("airtally.examples")


def _manifest() -> list[dict]:
    return yaml.safe_load(EXAMPLES.joinpath("examples.yaml").read_text(encoding="utf-8"))["examples"]


def test_manifest_lists_every_text_once() -> None:
    listed = [entry["file"] for entry in _manifest()]
    on_disk = sorted(p.name for p in EXAMPLES.iterdir() if p.name.endswith(".txt"))
    assert sorted(listed) == on_disk
    assert len(set(listed)) == len(listed)


def test_manifest_entries_are_complete() -> None:
    for entry in _manifest():
        published = dt.datetime.fromisoformat(entry["published"])
        assert published.utcoffset() is not None, f"{entry['file']}: published needs a Kyiv offset"
        assert entry["kind"] in {"national", "regional", "news"}, entry["file"]
        assert entry["language"] in {"en", "uk", "ru"} and entry["source"], entry["file"]
        assert EXAMPLES.joinpath(entry["file"]).read_text(encoding="utf-8").strip()
