"""schemathesis against the OpenAPI schema: no generated request makes the server fail (5xx).

Examples per operation are kept CI-sized (AIRTALLY_FUZZ_EXAMPLES, default 25); the database
holds the bundled examples so that the reads have something to find. Each operation is one
test, driven by Hypothesis over schemathesis's strategy for it.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from airtally.api.app import create_app
from airtally.api.settings import Settings
from airtally.record.examples import ingest_examples
from airtally.storage.database import Database
from airtally.storage.tokens import create_token

EXAMPLES = int(os.environ.get("AIRTALLY_FUZZ_EXAMPLES", "25"))
OPERATIONS = [("GET", "/api/health"), ("GET", "/api/attacks"), ("GET", "/api/attacks.{fmt}"),
              ("GET", "/api/attacks/{attack_id}"), ("GET", "/api/tally"), ("GET", "/api/records"),
              ("POST", "/api/check"), ("POST", "/api/extract"), ("POST", "/api/reports"),
              ("GET", "/api/reports/{report_id}"), ("GET", "/api/alerts/active"), ("GET", "/api/alerts/stats"),
              ("GET", "/api/alerts/nationwide"), ("GET", "/api/threats"), ("GET", "/api/review"),
              ("POST", "/api/review/{figure_id}"), ("POST", "/api/review/casualties/{casualty_id}")]
# Streams never end, so a generated request to one cannot be waited for; their bad input is
# tested in test_events_stream.py.
STREAMS = [("GET", "/api/events")]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """The schema loaded from the app, and a write token (half the generated writes carry it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'airtally.db'}"
    with Database.open(url) as database:
        ingest_examples(database.engine)
        # limits high enough that generated writes and extractions are not all 429s
        app = create_app(database, Settings(db_url=url, writes_per_minute=10**6, extracts_per_minute=10**6))
        yield schemathesis.openapi.from_asgi("/openapi.json", app), create_token(database.engine, "fuzz")


def test_every_operation_is_fuzzed(api):
    schema, _ = api
    found = {(op.method.upper(), op.path) for op in (r.ok() for r in schema.get_all_operations())}
    assert found == set(OPERATIONS) | set(STREAMS)


@pytest.mark.parametrize("method,path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_generated_request_fails_the_server(api, method, path):
    schema, token = api
    operation = schema[path][method]

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy())
    def run(case):
        headers = {"Authorization": f"Bearer {token}"} if method == "POST" and hash(str(case.body)) % 2 else None
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()
