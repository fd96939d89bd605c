"""The extract commands of the airtally CLI."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the extract commands to ``app``."""
