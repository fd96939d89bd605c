"""`airtally attack` shows which oblasts were under alert during the attack's window."""

from __future__ import annotations

import json
from pathlib import Path

from airtally.alerts.importer import import_alerts
from airtally.record.attack_view import attack_detail
from airtally.record.curated import import_curated

HERE = Path(__file__).resolve().parent
HEADER = (HERE / "fixtures" / "curated_small.csv").read_text("utf-8").splitlines()[0]
# The morning of 10 October 2022 (Kyiv, UTC+3): 07:00-12:00 Kyiv = 04:00-09:00 UTC.
ROW = "2022-10-10 07:00,2022-10-10 12:00,X-101/X-555,,Ukraine,,84.0,43.0" + "," * (HEADER.count(",") - 8) + "kpszsu/posts/test-2022-10-10,"


def test_attack_lists_the_oblasts_under_alert_in_its_window(engine, tmp_path):
    csv_path = tmp_path / "curated.csv"
    csv_path.write_text(f"{HEADER}\n{ROW}\n", "utf-8")
    import_curated(csv_path, engine)
    import_alerts(engine, HERE.parent / "alerts" / "fixtures" / "official_small.csv", "official")

    view = attack_detail(engine, "2022-10-10")
    coverage = view["alerts"]

    assert view["start"].endswith("+03:00") and view["end"].endswith("+03:00")  # Kyiv time, not UTC
    assert coverage["window_assumed"] is False
    assert coverage["window_start"] == "2022-10-10T07:00:00+03:00"  # Kyiv time, as everywhere
    by_code = {r["code"]: r for r in coverage["regions"]}
    assert by_code["UA-30"]["minutes_under_alert"] == 60  # Kyiv City 05:00-06:00 UTC
    assert by_code["UA-46"]["minutes_under_alert"] == 60  # Lviv: overlapping rows merged, 05:10-06:10
    assert round(by_code["UA-30"]["share"], 2) == 0.2
    assert "UA-09" not in by_code  # permanent alerts are left out


def test_attack_without_alert_history_has_no_regions_not_zero(engine, tmp_path):
    csv_path = tmp_path / "curated.csv"
    csv_path.write_text(f"{HEADER}\n{ROW}\n", "utf-8")
    import_curated(csv_path, engine)
    alerts = attack_detail(engine, "2022-10-10")["alerts"]
    assert alerts["regions"] is None and alerts["history_covers"] is False


def test_attack_outside_the_alert_history_says_so_not_zero_oblasts(engine, tmp_path):
    """`airtally attack 2025-07-04` said "0 oblasts under alert" with a 2022 history stored."""
    from typer.testing import CliRunner

    from airtally.cli import app

    csv_path = tmp_path / "curated.csv"
    csv_path.write_text(f"{HEADER}\n{ROW.replace('2022-10-10', '2025-07-04')}\n", "utf-8")
    import_curated(csv_path, engine)
    import_alerts(engine, HERE.parent / "alerts" / "fixtures" / "official_small.csv", "official")
    url = engine.url.render_as_string(hide_password=False)
    text = CliRunner().invoke(app, ["attack", "2025-07-04", "--db", url])
    assert text.exit_code == 0, text.output
    assert "0 oblasts" not in text.output and "not known" in text.output and "does not cover" in text.output
    as_json = json.loads(CliRunner().invoke(app, ["attack", "2025-07-04", "--json", "--db", url]).output)
    assert as_json["alerts"]["history_covers"] is False and as_json["alerts"]["regions"] is None
