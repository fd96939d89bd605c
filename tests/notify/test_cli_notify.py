"""`airtally notify add|list|remove|test|run` end to end: exit codes, the secret printed once,
clear errors for bad URLs, unknown oblasts and unknown ids."""

from __future__ import annotations

import json

import pytest

from airtally.record.events import emit
from airtally.storage.database import open_database
from tests.notify.receiver import Receiver, Serving


@pytest.fixture
def run(cli, db_url):
    """``run(*args)`` -> (exit code, stdout, stderr) of ``airtally ARGS --db URL``."""
    return lambda *args: cli(*args, "--db", db_url)


def test_add_prints_the_secret_once_then_list_test_run_and_remove(run, db_url):
    receiver = Receiver()
    with Serving(receiver) as url:
        code, out, err = run("notify", "add", "webhook", url + "/hook", "--on", "attack", "--on", "threat",
                             "--region", "Харківщина", "--min-launched", "50")
        assert code == 0, err
        receiver.secret = out.strip()
        assert receiver.secret.startswith("whsec_") and "shown this once" in err
        code, out, err = run("notify", "add", "ntfy", url + "/kyiv", "--token", "tk")
        assert code == 0 and out == ""
        code, out, _ = run("notify", "list", "--json")
        listed = json.loads(out)
        assert [(e["id"], e["kind"], e["on"], e["regions"], e["min_launched"], e["enabled"]) for e in listed] == [
            (1, "webhook", ["attack", "threat"], ["UA-63"], 50, True), (2, "ntfy", [], [], None, True)]
        assert receiver.secret not in out  # shown once, never listed
        code, _, err = run("notify", "test", "1")
        assert code == 0 and "answered HTTP 200" in err
        [test] = receiver.received
        assert test.signature_ok is True and test.json["type"] == "endpoint.test"
        engine = open_database(db_url)
        with engine.begin() as conn:
            emit(conn, "threat.created", data={"type": "strike_drones"}, regions=["UA-63"])
        engine.dispose()
        code, _, err = run("notify", "run", "--once")
        assert code == 0 and "delivered 2" in err, err
        assert {r.path for r in receiver.received[1:]} == {"/hook", "/kyiv"}
        assert all(r.signature_ok is not False for r in receiver.received)
        receiver.script = [(500, {})]
        code, _, err = run("notify", "test", "2")
        assert code == 1 and "HTTP 500" in err
    assert run("notify", "remove", "2")[0] == 0
    code, _, err = run("notify", "remove", "2")
    assert code == 1 and "no notification endpoint 2" in err
    assert [e["id"] for e in json.loads(run("notify", "list", "--json")[1])] == [1]


BAD = [
    (["notify", "add", "webhook", "ftp://example.org/x"], 2, "is not an http(s) URL"),
    (["notify", "add", "webhook", "example.org/hook"], 2, "is not an http(s) URL"),
    (["notify", "add", "ntfy", "https://ntfy.sh/"], 2, "names no ntfy topic"),
    (["notify", "add", "webhook", "https://example.org/h", "--region", "Karkiv"], 2, "did you mean Kharkiv Oblast"),
    (["notify", "add", "webhook", "https://example.org/h", "--on", "weather"], 2, "--on 'weather' is not one of"),
    (["notify", "test", "9"], 1, "no notification endpoint 9"),
    (["notify", "remove", "9"], 1, "no notification endpoint 9"),
]


@pytest.mark.parametrize("args,code,message", BAD, ids=[" ".join(a[1:3] + a[-1:]) for a, _, _ in BAD])
def test_bad_input_is_one_clear_line_and_a_non_zero_exit(run, args, code, message):
    got, _, err = run(*args)
    assert got == code and message in err and "Traceback" not in err
