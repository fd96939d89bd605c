"""``GET /api/events`` over a real uvicorn server on loopback: Server-Sent Events from the
outbox, replay after ``Last-Event-ID`` (or ``?after=``), filters, the client cap, no caching."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
from contextlib import contextmanager

import httpx
import pytest
import uvicorn

from airtally.api.app import create_app
from airtally.api.settings import Settings
from airtally.record.events import emit
from airtally.record.threats import store_threats
from airtally.storage.transactions import write_transaction
from tests.api.test_serve import free_port

AT = dt.datetime(2025, 7, 3, 22, tzinfo=dt.timezone.utc)


@contextmanager
def serving(database, root_path: str = "", **settings):
    """The app on a real uvicorn server on a free loopback port, in a thread; yields its base URL
    (with ``root_path``, as behind a proxy that strips that prefix: the base is the server's own)."""
    port = free_port()
    app = create_app(database, Settings(db_url=database.url, events_poll_interval=0.05, **settings))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", root_path=root_path,
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def threat(database, post: str, text: str = "Група ударних БпЛА на Харківщині, курсом на Полтавщину.") -> None:
    with write_transaction(database.engine) as conn:
        store_threats(conn, "kpszsu", post, AT, text)


def read_events(lines, count: int) -> list[dict]:
    """The next ``count`` events of an SSE line iterator, each {id, event, data}."""
    found, current = [], {}
    for line in lines:
        if line.startswith(":") or line.startswith("retry:"):
            continue
        if not line:
            if "id" in current:
                found.append(current)
                if len(found) == count:
                    return found
            current = {}
            continue
        name, _, value = line.partition(": ")
        current[name] = json.loads(value) if name == "data" else value
    return found


def test_events_stream_live_and_replay_after_last_event_id(database):
    threat(database, "1")  # before the client: not sent to a client that starts at the newest
    with serving(database) as base, httpx.Client(base_url=base, timeout=10) as client:
        with client.stream("GET", "/api/events") as live:
            assert live.status_code == 200 and live.headers["content-type"].startswith("text/event-stream")
            assert "etag" not in live.headers and "no-cache" in live.headers["cache-control"]
            lines = live.iter_lines()
            assert next(lines).startswith("retry:")
            threat(database, "2", "КАБи на Донеччину!")
            got, = read_events(lines, 1)
        assert got["event"] == "threat.created" and got["data"]["regions"] == ["UA-14"]
        assert got["data"]["id"] == int(got["id"]) and got["data"]["data"]["type"] == "guided_bombs"
        # a reconnect with the id of the first event it saw is sent everything after it
        with client.stream("GET", "/api/events", headers={"Last-Event-ID": "0"}) as replay:
            assert [e["id"] for e in read_events(replay.iter_lines(), 2)] == ["1", got["id"]]
        with client.stream("GET", "/api/events", params={"after": 1}) as replay:
            assert [e["id"] for e in read_events(replay.iter_lines(), 1)] == [got["id"]]
        # the header wins over the query
        with client.stream("GET", "/api/events", params={"after": 0}, headers={"Last-Event-ID": "1"}) as replay:
            assert [e["id"] for e in read_events(replay.iter_lines(), 1)] == [got["id"]]


# the outbox of these tests: 1 attack.created (UA-30), 2 attack.created naming no oblast (so:
# every oblast), 3 a threat on Donetsk oblast (UA-14), 4 a threat on Kharkiv oblast headed for
# Poltava oblast (UA-63, UA-53), 5 attack.revised (UA-14, UA-53), matched by every filter but the
# first's, so that an event let through by mistake shows before the last one expected
@pytest.mark.parametrize("params, expected", [
    ({"types": "threat.created"}, ["3", "4"]),
    ({"types": "attack."}, ["1", "2", "5"]),
    ({"region": "Донеччина"}, ["2", "3", "5"]),
    ({"region": "UA-53", "types": "threat.created,attack."}, ["2", "4", "5"]),
    ({"region": "Poltava", "types": ["threat.created", "attack.revised"]}, ["4", "5"]),
])
def test_filters_by_type_and_region(database, params, expected):
    with write_transaction(database.engine) as conn:
        emit(conn, "attack.created", data={}, regions=["UA-30"], attack_id=1)
        emit(conn, "attack.created", data={}, regions=[], attack_id=2)
    threat(database, "1", "КАБи на Донеччину!")
    threat(database, "2")
    with write_transaction(database.engine) as conn:
        emit(conn, "attack.revised", data={}, regions=["UA-14", "UA-53"], attack_id=1)
    with serving(database) as base, httpx.Client(base_url=base, timeout=10) as client:
        with client.stream("GET", "/api/events", params={"after": 0, **params}) as stream:
            assert [e["id"] for e in read_events(stream.iter_lines(), len(expected))] == expected


@pytest.mark.parametrize("query, status", [
    ({"types": "attack.deleted"}, 400),
    ({"region": "Атлантида"}, 400),
    ({"after": "-1"}, 422),
])
def test_bad_filters_are_clear_errors(database, query, status):
    with serving(database) as base:
        answer = httpx.get(f"{base}/api/events", params=query, timeout=10)
    assert answer.status_code == status and answer.json()["error"]["message"]


def test_a_bad_last_event_id_is_a_clear_error(database):
    with serving(database) as base:
        answer = httpx.get(f"{base}/api/events", headers={"Last-Event-ID": "abc"}, timeout=10)
    assert answer.status_code == 400 and "Last-Event-ID" in answer.json()["error"]["message"]


def test_clients_beyond_the_cap_get_503_and_a_closed_stream_frees_its_place(database):
    with serving(database, event_clients=2) as base, httpx.Client(base_url=base, timeout=10) as client:
        with client.stream("GET", "/api/events") as one, client.stream("GET", "/api/events") as two:
            assert one.status_code == two.status_code == 200
            refused = httpx.get(f"{base}/api/events", timeout=10)
            assert refused.status_code == 503 and refused.headers["retry-after"]
            assert "event streams" in refused.json()["error"]["message"]
        deadline = time.monotonic() + 10
        while (status := _status(client)) == 503 and time.monotonic() < deadline:
            time.sleep(0.1)  # the server notices the closed connections
        assert status == 200


def _status(client) -> int:
    with client.stream("GET", "/api/events") as stream:
        return stream.status_code


def test_the_stream_behind_a_root_path_and_in_the_openapi_schema(database):
    threat(database, "1")
    with serving(database, root_path="/airtally") as base, httpx.Client(base_url=base, timeout=10) as client:
        schema = client.get("/openapi.json").json()
        assert schema["servers"] == [{"url": "/airtally"}]
        assert "text/event-stream" in schema["paths"]["/api/events"]["get"]["responses"]["200"]["content"]
        with client.stream("GET", "/api/events", params={"after": 0}) as stream:
            assert read_events(stream.iter_lines(), 1)[0]["event"] == "threat.created"


def test_streams_share_reads_but_never_an_empty_one(engine):
    from airtally.api.routes.events import RecentReads

    reads = RecentReads(size=2)

    def read(cursor):
        return asyncio.run(reads.read(engine, cursor))

    assert read(0) == []  # nothing yet: not kept, or the next event would be missed
    with write_transaction(engine) as conn:
        first = emit(conn, "threat.created", data={}, regions=[])
    assert [e["id"] for e in read(0)] == [first]
    with write_transaction(engine) as conn:
        emit(conn, "threat.created", data={}, regions=[])
    assert [e["id"] for e in read(0)] == [first]  # kept: the reader continues after it
    assert len(read(first)) == 1


def test_streams_waiting_at_the_same_id_share_one_read(engine, monkeypatch):
    from airtally.api.routes import events as route

    with write_transaction(engine) as conn:
        emit(conn, "threat.created", data={}, regions=[])
    queries = []
    real = route.read_outbox
    monkeypatch.setattr(route, "read_outbox", lambda *args: queries.append(args[1:]) or real(*args))

    async def hundred_streams():
        reads = route.RecentReads()
        return await asyncio.gather(*(reads.read(engine, 0) for _ in range(100)))

    assert all(len(found) == 1 for found in asyncio.run(hundred_streams()))
    assert queries == [(0, route.BATCH)]
