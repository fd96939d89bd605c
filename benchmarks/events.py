"""Benchmark: the live event stream (``GET /api/events``) of a real ``airtally serve`` on loopback.

(a) Clients held at once: ``--clients`` idle SSE streams (default 1,000) opened against one
    worker (``--workers 1``); the server's resident memory before and with them held, and the
    time to open them all. One more beyond ``--event-clients`` must get 503.
(b) Time from a stored change to an SSE client receiving it: the bench process writes an event
    (``emit`` in a ``write_transaction``) 50-1050 ms after the last one arrived (random, so that
    the changes fall anywhere between two polls)
    and times from the commit's end to the event's ``id:`` line arriving at a client that
    streams it, for each way of waking the server:
      - SQLite, polling the outbox (every 1 s);
      - PostgreSQL LISTEN/NOTIFY (when PostgreSQL is reachable);
      - Redis pub/sub (when Redis is reachable), on SQLite; again with ``--clients`` idle
        streams held beside the one that times (the fan-out's cost).
    Beside it, in the same run, the bare baselines: the same wake-up without airtally (a raw
    ``NOTIFY`` to a raw ``LISTEN`` connection; a raw Redis ``PUBLISH`` to a subscriber), and a
    bare loopback TCP round trip.

Everything talks only to 127.0.0.1; every loop is bounded.

    python benchmarks/events.py [--clients 1000] [--changes 40]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analytics import drop_postgres, postgres_url  # noqa: E402  (a fresh database, dropped after)
from serve import HOST, free_port, start_server, stop_server  # noqa: E402

from airtally.record.events import emit  # noqa: E402
from airtally.storage.database import open_database  # noqa: E402
from airtally.storage.transactions import write_transaction  # noqa: E402

REDIS = os.environ.get("AIRTALLY_BENCH_REDIS", "redis://127.0.0.1:6379/0")


def rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and its children (uvicorn's worker), in KiB."""
    total = 0
    for p in [pid] + children(pid):
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def children(pid: int) -> list[int]:
    found = []
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(path.parent.name))
    return found


def serve(url: str, log: Path, *extra: str, env: dict | None = None):
    port = free_port()
    command = [sys.executable, "-c", "from airtally.cli import main; main()", "serve", "--port", str(port),
               "--workers", "1", "--db", url, "--no-access-log", *extra]
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        return start_server(command, port, "/api/health", log), port
    finally:
        os.environ.clear()
        os.environ.update(saved)


async def open_stream(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, int]:
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET /api/events HTTP/1.1\r\nHost: {HOST}\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    return reader, writer, status


async def hold_clients(port: int, count: int, pid: int) -> None:
    before = rss_kib(pid)
    began = time.perf_counter()
    opened = []
    for i in range(0, count, 100):  # in waves: the listen backlog is finite
        opened += await asyncio.gather(*(open_stream(port) for _ in range(min(100, count - i))))
    took = time.perf_counter() - began
    await asyncio.sleep(1.0)
    held = rss_kib(pid)
    ok = sum(1 for _, _, status in opened if status == 200)
    _, extra_writer, extra_status = await open_stream(port)
    print(f"  {ok}/{count} streams open (200) in {took:.2f} s; server RSS {before / 1024:.1f} MiB -> "
          f"{held / 1024:.1f} MiB ({(held - before) / max(ok, 1):.1f} KiB a stream); one more: {extra_status}")
    extra_writer.close()
    for _, writer, _ in opened:
        writer.close()


def bench_clients(workdir: Path, count: int) -> None:
    print(f"(a) idle SSE clients held by one worker (SQLite, polling), --event-clients {count}")
    url = f"sqlite:///{workdir / 'clients.db'}"
    open_database(url).dispose()
    process, port = serve(url, workdir / "clients.log", "--event-clients", str(count))
    try:
        asyncio.run(hold_clients(port, count, process.pid))
    finally:
        stop_server(process)


