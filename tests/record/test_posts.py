"""Channel posts in the record: identity by (channel, post id), revisions, withdrawals, one source."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from airtally.record.posts import ingest_posts, store_post, withdraw_post
from airtally.sources.posts import Post
from airtally.storage.tables_record import attack_totals, attacks, figures, reports

UTC = dt.timezone.utc
AT = dt.datetime(2025, 7, 4, 6, 40, tzinfo=UTC)
NIGHT = ("У ніч на 4 липня (з 18:00 3 липня) противник атакував 539 ударними БпЛА типу Shahed та "
         "дронами-імітаторами і 11 ракетами. Станом на 09:00 збито/подавлено 270 засобів: 268 БпЛА та 2 ракети.")
EDITED = NIGHT.replace("539 ударними", "550 ударними")


def post(post_id: int, text: str = NIGHT, at: dt.datetime = AT, channel: str = "kpszsu") -> Post:
    return Post(channel, post_id, at, text)


def _store(engine, *posts, kind="national"):
    with engine.begin() as conn:
        return [store_post(conn, p, kind=kind) for p in posts]


def _drones(engine) -> dict:
    with engine.connect() as conn:
        row = conn.execute(sa.select(attack_totals.c.launched, attack_totals.c.destroyed)
                           .where(attack_totals.c.subject == "drones")).first()
    return None if row is None else {"launched": row.launched, "destroyed": row.destroyed}


def _reports(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            sa.select(reports.c.id, reports.c.post_id, reports.c.revision, reports.c.withdrawn_at).order_by(reports.c.id))]


def test_two_posts_with_the_same_text_are_two_reports(engine):
    outcomes = _store(engine, post(1), post(2))
    assert [o.status for o in outcomes] == ["stored", "stored"]
    assert [(r["post_id"], r["revision"]) for r in _reports(engine)] == [(1, 1), (2, 1)]


def test_the_same_post_read_twice_with_other_white_space_is_one_revision(engine):
    export_text = NIGHT.replace(" ", "\u00a0", 3) + "\n"
    outcomes = _store(engine, post(1), post(1, export_text))
    assert [o.status for o in outcomes] == ["stored", "duplicate"]
    assert len(_reports(engine)) == 1


def test_an_edit_is_a_new_revision_and_the_figures_follow_it(engine):
    _store(engine, post(1))
    assert _drones(engine)["launched"] == 539
    outcome, = _store(engine, post(1, EDITED))
    assert outcome.status == "revised"
    assert _drones(engine)["launched"] == 550
    rows = _reports(engine)
    assert [(r["revision"], r["withdrawn_at"] is not None) for r in rows] == [(1, True), (2, False)]
    with engine.connect() as conn:  # the old figures stay stored, superseded
        old = conn.execute(sa.select(figures.c.value, figures.c.superseded_by)
                           .where(figures.c.report_id == rows[0]["id"], figures.c.subject == "drones",
                                  figures.c.measure == "launched")).one()
    assert old.value == 539 and old.superseded_by is not None


def test_a_revision_that_drops_a_figure_stops_it_counting(engine):
    _store(engine, post(1))
    _store(engine, post(1, "У ніч на 4 липня (з 18:00 3 липня) противник атакував 539 ударними БпЛА."))
    assert _drones(engine) == {"launched": 539, "destroyed": None}


def test_a_deleted_post_is_withdrawn_and_comes_back_when_seen_again(engine):
    _store(engine, post(1))
    with engine.begin() as conn:
        assert withdraw_post(conn, "kpszsu", 1, AT) is not None
        assert withdraw_post(conn, "kpszsu", 1, AT) is None  # already withdrawn
    assert _drones(engine) is None
    assert _reports(engine)[0]["withdrawn_at"] is not None
    outcome, = _store(engine, post(1))
    assert outcome.status == "reinstated" and _drones(engine)["launched"] == 539


def _night_totals(engine, subjects=("drones", "missiles")) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(
            sa.select(attack_totals.c.subject, attack_totals.c.launched)
            .join(attacks, attacks.c.id == attack_totals.c.attack_id)
            .where(attacks.c.date == dt.date(2025, 7, 4), attack_totals.c.subject.in_(subjects))).all())


def _current_origins(engine) -> set[str]:
    """The reports whose figures of the night still count."""
    with engine.connect() as conn:
        return set(conn.execute(
            sa.select(reports.c.origin).join(figures, figures.c.report_id == reports.c.id)
            .join(attacks, attacks.c.id == figures.c.attack_id)
            .where(attacks.c.date == dt.date(2025, 7, 4), reports.c.kind == "national",
                   figures.c.superseded_by.is_(None))).scalars())


# The channel's post as the Air Force writes it: classes and models (the curated set's rows
# name the same models, its Kinzhal as 'X-47 Kinzhal', the post as 'Х-47М2 «Кинджал»').
NIGHT_WITH_MODELS = NIGHT.replace("і 11 ракетами.", "і 11 ракетами: 6 балістичних ракет Іскандер-М/KN-23, "
                                  "4 крилаті ракети Іскандер-К та 1 аеробалістична ракета Х-47М2 «Кинджал».")
PER_MODEL = ("drones", "missiles", "shahed", "iskander-m", "iskander-k", "kinzhal")


@pytest.mark.parametrize("text", [NIGHT, NIGHT_WITH_MODELS], ids=["classes", "classes and models"])
def test_a_night_from_the_curated_set_then_from_the_channel_is_not_doubled(imported, text):
    before = _night_totals(imported, PER_MODEL)
    assert before == {"drones": 539, "missiles": 11, "shahed": 539, "iskander-m": 6, "iskander-k": 4, "kinzhal": 1}
    _store(imported, post(13990, text))
    after = _night_totals(imported, PER_MODEL)
    assert {k: after.get(k) for k in before if k in after} == {k: before[k] for k in after}
    assert after["drones"] == 539 and after["missiles"] == 11
    # one source: the channel's report is the curated row's later revision and replaces it whole
    assert _current_origins(imported) == {"https://t.me/kpszsu/13990"}
    with imported.connect() as conn:
        sources_of_night = conn.execute(
            sa.select(reports.c.source_id).distinct().join(attacks, attacks.c.id == reports.c.attack_id)
            .where(attacks.c.date == dt.date(2025, 7, 4), reports.c.kind == "national")).scalars().all()
    assert len(sources_of_night) == 1


def test_ingest_posts_is_idempotent(engine):
    posts = [post(i, NIGHT if i % 2 else EDITED, AT + dt.timedelta(minutes=i)) for i in range(1, 6)]
    first = ingest_posts(engine, posts, kind="national", batch=2)
    again = ingest_posts(engine, posts, kind="national", batch=2)
    assert first.stored == 5 and again.duplicates == 5 and again.stored == 0
    assert len(_reports(engine)) == 5


def test_an_empty_post_stores_nothing(engine):
    outcome, = _store(engine, post(3, "  "))
    assert outcome.status == "empty" and _reports(engine) == []


def test_an_edit_undone_is_a_third_revision(engine):
    _store(engine, post(1), post(1, EDITED), post(1))
    rows = _reports(engine)
    assert [r["revision"] for r in rows] == [1, 2, 3]
    assert [r["withdrawn_at"] is None for r in rows] == [False, False, True]
    assert _drones(engine)["launched"] == 539


def test_posts_are_counted_as_files_are(engine):
    """One way from an extraction to an outcome and one summary, for posts and files alike."""
    from airtally.record.ingest import IngestSummary, ingest_text

    polish = "Dzisiaj w nocy Rosja zaatakowała Ukrainę dronami."
    posts = [post(1), post(2, "  "), post(3, polish), post(1, EDITED, AT + dt.timedelta(hours=1))]
    summary = ingest_posts(engine, posts, kind="national")
    assert isinstance(summary, IngestSummary)
    assert (summary.stored, summary.revised, summary.empty, summary.unsupported_language) == (1, 1, 1, 1)
    assert ingest_text(engine, polish, origin="p.txt", kind="national").status == "unsupported_language"
    assert len(_reports(engine)) == 2  # the post's two revisions; nothing of the Polish text


def test_a_night_from_the_channel_then_from_the_curated_set_is_not_doubled(engine, curated_csv):
    from airtally.record.curated import import_curated

    _store(engine, post(13990, NIGHT_WITH_MODELS))
    import_curated(curated_csv, engine)
    assert _night_totals(engine, PER_MODEL) == {"drones": 539, "missiles": 11, "shahed": 539, "iskander-m": 6,
                                                "iskander-k": 4, "kinzhal": 1}
    # the data set's row has no publication time: the later to arrive is the current account
    assert _current_origins(engine) == {"kpszsu/posts/p0704"}
