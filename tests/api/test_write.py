"""Writing through the API: tokens (401 without a good one), POST /api/reports (duplicates
answered with the stored id), POST /api/extract (stores nothing), GET /api/reports/{id}."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from airtally.record.examples import bundled_examples
from airtally.storage.tables_record import reports
from airtally.storage.tokens import create_token, revoke_token

NEW_REPORT = ("У ніч на 12 липня противник атакував 97 ударними БпЛА типу Shahed. "
              "Станом на 08:30 збито/подавлено 80 ворожих БпЛА.")


def count_reports(database) -> int:
    with database.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar()


def seed_article() -> str:
    return next(e for e in bundled_examples() if e.file == "news-2025-07-04-en.txt").text()


@pytest.fixture
def token(seeded) -> str:
    return create_token(seeded.engine, "newsroom")


def test_storing_a_report_needs_a_good_token(client, seeded, token):
    body = {"text": NEW_REPORT, "published": "2025-07-12T09:00"}
    before = count_reports(seeded)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {token}"}):
        answer = client.post("/api/reports", json=body, headers=headers)
        assert answer.status_code == 401, headers
        assert answer.json()["error"]["code"] == "unauthorized" and answer.headers["www-authenticate"] == "Bearer"
    revoke_token(seeded.engine, "newsroom")
    assert client.post("/api/reports", json=body, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert count_reports(seeded) == before


def test_a_report_is_stored_once_and_the_write_is_logged(client, seeded, token, caplog):
    auth = {"Authorization": f"Bearer {token}"}
    body = {"text": NEW_REPORT, "published": "2025-07-12T09:00", "source": "kpszsu-test", "kind": "national"}
    with caplog.at_level(logging.INFO, logger="airtally.api.writes"):
        first = client.post("/api/reports", json=body, headers=auth)
    assert first.status_code == 201, first.text
    stored = first.json()
    assert stored["status"] == "stored" and stored["duplicate"] is False and stored["attack_id"]
    assert any("'newsroom'" in r.getMessage() and str(stored["id"]) in r.getMessage() for r in caplog.records)
    again = client.post("/api/reports", json=body, headers=auth)
    assert again.status_code == 200
    assert again.json() == {"id": stored["id"], "attack_id": stored["attack_id"], "status": "duplicate", "duplicate": True}
    attack = client.get(f"/api/attacks/{stored['attack_id']}").json()
    assert attack["date"] == "2025-07-12" and attack["totals"]["drones"]["launched"] == 97


def test_a_report_in_a_language_airtally_does_not_read_is_a_400_and_not_stored(client, seeded, token):
    before = count_reports(seeded)
    answer = client.post("/api/reports", json={"text": "W nocy Rosja wystrzeliła 100 dronów, 80 zestrzelono."},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400 and "no language airtally reads" in answer.json()["error"]["message"]
    assert count_reports(seeded) == before


def test_extract_answers_the_extraction_and_stores_nothing(client, seeded):
    before = count_reports(seeded)
    answer = client.post("/api/extract", json={"text": seed_article(), "published": "2025-07-04T11:15"})
    assert answer.status_code == 200
    drones = answer.json()["totals"]["drones"]
    assert (drones["launched"], drones["destroyed"]) == (539, 268)
    assert count_reports(seeded) == before


def test_a_news_article_is_shown_whole_only_to_token_holders(client, token):
    attack = client.get("/api/attacks/1").json()
    news_id = next(s["report_id"] for s in attack["sources"] if s["kind"] == "news")
    public = client.get(f"/api/reports/{news_id}").json()
    assert public["text"] is None and public["text_withheld"] is True
    launched = next(f for f in public["figures"] if f["subject"] == "drones" and f["measure"] == "launched")
    assert "539" in launched["evidence"]["snippet"]["text"]
    holder = client.get(f"/api/reports/{news_id}", headers={"Authorization": f"Bearer {token}"}).json()
    assert holder["text"] == seed_article() and holder["text_withheld"] is False
    national_id = next(s["report_id"] for s in attack["sources"] if s["kind"] == "national")
    assert client.get(f"/api/reports/{national_id}").json()["text"].startswith("У ніч на 4 липня")


def test_a_report_stored_through_the_api_writes_its_events(client, seeded, token):
    from airtally.record.events import events_after

    with seeded.engine.connect() as conn:
        before = events_after(conn, 0, limit=10_000)
    text = ("In the night of 20 July 2025 Russia attacked Ukraine with 900 drones and 20 missiles; "
            "air defence shot down 850 drones and 15 missiles.")
    answer = client.post("/api/reports", json={"text": text, "published": "2025-07-20T09:00"},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201
    with seeded.engine.connect() as conn:
        made = events_after(conn, before[-1]["id"] if before else 0, limit=100)
    assert [e["type"] for e in made][:2] == ["attack.created", "record.broken"]
    assert made[0]["attack_id"] == answer.json()["attack_id"]
