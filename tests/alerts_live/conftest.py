"""A fake alerts.in.ua API on loopback, and helpers to script it.

``FakeApi`` is a real HTTP server on 127.0.0.1 (an ephemeral port, a thread per request) that
answers each request with the next scripted ``Reply``: a recorded-shape JSON file, a status,
headers, a delay, or a truncated body. It records what each request carried.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RESPONSES = FIXTURES / "responses"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def snapshot(name: str, last_modified: str | None = None, **headers: str) -> Reply:
    """A 200 answer with ``responses/<name>`` as its body."""
    if last_modified:
        headers["Last-Modified"] = last_modified
    return Reply(200, (RESPONSES / name).read_bytes(), dict(headers, **{"Content-Type": "application/json"}))


def error(status: int, message: str = "error", **headers: str) -> Reply:
    return Reply(status, json.dumps({"message": message}).encode(), headers)


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class FakeApi:
    """A scripted HTTP server; ``url`` is its base URL, ``requests`` what it was sent."""

    def __init__(self):
        self.script: list[Reply] = []
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    snapshot = staticmethod(snapshot)
    error = staticmethod(error)
    Reply = Reply

    def serve(self, *replies: Reply) -> FakeApi:
        with self._lock:
            self.script.extend(replies)
        return self

    def _next(self, path: str, headers: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append(Request(path, headers))
            if not self.script:
                return error(599, "the test script has no reply left")
            return self.script.pop(0)

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                reply = api._next(self.path, {k.lower(): v for k, v in self.headers.items()})
                time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout scenarios)

            def log_message(self, *args):
                pass

        return Handler

    def start(self) -> FakeApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_api():
    api = FakeApi().start()
    yield api
    api.stop()
