"""``airtally serve`` for real: a subprocess with two workers on a free loopback port, queried
over HTTP; and ``airtally token create|list|revoke``."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from typer.testing import CliRunner

from airtally.cli import app
from airtally.record.examples import ingest_examples
from airtally.storage.database import Database

runner = CliRunner()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def served(tmp_path):
    """``airtally serve --workers 2`` on the bundled examples; yields (base URL, db URL)."""
    url = f"sqlite:///{tmp_path / 'airtally.db'}"
    with Database.open(url) as database:
        ingest_examples(database.engine)
    port = free_port()
    command = [sys.executable, "-c", "from airtally.cli import main; main()", "serve", "--port", str(port),
               "--workers", "2", "--db", url, "--root-path", "/airtally"]
    log = open(tmp_path / "serve.log", "w+")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"airtally serve did not come up:\n{log.read()}")
            time.sleep(0.2)
        yield base, url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_the_real_server_answers_reads_and_writes(served):
    base, url = served
    with httpx.Client(base_url=base, timeout=10) as client:
        health = client.get("/api/health").json()
        assert health["database"]["reachable"] and health["database"]["revision"]
        # many requests: both workers answer from the same database
        for _ in range(20):
            assert client.get("/api/tally", params={"by": "month"}).json()["rows"][-1]["period"] == "2025-07"
        attacks = client.get("/api/attacks").json()["attacks"]
        assert client.get(f"/api/attacks/{attacks[0]['id']}").json()["date"] == "2025-07-09"
        assert client.get("/openapi.json").json()["servers"] == [{"url": "/airtally"}]
        overview = client.get("/")  # the dashboard, served by the same application
        assert overview.status_code == 200 and "text/html" in overview.headers["content-type"]
        created = cli("token", "create", "server-test", "--db", url)
        assert created.exit_code == 0, created.output
        token = created.stdout.strip().splitlines()[0]
        body = {"text": "Overnight Russia launched 77 drones; 70 were shot down.", "published": "2025-07-15T09:00"}
        first = client.post("/api/reports", json=body, headers={"Authorization": f"Bearer {token}"})
        assert first.status_code == 201, first.text
        again = client.post("/api/reports", json=body, headers={"Authorization": f"Bearer {token}"})
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
        assert client.get("/api/attacks", params={"from": "2025-07-15"}).json()["attacks"][0]["totals"]["drones"]["launched"] == 77


def test_token_commands(tmp_path):
    url = f"sqlite:///{tmp_path / 'airtally.db'}"
    created = cli("token", "create", "newsroom", "--db", url)
    assert created.exit_code == 0
    token = created.stdout.strip()
    assert token.startswith("airtally_") and len(token) > 40
    with Database.open(url) as database, database.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash FROM api_tokens").scalar()
    assert token not in stored and len(stored) == 64  # only the hash is kept
    again = cli("token", "create", "newsroom", "--db", url)
    assert "exists already" in str(again.exception)  # main() prints it and exits 1
    bad = cli("token", "create", "no spaces; please", "--db", url)
    assert "bad token name" in str(bad.exception)
    listed = json.loads(cli("token", "list", "--json", "--db", url).stdout)
    assert [(t["name"], t["active"]) for t in listed] == [("newsroom", True)] and token not in json.dumps(listed)
    assert cli("token", "revoke", "newsroom", "--db", url).exit_code == 0
    assert json.loads(cli("token", "list", "--json", "--db", url).stdout)[0]["revoked_at"]
    missing = cli("token", "revoke", "newsroom", "--db", url)
    assert "no active token" in str(missing.exception)


def test_serve_refuses_bad_options(tmp_path):
    url = f"sqlite:///{tmp_path / 'airtally.db'}"
    assert cli("serve", "--workers", "0", "--db", url).exit_code == 2
    assert cli("serve", "--port", "70000", "--db", url).exit_code == 2
    assert cli("serve", "--root-path", "airtally/", "--db", url).exit_code == 2
