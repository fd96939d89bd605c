"""Reading input files: what is refused, and with which message (exit code 3 in the CLI)."""

from __future__ import annotations

import io
import sys

import pytest

from airtally.errors import UnreadableInput
from airtally.inputs import DATA_SET_BYTES, REPORT_BYTES as MAX_BYTES, read_data_set, read_text


def _write(tmp_path, data: bytes):
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    return path


def test_reads_utf8_with_a_bom(tmp_path):
    assert read_text(_write(tmp_path, "\ufeffзбито 5 дронів".encode())) == "збито 5 дронів"


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "empty"),
        (b"   \n\t \n", "empty"),
        (b"drones\x00\x01\x02", "NUL byte at offset 6"),
        (bytes(range(1, 32)) * 20, "control characters"),
        ("збито".encode("utf-8") + b"\xff\xfe rest", "byte 0xff at offset 10"),
        ("Збито 5 дронів".encode("cp1251"), "not UTF-8"),
    ],
    ids=["empty", "whitespace", "nul", "control", "bad-byte", "cp1251"],
)
def test_unreadable_content_is_refused(tmp_path, data, message):
    with pytest.raises(UnreadableInput, match=message):
        read_text(_write(tmp_path, data))


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableInput, match="no such file"):
        read_text(tmp_path / "absent.txt")


def test_directory(tmp_path):
    with pytest.raises(UnreadableInput, match="directory"):
        read_text(tmp_path)


def test_a_20_mb_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.seek(20 * 1024 * 1024 - 1)
        handle.write(b"a")
    opened = []
    monkeypatch.setattr(type(path), "open", lambda *a, **k: opened.append(a) or io.BytesIO(b""))
    with pytest.raises(UnreadableInput, match="larger than the 5 MB limit"):
        read_text(path)
    assert not opened  # refused from its size alone


def test_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("збито 3 шахеди".encode())))
    assert read_text("-") == "збито 3 шахеди"


def test_oversized_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a" * (MAX_BYTES + 10))))
    with pytest.raises(UnreadableInput, match="limit"):
        read_text("-")


def test_the_limit_is_set_per_use(tmp_path):
    path = _write(tmp_path, b"time_start,time_end\n" + b"2025-07-04,2025-07-04\n" * (MAX_BYTES // 20))
    with pytest.raises(UnreadableInput, match="larger than the 5 MB limit for a report"):
        read_text(path)
    assert read_data_set(path).startswith("time_start")
    assert DATA_SET_BYTES > MAX_BYTES


def test_not_utf8_names_the_byte_offset_and_line(tmp_path):
    path = _write(tmp_path, b"region,started_at\nKyi\xefv,2022\n")
    with pytest.raises(UnreadableInput, match=r"byte 0xef at offset 21, line 2"):
        read_data_set(path)


@pytest.mark.parametrize("name", ["a" * 5000, "bad\x00name"], ids=["too-long", "nul"])
def test_impossible_names_are_unreadable_input(tmp_path, name):
    with pytest.raises(UnreadableInput, match="cannot be read"):
        read_text(str(tmp_path / name))


def test_the_input_modules_are_the_only_readers():
    """Every command reads its input files through airtally.inputs: no other module opens one
    by read_bytes or decodes UTF-8 itself (the package's own data files are read with
    importlib.resources)."""
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "airtally"
    readers = [str(p.relative_to(package)) for p in package.rglob("*.py")
               if p.name != "inputs.py" and (".read_bytes()" in p.read_text("utf-8") or 'decode("utf-8-sig")' in p.read_text("utf-8"))]
    assert readers == []
