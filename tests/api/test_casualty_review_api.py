"""Casualty figures over HTTP: listed by ``GET /api/review`` with ``item`` "casualty", decided by
``POST /api/review/casualties/{id}`` with a token, and shown with their confidence by
``GET /api/attacks/{id}``."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_refused, reviewer_for
from tests.record.test_casualty_review import _store


@pytest.fixture
def reviewed(database):
    """An official 2 killed, and a news article's 30 killed read with low confidence."""
    _store(database.engine, "Kyiv city administration: 2 killed.", "kyiv_ova", "regional", {"killed": 2})
    _store(database.engine, "Reuters: 30 killed.", "reuters", "news", {"killed": 30}, low=("killed",))
    with reviewer_for(database) as reviewer:
        yield reviewer


def test_a_casualty_figure_is_listed_and_decided_with_a_token(reviewed):
    client, token = reviewed
    [row] = client.get("/api/review").json()["figures"]
    assert (row["item"], row["measure"], row["value"]) == ("casualty", "killed", 30)
    attack = client.get(f"/api/attacks/{row['attack_id']}").json()
    assert sorted((c["source"], c["value"], c["confidence"]) for c in attack["casualties"]) == [
        ("kyiv_ova", 2, "high"), ("reuters", 30, "low")]
    assert attack["casualty_totals"]["killed"]["value"] == 2 and attack["casualty_conflicts"] == []
    body = {"decision": "accept", "note": "the city confirmed it later"}
    assert client.post(f"/api/review/casualties/{row['id']}", json=body).status_code == 401
    done = client.post(f"/api/review/casualties/{row['id']}", json=body, headers={"Authorization": f"Bearer {token}"})
    assert done.status_code == 200, done.text
    assert (done.json()["item"], done.json()["reviewer"]) == ("casualty", "desk-editor")
    assert client.get("/api/review").json() == {"figures": []}
    attack = client.get(f"/api/attacks/{row['attack_id']}").json()
    # accepted, the news figure counts as high: a whole-country figure over a regional part
    assert attack["casualty_totals"]["killed"] == {"value": 30, "kind": "news", "report_id": row["report_id"],
                                                   "unconfirmed": False}


BAD = [
    ("/api/review/casualties/99", {"decision": "accept"}, 404, "no casualty figure with id 99"),
    ("/api/review/casualties/2", {"decision": "correct"}, 400, "a corrected value must be a whole number"),
    ("/api/review/casualties/0", {"decision": "accept"}, 422, "casualty_id"),
    ("/api/review/casualties/2", {"decision": "reject", "note": "\u202eeurt si 03"}, 400, "text direction control"),
    ("/api/review/casualties/2", {"decision": "reject", "note": "a\x1bb"}, 400, "control character"),
]


@pytest.mark.parametrize("path, body, status, message", BAD, ids=[p.rsplit("/", 1)[1] + "-" + str(s) for p, _, s, _ in BAD])
def test_a_bad_casualty_decision_is_refused_with_its_reason(reviewed, path, body, status, message):
    assert_refused(reviewed, path, body, status, message)
