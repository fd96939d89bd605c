"""What any client meets: errors as JSON with the right 4xx, bad input refused with nothing
written, capped bodies, ETags, CORS, rate limits, trusted proxies, a path prefix."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.record.ingest import ingest_text
from airtally.storage.tables_record import attacks, figures, reports
from airtally.storage.tokens import create_token
from tests.api.conftest import client_for


def stored_rows(database) -> tuple[int, ...]:
    with database.engine.connect() as conn:
        return tuple(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in (reports, attacks, figures))


def error_of(answer, status: int) -> dict:
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert set(error) == {"code", "message"} and error["message"]
    return error


def test_bad_input_is_a_clear_4xx_and_nothing_is_written(client, seeded):
    token = create_token(seeded.engine, "tester")
    auth = {"Authorization": f"Bearer {token}"}
    before = stored_rows(seeded)
    # malformed JSON, wrong types, missing fields
    error_of(client.post("/api/reports", content=b'{"text": "Overnight 5', headers={**auth, "Content-Type": "application/json"}), 422)
    error_of(client.post("/api/reports", json={"text": 5, "kind": "blog"}, headers=auth), 422)
    error_of(client.post("/api/reports", json={}, headers=auth), 422)
    error_of(client.post("/api/check", content=b"not json", headers={"Content-Type": "application/json"}), 422)
    # bad dates: not the pattern (422), or a pattern that is no date (400)
    assert "from" in error_of(client.get("/api/attacks", params={"from": "yesterday"}), 422)["message"]
    assert "2025-13-45" in error_of(client.get("/api/tally", params={"from": "2025-13-45"}), 400)["message"]
    error_of(client.post("/api/reports", json={"text": "Overnight 5 drones.", "published": "someday"}, headers=auth), 400)
    error_of(client.get("/api/alerts/active", params={"at": "25:99"}), 400)
    error_of(client.get("/api/attacks", params={"cursor": "Jyk7IERST1AgVEFCTEUgYXR0YWNrczstLQ"}), 400)
    # SQL-looking text reaches SQL only as bound parameters
    error_of(client.get("/api/attacks", params={"class": "drones'; DROP TABLE attacks;--"}), 422)
    error_of(client.get("/api/alerts/stats", params={"region": "Kyiv' OR '1'='1"}), 400)
    error_of(client.post("/api/check", json={"claim": "x'); DROP TABLE reports;--"}), 400)
    error_of(client.get("/api/attacks/1%20OR%201=1"), 422)
    # unknown ids, unknown paths, wrong methods
    error_of(client.get("/api/attacks/424242"), 404)
    error_of(client.get("/api/no-such-thing"), 404)
    error_of(client.delete("/api/attacks/1"), 405)
    assert stored_rows(seeded) == before


def test_request_bodies_are_capped(seeded):
    with client_for(seeded, max_body_bytes=10_000) as client:
        huge = {"text": "Overnight 5 drones. " * 2000}
        assert error_of(client.post("/api/extract", json=huge), 413)["code"] == "body_too_large"

        def chunked():  # no Content-Length: counted while read
            yield b'{"text": "'
            for _ in range(100):
                yield b"x" * 1000
            yield b'"}'

        error_of(client.post("/api/extract", content=chunked(), headers={"Content-Type": "application/json"}), 413)
        assert client.post("/api/extract", json={"text": "Overnight 5 drones were shot down."}).status_code == 200


def test_read_answers_carry_an_etag_and_304_when_unchanged(client, seeded):
    first = client.get("/api/tally")
    tag = first.headers["etag"]
    again = client.get("/api/tally", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    # the record changes: so does the tag
    ingest_text(seeded.engine, "Overnight Russia launched 90 drones; 80 were shot down.", origin="t",
                published=dt.datetime(2025, 7, 20, 9, tzinfo=dt.timezone.utc), source="t", kind="national")
    changed = client.get("/api/tally", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag


def test_cors_is_off_unless_configured(seeded):
    origin = {"Origin": "https://example.org"}
    with client_for(seeded) as client:
        assert "access-control-allow-origin" not in client.get("/api/health", headers=origin).headers
    with client_for(seeded, cors_origins=("https://example.org",)) as client:
        assert client.get("/api/health", headers=origin).headers["access-control-allow-origin"] == "https://example.org"
        assert "access-control-allow-origin" not in client.get("/api/health", headers={"Origin": "https://evil.example"}).headers


def test_writes_are_limited_per_token(seeded):
    tokens = [create_token(seeded.engine, name) for name in ("a", "b")]
    with client_for(seeded, writes_per_minute=2) as client:
        def post(token, n):
            return client.post("/api/reports", json={"text": f"Overnight Russia launched {n} drones."},
                               headers={"Authorization": f"Bearer {token}"})

        assert [post(tokens[0], n).status_code for n in (11, 12)] == [201, 201]
        limited = post(tokens[0], 13)
        assert error_of(limited, 429)["code"] == "too_many_requests" and int(limited.headers["retry-after"]) >= 1
        assert post(tokens[1], 14).status_code == 201  # another token has its own count


def test_extract_is_limited_per_client_address_and_forwarded_only_from_named_proxies(seeded):
    body = {"text": "Overnight 5 drones were shot down."}
    with client_for(seeded, extracts_per_minute=1) as client:  # the peer is "testclient"
        assert client.post("/api/extract", json=body, headers={"X-Forwarded-For": "10.0.0.1"}).status_code == 200
        # an untrusted peer's X-Forwarded-For is ignored: still the same client
        assert client.post("/api/extract", json=body, headers={"X-Forwarded-For": "10.0.0.2"}).status_code == 429
    with client_for(seeded, extracts_per_minute=1, forwarded_allow_ips=("testclient",)) as client:
        assert client.post("/api/extract", json=body, headers={"X-Forwarded-For": "10.0.0.1"}).status_code == 200
        assert client.post("/api/extract", json=body, headers={"X-Forwarded-For": "10.0.0.2"}).status_code == 200
        assert client.post("/api/extract", json=body, headers={"X-Forwarded-For": "10.0.0.1"}).status_code == 429


def test_served_under_a_path_prefix(seeded):
    with client_for(seeded, root_path="/airtally") as client:
        schema = client.get("/openapi.json").json()
        assert schema["servers"] == [{"url": "/airtally"}]
        assert "/airtally/openapi.json" in client.get("/docs").text
        assert client.get("/api/health").json()["status"] == "ok"


def test_openapi_declares_the_error_shape(client):
    schema = client.get("/openapi.json").json()
    assert "ErrorBody" in schema["components"]["schemas"] and "HTTPValidationError" not in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            invalid = operation["responses"].get("422")
            if invalid:
                assert invalid["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody"), (method, path)
    assert set(schema["paths"]["/api/reports"]["post"]["responses"]) >= {"200", "201", "401", "413", "422", "429"}


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_exports_keep_the_filters(client, fmt, tmp_path):
    import pandas as pd

    answer = client.get(f"/api/attacks.{fmt}", params={"from": "2025-07-04", "to": "2025-07-04"})
    assert answer.status_code == 200 and f".{fmt}" in answer.headers["content-disposition"]
    path = tmp_path / f"out.{fmt}"
    path.write_bytes(answer.content)
    frame = {"csv": pd.read_csv, "json": pd.read_json, "parquet": pd.read_parquet}[fmt](path)
    assert set(frame["date"].astype(str).str[:10]) == {"2025-07-04"}
    assert len(frame) > 0 and {"evidence_text", "measure", "value"} <= set(frame.columns)


def test_export_in_the_curated_schema(client):
    answer = client.get("/api/attacks.csv", params={"schema": "curated", "min_launched": 700})
    lines = answer.text.splitlines()
    assert lines[0].startswith("time_start,time_end,model") and all("2025-07-09" in line for line in lines[1:])


def test_a_content_length_that_is_no_number_is_a_400():
    import asyncio

    from airtally.api.middleware import BodyLimit

    async def app(scope, receive, send):  # never reached
        raise AssertionError("the app saw a request with a bad Content-Length")

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "POST", "path": "/api/extract", "headers": [(b"content-length", b"12ab")]}
    asyncio.run(BodyLimit(app, 1000)(scope, receive, send))
    assert sent[0]["status"] == 400 and b"Content-Length" in sent[1]["body"]
