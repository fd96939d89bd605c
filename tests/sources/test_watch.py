"""`airtally watch` against the fake preview server: catch-up, new posts, edits, deletions,
gaps in ids, faults (429 with Retry-After, 5xx, slow and broken answers), kills, sharing."""

from __future__ import annotations

import datetime as dt
import random
import threading

import pytest
import sqlalchemy as sa

from airtally.errors import AirtallyError
from airtally.sources.fetch import USER_AGENT, Fetcher
from airtally.sources.followed import add_source, list_sources
from airtally.sources.watch import Watcher, backoff, watch_lock
from airtally.storage.tables_alerts import alert_events
from airtally.storage.tables_record import attack_totals, attacks, reports
from airtally.storage.tables_watch import source_posts
from tests.sources.fake_telegram import FakeTelegram, Fault, Serving

UTC = dt.timezone.utc
NOW = dt.datetime(2025, 7, 20, 9, 0, tzinfo=UTC)
MONTHS = "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня".split()


def night(day: dt.date, launched: int) -> str:
    return (f"У ніч на {day.day} {MONTHS[day.month - 1]} (з 18:00 {day.day - 1} {MONTHS[day.month - 1]}) "
            f"противник атакував {launched} ударними БпЛА. Станом на 09:00 збито/подавлено {launched - 10} БпЛА.")


def history(fake: FakeTelegram, days: int = 9) -> list[int]:
    """Posts of the last ``days`` mornings at 06:00 UTC, with a threat post between, ids with gaps."""
    ids, post_id = [], 100
    for back in range(days, 0, -1):
        morning = (NOW - dt.timedelta(days=back)).replace(hour=6)
        fake.post("kpszsu", post_id, "Загроза застосування балістичного озброєння!", morning - dt.timedelta(hours=5))
        fake.post("kpszsu", post_id + 3, night(morning.date(), 100 + back), morning)
        ids += [post_id, post_id + 3]
        post_id += 7
    return ids


@pytest.fixture
def fake():
    return FakeTelegram(page_size=5)


@pytest.fixture
def served(fake):
    with Serving(fake) as url:
        yield url


class Clock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def watcher(engine, served):
    clock = Clock(NOW)
    fetcher = Fetcher(timeout=1.0)
    w = Watcher(engine, fetcher, clock=clock, rng=random.Random(1), sleep=lambda s: None)
    w.test_clock = clock
    yield w
    fetcher.close()


def _follow(engine, url, name="kpszsu", kind="national", interval=300.0):
    with engine.begin() as conn:
        add_source(conn, name, platform="telegram", kind=kind, url=url, interval=interval,
                   now=NOW - dt.timedelta(minutes=1))


def _reports(engine):
    with engine.connect() as conn:
        return conn.execute(sa.select(reports.c.post_id, reports.c.revision, reports.c.withdrawn_at,
                                      reports.c.is_attack_report).order_by(reports.c.post_id, reports.c.revision)).all()


def _source(engine, name="kpszsu"):
    with engine.connect() as conn:
        return next(s for s in list_sources(conn) if s["name"] == name)


def _launched(engine, date: dt.date):
    with engine.connect() as conn:
        return conn.execute(sa.select(attack_totals.c.launched).join(attacks, attacks.c.id == attack_totals.c.attack_id)
                            .where(attacks.c.date == date, attack_totals.c.subject == "drones")).scalar()


def test_first_poll_reads_back_to_since_through_the_cursor(engine, fake, served, watcher):
    ids = history(fake)
    _follow(engine, served)
    result, = watcher.run(once=True)
    assert result.error is None and result.pages > 1
    # 7 days back: every post newer than that, and the rest of the page that crossed it, no more
    stored = [r.post_id for r in _reports(engine)]
    cutoff = NOW - dt.timedelta(days=7, minutes=1)
    expected = [i for i in ids if fake.find("kpszsu", i).published > cutoff]
    assert set(expected) <= set(stored) and min(stored) > min(ids)
    assert _source(engine)["last_post_id"] == max(ids)
    path, headers = fake.requests[0]
    assert path == "/s/kpszsu" and headers["user-agent"] == USER_AGENT
    assert any("before=" in p for p, _ in fake.requests)


def test_a_second_poll_is_conditional_and_stores_nothing_twice(engine, fake, served, watcher):
    history(fake)
    _follow(engine, served)
    watcher.run(once=True)
    before = _reports(engine)
    fake.requests.clear()
    result, = watcher.run(once=True)
    assert _reports(engine) == before and result.new == 0
    assert fake.requests[0][1].get("if-none-match")  # the latest page's ETag sent back


