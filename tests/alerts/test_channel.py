"""The official alert channel's posts read into alert events, and stored."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.alerts.channel import follow, read_post, store_posts
from airtally.catalog.place_tags import place_by_hashtag, tag_key, transliterate
from airtally.storage.tables_alerts import alert_events

UTC = dt.timezone.utc


def at(hour: int, minute: int = 0, day: int = 4) -> dt.datetime:
    return dt.datetime(2025, 7, day, hour, minute, tzinfo=UTC)


START = "🔴 16:29 Повітряна тривога в Донецька область\nЗверніть увагу на оголошення!\n#Донецька_область"
END = "🟢 17:02 Відбій тривоги в Донецька область.\nСлідкуйте за подальшими повідомленнями.\n#Донецька_область"
PARTIAL = ("🟡 06:22 Відбій тривоги в Дніпропетровська область\n(тривога ще триває у якомусь районі)\n"
           "#Дніпропетровська_область")
LIST = ("🔴 21:04 Повітряна тривога в:\n- Нікопольський район\n- м. Нікополь та Нікопольська територіальна громада\n"
        "Зверніть увагу на оголошення!\n#Нікопольський_район #м_Нікополь_та_Нікопольська_територіальна_громада")


@pytest.mark.parametrize("text,action,codes", [
    (START, "start", ["UA-14"]),
    (END, "end", ["UA-14"]),
    (PARTIAL, "end", ["UA-12"]),
    (LIST, "start", ["UA-12", "UA-12"]),
    ("🔴 10:00 Повітряна тривога в м. Київ\n#м_Київ", "start", ["UA-30"]),
])
def test_read_post(text, action, codes):
    post = read_post(text, at(13))
    assert post.action == action
    assert [p.region_code for p in post.places] == codes
    assert post.unknown == []


def test_a_list_names_raion_and_hromada_as_the_data_set_does():
    places = read_post(LIST, at(18)).places
    assert [(p.level, p.raion, p.hromada) for p in places] == [
        ("raion", "Nikopolskyi raion", None),
        ("hromada", "Nikopolskyi raion", "m. Nikopol ta Nikopolska terytorialna hromada"),
    ]


def test_the_test_region_and_other_posts_are_no_alerts():
    assert read_post("🔴 12:00 Повітряна тривога в Тестовий Регіон\n#Тестовий_Регіон", at(9)).action is None
    assert read_post("Шановні підписники! Канал працює у штатному режимі.", at(9)).action is None


def test_an_unknown_place_is_reported_not_fatal():
    post = read_post("🔴 16:29 Повітряна тривога в Нова громада\n#Нова_громада #Донецька_область", at(13))
    assert post.unknown == ["#Нова_громада"]
    assert [p.region_code for p in post.places] == ["UA-14"]


def test_transliteration_follows_the_national_system():
    assert transliterate("Їжакевич Юрій Згорани Яготин") == "yizhakevych yurii zghorany yahotyn"
    assert tag_key("m. Kryvyi Rih ta Kryvorizka terytorialna hromada") == tag_key(
        "#м_Кривий_Ріг_та_Криворізька_територіальна_громада")


def test_every_oblast_of_the_data_set_is_found_by_its_tag():
    tags = ["#Вінницька_область", "#Волинська_область", "#Дніпропетровська_область", "#Житомирська_область",
            "#Закарпатська_область", "#Запорізька_область", "#ІваноФранківська_область", "#Київська_область",
            "#Кіровоградська_область", "#Луганська_область", "#Львівська_область", "#Миколаївська_область",
            "#Одеська_область", "#Полтавська_область", "#Рівненська_область", "#Сумська_область",
            "#Тернопільська_область", "#Харківська_область", "#Херсонська_область", "#Хмельницька_область",
            "#Черкаська_область", "#Чернівецька_область", "#Чернігівська_область", "#Донецька_область"]
    found = [place_by_hashtag(tag) for tag in tags]
    assert all(p is not None and p.level == "oblast" for p in found)
    assert len({p.region_code for p in found}) == len(tags)


def test_start_then_end_is_one_finished_alert():
    events, still_open = follow([read_post(START, at(13, 29)), read_post(END, at(14, 2))], {})
    assert still_open == {}
    assert events[-1].started_at == at(13, 29) and events[-1].finished_at == at(14, 2)
    assert not events[-1].end_is_estimate


def test_a_repeated_start_within_three_hours_continues_the_alert():
    events, still_open = follow([read_post(START, at(13)), read_post(START, at(15, 59))], {})
    assert len(events) == 1 and still_open["UA-14"].started_at == at(13)


def test_a_start_without_end_followed_by_a_start_after_three_hours_is_closed_at_start_plus_one_hour():
    events, still_open = follow([read_post(START, at(1)), read_post(START, at(4, 1))], {})
    closed = [e for e in events if e.finished_at is not None]
    assert len(closed) == 1
    assert closed[0].started_at == at(1) and closed[0].finished_at == at(2) and closed[0].end_is_estimate
    assert still_open["UA-14"].started_at == at(4, 1)


def test_an_end_without_a_start_changes_nothing():
    events, still_open = follow([read_post(END, at(14))], {})
    assert events == [] and still_open == {}


def _rows(engine):
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            sa.select(alert_events.c.place, alert_events.c.started_at, alert_events.c.finished_at,
                      alert_events.c.end_is_estimate).where(alert_events.c.source == "official")
            .order_by(alert_events.c.started_at))]


def test_stored_across_polls_a_start_in_one_and_its_end_in_the_next(engine):
    with engine.begin() as conn:
        store_posts(conn, [read_post(START, at(13, 29)), read_post(LIST, at(13, 40))])
    assert [r["finished_at"] for r in _rows(engine)] == [None, None, None]
    with engine.begin() as conn:
        store_posts(conn, [read_post(END, at(14, 2))])
    with engine.begin() as conn:  # the same posts read again store nothing new
        counts = store_posts(conn, [read_post(END, at(14, 2))])
    rows = _rows(engine)
    assert counts.inserted == 0 and len(rows) == 3
    assert rows[0]["place"] == "UA-14" and rows[0]["finished_at"] == at(14, 2)


def test_stored_stale_start_is_closed_as_an_estimate(engine):
    with engine.begin() as conn:
        store_posts(conn, [read_post(START, at(1))])
    with engine.begin() as conn:
        store_posts(conn, [read_post(START, at(6))])
    rows = _rows(engine)
    assert [(r["finished_at"], r["end_is_estimate"]) for r in rows] == [(at(2), True), (None, False)]
