"""Write airtally/catalog/data/subdivisions.yaml from the official alert CSV (run once).

The raions and hromadas are named as the alert data names them, under the ISO code of their
oblast. Rows whose oblast and raion columns are swapped ("Lubenskyi raion" in the oblast
column) are read the right way round. Usage:

    python scripts/make_subdivisions.py ../shared/data/alerts/official_data_en.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import yaml

from airtally.catalog.regions import by_name

OUT = Path(__file__).resolve().parent.parent / "airtally" / "catalog" / "data" / "subdivisions.yaml"
HEADER = """\
# Raions and hromadas as the official alert data names them, under the ISO 3166-2:UA code of
# their oblast. Generated once by scripts/make_subdivisions.py from the official alert CSV
# (Vadimkin/ukrainian-air-raid-sirens-dataset), then kept here as reference data. Only places
# that ever had their own alert are listed, so a raion's list of hromadas is not complete.
"""


def collect(path: Path) -> dict[str, dict[str, list[str]]]:
    tree: dict[str, dict[str, set[str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            oblast, raion = row["oblast"], row["raion"]
            if by_name(oblast) is None and by_name(raion) is not None:
                oblast, raion = raion, oblast
            region = by_name(oblast)
            if region is None or not raion:
                continue
            hromadas = tree.setdefault(region.code, {}).setdefault(raion, set())
            if row["hromada"]:
                hromadas.add(row["hromada"])
    return {code: {r: sorted(h) for r, h in sorted(raions.items())} for code, raions in sorted(tree.items())}


def main(path: str) -> None:
    tree = collect(Path(path))
    OUT.write_text(HEADER + yaml.safe_dump({"subdivisions": tree}, allow_unicode=True, sort_keys=False, width=200), "utf-8")
    print(f"wrote {OUT}: {sum(len(r) for r in tree.values())} raions")


if __name__ == "__main__":
    main(sys.argv[1])