def test_new_post_edit_and_deletion(engine, fake, served, watcher):
    history(fake)
    _follow(engine, served)
    watcher.run(once=True)
    today = NOW.date()
    fake.post("kpszsu", 500, night(today, 300), NOW - dt.timedelta(minutes=5))
    result, = watcher.run(once=True)
    assert result.new == 1 and _launched(engine, today) == 300
    # the Air Force edits its morning post: a new revision, the attack follows it
    edited = fake.find("kpszsu", 500)
    edited.text, edited.edited = night(today, 320), True
    result, = watcher.run(once=True)
    assert result.revised == 1 and _launched(engine, today) == 320
    assert [(r.revision, r.withdrawn_at is not None) for r in _reports(engine) if r.post_id == 500] == [
        (1, True), (2, False)]
    # and deletes it: the report is withdrawn, its figures stop counting and stay stored
    edited.deleted = True
    result, = watcher.run(once=True)
    assert result.deleted == 1 and _launched(engine, today) is None
    assert all(r.withdrawn_at is not None for r in _reports(engine) if r.post_id == 500)


def test_a_post_older_than_the_recheck_window_is_not_called_deleted(engine, fake, served, watcher):
    ids = history(fake)
    _follow(engine, served)
    watcher.run(once=True)
    watcher.test_clock.now = NOW + dt.timedelta(days=3)
    result, = watcher.run(once=True)
    assert result.deleted == 0 and result.pages <= 2
    assert all(r.withdrawn_at is None for r in _reports(engine))
    assert ids


def _last_hours(fake, hours: int = 12) -> None:
    """A post an hour over the last ``hours`` hours, ids 200 on: 3 pages of 5."""
    for back in range(hours, 0, -1):
        fake.post("kpszsu", 212 - back, night((NOW - dt.timedelta(days=back)).date(), 100 + back),
                  NOW - dt.timedelta(hours=back))


@pytest.mark.parametrize("change", ["edited", "deleted"])
def test_an_older_page_is_read_again_at_the_first_poll_of_each_hour(engine, fake, served, watcher, change):
    _last_hours(fake)
    _follow(engine, served)
    watcher.run(once=True)
    older = fake.find("kpszsu", 202)  # on the oldest page: the latest page does not change
    if change == "edited":
        older.text, older.edited = night(older.published.date(), 999), True
    else:
        older.deleted = True
    watcher.test_clock.now = NOW + dt.timedelta(minutes=10)
    result, = watcher.run(once=True)  # the latest page unchanged (304); the re-read not due this hour
    assert (result.revised, result.deleted, result.pages) == (0, 0, 1)
    watcher.test_clock.now = NOW + dt.timedelta(minutes=61)
    result, = watcher.run(once=True)  # the next hour: the last 24 hours read again
    assert (result.revised, result.deleted) == ((1, 0) if change == "edited" else (0, 1))
    assert result.pages == 1 + 1 + 2  # the 304, the latest page again whole, the 2 pages before it
    rows = [r for r in _reports(engine) if r.post_id == 202]
    assert rows[-1].withdrawn_at is None if change == "edited" else all(r.withdrawn_at for r in rows)


@pytest.mark.parametrize("fault,message", [
    (Fault(429, retry_after="120"), "HTTP 429"),
    (Fault(503), "HTTP 503"),
    (Fault(200, delay=1.5, body="late"), "no answer"),
    (Fault(200, body="<html><body><p>Please wait...</p></body></html>"), "no post and no 'no posts' marker"),
])
def test_faults_are_recorded_and_the_next_poll_recovers(engine, fake, served, watcher, fault, message):
    history(fake, days=2)
    _follow(engine, served)
    fake.faults.append(fault)
    result, = watcher.run(once=True)
    assert message in result.error
    source = _source(engine)
    assert message in source["last_error"] and source["failures"] == 1 and _reports(engine) == []
    wait = (source["next_poll_at"].replace(tzinfo=UTC) - NOW).total_seconds()
    assert wait == pytest.approx(120 if fault.retry_after else 300)
    watcher.test_clock.now = NOW + dt.timedelta(seconds=wait + 1)
    assert watcher.poll_due()[0].error is None
    source = _source(engine)
    assert source["last_error"] is None and source["failures"] == 0 and len(_reports(engine)) == 4


def test_backoff_grows_and_honours_retry_after():
    assert [backoff(300, n, None) for n in (1, 2, 3, 10)] == [300, 600, 1200, 3600]
    assert backoff(300, 4, 30.0) == 30.0


