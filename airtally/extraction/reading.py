"""Reading a report: a file or standard input, decoded as UTF-8, refused clearly when unreadable.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
>>> _ = path.write_bytes("\\ufeffУ ніч на 4 липня".encode("utf-8"))
>>> read_text(path)
'У ніч на 4 липня'
"""

from __future__ import annotations

import sys
from pathlib import Path

from airtally.errors import UnreadableInput

# Reports are a few kilobytes; anything past this is not a report (and is refused before
# it is read whole, so a 20 MB file fails at once).
MAX_BYTES = 5 * 1024 * 1024
_CONTROL_OK = {"\n", "\r", "\t", "\f", "\v"}


def _read_bytes(source: str | Path) -> tuple[bytes, str]:
    if str(source) == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        return data, "standard input"
    path = Path(source)
    name = str(path)
    if not path.exists():
        raise UnreadableInput(f"{name}: no such file (check the path)")
    if path.is_dir():
        raise UnreadableInput(f"{name}: is a directory, not a report file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise UnreadableInput(f"{name}: {size:,} bytes is larger than the {MAX_BYTES // (1024 * 1024)} MB limit for a report")
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1), name
    except OSError as exc:
        raise UnreadableInput(f"{name}: cannot be read ({exc.strerror or exc})") from exc


def decode(data: bytes, name: str = "input") -> str:
    """``data`` as text, or UnreadableInput saying why it is not a readable report."""
    if len(data) > MAX_BYTES:
        raise UnreadableInput(f"{name}: larger than the {MAX_BYTES // (1024 * 1024)} MB limit for a report")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise UnreadableInput(f"{name}: binary content (NUL byte at offset {nul}); a report must be UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableInput(
            f"{name}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the report as UTF-8"
        ) from exc
    if not text.strip():
        raise UnreadableInput(f"{name}: empty (no text to read)")
    control = sum(1 for c in text if c < " " and c not in _CONTROL_OK)
    if control > max(8, len(text) // 10):
        raise UnreadableInput(f"{name}: binary content ({control} control characters); a report must be UTF-8 text")
    return text


def read_text(source: str | Path) -> str:
    """The text of the report at ``source`` (a path, or "-" for standard input)."""
    data, name = _read_bytes(source)
    return decode(data, name)
