"""Command groups shared by several command modules (``airtally import curated|alerts``)."""

from __future__ import annotations

import typer

import_app = typer.Typer(help="Import data sets: the curated attack data set, alert histories.", no_args_is_help=True)
