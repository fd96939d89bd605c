"""The engine under test is the build asked for: CI runs the extraction tests a second time on
the compiled build (``AIRTALLY_COMPILE=1 pip install .``, see setup.py) with
``AIRTALLY_EXPECT_COMPILED=1``, and a checkout or an editable install is pure Python. Without this
the second run could test the checkout's Python modules and pass for the wrong reason."""

from __future__ import annotations

import importlib
import os
import pkgutil
from pathlib import Path

import pytest

from airtally import extraction

EXPECTED = os.environ.get("AIRTALLY_EXPECT_COMPILED")


@pytest.mark.skipif(EXPECTED is None, reason="AIRTALLY_EXPECT_COMPILED not set: any build will do")
def test_the_engine_is_the_build_asked_for() -> None:
    assert extraction.COMPILED is (EXPECTED == "1")


def test_the_engine_is_compiled_whole_or_not_at_all() -> None:
    """Every module of the package but its __init__ (setup.py's list): a build that compiled some
    and left others would call across the two worlds and be neither build measured."""
    names = [info.name for info in pkgutil.iter_modules(extraction.__path__)]
    sources = {name: Path(importlib.import_module(f"airtally.extraction.{name}").__file__).suffix == ".py" for name in names}
    assert len(names) > 10
    assert sources == dict.fromkeys(names, not extraction.COMPILED)
