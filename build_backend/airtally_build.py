"""setuptools' build backend, asking for mypy at build time only when the build compiles.

``AIRTALLY_COMPILE=1`` (see setup.py) compiles the extraction engine with mypyc, which comes with
mypy; a pure build needs nothing more than setuptools. Only building the wheel compiles: the
hooks before it (requirements, metadata) run setup.py too, and run it pure. An editable install
is always pure: its extensions would sit beside the ``.py`` files and hide every later edit.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (the rest of the backend's hooks, unchanged)

COMPILE_REQUIRES = ["mypy>=2.4,<3", "types-PyYAML>=6,<7"]
SWITCH = "AIRTALLY_COMPILE"


def compiling() -> bool:
    """Whether this build compiles the extraction engine (read by setup.py too)."""
    return os.environ.get(SWITCH, "").lower() in ("1", "true", "yes")


@contextmanager
def _pure():
    """setup.py run without compiling, the switch put back after."""
    switch = os.environ.pop(SWITCH, None)
    try:
        yield
    finally:
        if switch is not None:
            os.environ[SWITCH] = switch


def get_requires_for_build_wheel(config_settings=None):
    extra = COMPILE_REQUIRES if compiling() else []
    with _pure():  # before mypy is there
        return _setuptools.get_requires_for_build_wheel(config_settings) + extra


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    with _pure():  # the metadata are the same; compiling here would only be done twice
        return _setuptools.prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    if compiling():
        print(f"airtally: {SWITCH} is ignored by an editable install (pure Python)", file=sys.stderr)
    with _pure():
        return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
