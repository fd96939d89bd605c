"""The read endpoints against the bundled examples, on SQLite and PostgreSQL: each answer is
the library's answer, shaped as documented."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from airtally.alerts.importer import import_alerts
from airtally.analytics.tally import tally
from airtally.record.examples import bundled_examples
from airtally.record.ingest import ingest_text

ALERTS = Path(__file__).resolve().parent.parent / "alerts" / "fixtures" / "official_small.csv"


def test_health_names_the_version_and_the_schema_revision(client, seeded):
    answer = client.get("/api/health").json()
    assert answer["status"] == "ok" and answer["version"]
    assert answer["database"] == {"reachable": True, "backend": seeded.backend, "revision": seeded.revision()}


def test_attacks_newest_first_with_class_totals(client):
    attacks = client.get("/api/attacks").json()["attacks"]
    assert [a["date"] for a in attacks] == ["2025-07-09", "2025-07-04", "2025-06-29", "2025-06-17"]
    assert attacks[1]["totals"]["drones"] == {"launched": 539, "destroyed": 268, "lost": 208, "hits": None}


def test_attacks_filters(client):
    def dates(**params):
        return [a["date"] for a in client.get("/api/attacks", params=params).json()["attacks"]]

    assert dates(min_launched=540) == ["2025-07-09", "2025-07-04"]
    assert dates(**{"class": "missiles", "min_launched": 30}) == ["2025-06-29", "2025-06-17"]
    assert dates(**{"from": "2025-06-20", "to": "2025-07-04"}) == ["2025-07-04", "2025-06-29"]
    assert dates(**{"from": "2025-07"}) == ["2025-07-09", "2025-07-04"]
    assert dates(direction="UA-RU") == []


def test_cursor_pages_are_stable_while_attacks_are_added(client, seeded):
    first = client.get("/api/attacks", params={"limit": 2}).json()
    assert [a["date"] for a in first["attacks"]] == ["2025-07-09", "2025-07-04"]
    # a newer attack and one between the pages arrive while the client pages through
    for text, day in (("Overnight Russia launched 600 drones; 500 were shot down.", "2025-07-20"),
                      ("Overnight Russia launched 100 drones; 90 were shot down.", "2025-07-01")):
        ingest_text(seeded.engine, text, origin="test", published=dt.datetime.fromisoformat(f"{day}T09:00:00+03:00"), source="test", kind="national")
    second = client.get("/api/attacks", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [a["date"] for a in second["attacks"]] == ["2025-07-01", "2025-06-29"]
    third = client.get("/api/attacks", params={"limit": 2, "cursor": second["next_cursor"]}).json()
    assert [a["date"] for a in third["attacks"]] == ["2025-06-17"] and third["next_cursor"] is None


def test_attack_detail_links_every_figure_to_its_words(client):
    attack_id = client.get("/api/attacks", params={"from": "2025-07-04", "to": "2025-07-04"}).json()["attacks"][0]["id"]
    view = client.get(f"/api/attacks/{attack_id}").json()
    assert view["date"] == "2025-07-04" and view["totals"]["drones"]["launched"] == 539
    assert len(view["sources"]) == 3
    national = next(s for s in view["sources"] if s["kind"] == "national")
    text = next(e for e in bundled_examples() if e.file == "airforce-2025-07-04.txt").text()
    launched = next(f for f in national["figures"] if f["subject"] == "drones" and f["measure"] == "launched")
    evidence = launched["evidence"]
    assert "539" in evidence["text"] and evidence["context"]["text"] == text[evidence["start"]:evidence["end"]]
    assert text[:evidence["end"]].endswith(evidence["context"]["before"] + evidence["context"]["text"])
    alerts = view["alerts"]
    assert alerts["history_covers"] is False and "no alert history" in alerts["note"] and alerts["regions"] is None


def test_attack_detail_says_when_the_alert_history_does_not_cover_it(client, seeded):
    import_alerts(seeded.engine, ALERTS)  # October 2022 only
    view = client.get("/api/attacks/1").json()
    assert view["alerts"]["history_covers"] is False
    assert "does not cover" in view["alerts"]["note"] and view["alerts"]["history_start"].startswith("2022-10-10")


def test_tally_is_the_library_tally(client, seeded):
    answer = client.get("/api/tally", params={"by": "month", "class": "drones"}).json()
    assert answer["rows"] == tally(seeded.engine, by="month", weapon_class="drones")
    assert answer["rows"][-1]["period"] == "2025-07" and answer["rows"][-1]["launched"] == 539 + 728


def test_records_by_any_measure(client):
    launched = client.get("/api/records", params={"top": 2}).json()["rows"]
    assert [(r["rank"], r["date"], r["launched"]) for r in launched] == [(1, "2025-07-09", 741), (2, "2025-07-04", 550)]
    destroyed = client.get("/api/records", params={"top": 4, "measure": "destroyed"}).json()["rows"]
    assert [r["destroyed"] for r in destroyed] == [303, 270, 262, 249]
    as_of = client.get("/api/records", params={"top": 1, "as_of": "2025-07-05"}).json()["rows"]
    assert as_of[0]["date"] == "2025-07-04"


def test_check_answers_the_verdict_and_the_record(client):
    answer = client.post("/api/check", json={
        "claim": "the largest drone and missile attack since the beginning of the invasion", "date": "2025-07-04"}).json()
    assert answer["verdict"] == "supported"
    assert answer["record"]["date"] == "2025-06-29" and answer["attack"]["launched"] == 550


def test_check_answers_in_the_language_asked_with_the_items_beside_the_words(client):
    claim = {"claim": "the largest drone and missile attack since the beginning of the invasion", "date": "2025-07-04"}
    english = client.post("/api/check", json=claim).json()
    assert english["lang"] == "en" and english["explanation"] == (
        "the attack that ended on 2025-07-04 has 550 launched (all weapons), at least the largest before it since the "
        "start of the record: 537 on 2025-06-29")
    ukrainian = client.post("/api/check", json=claim | {"lang": "uk"}).json()
    assert ukrainian["lang"] == "uk" and ukrainian["explanation"] == (
        "в атаці, що закінчилася 2025-07-04, запущено 550 (дрони й ракети) — не менше, ніж у найбільшій попередній атаці "
        "від початку запису: 537, 2025-06-29")
    assert ukrainian["explanation_item"] == english["explanation_item"] == {"code": "attack_against_record", "values": {
        "value": 550, "measure": "launched", "class": "all", "verdict": "supported", "record_value": 537,
        "date": "2025-07-04", "record_date": "2025-06-29"}}
    for key in ("note_items", "disagreement_items"):  # the same items, worded in each language, one string per item
        assert ukrainian[key] == english[key]
        assert len(english[key]) == len(english[key.replace("_items", "s")])
    assert [n["code"] for n in english["note_items"]] == ["record_starts_later"]
    assert ukrainian["notes"] == ["запис починається 2025-06-17, пізніше за початок періоду (2022-02-24): раніших атак у ньому немає"]
    assert client.post("/api/check", json=claim | {"lang": "de"}).status_code == 422


def test_alerts_endpoints(client, seeded):
    import_alerts(seeded.engine, ALERTS)
    active = client.get("/api/alerts/active", params={"at": "2022-10-10T08:20"}).json()
    assert "UA-30" in [r["code"] for r in active["regions"]]  # Kyiv City, 05:00-06:00 UTC
    stats = client.get("/api/alerts/stats", params={"region": "Kyiv City", "from": "2022-10-10", "to": "2022-10-10"}).json()
    assert stats["rows"][0]["alerts"] >= 1
    nationwide = client.get("/api/alerts/nationwide", params={"threshold": 0.5}).json()
    assert nationwide["threshold"] == 0.5 and isinstance(nationwide["rows"], list)


def test_unknown_ids_are_404_in_the_error_shape(client):
    for path in ("/api/attacks/999999", "/api/reports/999999"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "not_found" and "999999" in answer.json()["error"]["message"]