def test_a_poll_killed_half_way_leaves_nothing_and_the_next_stores_everything_once(engine, fake, served, watcher,
                                                                                   monkeypatch):
    history(fake, days=3)
    _follow(engine, served)
    import airtally.sources.watch as watch_module

    calls = {"n": 0}
    real = watch_module.store_post

    def dies_on_the_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the process is killed mid-poll
        return real(*args, **kwargs)

    monkeypatch.setattr(watch_module, "store_post", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        watcher.run(once=True)
    assert _reports(engine) == [] and _source(engine)["last_post_id"] is None
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(source_posts)).scalar() == 0
    monkeypatch.setattr(watch_module, "store_post", real)
    watcher.run(once=True)
    watcher.run(once=True)
    assert len(_reports(engine)) == 6 and len({r.post_id for r in _reports(engine)}) == 6


def test_the_alert_channel_becomes_alert_events(engine, fake, served, watcher):
    start = NOW - dt.timedelta(hours=2)
    fake.post("air_alert_ua", 10, "🔴 10:00 Повітряна тривога в Харківська область\n#Харківська_область", start)
    fake.post("air_alert_ua", 11, "🔴 10:05 Повітряна тривога в Незнана громада\n#Незнана_громада",
              start + dt.timedelta(minutes=5))
    fake.post("air_alert_ua", 12, "🟢 10:40 Відбій тривоги в Харківська область.\n#Харківська_область",
              start + dt.timedelta(minutes=40))
    _follow(engine, served, "air_alert_ua", "alerts")
    result, = watcher.run(once=True)
    assert result.new == 2 and result.pending == 1
    with engine.connect() as conn:
        rows = conn.execute(sa.select(alert_events.c.region_code, alert_events.c.started_at, alert_events.c.finished_at)
                            .where(alert_events.c.source == "official")).all()
        pending = conn.execute(sa.select(source_posts.c.status, source_posts.c.note, source_posts.c.text)
                               .where(source_posts.c.post_key == "11")).one()
    assert [(r.region_code, r.finished_at.astimezone(UTC) - r.started_at.astimezone(UTC)) for r in rows] == [
        ("UA-63", dt.timedelta(minutes=40))]
    assert pending.status == "pending" and "#Незнана_громада" in pending.note and pending.text
    assert _reports(engine) == []


def test_a_second_watcher_on_one_sqlite_file_is_refused(tmp_path):
    from airtally.storage.database import open_database

    engine = open_database(f"sqlite:///{tmp_path / 'w.db'}")
    with watch_lock(engine):
        with pytest.raises(AirtallyError, match="another airtally watch is running"):
            with watch_lock(engine):
                pass
    with watch_lock(engine):  # free again once the first stopped
        pass
    engine.dispose()


