"""Every command of the CLI, with hostile values for every option and argument.

The commands are discovered from the Typer app (a command added later is covered without
touching this file). Each value is given alone, with benign values for the arguments a command
requires, against a temporary SQLite database holding the bundled examples. Whatever the value,
the answer is a clear error or a result: never an "internal error", never a traceback, and an
exit code from the documented set (airtally/errors.py).
"""

from __future__ import annotations

import io
import re
import signal
import sys
from pathlib import Path

import pytest
import typer

from airtally import errors
from airtally.cli import app, main

HERE = Path(__file__).resolve().parent
DOCUMENTED_EXIT_CODES = {int(code) for code in re.findall(r"^(\d+)\s{2,}\S", errors.__doc__, re.M)}
HUGE = "99999999999999999999999"

# Values that are never right, or right only in an unlikely way (paths are added per test).
HOSTILE = [
    HUGE, "-" + HUGE, "-1", "0", "", " ", "\x00", "a\x00b", "x" * 5000, "NaN", "inf", "-inf", "1e309",
    "9999-12-31", "0001-01-01", "9999-12-31T23:59:59", "2025-03-30T03:30", "2026-13-45",
    "'; DROP TABLE attacks; --", "%s%n{0}", "[bold]x[/", "💥", "-", "mysql://u:p@127.0.0.1/x",
]

# Benign values for required arguments, by parameter name; otherwise by type.
BENIGN_BY_NAME = {"text": "the largest attack since the beginning of the invasion", "key": "2025-07-04"}


# Typer carries its own copy of click: its classes are told apart by what they have.
def _commands(command, path: tuple[str, ...] = ()):
    if hasattr(command, "commands"):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, (*path, name))
    else:
        yield path, command


ROOT = typer.main.get_command(app)
COMMANDS = dict(_commands(ROOT))


def _is_argument(param) -> bool:
    return param.param_type_name == "argument"


def _valued_params(command):
    for param in command.params:
        if not _is_argument(param) and (param.is_flag or param.count):
            continue
        if param.name == "help":
            continue
        yield param


CASES = [pytest.param(path, param.name, id=f"{' '.join(path)}:{param.name}")
         for path, command in COMMANDS.items() for param in _valued_params(command)]
