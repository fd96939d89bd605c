"""``GET /api/threats``: the same filters and answer as ``airtally threats --json``."""

from __future__ import annotations

import datetime as dt

from airtally.model import THREAT_DISCLAIMER
from airtally.record.threats import store_threats
from tests.api.conftest import client_for

AT = dt.datetime(2025, 7, 3, 22, 10, tzinfo=dt.timezone.utc)


def test_threats_filtered_with_the_notice(database):
    with database.engine.begin() as conn:
        store_threats(conn, "kpszsu", "10", AT, "Група ударних БпЛА на Харківщині, курсом на Полтавщину.")
        store_threats(conn, "kpszsu", "11", AT + dt.timedelta(hours=1), "Відбій загрози для Полтавщини.")
        store_threats(conn, "kpszsu", "12", AT + dt.timedelta(days=2), "КАБи на Донеччину!")
    with client_for(database) as client:
        body = client.get("/api/threats").json()
        assert body["notice"] == THREAT_DISCLAIMER
        assert [(t["type"], t["closed_at"] is not None) for t in body["threats"]] == [
            ("strike_drones", True), ("all_clear", True), ("guided_bombs", False)]
        kharkiv = client.get("/api/threats", params={"region": "Kharkiv", "to": "2025-07-04"}).json()["threats"]
        assert [t["type"] for t in kharkiv] == ["strike_drones"]
        assert [t["type"] for t in client.get("/api/threats?type=guided_bombs&type=hypersonic").json()["threats"]] == [
            "guided_bombs"]
        assert client.get("/api/threats", params={"type": "rockets"}).status_code == 422
        unknown = client.get("/api/threats", params={"region": "Atlantis"})
        assert unknown.status_code == 400 and "not an oblast" in unknown.json()["error"]["message"]