class Receiver(threading.Thread):
    """One SSE client in a thread: records when each event id arrives."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.arrived, self.ready = port, {}, threading.Event()
        self.sock = socket.create_connection((HOST, port))

    def run(self) -> None:
        self.sock.sendall(f"GET /api/events HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        stream = self.sock.makefile("rb")
        status = stream.readline()
        if b" 200 " not in status:
            raise SystemExit(f"the timing client was refused: {status!r}")
        for raw in stream:
            if raw.startswith(b"retry:"):
                self.ready.set()
            elif raw.startswith(b"id: "):
                self.arrived[int(raw[4:])] = time.perf_counter()

    def close(self) -> None:
        self.sock.close()


def write_and_time(url: str, port: int, changes: int, held: int = 0) -> tuple[list[float], list[float]]:
    """(from the write's start, from its return) to the event's arrival, per change; ``held``
    idle streams are held open meanwhile."""
    engine = open_database(url)
    idle = [hold_one(port) for _ in range(held)]
    receiver = Receiver(port)
    receiver.start()
    receiver.ready.wait(10)
    rng = random.Random(7)
    from_start, from_return = [], []
    for _ in range(changes):
        time.sleep(rng.uniform(0.05, 1.05))
        began = time.perf_counter()
        with write_transaction(engine) as conn:
            event_id = emit(conn, "threat.created", data={"bench": True}, regions=["UA-63"])
        returned = time.perf_counter()
        deadline = returned + 5
        while event_id not in receiver.arrived and time.perf_counter() < deadline:
            time.sleep(0.0002)
        arrived = receiver.arrived.get(event_id, float("inf"))
        from_start.append(arrived - began)
        from_return.append(arrived - returned)
    receiver.close()
    for sock in idle:
        sock.close()
    engine.dispose()
    return from_start, from_return


def hold_one(port: int) -> socket.socket:
    sock = socket.create_connection((HOST, port))
    sock.sendall(f"GET /api/events HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    return sock


def summary(waits: list[float]) -> str:
    ms = sorted(w * 1000 for w in waits)
    lost = sum(1 for w in ms if w == float("inf"))
    p90 = ms[int(len(ms) * 0.9) - 1]
    return f"median {statistics.median(ms):.2f} ms, p90 {p90:.2f} ms, max {ms[-1]:.2f} ms ({len(ms)} changes, {lost} lost)"


def bench_latency(workdir: Path, changes: int, held: int) -> None:
    print(f"(b) from a committed change to an SSE client, {changes} changes 50-1050 ms apart")
    print(f"  bare loopback TCP round trip: {summary(tcp_round_trips(changes))}")
    url = f"sqlite:///{workdir / 'latency.db'}"
    open_database(url).dispose()
    run_latency("SQLite, polling the outbox every 1 s", url, workdir, changes)
    if redis_reachable():
        print(f"  bare Redis PUBLISH -> subscriber: {summary(redis_round_trips(changes))}")
        os.environ["AIRTALLY_REDIS_URL"] = REDIS  # the writer (this process) publishes
        try:
            run_latency("SQLite + Redis pub/sub", url, workdir, changes, "--redis", REDIS)
            run_latency("SQLite + Redis pub/sub", url, workdir, changes, "--redis", REDIS,
                        "--event-clients", str(held + 10), held=held)
        finally:
            del os.environ["AIRTALLY_REDIS_URL"]
    else:
        print("  Redis: skipped (not reachable on 127.0.0.1:6379)")
    pg = postgres_url()
    if pg is None:
        print("  PostgreSQL: skipped (not reachable)")
        return
    try:
        open_database(pg).dispose()
        print(f"  bare NOTIFY -> LISTEN: {summary(notify_round_trips(pg, changes))}")
        run_latency("PostgreSQL LISTEN/NOTIFY", pg, workdir, changes)
    finally:
        drop_postgres(pg)


def run_latency(label: str, url: str, workdir: Path, changes: int, *extra: str, held: int = 0) -> None:
    process, port = serve(url, workdir / "latency.log", *extra)
    try:
        from_start, from_return = write_and_time(url, port, changes, held)
        print(f"  {label}{f' ({held} idle streams held)' if held else ''}: from the write's start "
              f"{summary(from_start)}; from its return {summary(from_return)}")
    finally:
        stop_server(process)


def tcp_round_trips(count: int) -> list[float]:
    server = socket.create_server((HOST, 0))
    port = server.getsockname()[1]

    def echo():
        conn, _ = server.accept()
        with conn:
            while data := conn.recv(64):
                conn.sendall(data)

    threading.Thread(target=echo, daemon=True).start()
    client = socket.create_connection((HOST, port))
    waits = []
    for _ in range(count):
        began = time.perf_counter()
        client.sendall(b"x")
        client.recv(64)
        waits.append(time.perf_counter() - began)
    client.close()
    server.close()
    return waits


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def redis_round_trips(count: int) -> list[float]:
    import redis

    client = redis.Redis.from_url(REDIS)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe("airtally_bench")
    waits = []
    for i in range(count):
        began = time.perf_counter()
        client.publish("airtally_bench", str(i))
        while pubsub.get_message(timeout=5) is None:
            pass
        waits.append(time.perf_counter() - began)
    pubsub.close()
    client.close()
    return waits


def notify_round_trips(url: str, count: int) -> list[float]:
    import psycopg
    import sqlalchemy as sa

    plain = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as listener, psycopg.connect(plain, autocommit=True) as sender:
        listener.execute("LISTEN airtally_bench")
        waits = []
        for i in range(count):
            began = time.perf_counter()
            sender.execute("SELECT pg_notify('airtally_bench', %s)", (str(i),))
            next(listener.notifies(timeout=5, stop_after=1))
            waits.append(time.perf_counter() - began)
    return waits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_clients(Path(tmp), args.clients)
        bench_latency(Path(tmp), args.changes, args.clients)


if __name__ == "__main__":
    main()
