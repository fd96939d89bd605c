"""The extract commands of the airtally CLI: ``airtally extract [PATH ...]``."""

from __future__ import annotations

import enum
import json
import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from airtally.cli.output import make_console
from airtally.errors import InvalidValue, UnsupportedLanguage

if TYPE_CHECKING:
    from rich.console import Console

    from airtally.model import Count, Extraction, Stated


class Lang(str, enum.Enum):
    en = "en"
    uk = "uk"
    ru = "ru"


def _figure(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        words = {"min": "more than", "max": "up to", "about": "about"}
        return " ".join(f"{words[k]} {v}" for k, v in value.items() if v is not None)
    return str(value)


def _rows(result: Extraction) -> list[tuple[str, Stated]]:
    """The top-level figures stated, each named as the JSON names it, with the spans it holds."""
    named = [(f"totals.{f.subject}.{f.measure}", f) for f in result.figures() if f.weapon_class is None]
    named += [(f"{f.subject}.{f.measure}", f) for f in result.casualty_figures() + result.location_figures()]
    return named


def _plain(value: Count) -> object:
    """A figure as the JSON gives it (an Approx as its dict)."""
    return value if value is None or isinstance(value, int) else value.model_dump(exclude_none=True)


def _unsure(confidence: str) -> str:
    """The mark of a figure another reading competes for (the warnings below name it)."""
    return " (low)" if confidence == "low" else ""


def render(result: Extraction, text: str, console: Console) -> None:
    """A readable summary: the figures with their evidence, then the text with it highlighted."""
    from rich.table import Table
    from rich.text import Text

    data = result.to_json()
    period = data["period"]
    head = f"[bold]{result.input}[/] ({result.language}): "
    if result.unsupported_language:
        console.print(head + result.warnings[0].message, highlight=False)
        return
    if not result.is_attack_report:
        console.print(head + "not a report of an attack (no figures)")
        return
    console.print(head + f"{result.attacker} → {result.target}, {result.scope}, date {period['date']}"
                  + (f", from {period['start']}" if period["start"] else "") + (f" to {period['end']}" if period["end"] else ""))
    table = Table(show_header=True, header_style="bold")
    table.add_column("figure", no_wrap=True)
    for column in ("value", "evidence", "rule"):
        table.add_column(column)
    for name, figure in _rows(result):
        spans = figure.evidence
        table.add_row(name, _figure(_plain(figure.value)) + _unsure(figure.confidence), " + ".join(e.text for e in spans),
                      (spans[0].rule or "") if spans else "")
    for model in dict.fromkeys(f.subject for f in result.figures() if f.weapon_class is not None):
        stated = [f for f in result.figures() if f.subject == model and f.weapon_class is not None]
        figures = ", ".join(f"{f.measure} {_figure(_plain(f.value))}{_unsure(f.confidence)}" for f in stated)
        table.add_row(f"weapon {model}", figures, " / ".join(s.text for f in stated for s in f.evidence), stated[0].weapon_class)
    console.print(table)
    for claim in result.claims:
        console.print(f"claim [bold]{claim.kind}[/]: “{claim.text}”")
    for warning in result.warnings:
        console.print(f"[yellow]warning {warning.code}:[/] {warning.message}")
    highlighted = Text(text)
    held = [f.evidence for f in result.figures() + result.casualty_figures() + result.location_figures()]
    held += list(result.period.spans.values())
    for spans in held:
        for span in spans:
            highlighted.stylize("bold black on yellow", span.start, span.end)
    console.print(highlighted)


def register(app: typer.Typer) -> None:
    """Add the extract commands to ``app``."""

    @app.command("extract")
    def extract_command(
        paths: Annotated[Optional[list[str]], typer.Argument(help="Report files; '-' (or none) reads standard input.")] = None,
        published: Annotated[Optional[str], typer.Option(
            "--published", help="Publication time, ISO date or datetime (Kyiv time if no offset); default now.")] = None,
        lang: Annotated[Optional[Lang], typer.Option("--lang", help="Language of the reports (detected when not given).")] = None,
        json_: Annotated[bool, typer.Option("--json", help="Print one JSON object per input, one per line.")] = False,
    ) -> None:
        """Extract what each report states about one attack: figures, period, casualties, claims.

        Exit codes: 0 (also for readable text that reports no attack), 2 bad --published,
        3 unreadable input (missing, empty, binary, not UTF-8, larger than 5 MB), 6 a report in a
        language airtally does not read (its result is printed, with no figures).
        """
        from airtally.extraction import extract, parse_published  # on use: the engine and its lexicons
        from airtally.inputs import read_text

        try:
            when = parse_published(published)
        except InvalidValue as exc:
            raise typer.BadParameter(exc.message, param_hint="--published") from exc
        console: Console | None = None  # made for the first table: --json never loads Rich (~30 ms)
        refused: list[str] = []  # the inputs in a language airtally does not read
        for path in paths or ["-"]:
            text = read_text(path)
            result = extract(text, published=when, language=lang.value if lang else None, input_name=path)
            if json_:
                sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                console = console or make_console()
                render(result, text, console)
            if result.unsupported_language:
                refused.append(f"{path} ({result.language or 'unknown language'})")
        if refused:
            raise UnsupportedLanguage(f"not a language airtally reads (en, uk, ru; --lang reads a report as one): {', '.join(refused)}")
