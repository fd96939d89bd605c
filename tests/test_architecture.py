"""Imports flow one way (see STYLE.md): nothing imports the adapters, and the pure layers
import nothing above them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "airtally"

# layer -> airtally subpackages it must never import
FORBIDDEN = {
    "model": {"catalog", "extraction", "storage", "record", "analytics", "alerts", "sources", "api", "web", "cli"},
    "errors": {"clock", "inputs", "catalog", "extraction", "storage", "record", "analytics", "alerts", "sources", "api", "web", "cli"},
    # the bottom layer beside model and errors: Kyiv time and date parsing, reading input files
    "clock": {"inputs", "catalog", "extraction", "storage", "record", "analytics", "alerts", "sources", "api", "web", "cli"},
    "threat_types": {"model", "errors", "clock", "inputs", "catalog", "extraction", "storage", "record", "analytics", "alerts", "sources", "api", "web", "cli"},
    "inputs": {"clock", "catalog", "extraction", "storage", "record", "analytics", "alerts", "sources", "api", "web", "cli"},
    "catalog": {"extraction", "storage", "record", "analytics", "alerts", "sources", "api", "web", "cli"},
    "extraction": {"storage", "record", "analytics", "alerts", "sources", "api", "web", "cli"},
    "storage": {"extraction", "record", "analytics", "sources", "api", "web", "cli"},
    "record": {"analytics", "api", "web", "cli"},
    "analytics": {"api", "web", "cli"},
    "alerts": {"api", "web", "cli", "record", "extraction"},
    "sources": {"api", "web", "cli"},
    # notifications read the outbox (record, storage) and post; the adapters call them
    "notify": {"extraction", "analytics", "sources", "api", "web", "cli"},
    "api": {"cli"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "airtally" and len(parts) > 1:
                found.add(parts[1])
    return found


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        layer = rel.parts[0].removesuffix(".py")
        yield pytest.param(path, layer, id=str(rel))


@pytest.mark.parametrize("path,layer", list(_modules()))
def test_imports_flow_one_way(path: Path, layer: str):
    forbidden = FORBIDDEN.get(layer, set())
    bad = _imports(path) & forbidden
    assert not bad, f"airtally/{path.relative_to(PACKAGE)} ({layer}) imports {sorted(bad)}"
