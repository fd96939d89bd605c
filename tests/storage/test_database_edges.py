"""The database at the edges: every problem is one line and exit code 4, never an internal
error; a read-only SQLite file or folder can be queried (issue 12)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from alembic import command

from airtally.storage.database import alembic_config, create

ROOT = Path(__file__).resolve().parents[2]
CURATED = ROOT / "tests" / "record" / "fixtures" / "curated_small.csv"
OFFICIAL = ROOT / "tests" / "alerts" / "fixtures" / "official_small.csv"
NOBODY = 65534
READS = [
    ["tally", "--csv"],
    ["records", "--csv"],
    ["check", "the largest attack ever", "--date", "2025-07-09"],
    ["attack", "2025-07-09", "--json"],
    ["alerts", "stats", "--from", "2022-10-01", "--to", "2022-10-31", "--csv"],
    ["alerts", "active", "--at", "2022-10-10T08:30", "--json"],
    ["alerts", "nationwide", "--from", "2022-10-01", "--to", "2022-10-31", "--csv"],
]


def airtally(*args: str, db: str, user: int | None = None) -> subprocess.CompletedProcess:
    """``airtally ARGS --db DB``, as ``user`` when given (root drops to it: root reads past file modes)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    prefix = []
    if user is not None and os.geteuid() == 0:
        prefix = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"]
    return subprocess.run([*prefix, sys.executable, "-c", "from airtally.cli import main; main()", *args, "--db", db],
                          capture_output=True, text=True, env=env, timeout=120)


def refused(done: subprocess.CompletedProcess, *words: str) -> bool:
    return (done.returncode == 4 and "internal error" not in done.stderr
            and len(done.stderr.strip().splitlines()) == 1 and all(w in done.stderr for w in words))


@pytest.mark.parametrize("content", [b"hello, this is a text file\n", bytes(range(256)) * 20],
                         ids=["text", "binary"])
def test_a_file_that_is_not_a_database(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    for args in (["tally"], ["import", "curated", str(CURATED)]):
        done = airtally(*args, db=f"sqlite:///{path}")
        assert refused(done, f"sqlite:///{path}", "is not an airtally database"), done.stderr
    assert path.read_bytes() == content


def test_a_folder_is_not_a_database(tmp_path):
    done = airtally("tally", db=f"sqlite:///{tmp_path}")
    assert refused(done, "names a folder, not a SQLite database file"), done.stderr


@pytest.mark.parametrize("url", ["mysql://user@localhost/airtally", "mongodb://localhost/x", "oracle+cx_oracle://u@h/x"])
def test_an_unsupported_database(url):
    done = airtally("tally", db=url)
    assert refused(done, "unsupported database", "sqlite", "postgresql"), done.stderr


def test_an_unreachable_postgresql_server():
    done = airtally("tally", db="postgresql://nobody@127.0.0.1:1/airtally")
    assert refused(done, "cannot reach the database postgresql"), done.stderr


def test_a_postgresql_database_that_does_not_exist():
    from tests.conftest import PG_ADMIN_URL, PG_AVAILABLE

    if not PG_AVAILABLE:
        pytest.skip("PostgreSQL not reachable")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/airtally_no_such_database"
    done = airtally("tally", db=url)
    assert refused(done, "no database", "createdb"), done.stderr


@pytest.fixture
def shared_folder():
    """A folder another user can read (pytest's tmp_path is private to its owner)."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot test as a user who cannot write")
    folder = Path(tempfile.mkdtemp(prefix="airtally-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


def _filled(folder: Path) -> str:
    url = f"sqlite:///{folder / 'record.db'}"
    for args in (["import", "curated", str(CURATED)], ["import", "alerts", str(OFFICIAL)]):
        done = airtally(*args, db=url)
        assert done.returncode == 0, done.stderr
    return url


def _reading_user() -> int | None:
    return NOBODY if os.geteuid() == 0 else None


@pytest.mark.parametrize("what", ["folder", "file"])
def test_read_only_database_answers_every_query(shared_folder, what):
    url = _filled(shared_folder / "db")
    expected = [airtally(*args, db=url).stdout for args in READS]
    (shared_folder / "db" / "record.db").chmod(0o444)
    if what == "folder":
        (shared_folder / "db").chmod(0o555)
    else:
        (shared_folder / "db").chmod(0o777)  # the folder writable, the file not
    for args, answer in zip(READS, expected):
        done = airtally(*args, db=url, user=_reading_user())
        assert done.returncode == 0, f"{args}: {done.stderr}"
        assert done.stdout == answer and answer
    out = shared_folder / "out"
    out.mkdir()
    out.chmod(0o777)
    done = airtally("export", str(out / "record.csv"), db=url, user=_reading_user())
    assert done.returncode == 0, done.stderr
    for args in (["import", "alerts", str(OFFICIAL)], ["import", "curated", str(CURATED)]):
        done = airtally(*args, db=url, user=_reading_user())
        assert refused(done, "is read-only"), done.stderr


def test_read_only_database_with_an_old_schema_says_so(shared_folder):
    folder = shared_folder / "old"
    folder.mkdir()
    engine = create(f"sqlite:///{folder / 'old.db'}")
    with engine.begin() as conn:
        config = alembic_config(engine)
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    engine.dispose()
    (folder / "old.db").chmod(0o444)
    folder.chmod(0o555)
    done = airtally("tally", db=f"sqlite:///{folder / 'old.db'}", user=_reading_user())
    assert refused(done, "has schema revision '0003'", "read-only"), done.stderr
