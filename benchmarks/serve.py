"""Benchmark: ``airtally serve`` under load on loopback, beside a bare ASGI "hello" as the ceiling.

Fills a database (the curated data set when ../shared/data has it, and the bundled examples:
the attack of 2025-07-04 with its evidence), starts real servers in subprocesses on free
loopback ports, and drives them with a small HTTP/1.1 keep-alive load generator of its own
(asyncio, one process; it shares the machine's cores with the servers):

- SQLite, ``airtally serve --workers 1``; the hello app on uvicorn with 1 worker;
- PostgreSQL (when reachable), ``--workers 2``; the hello app with 2 workers;

each airtally server twice: with its answer cache (the default, airtally.api.cache: a repeated
read is served from memory until the database changes) and with ``--cache-entries 0`` (every
request queries the database: the cost of a first read after a write);

against ``/api/tally``, ``/api/attacks/{id}`` and the overview page ``/``:

(a) open loop: requests start at a fixed rate (default 200/s for 20 s) whatever the answers do;
    latency is measured from each request's scheduled start (no coordinated omission): p50/p99.
    Target: p99 < 50 ms on SQLite.
(b) closed loop: 50 clients, each sending its next request when the last is answered, for a
    fixed time: the most requests per second.

Every loop is bounded in count and time and talks only to 127.0.0.1.

and first, the server's own CPU per request (one worker, requests one after another; read from
/proc): the cost of an answer that the machine's load does not blur, for hello (before and
after), a kept answer (cache on) and a first read after a write (cache off).

    python benchmarks/serve.py [--rate 200] [--seconds 20] [--clients 50] [--closed-seconds 10]
                               [--cpu-only] [--cached-only] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from analytics import drop_postgres, postgres_url  # benchmarks/analytics.py: a fresh database, dropped after

ROOT = Path(__file__).resolve().parent.parent
CSV = Path(os.environ.get("AIRTALLY_SHARED_DATA", ROOT.parent / "shared" / "data")) / "missile_attacks_daily.csv"
HOST = "127.0.0.1"
TARGET_P99_MS = 50
MAX_CONNECTIONS = 256
IDLE_LIMIT = 3.0  # seconds: uvicorn closes a keep-alive connection idle for 5
CHEAP_REQUESTS = 25  # times --cpu-requests, for hello and kept answers


def _hello_body(size: int) -> bytes:
    return b'{"hello":"air"}' if size <= 15 else b'{"hello":"' + b"a" * (size - 12) + b'"}'


HELLO_BODY = _hello_body(int(os.environ.get("AIRTALLY_BENCH_HELLO_BYTES") or 15))


async def hello(scope, receive, send):
    """The ceiling: the least an ASGI app on uvicorn can do for a GET (a 15-byte body, or
    $AIRTALLY_BENCH_HELLO_BYTES bytes: what moving an answer's bytes costs)."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(HELLO_BODY)).encode())]})
    await send({"type": "http.response.body", "body": HELLO_BODY})


# --- the load generator -------------------------------------------------------------------

class Connection:
    """One keep-alive HTTP/1.1 connection: GET a path, read the answer by its Content-Length."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, port: int):
        self.reader, self.writer, self.port = reader, writer, port
        self.used = time.monotonic()

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(HOST, port)
        return cls(reader, writer, port)

    async def get(self, path: str) -> int:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
            elif name.strip().lower() == b"transfer-encoding":
                raise RuntimeError(f"{path}: chunked answers are not read by this generator")
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


class Pool:
    """Idle connections to reuse; a new one (up to MAX_CONNECTIONS) when none is idle."""

    def __init__(self, port: int):
        self.port, self.idle, self.opened = port, [], 0

    async def get(self, path: str) -> int:
        connection = None
        while self.idle and connection is None:
            connection = self.idle.pop()
            if time.monotonic() - connection.used > IDLE_LIMIT:  # the server may have closed it
                connection.close()
                self.opened -= 1
                connection = None
        if connection is None:
            if self.opened >= MAX_CONNECTIONS:
                raise RuntimeError("too many connections: the server is not keeping up")
            self.opened += 1
            connection = await Connection.open(self.port)
        try:
            status = await connection.get(path)
        except Exception:
            connection.close()
            self.opened -= 1
            raise
        connection.used = time.monotonic()
        self.idle.append(connection)
        return status

    def close(self) -> None:
        for connection in self.idle:
            connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def open_loop(port: int, path: str, rate: float, seconds: float) -> dict:
    """Requests started every 1/rate s for ``seconds``; latency from each scheduled start."""
    pool, latencies, failures = Pool(port), [], []
    total = int(rate * seconds)
    start = time.perf_counter() + 0.05

    async def one(i: int) -> None:
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        try:
            status = await asyncio.wait_for(pool.get(path), timeout=10)
            if status == 200:
                latencies.append((time.perf_counter() - due) * 1000)
            else:
                failures.append(f"HTTP {status}")
        except Exception as exc:  # counted, not raised: a load test reports what failed
            failures.append(type(exc).__name__)

    await asyncio.gather(*(one(i) for i in range(total)))
    pool.close()
    return {"requests": total, "ok": len(latencies), "failed": len(failures), "why": sorted(set(failures)),
            "p50": percentile(latencies, 0.50) if latencies else None,
            "p99": percentile(latencies, 0.99) if latencies else None,
            "connections": pool.opened}


async def closed_loop(port: int, path: str, clients: int, seconds: float) -> dict:
    """``clients`` connections each sending its next request when answered, for ``seconds``."""
    done, failed = [0], [0]
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def client() -> None:
        connection = await Connection.open(port)
        while time.perf_counter() < stop:
            sent = time.perf_counter()
            try:
                status = await asyncio.wait_for(connection.get(path), timeout=10)
            except Exception:  # counted; the connection is in an unknown state: a new one
                failed[0] += 1
                connection.close()
                connection = await Connection.open(port)
                continue
            latencies.append((time.perf_counter() - sent) * 1000)
            if status == 200:
                done[0] += 1
            else:
                failed[0] += 1
        connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    return {"requests_per_s": done[0] / elapsed, "failed": failed[0],
            "p50": percentile(latencies, 0.5) if latencies else None, "p99": percentile(latencies, 0.99) if latencies else None}


# --- servers and data -----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(command: list[str], port: int, probe: str, log: Path, env: dict | None = None) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=open(log, "w"), stderr=subprocess.STDOUT,
                               env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {' '.join(command)}\n{log.read_text()}")
        try:
            status = asyncio.run(_probe(port, probe))
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"server did not come up: {' '.join(command)}")


async def _probe(port: int, path: str) -> int:
    connection = await Connection.open(port)
    try:
        return await connection.get(path)
    finally:
        connection.close()


def stop_server(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL to the server's own process group (its workers too) after 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def airtally_server(url: str, workers: int, cache: bool, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-c", "from airtally.cli import main; main()", "serve", "--port", str(port),
               "--workers", str(workers), "--db", url, "--cache-entries", "256" if cache else "0", "--no-access-log"]
    return start_server(command, port, "/api/health", log), port


def hello_server(workers: int, log: Path, body_bytes: int = 15) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "serve:hello", "--app-dir", str(Path(__file__).parent),
               "--host", HOST, "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    return start_server(command, port, "/", log, {"AIRTALLY_BENCH_HELLO_BYTES": str(body_bytes)}), port


def fill(url: str) -> int:
    """The curated data set (when present) and the bundled examples; the id of 2025-07-04's attack."""
    from airtally.record.attack_view import attack_detail
    from airtally.record.curated import import_curated
    from airtally.record.examples import ingest_examples
    from airtally.storage.database import Database

    with Database.open(url) as database:
        if CSV.exists():
            import_curated(CSV, database.engine)
        ingest_examples(database.engine)
        with database.engine.connect() as conn:
            count = conn.execute(sa.text("SELECT count(*) FROM attacks")).scalar()
        print(f"  {count} attacks in the record ({'curated data set + ' if CSV.exists() else ''}bundled examples)")
        return attack_detail(database.engine, "2025-07-04")["id"]


# --- the run ------------------------------------------------------------------------------

def measure(label: str, start, paths: list[str], args) -> list[dict]:
    """Each path's open and closed loop, each on a freshly started server (``start()`` ->
    (process, port)): a server left saturated by one loop (its clients gave up, its queue did
    not) must not weigh on the next."""
    rows = []
    for path in paths:
        results = {}
        for name, loop in (("open", lambda port: open_loop(port, path, args.rate, args.seconds)),
                           ("closed", lambda port: closed_loop(port, path, args.clients, args.closed_seconds))):
            process, port = start()
            try:
                asyncio.run(closed_loop(port, path, 4, 1.0))  # warm: caches, connections, statement cache
                results[name] = asyncio.run(loop(port))
            finally:
                stop_server(process)
        opened, closed = results["open"], results["closed"]
        rows.append({"server": label, "path": path, "open": opened, "closed": closed})
        print(f"  {label:32} {path:18} open {args.rate:.0f}/s: p50 {opened['p50'] or 0:7.1f} ms  "
              f"p99 {opened['p99'] or 0:7.1f} ms  failed {opened['failed']:4} {','.join(opened['why'])}  "
              f"closed {args.clients}: {closed['requests_per_s']:6.0f} req/s (p50 {closed['p50'] or 0:.1f} ms, "
              f"failed {closed['failed']})  load {os.getloadavg()[0]:.1f}", flush=True)
    return rows


def process_cpu(pid: int) -> float:
    """Seconds of CPU the process has used (user + system, all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _sequential(port: int, path: str, count: int) -> None:
    connection = await Connection.open(port)
    try:
        for _ in range(count):
            if await connection.get(path) != 200:
                raise SystemExit(f"{path}: not 200")
    finally:
        connection.close()


def cpu_per_request(label: str, start, paths: list[str], count: int) -> None:
    """The server's own CPU per request, ``count`` requests one after another on one connection
    (one worker, in the server's process): what an answer costs, whatever the machine's load
    does to latency. With the cache off it is the price of a first read after a write."""
    process, port = start()
    try:
        for path in paths:
            asyncio.run(_sequential(port, path, 10))  # warm
            before = process_cpu(process.pid)
            asyncio.run(_sequential(port, path, count))
            spent = (process_cpu(process.pid) - before) / count * 1000
            print(f"  {label:32} {path:18} server CPU {spent:6.3f} ms/request ({count} sequential)  "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        stop_server(process)


def run_setup(name: str, url: str, workers: int, args, tmp: Path) -> list[dict]:
    print(f"{name}, {workers} worker{'s' if workers > 1 else ''}:", flush=True)
    attack_id = fill(url)
    paths = ["/api/tally", f"/api/attacks/{attack_id}", "/"]
    if args.cpu_requests and Path("/proc/self/stat").exists():
        # hello and kept answers cost ~0.1 ms: many more requests, for /proc's 10 ms ticks to resolve them
        cheap = args.cpu_requests * CHEAP_REQUESTS
        cpu_per_request("hello ASGI (1w)", lambda: hello_server(1, tmp / "hello-cpu.log"), ["/"], cheap)
        # a kept answer: the price of a repeated read, to be set beside hello's
        cpu_per_request(f"airtally {name} (1w, cache)", lambda: airtally_server(url, 1, True, tmp / f"serve-{name}-cpu.log"),
                        paths, cheap)
        cpu_per_request("hello ASGI (1w)", lambda: hello_server(1, tmp / "hello-cpu.log"), ["/"], cheap)
        if args.hello_bytes:
            cpu_per_request(f"hello ASGI (1w, {args.hello_bytes:,} B)",
                            lambda: hello_server(1, tmp / "hello-cpu.log", args.hello_bytes), ["/"], cheap)
        if not args.cached_only:
            cpu_per_request(f"airtally {name} (1w, no cache)",
                            lambda: airtally_server(url, 1, False, tmp / f"serve-{name}-cpu.log"), paths, args.cpu_requests)
    if args.cpu_only:
        return []
    rows = measure(f"hello ASGI ({workers}w)", lambda: hello_server(workers, tmp / f"hello-{workers}.log"), ["/"], args)
    for cache in (True,) if args.cached_only else (True, False):
        label = f"airtally {name} ({workers}w{'' if cache else ', no cache'})"
        rows += measure(label, lambda: airtally_server(url, workers, cache, tmp / f"serve-{name}-{cache}.log"),
                        paths, args)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--closed-seconds", type=float, default=10)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--cpu-requests", type=int, default=200, help="sequential requests per path for the server-CPU measure (0: skip it)")
    parser.add_argument("--cpu-only", action="store_true", help="only the server-CPU measure, no load loops")
    parser.add_argument("--hello-bytes", type=int, default=0,
                        help="also measure the CPU of a hello whose body has this many bytes (an answer's size)")
    parser.add_argument("--cached-only", action="store_true",
                        help="only the servers with their answer cache (and hello): no uncached rows")
    args = parser.parse_args()
    print(f"load generator: this process, on the same {os.cpu_count()} cores as the servers; target p99 < "
          f"{TARGET_P99_MS} ms on SQLite at {args.rate:.0f}/s")
    with tempfile.TemporaryDirectory() as tmp:
        run_setup("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", 1, args, Path(tmp))
        url = None if args.no_postgres else postgres_url()
        if url is None:
            print("PostgreSQL: not reachable (or --no-postgres), skipped")
            return
        try:
            run_setup("PostgreSQL", url, 2, args, Path(tmp))
        finally:
            drop_postgres(url)


if __name__ == "__main__":
    main()
