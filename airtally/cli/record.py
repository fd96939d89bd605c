"""The record commands of the airtally CLI."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the record commands to ``app``."""
