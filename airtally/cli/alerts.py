"""The alerts commands of the airtally CLI."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the alerts commands to ``app``."""
