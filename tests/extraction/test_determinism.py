"""The engine reads a text the same way in every process: nothing it decides may hang on Python's
hash order (``PYTHONHASHSEED``), which changes from one start to the next.

A weapon's aliases were ordered by length only, ties left in a set's order, so "«Герань-2»" was
read as "«Герань" in some processes and whole in others; the evidence span moved with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

TEXTS = [
    ("uk", "Вночі ворог атакував Україну: запустив 14 дронів «Герань-2» з Курська. Усі збито."),
    ("ru", "Ночью противник запустил 20 беспилотников «Герань-2», сбиты 18."),
    ("en", "Russia launched 40 Shahed-136/131 drones overnight; 35 were shot down."),
]
SCRIPT = """
import json, sys
from airtally.extraction.engine import extract
out = [extract(text, published="2025-07-04", language=lang).to_json() for lang, text in json.loads(sys.argv[1])]
print(json.dumps(out, sort_keys=True, ensure_ascii=False))
"""
SEEDS = ("0", "1", "2", "3", "4", "5")


def _read(seed: str) -> list[dict]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(TEXTS)], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def readings() -> dict[str, list[dict]]:
    return {seed: _read(seed) for seed in SEEDS}


def test_the_same_reading_under_every_hash_seed(readings):
    first = readings[SEEDS[0]]
    for seed in SEEDS[1:]:
        assert readings[seed] == first, f"PYTHONHASHSEED={seed} reads differently from {SEEDS[0]}"


def test_a_model_name_is_read_whole(readings):
    texts = {e["text"] for e in readings[SEEDS[0]][0]["evidence"]}
    assert "14 дронів «Герань-2»" in texts