CASES += [pytest.param((), param.name, id=f"(root):{param.name}") for param in _valued_params(ROOT)]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A database with the bundled examples, sample input files and hostile paths."""
    from airtally.record.examples import ingest_examples
    from airtally.storage.database import Database

    root = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{root / 'record.db'}"
    with Database.open(url) as database:
        ingest_examples(database.engine)
    report = root / "report.txt"
    report.write_text("Russia launched 100 drones overnight; 50 were shot down.\n", "utf-8")
    (root / "a-directory").mkdir()
    (root / "cwd").mkdir()
    return {
        "url": url, "root": root, "report": report,
        "paths": [str(root / "a-directory"), str(root / "missing" / "deeper" / "file.csv"),
                  "/proc/airtally-unwritable.csv", str(root / "a-directory") + "/"],
    }


def _benign(command: tuple[str, ...], param, world) -> str:
    if param.name in BENIGN_BY_NAME:
        return BENIGN_BY_NAME[param.name]
    if "path" in (param.name or "") or "Path" in repr(getattr(param, "type_descriptor", "")):
        if command and command[0] == "export":
            return str(world["root"] / "export.csv")
        return str(world["report"])
    return "1"


def _argv(path, target: str, value: str, world) -> list[str]:
    """The command line: ``value`` for the parameter ``target``, benign values for the rest
    that are required."""
    command = COMMANDS[path] if path else ROOT
    head: list[str] = []
    tail: list[str] = []
    for param in command.params:
        given = value if param.name == target else None
        if _is_argument(param):
            if given is not None or param.required:
                tail.append(given if given is not None else _benign(path, param, world))
        elif given is not None:
            head += [param.opts[0], given]
        elif param.required:
            head += [param.opts[0], _benign(path, param, world)]
    if any("--once" in p.opts for p in command.params):
        head.append("--once")  # a command that follows a source runs one round, not forever
    if not path:
        return [*head, "version"]
    return [*path, *head, "--", *tail] if tail else [*path, *head]


class StillRunning(BaseException):
    """A command that did not finish in time (a BaseException: no `except Exception` hides it)."""


def _alarm(signum, frame):
    raise StillRunning()


def _run(argv: list[str], world, monkeypatch, capsys, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    import uvicorn

    # `serve` given values it accepts would listen for ever: it is checked up to the server's start
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    monkeypatch.chdir(world["root"] / "cwd")  # a relative path given as a value lands there
    monkeypatch.setattr(sys, "argv", ["airtally", *argv])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    monkeypatch.setenv("AIRTALLY_DB", world["url"])
    monkeypatch.setenv("XDG_DATA_HOME", str(world["root"] / "data-home"))
    monkeypatch.delenv("ALERTS_IN_UA_TOKEN", raising=False)
    monkeypatch.delenv("AIRTALLY_DEBUG", raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(60)
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except StillRunning:
        code = -1  # not in the documented set: reported as a failure
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("path,target", CASES)
def test_hostile_values_get_a_clear_answer(path, target, world, monkeypatch, capsys):
    failures = []
    for value in [*HOSTILE, *world["paths"]]:
        argv = _argv(path, target, value, world)
        code, out, err = _run(argv, world, monkeypatch, capsys)
        if "internal error" in err or "Traceback" in err + out or code not in DOCUMENTED_EXIT_CODES:
            failures.append(f"airtally {' '.join(map(repr, argv))} -> exit {code}: {err.strip()[-300:]}")
    assert not failures, "\n".join(failures)


def test_every_command_is_covered():
    """The discovery finds the commands the README documents, and their options."""
    names = {" ".join(path) for path in COMMANDS}
    assert {"extract", "ingest", "attack", "export", "tally", "records", "check", "demo",
            "import curated", "import alerts", "alerts active", "alerts stats"} <= names
    assert len(CASES) > 40


def _answer(world, monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    return _run(list(argv), world, monkeypatch, capsys)


@pytest.mark.parametrize("target", ["missing", "folder", "folder/", "unwritable"])
def test_export_to_a_path_that_cannot_be_written_is_bad_usage(target, world, monkeypatch, capsys):
    path = {"missing": str(world["root"] / "no-such-folder" / "out.csv"), "folder": str(world["root"] / "a-directory"),
            "folder/": str(world["root"] / "a-directory") + "/", "unwritable": "/proc/airtally-out.csv"}[target]
    code, _, err = _answer(world, monkeypatch, capsys, "export", path)
    assert code == 2 and err.startswith("airtally: cannot write") and err.count("\n") == 1, err
    assert not list((world["root"] / "a-directory").iterdir())  # nothing half-written left behind


def test_export_writes_the_file_whole(world, monkeypatch, capsys):
    out = world["root"] / "whole.csv"
    code, _, err = _answer(world, monkeypatch, capsys, "export", str(out))
    assert code == 0 and out.stat().st_size > 0, err
    assert not [p for p in world["root"].iterdir() if p.name.endswith(".partial")]


@pytest.mark.parametrize("argv,code,message", [
    (("ingest", "{report}", "--published", "9999-12-30"), 2, "outside the years"),
    (("extract", "{report}", "--published", "9999-12-30"), 2, "outside the years"),
    (("attack", HUGE), 1, f"no attack with id {HUGE}"),
    (("tally", "--from", "2026", "--to", "2025"), 2, "--to (2025-12-31) is before --from (2026-01-01)"),
    (("tally", "--by", "fortnight"), 2, "unknown period 'fortnight'"),
    (("records", "--class", "tanks"), 2, "unknown class 'tanks'"),
    (("alerts", "active", "--at", "2025-03-30T03:30"), 2, "never happened in Kyiv"),
    (("alerts", "stats", "--from", "2023-13"), 2, "not a date"),
    (("check", "the largest attack", "--date", "yesterday"), 2, "not a --date"),
])
def test_bad_values_are_bad_usage_with_one_line(argv, code, message, world, monkeypatch, capsys):
    argv = [a.format(report=world["report"]) for a in argv]
    got, _, err = _answer(world, monkeypatch, capsys, *argv)
    assert got == code and message in err, err


# URLs a person might give where a URL is taken: each is bad usage naming the value, nothing stored.
BAD_URLS = [
    ("javascript:alert(1)", "is not an http(s) URL"), ("file:///etc/passwd", "is not an http(s) URL"),
    ("ftp://example.org/x", "is not an http(s) URL"), ("http://", "is not an http(s) URL"),
    ("http://[::1", "is not a valid URL"), ("http://example.org:99999/x", "is not a valid URL"),
    ("http://example.org:port/x", "is not a valid URL"), ("https://user:pw@example.org/x", "carries credentials"),
    ("http://exa mple.org/x", "has a space or a control character"),
    ("http://example.org/" + "x" * 3000, "characters long (at most 2000)"),
]
URL_COMMANDS = [("notify", "add", "webhook"), ("notify", "add", "ntfy"), ("sources", "add", "feed"),
                ("alerts", "watch", "--once", "--base-url")]


@pytest.mark.parametrize("url,message", BAD_URLS, ids=[u[:40] for u, _ in BAD_URLS])
@pytest.mark.parametrize("command", URL_COMMANDS, ids=" ".join)
def test_a_bad_url_is_bad_usage_naming_it(command, url, message, world, monkeypatch, capsys):
    before = world["root"].joinpath("record.db").read_bytes()
    code, _, err = _run([*command, url], world, monkeypatch, capsys, env={"ALERTS_IN_UA_TOKEN": "hostile"})
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert url[:40].rstrip("/") in err  # named (a feed's URL without its trailing slash)
    assert world["root"].joinpath("record.db").read_bytes() == before  # nothing written


def test_a_huge_top_lists_the_whole_record(world, monkeypatch, capsys):
    code, out, err = _answer(world, monkeypatch, capsys, "records", "--top", "99999999999999999999", "--csv")
    assert code == 0 and out.startswith("rank,date"), err


def test_alert_bounds_take_the_forms_tally_takes(world, monkeypatch, capsys):
    for argv in (("alerts", "stats", "--from", "2023-01", "--to", "2023"), ("tally", "--from", "2023-01", "--to", "2023")):
        code, _, err = _answer(world, monkeypatch, capsys, *argv, "--csv")
        assert code == 0, err


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=lambda p: " ".join(p) or "(root)")
def test_minus_h_is_help_everywhere(path, world, monkeypatch, capsys):
    code, out, _ = _answer(world, monkeypatch, capsys, *path, "-h")
    assert code == 0 and out.startswith("Usage: ") and "-h, --help" in out


def test_tables_are_not_cut_when_output_is_not_a_terminal(world, monkeypatch, capsys):
    monkeypatch.delenv("COLUMNS", raising=False)
    code, out, _ = _answer(world, monkeypatch, capsys, "attack", "2025-07-04")
    assert code == 0 and max(map(len, out.splitlines())) > 80
    assert "+03:00" in out.splitlines()[0]  # the attack's window in Kyiv time, as everywhere


@pytest.mark.parametrize("region", ["Kharkiv", "Kharkivska oblast", "Харківська область", "Харків", "UA-63", "Kyiv"])
def test_alert_stats_accept_every_spelling_of_a_region(region, world, monkeypatch, capsys):
    code, out, err = _answer(world, monkeypatch, capsys, "alerts", "stats", "--region", region, "--csv")
    assert code == 0 and out.startswith("period,region"), err


def test_an_unknown_region_gets_a_did_you_mean(world, monkeypatch, capsys):
    code, _, err = _answer(world, monkeypatch, capsys, "alerts", "stats", "--region", "Karkiv")
    assert code == 2 and "did you mean Kharkiv Oblast?" in err, err


def test_every_group_has_the_shared_settings():
    """Every command group is made by airtally.cli.groups.command_group: -h, plain help and
    one-line usage errors everywhere (a group made by hand would box its help at 80 columns)."""
    groups = [path for path, command in _groups(ROOT)]
    assert groups
    for path, group in _groups(ROOT):
        assert group.context_settings.get("help_option_names") == ["-h", "--help"], path


def _groups(command, path=()):
    if hasattr(command, "commands"):
        yield path, command
        for name, sub in command.commands.items():
            yield from _groups(sub, (*path, name))
