"""The review over HTTP: ``GET /api/review`` is public, ``POST /api/review/{id}`` needs a token
and stores the decision with the token's name; bad decisions are 4xx with a one-line message."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_refused, reviewer_for
from tests.record.test_review import TEXT, _store


@pytest.fixture
def reviewed(database):
    """A database holding one news report whose drones launched (600) was read with low confidence."""
    _store(database.engine, TEXT, "reuters", "news", {"launched": 600, "destroyed": 476}, low=("launched",))
    with reviewer_for(database) as reviewer:
        yield reviewer


def test_the_waiting_figures_are_public_and_a_decision_needs_a_token(reviewed):
    client, token = reviewed
    [figure] = client.get("/api/review").json()["figures"]
    assert (figure["subject"], figure["measure"], figure["value"]) == ("drones", "launched", 600)
    body = {"decision": "correct", "value": 539, "note": "the Air Force says 539"}
    assert client.post(f"/api/review/{figure['id']}", json=body).status_code == 401
    done = client.post(f"/api/review/{figure['id']}", json=body, headers={"Authorization": f"Bearer {token}"})
    assert done.status_code == 200, done.text
    assert (done.json()["reviewer"], done.json()["corrected_value"]) == ("desk-editor", 539)
    assert client.get("/api/review").json() == {"figures": []}
    [decided] = client.get("/api/review?decided=true").json()["figures"]
    assert (decided["decision"], decided["reviewer"]) == ("correct", "desk-editor")
    attack = client.get(f"/api/attacks/{figure['attack_id']}").json()
    assert attack["totals"]["drones"]["launched"] == 539 and attack["unconfirmed"] == []


BAD = [
    ("/api/review/99", {"decision": "accept"}, 404, "no figure with id 99"),
    ("/api/review/1", {"decision": "correct"}, 400, "a corrected value must be a whole number"),
    ("/api/review/1", {"decision": "reject", "value": 3}, 400, "reject takes no value"),
    ("/api/review/1", {"decision": "approve"}, 422, "decision"),
    ("/api/review/1", {"decision": "correct", "value": -1}, 422, "value"),
    ("/api/review/0", {"decision": "accept"}, 422, "figure_id"),
    ("/api/review/1", {"decision": "reject", "note": "a\x00b"}, 400, "control character"),  # PostgreSQL stores no NUL
    ("/api/review/1", {"decision": "accept", "note": "ok \u202etxt.exe"}, 400, "text direction control"),
    ("/api/review/1", {"decision": "accept", "note": "\u2067isolated\u2069"}, 400, "text direction control"),
    ("/api/review/1", {"decision": "correct", "value": "\u00b2"}, 422, "value"),
]


@pytest.mark.parametrize("path, body, status, message", BAD, ids=[f"{b['decision']}-{s}" for _, b, s, _ in BAD])
def test_a_bad_decision_is_refused_with_its_reason(reviewed, path, body, status, message):
    assert_refused(reviewed, path, body, status, message)


def test_the_tally_and_attack_list_carry_the_unconfirmed_marker(reviewed):
    client, _ = reviewed
    [row] = client.get("/api/tally?class=drones").json()["rows"]
    assert (row["launched"], row["unconfirmed"]) == (600, 1)
    [attack] = client.get("/api/attacks").json()["attacks"]
    assert attack["unconfirmed"] is True
