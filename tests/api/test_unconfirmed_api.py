"""Records and claim checks over HTTP mark what rests on unconfirmed figures and name the
confirmed record beside it (as ``airtally records --json`` and ``airtally check --json``)."""

from __future__ import annotations

import pytest

from tests.analytics.conftest import RecordBuilder
from tests.api.conftest import client_for

RECORD = """
2025-06-15  merged  drones  500  400  90
2025-07-04  merged  drones  539  268  208
2025-07-09  merged  drones  728  296  415 unconfirmed
"""


@pytest.fixture
def client(database):
    RecordBuilder(database.engine)(RECORD)
    with client_for(database) as c:
        yield c


def test_records_mark_the_unconfirmed_holder_and_name_the_confirmed_one(client):
    rows = client.get("/api/records", params={"class": "drones"}).json()["rows"]
    assert [(r["rank"], r["date"], r["unconfirmed"]) for r in rows] == [
        (1, "2025-07-09", True), (2, "2025-07-04", False), (3, "2025-06-15", False)]
    assert rows[0]["confirmed_record"] == {"attack_id": rows[1]["attack_id"], "date": "2025-07-04", "value": 539}
    assert rows[1]["confirmed_record"] is None


CHECKS = [
    ("2025-07-09", ["attack"], "supported"),
    ("2025-07-04", [], "supported"),
]


@pytest.mark.parametrize("date, resting, verdict", CHECKS, ids=[c[0] for c in CHECKS])
def test_a_check_says_what_its_verdict_rests_on(client, date, resting, verdict):
    answer = client.post("/api/check", json={"claim": "the largest drone attack ever", "date": date}).json()
    assert (answer["verdict"], answer["unconfirmed"]) == (verdict, resting)
    assert answer["attack"]["unconfirmed"] is bool(resting)
