"""``airtally alerts watch`` end to end: CLI, fake API on loopback, SQLite file."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from airtally.alerts.live import ApiRefused
from airtally.cli.alerts_watch import register_watch
from airtally.errors import AirtallyError, InvalidValue
from airtally.storage.tables_alerts import alert_events as t

LM1 = "Fri, 22 Mar 2024 00:04:15 GMT"
LM2 = "Fri, 22 Mar 2024 00:41:02 GMT"


def make_app() -> typer.Typer:
    """The way the lead wires it: ``register_watch(alerts_app)`` on the alerts group."""
    app = typer.Typer()
    alerts_app = typer.Typer()

    @app.callback()
    def root() -> None:
        """airtally"""

    register_watch(alerts_app)
    app.add_typer(alerts_app, name="alerts")
    return app


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'watch.db'}"


def run(args: list[str], token: str | None = "cli-token"):
    env = {"ALERTS_IN_UA_TOKEN": token} if token is not None else {"ALERTS_IN_UA_TOKEN": ""}
    return CliRunner().invoke(make_app(), ["alerts", "watch", *args], env=env)


def stored(db: str) -> dict[str, object]:
    engine = sa.create_engine(db)
    with engine.connect() as connection:
        found = {r.external_id: r.finished_at for r in connection.execute(sa.select(t.c.external_id, t.c.finished_at))}
    engine.dispose()
    return found


def test_without_a_token_it_exits_1_with_what_to_do(db):
    result = run(["--db", db, "--once"], token=None)
    assert isinstance(result.exception, AirtallyError) and result.exception.exit_code == 1
    assert "ALERTS_IN_UA_TOKEN is not set" in result.exception.message


def test_once_stores_one_snapshot(fake_api, db):
    fake_api.serve(fake_api.snapshot("active_night.json", LM1))
    result = run(["--db", db, "--once", "--base-url", fake_api.url])
    assert result.exit_code == 0, result.output
    assert "poll 1: 6 new, 0 finished, 0 updated, 6 active" in result.stderr
    assert "stopped (poll limit reached) after 1 poll(s): 6 new and 0 finished alert(s) stored" in result.stderr
    assert len(stored(db)) == 6 and fake_api.requests[0].headers["authorization"] == "Bearer cli-token"


def test_max_polls_with_errors_between(fake_api, db):
    fake_api.serve(
        fake_api.snapshot("active_night.json", LM1),
        fake_api.error(503),
        fake_api.Reply(304),
        fake_api.snapshot("active_after.json", LM2),
    )
    result = run(["--db", db, "--base-url", fake_api.url, "--interval", "0.01", "--max-polls", "4"])
    assert result.exit_code == 0, result.output
    assert "poll 2: HTTP 503 from" in result.stderr and "poll 3: not modified (HTTP 304)" in result.stderr
    assert stored(db)["60101"] is not None and len(stored(db)) == 7


def test_a_rejected_token_stops_with_exit_1(fake_api, db):
    fake_api.serve(fake_api.error(401, "Unauthorized"))
    result = run(["--db", db, "--base-url", fake_api.url, "--interval", "0.01"])
    assert isinstance(result.exception, ApiRefused) and result.exception.exit_code == 1
    assert "HTTP 401" in result.exception.message and stored(db) == {}


def test_an_interval_below_the_rate_limit_is_refused_before_any_request(db):
    result = run(["--db", db, "--interval", "2"])
    assert isinstance(result.exception, InvalidValue)
    assert "--interval 2 s is too short for https://api.alerts.in.ua" in result.exception.message


def test_help_documents_the_options():
    result = CliRunner().invoke(make_app(), ["alerts", "watch", "--help"])
    for option in ("--db", "--interval", "--once", "--base-url", "--max-polls", "ALERTS_IN_UA_TOKEN"):
        assert option in result.output


@pytest.mark.parametrize("args", [["--once"], ["--max-polls", "3", "--interval", "0.01"]])
def test_a_watch_in_which_every_poll_failed_exits_1_saying_so(fake_api, db, args):
    """It used to print its summary and exit 0, as if the history were current."""
    fake_api.serve(fake_api.error(503), fake_api.error(503), fake_api.error(503))
    result = run(["--db", db, "--base-url", fake_api.url, *args])
    assert result.exit_code == 1 and result.exception is not None
    assert "every poll failed" in result.exception.message and "HTTP 503" in result.exception.message


def test_a_watch_with_one_good_poll_exits_0(fake_api, db):
    fake_api.serve(fake_api.error(503), fake_api.snapshot("active_night.json", LM1))
    result = run(["--db", db, "--base-url", fake_api.url, "--interval", "0.01", "--max-polls", "2"])
    assert result.exit_code == 0, result.output
