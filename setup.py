"""The optional compiled build of the extraction engine.

``pip install .`` installs airtally as pure Python. ``AIRTALLY_COMPILE=1 pip install .`` compiles
the extraction engine's modules with mypyc (as black does: the same source, type-checked, built
into C extensions); it needs a C compiler and the Python headers, and fetches mypy as a build
requirement (see ``build_backend/airtally_build.py``). Which engine runs is told by
``airtally.extraction.COMPILED``.

The engine type-checks (``mypy``, configured in pyproject.toml) and the compiled build's output is
byte-identical to the Python engine's; CI (``.ci/run``) builds it after the README's test command
and runs the extraction tests against it. Speed of each: BENCHMARKS.md.

An editable install is always pure (the backend drops the switch): extensions beside the ``.py``
files would hide every later edit of them.
"""

from __future__ import annotations

from pathlib import Path

from airtally_build import compiling  # the build backend's module (build_backend/, on the path)
from setuptools import setup

# the per-report path: every module the engine runs; the package's __init__ stays Python
COMPILED = sorted(str(path) for path in Path("airtally/extraction").glob("*.py") if path.name != "__init__.py")


def extensions() -> list:
    if not compiling():
        return []
    from mypyc.build import mypycify  # a build requirement only when compiling

    return mypycify(COMPILED, opt_level="3", group_name="airtally_extraction")


setup(ext_modules=extensions())
