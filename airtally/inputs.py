"""Reading input files as text: reports, the curated data set, alert histories.

One set of rules for every command that reads a file (extract, ingest, the imports): UTF-8 with or
without a byte-order mark; refused clearly (UnreadableInput, exit code 3) when missing, a
directory, empty, binary, not UTF-8 (with the byte's offset and line) or larger than the limit
of its use, which is checked before the file is read.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
>>> _ = path.write_bytes("\\ufeffУ ніч на 4 липня".encode("utf-8"))
>>> read_text(path)
'У ніч на 4 липня'
>>> _ = path.write_bytes(b"Kyi\\xefv")
>>> read_text(path, what="an alert history")
Traceback (most recent call last):
...
airtally.errors.UnreadableInput: ...: not UTF-8 (byte 0xef at offset 3, line 1); save it as UTF-8
"""

from __future__ import annotations

import sys
from pathlib import Path

from airtally.errors import UnreadableInput

MB = 1024 * 1024
# Reports are a few kilobytes: anything past this is not a report.
REPORT_BYTES = 5 * MB
# The curated data set is under 1 MB and an alert history a few MB; room for years more.
DATA_SET_BYTES = 1024 * MB
# Control characters other than line breaks and tabs, as bytes (UTF-8 never uses them inside a
# character): many of them mean a binary file.
_CONTROL = bytes(b for b in range(32) if b not in b"\n\r\t\f\v")


def _limit_text(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit:,} bytes"


def read_bytes(source: str | Path, limit: int = REPORT_BYTES, what: str = "a report") -> tuple[bytes, str]:
    """(the bytes, a name for messages) of the file ``source``, or "-" for standard input."""
    if str(source) == "-":
        return sys.stdin.buffer.read(limit + 1), "standard input"
    path = Path(source)
    name = str(path)
    try:
        if path.is_dir():
            raise UnreadableInput(f"{name}: is a directory, not {what}")
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnreadableInput(f"{name}: no such file (check the path)") from None
    except (OSError, ValueError) as exc:  # a name too long, a NUL in it, no permission on a directory
        raise UnreadableInput(f"{name!r}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if size > limit:
        raise UnreadableInput(f"{name}: {size:,} bytes is larger than the {_limit_text(limit)} limit for {what}")
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1), name
    except OSError as exc:
        raise UnreadableInput(f"{name}: cannot be read ({exc.strerror or exc})") from None


def decode(data: bytes, name: str = "input", limit: int = REPORT_BYTES, what: str = "a report") -> str:
    """``data`` as text, or UnreadableInput saying why it cannot be read as ``what``."""
    if len(data) > limit:
        raise UnreadableInput(f"{name}: larger than the {_limit_text(limit)} limit for {what}")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise UnreadableInput(f"{name}: binary content (NUL byte at offset {nul}); {what} must be UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnreadableInput(
            f"{name}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}, line {line}); save it as UTF-8"
        ) from None
    if not text.strip():
        raise UnreadableInput(f"{name}: is empty (no text to read)")
    control = len(data) - len(data.translate(None, _CONTROL))
    if control > max(8, len(text) // 10):
        raise UnreadableInput(f"{name}: binary content ({control} control characters); {what} must be UTF-8 text")
    return text


def read_text(source: str | Path, limit: int = REPORT_BYTES, what: str = "a report") -> str:
    """The text of the file ``source`` ("-": standard input), at most ``limit`` bytes long."""
    data, name = read_bytes(source, limit, what)
    return decode(data, name, limit, what)


def read_data_set(source: str | Path, what: str = "a data set") -> str:
    """The text of a data set file (a CSV or JSON import), up to DATA_SET_BYTES."""
    return read_text(source, DATA_SET_BYTES, what)
