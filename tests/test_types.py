"""The package type-checks: ``python -m mypy`` with pyproject.toml's [tool.mypy] (files: the
whole of ``airtally``) reports no error. mypy is in the ``[test]`` extras, so the README's test
command runs this; a checkout without it skips the test and says so.
(tests/extraction/test_build.py checks the compiled build, not the types.)"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None,
                    reason="mypy is not installed (pip install mypy types-PyYAML to type-check the package)")
def test_the_package_type_checks() -> None:
    # mypy's own cache (.mypy_cache, which ignores itself in git) keeps a re-run to seconds
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
