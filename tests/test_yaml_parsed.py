"""The package's YAML data files are shipped parsed (airtally/catalog/yaml_parsed.txt, written by
scripts/analyse_patterns.py) and read from there only while they are what their text says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import airtally
from airtally.catalog import yaml_text

PACKAGE = Path(airtally.__file__).resolve().parent
FILES = sorted([*PACKAGE.glob("extraction/lexicons/*.yaml"), *PACKAGE.glob("catalog/data/*.yaml")])


def test_the_data_files_read_at_every_start_are_listed() -> None:
    names = {path.name for path in FILES}
    assert {"base.yaml", "en.yaml", "uk.yaml", "ru.yaml", "detection.yaml", "weapons.yaml", "region_forms.yaml"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_each_data_file_is_shipped_parsed_as_yaml_reads_it(path: Path) -> None:
    text = path.read_text("utf-8")
    shipped = yaml_text._parsed().get(yaml_text.text_key(text))
    assert shipped is not None, f"{path.name} changed since it was parsed: run scripts/analyse_patterns.py"
    assert yaml_text.loads_parsed(shipped) == yaml.safe_load(text)


def test_a_text_not_shipped_is_read_as_yaml(monkeypatch) -> None:
    """A data file edited since (or any other text) is parsed, never read from a stale line."""
    text = (PACKAGE / "extraction/lexicons/base.yaml").read_text("utf-8")
    edited = text + "\nextra: [1, 2]\n"
    assert yaml_text.text_key(edited) not in yaml_text._parsed()
    assert yaml_text.load_yaml(edited) == {**yaml.safe_load(text), "extra": [1, 2]}


def test_each_read_is_a_copy_of_its_own() -> None:
    text = (PACKAGE / "extraction/lexicons/base.yaml").read_text("utf-8")
    first = yaml_text.load_yaml(text)
    first["script"].clear()
    assert yaml_text.load_yaml(text)["script"]
