"""``airtally extract``: JSON lines, the readable table, and the exit codes of bad input."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from airtally.cli import app

REPORT = "У ніч на 4 липня ворог атакував 539 ударними БпЛА та 11 ракетами. Збито 268 БпЛА та 2 ракети."
runner = CliRunner()


def _airtally(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    code = "from airtally.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, timeout=120)


def test_json_one_object_per_input(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(REPORT, "utf-8")
    second.write_text("A quiet night: nothing happened.", "utf-8")
    result = runner.invoke(app, ["extract", str(first), str(second), "--published", "2025-07-04", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["input"] for line in lines] == [str(first), str(second)]
    assert lines[0]["language"] == "uk" and lines[0]["totals"]["all"]["launched"] == 550
    assert lines[1]["is_attack_report"] is False and lines[1]["totals"]["drones"]["launched"] is None


def test_standard_input_and_language_option():
    result = runner.invoke(app, ["extract", "-", "--lang", "uk", "--published", "2025-07-04", "--json"], input=REPORT)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["totals"]["missiles"]["destroyed"] == 2


def test_table_shows_figures_and_evidence(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, "utf-8")
    result = runner.invoke(app, ["extract", str(path), "--published", "2025-07-04"])
    assert result.exit_code == 0
    assert "totals.drones.launched" in result.stdout and "539 ударними БпЛА" in result.stdout


def test_table_marks_a_low_figure_and_names_its_rival(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text("Russia launched 40 drones overnight, the air force said. Air defence shot down 32. "
                    "In Odesa region, 12 drones were shot down.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--published", "2025-07-05"])
    assert result.exit_code == 0, result.output
    assert "32 (low)" in result.output and "40 (low)" not in result.output
    assert "ambiguous_figure: totals.drones.destroyed: 32 was taken, but 12 competes for it" in result.output


def test_bad_published_is_a_usage_error(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, "utf-8")
    result = runner.invoke(app, ["extract", str(path), "--published", "last Tuesday"])
    assert result.exit_code == 2
    assert "not an ISO date" in result.output


def test_unreadable_input_exits_3_with_one_line(tmp_path):
    path = tmp_path / "bin.txt"
    path.write_bytes(b"\x00\x01binary")
    done = _airtally("extract", str(path))
    assert done.returncode == 3
    message = done.stderr.decode()
    assert message.count("\n") == 1, message
    assert "binary content (NUL byte at offset 0)" in message and "Traceback" not in message


def test_missing_file_exits_3(tmp_path):
    done = _airtally("extract", str(tmp_path / "absent.txt"), "--json")
    assert done.returncode == 3 and b"no such file" in done.stderr


def test_an_error_is_one_line_whatever_its_length_and_brackets(tmp_path):
    """Scripts match on the message: it is never wrapped at the width, nor read as Rich markup."""
    path = tmp_path / "[draft]" / ("a-long-folder-name-" * 6) / "absent.txt"
    done = _airtally("extract", str(path))
    assert done.returncode == 3
    assert done.stderr.decode() == f"airtally: {path}: no such file (check the path)\n"


def test_empty_standard_input_exits_3():
    done = _airtally("extract", "-", stdin=b"  \n")
    assert done.returncode == 3 and b"empty" in done.stderr


def test_a_report_in_another_language_is_refused_with_exit_6(tmp_path):
    german = tmp_path / "de.txt"
    german.write_text("In der Nacht hat Russland 50 Drohnen gestartet; 41 wurden über der Ukraine abgeschossen, "
                      "teilte die Luftwaffe mit.", "utf-8")
    done = _airtally("extract", str(german), "--json", "--published", "2025-07-04")
    assert done.returncode == 6, done.stderr
    result = json.loads(done.stdout)
    assert (result["language"], result["is_attack_report"], [w["code"] for w in result["warnings"]]) == (
        "de", False, ["unsupported_language"])
    assert result["totals"]["drones"]["launched"] is None
    assert b"not a language airtally reads" in done.stderr and b"de.txt (de)" in done.stderr
    # read as English when the language is given
    assert _airtally("extract", str(german), "--lang", "en", "--json").returncode == 0
