"""Reading reports: what is refused, and with which message (exit code 3 in the CLI)."""

from __future__ import annotations

import io
import sys

import pytest

from airtally.errors import UnreadableInput
from airtally.extraction.reading import MAX_BYTES, read_text


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
        ("Збито 5 дронів".encode("cp1251"), "not valid UTF-8"),
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
