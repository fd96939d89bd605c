"""A real HTTP receiver on loopback for the notification tests and the benchmark.

It verifies every webhook's signature on its own (HMAC-SHA256 computed here, not by airtally),
answers from a script (status codes and headers, in order; 200 when the script is spent) and
drops duplicates by ``webhook-id``, as a receiver is asked to.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def expected_signature(secret: str, message_id: str, timestamp: str, body: bytes) -> str:
    """Standard Webhooks' signature, computed independently of airtally.notify.signing."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, message_id.encode() + b"." + timestamp.encode() + b"." + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    signature_ok: bool | None  # None: not a webhook (ntfy), or no secret known

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """``url`` to post to; ``script`` of (status, headers) answers; ``received`` every request;
    ``unique`` the webhooks kept after dropping duplicates by id."""

    secret: str | None = None
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    unique: dict[str, Received] = field(default_factory=dict)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.arrived = threading.Condition(self.lock)

    def answer(self, headers: dict[str, str], path: str, body: bytes) -> tuple[int, dict[str, str]]:
        signature_ok = None
        if self.secret and "webhook-id" in headers:
            wanted = expected_signature(self.secret, headers["webhook-id"], headers["webhook-timestamp"], body)
            signature_ok = wanted in headers.get("webhook-signature", "").split()
        with self.lock:
            status, extra = self.script.pop(0) if self.script else (200, {})
            got = Received(path, headers, body, time.perf_counter(), signature_ok)
            self.received.append(got)
            if 200 <= status < 300 and signature_ok is not False and "webhook-id" in headers:
                self.unique.setdefault(headers["webhook-id"], got)
            self.arrived.notify_all()
        return (status if signature_ok is not False else 401), extra

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """Wait until ``count`` requests have arrived."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.received) >= count, timeout)


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra = receiver.answer(headers, self.path, body)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


class Serving:
    """``with Serving(receiver) as url``: the receiver on 127.0.0.1 in a thread."""

    def __init__(self, receiver: Receiver):
        self.receiver = receiver
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        self.receiver.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self.receiver.url

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