@pytest.mark.postgres
def test_watchers_on_postgresql_share_the_sources(fake, served):
    from airtally.storage.database import open_database
    from tests.conftest import _drop_postgres, _fresh_postgres_url

    url = _fresh_postgres_url()
    engines = [open_database(url), open_database(url)]
    try:
        names = [f"chan{i}" for i in range(6)]
        for n, name in enumerate(names):
            for k in range(3):
                fake.post(name, k + 1, night((NOW - dt.timedelta(days=k)).date(), 100 + n), NOW - dt.timedelta(days=k))
            _follow(engines[0], served, name)
        fetchers = [Fetcher(timeout=2.0), Fetcher(timeout=2.0)]
        watchers = [Watcher(e, f, clock=lambda: NOW, rng=random.Random(i)) for i, (e, f) in
                    enumerate(zip(engines, fetchers))]
        results: list = [[], []]
        threads = [threading.Thread(target=lambda i=i: results[i].extend(watchers[i].poll_due())) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        polled = [r.source for rs in results for r in rs]
        assert sorted(polled) == names  # each source polled once, by one of them
        assert all(r.error is None for rs in results for r in rs)
        assert len(_reports(engines[0])) == 18
        for f in fetchers:
            f.close()
    finally:
        for e in engines:
            e.dispose()
        _drop_postgres(url)


def test_a_pending_post_is_read_again_once_the_registry_knows_its_place(engine, fake, served, watcher, monkeypatch):
    fake.post("air_alert_ua", 11, "🔴 10:05 Повітряна тривога в Незнана громада\n#Незнана_громада",
              NOW - dt.timedelta(days=3))
    _follow(engine, served, "air_alert_ua", "alerts")
    assert watcher.run(once=True)[0].pending == 1
    fake.find("air_alert_ua", 11).deleted = True  # long gone from the pages by the time the registry learns
    import airtally.catalog.place_tags as tags
    from airtally.catalog.place_tags import TagPlace

    real = tags.place_by_hashtag
    monkeypatch.setattr("airtally.alerts.channel.place_by_hashtag",
                        lambda tag: TagPlace("UA-59", "oblast") if tag == "#Незнана_громада" else real(tag))
    watcher.run(once=True)
    with engine.connect() as conn:
        status = conn.execute(sa.select(source_posts.c.status).where(source_posts.c.post_key == "11")).scalar()
        regions = conn.execute(sa.select(alert_events.c.region_code).where(alert_events.c.source == "official")).scalars().all()
    assert status == "stored" and regions == ["UA-59"]


def test_the_alerts_in_ua_client_is_polled_beside_the_sources(engine, fake, served):
    from airtally.alerts.alerts_in_ua import Snapshot
    from airtally.alerts.live import FakeClock, Fetched, MemorySink, NotModified, StaticSource
    from airtally.alerts.live import Watcher as AlertsApiWatcher

    api_source = StaticSource([Fetched(Snapshot(events=[], last_updated_at=None), "lm-1"), NotModified()])
    api = AlertsApiWatcher(api_source, MemorySink(), FakeClock(NOW), interval=10)
    history(fake, days=1)
    _follow(engine, served)
    fetcher = Fetcher(timeout=1.0)
    clock = Clock(NOW)
    watcher = Watcher(engine, fetcher, clock=clock, rng=random.Random(1), sleep=lambda s: None, alerts_api=api)
    watcher.run(once=True)
    assert api_source.asked == [None]
    watcher.run(max_rounds=1)  # not due yet: 10 s have not passed
    assert len(api_source.asked) == 1
    clock.now = NOW + dt.timedelta(seconds=11)
    watcher.run(max_rounds=1)
    fetcher.close()
    assert api_source.asked == [None, "lm-1"]


def test_a_post_the_extractor_fails_on_is_kept_and_the_others_stored(engine, fake, served, watcher, monkeypatch):
    history(fake, days=2)
    _follow(engine, served)
    import airtally.record.posts as posts_module

    real = posts_module.run_extract

    def breaks_on_107(text, published):
        if "(з 18:00" in text and "102 ударними" in text:
            raise ValueError("a bug")
        return real(text, published)

    monkeypatch.setattr(posts_module, "run_extract", breaks_on_107)
    result, = watcher.run(once=True)
    assert result.error is None and result.new == 3 and result.pending == 1
    with engine.connect() as conn:
        note = conn.execute(sa.select(source_posts.c.note).where(source_posts.c.status == "pending")).scalar()
    assert "internal error: ValueError: a bug" in note
    monkeypatch.setattr(posts_module, "run_extract", real)
    watcher.run(once=True)  # read again: stored now
    assert len(_reports(engine)) == 4


def test_the_loop_survives_a_database_error(engine, fake, served, watcher, monkeypatch):
    from airtally.errors import DatabaseError

    history(fake, days=1)
    _follow(engine, served)
    calls = {"n": 0}
    real = watcher.poll_due

    def locked_once(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise DatabaseError("the database stayed locked by another writer")
        return real(**kwargs)

    monkeypatch.setattr(watcher, "poll_due", locked_once)
    results = watcher.run(max_rounds=2)
    assert calls["n"] == 2 and [r.error for r in results] == [None]


def test_a_post_kept_to_re_read_and_then_deleted_is_not_stored_later(engine, fake, served, watcher, monkeypatch):
    import airtally.record.posts as posts_module

    for post_id, hours in ((100, 3), (101, 2), (102, 1)):
        fake.post("kpszsu", post_id, night((NOW - dt.timedelta(days=post_id - 99)).date(), post_id),
                  NOW - dt.timedelta(hours=hours))
    _follow(engine, served)
    real = posts_module.run_extract

    def fails_on_101(text, published):
        if "101 ударними" in text:
            raise ValueError("a bug")
        return real(text, published)

    monkeypatch.setattr(posts_module, "run_extract", fails_on_101)
    assert watcher.run(once=True)[0].pending == 1
    fake.find("kpszsu", 101).deleted = True
    assert watcher.run(once=True)[0].deleted == 1
    monkeypatch.setattr(posts_module, "run_extract", real)
    watcher.run(once=True)
    assert [r.post_id for r in _reports(engine)] == [100, 102]
