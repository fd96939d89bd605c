"""The dashboard's pages over HTTP (no browser): what each shows, filters in the URL, the
languages, framing headers, CSVs, and what an empty database says."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest

SEED = ("Overnight on 4 July Russia attacked Ukraine with 539 drones and 11 missiles. "
        "Air defence shot down 268 drones and 2 missiles. It was the largest air attack since the start of the "
        "full-scale invasion.")


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.text)))


def states(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-code="(UA-\d\d)" data-state="(\w+)"', html))


def test_overview_shows_the_latest_attack_and_how_it_ranked(client):
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert "Latest attack" in text and 'href="/attacks/2025-07-09"' in text
    assert "the largest drone attack on record (of 4) as of 2025-07-09; previous record: 539 on 2025-07-04" in text
    assert "3rd largest missile attack on record (of 4) as of 2025-07-09" in text
    assert "найбільша дронова атака (з 4) станом на 2025-07-09" in client.get("/?lang=uk").text
    assert 'class="bar launched"' in text and 'data-value="741"' in text  # the nightly chart's point (all weapons)
    assert re.search(r'<td class="num">1</td><td class="date"><a href="/attacks/\d+">2025-07-09</a></td><td class="num">741</td>', text)
    assert "2025-07: 1,291 launched up to day 9; 1st of 2 against the same days" in text  # 550 + 741 this month, all weapons; June to compare


def test_every_page_on_an_empty_database_says_how_to_fill_it(empty_client):
    overview = empty_client.get("/").text
    assert "The record is empty" in overview and "airtally demo" in overview and "airtally import curated" in overview
    assert "airtally import alerts" in empty_client.get("/alerts").text
    assert "No data for these filters" in empty_client.get("/charts/nightly.svg").text
    assert empty_client.get("/charts/running.csv").text.strip() == "month,day,class,measure,cumulative"
    missing = empty_client.get("/attacks/2025-07-04")
    assert missing.status_code == 404 and "no attack ended on 2025-07-04" in missing.text
    assert empty_client.get("/paste").status_code == 200


def test_the_attack_page_links_every_figure_to_its_highlighted_evidence(client):
    page = client.get("/attacks/2025-07-04")
    assert page.status_code == 200
    text = page.text
    links = set(re.findall(r'class="evidence-link" href="#(ev-\d+)"', text))
    assert len(links) >= 10
    for anchor in links:  # every link has its target, inside highlighted text
        assert f'id="{anchor}"' in text
        assert re.search(rf'data-spans="[^"]*\b{anchor}\b', text), anchor
    assert re.search(r'<mark class="evidence" data-spans="[^"]+">539 ударними БпЛА', text)
    assert re.search(r'href="#ev-\d+">539</a>', text) and re.search(r'href="#ev-\d+">268</a>', text)
    assert text.count('class="source kind-') == 3  # Air Force, the news article, the southern command
    assert "Iskander-M" in text  # figures by model, with the catalogue's names
    sources = text[text.index('class="sources"'):]
    assert "<td>Iskander-M/KN-23</td>" in sources and "<td>drones</td>" in sources  # names, not the record's ids
    assert not re.search(r"<td>(iskander-m|iskander-k|kh-47m2|decoy)</td>", sources)
    assert "<td>дрони</td>" in client.get("/attacks/2025-07-04?lang=uk").text
    assert "The stored alert history does not cover this night." in text
    assert 'data-state="unknown"' in text and 'data-state="none"' not in text
    same = client.get(f"/attacks/{_attack_id(client)}")
    assert same.status_code == 200 and "The attack that ended on <span class=\"nowrap\">2025-07-04</span>" in same.text  # the date kept on one line


def _attack_id(client) -> int:
    found = re.search(r'href="/attacks/(\d+)">2025-07-04</a>', client.get("/").text)
    return int(found.group(1))


def test_a_news_article_is_quoted_around_its_evidence_not_whole(client):
    text = client.get("/attacks/2025-07-04").text
    article = text[text.index("airtally example news (English)"):]
    article = article[:article.index("</article>")]
    assert "[…]" in article and "539 drones" in article
    assert "Kremlin says it will keep pursuing" not in article  # far from any figure


def test_revisions_are_shown_superseded(client, filled):
    from airtally.record.ingest import ingest_text

    later = SEED.replace("268 drones", "270 drones")
    kyiv = dt.timezone(dt.timedelta(hours=3))
    ingest_text(filled, SEED, origin="test", published=dt.datetime(2025, 7, 4, 10, tzinfo=kyiv), source="reviser", kind="news")
    ingest_text(filled, later, origin="test", published=dt.datetime(2025, 7, 4, 12, tzinfo=kyiv), source="reviser", kind="news")
    text = client.get("/attacks/2025-07-04").text
    reviser = text[text.index("<h3>reviser</h3>"):]
    reviser = reviser[:reviser.index("</article>")]
    assert 'class="superseded' in reviser and "superseded by a later revision" in reviser


def test_pages_may_not_be_framed_but_embeds_may(client):
    for path in ("/", "/attacks/2025-07-04", "/alerts", "/paste"):
        headers = client.get(path).headers
        assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "default-src 'self'" in headers["content-security-policy"]
    for path in ("/embed/nightly", "/embed/alerts-map", "/charts/monthly.svg"):
        headers = client.get(path).headers
        assert "x-frame-options" not in headers and "frame-ancestors *" in headers["content-security-policy"]


def test_embeds_show_the_chart_alone(client):
    page = client.get("/embed/monthly?class=drones")
    assert page.status_code == 200 and "<svg" in page.text and "<nav>" not in page.text
    assert 'data-value="1267"' in page.text  # July's drones: 539 + 728
    assert client.get("/embed/nonsense").status_code == 400


def test_the_ukrainian_switch_changes_the_labels(client):
    english, ukrainian = client.get("/").text, client.get("/?lang=uk").text
    assert "Latest attack" in english and "Остання атака" in ukrainian and "Latest attack" not in ukrainian
    assert '<html lang="uk">' in ukrainian
    assert "2025-07: 1\u00a0291 запущено до 9-го числа" in ukrainian and "за київським часом" in ukrainian  # 1 291, not 1,291
    assert 'class="lang-switch" href="/?lang=en"' in ukrainian
    assert "Тривоги" in client.get("/alerts?lang=uk").text
    bad = client.get("/?lang=fr")
    assert bad.status_code == 400 and "unknown language 'fr' (use one of: en, uk)" in html.unescape(bad.text)


def test_filters_live_in_the_url_and_the_csv_follows_them(client):
    page = client.get("/?class=drones&from=2025-07-01")
    assert 'value="2025-07-01"' in page.text and '<option value="drones" selected>' in page.text
    nightly = rows_of(client.get("/charts/nightly.csv?class=drones&from=2025-07-01"))
    quiet = [(f"2025-07-0{day}", "0", "0") for day in range(5, 9)]  # nights without an attack stand as zero
    assert [(r["period"], r["launched"], r["destroyed"]) for r in nightly] == [("2025-07-04", "539", "268"), *quiet, ("2025-07-09", "728", "296")]
    assert client.get("/charts/nightly.csv").headers["content-disposition"] == 'attachment; filename="airtally-nightly.csv"'
    monthly = rows_of(client.get("/charts/monthly.csv?class=all"))
    assert [(r["period"], r["launched"]) for r in monthly] == [("2025-06", "1009"), ("2025-07", "1291")]
    running = rows_of(client.get("/charts/running.csv?class=all"))
    assert {"month": "2025-07", "day": "9", "class": "all", "measure": "launched", "cumulative": "1291"} in running
    bad = client.get("/?from=yesterday")
    assert bad.status_code == 400 and "not a from date: 'yesterday'" in html.unescape(bad.text)
    assert client.get("/charts/nightly.csv?class=tanks").status_code == 400
    assert client.get("/charts/nightly.png").status_code == 404


def test_the_alert_map_shows_each_oblast_at_a_time(client):
    text = client.get("/alerts?at=2022-10-10T08:20").text
    found = states(text)
    assert len(found) == 27
    assert (found["UA-30"], found["UA-46"], found["UA-71"], found["UA-09"], found["UA-51"]) == ("full", "full", "partial", "permanent", "none")
    # regions the history has no alert of at all (the fixture has none for Sevastopol or Chernihiv) are unknown, not calm
    assert (found["UA-40"], found["UA-74"]) == ("unknown", "unknown")
    later = states(client.get("/alerts?day=2022-10-10&m=545").text)  # 09:05: Kyiv's alert is over, Lviv's not
    assert (later["UA-30"], later["UA-46"]) == ("none", "full")
    assert "Per oblast in 2022-10" in text and "Lviv Oblast" in text
    assert client.get("/charts/alerts-map.svg?day=2022-10-10&m=545").text.count('data-state="full"') == 1


def test_a_time_outside_the_alert_history_is_not_shown_as_calm(client):
    text = client.get("/alerts?at=2025-07-04T03:00").text
    assert "does not cover 2025-07-04 03:00: it runs from 2022-10-10 08:00 to 2023-03-26 05:00" in text  # Kyiv time
    # Kyiv's alert of 2023-03-26 has no end stored: it must not make July 2025 a nationwide alert
    assert "Nationwide alerts in" not in text and "Per oblast in" not in text
    found = states(text)
    assert "none" not in found.values() and found["UA-30"] == "unknown" and found["UA-09"] == "permanent"
    assert 'href="/alerts?at=2023-03-26T05%3A00"' in text  # the last covered minute (02:00 UTC, summer time)
    assert client.get("/alerts?at=someday").status_code == 400
    assert client.get("/alerts?day=2022-10-10&m=noon").status_code == 400


@pytest.mark.parametrize("day, minute, status, message", [
    ("2022-10-10", "1439", 200, None),
    ("2022-10-10", "1440", 400, "use 0 to 1439"),  # 2022-10-11 00:00, shown as 2022-10-10's
    ("2022-10-10", "1499", 400, "use 0 to 1439"),
    ("2022-10-30", "1499", 200, None),  # summer time ends: Kyiv's day has 25 hours
    ("2022-10-30", "1500", 400, "use 0 to 1499"),
    ("2023-03-26", "1379", 200, None),  # summer time begins: 23 hours
    ("2023-03-26", "1380", 400, "use 0 to 1379"),
    ("2022-10-10", "-1", 400, "use 0 to 1439"),
    ("2022-10-10", "99999999999999999999", 400, "use 0 to 1439"),
    ("2022-10-10", "1e400", 400, "use 0 to 1439"),
])
@pytest.mark.parametrize("path", ["/alerts", "/charts/alerts-map.svg"])
def test_the_slider_minute_is_bounded_by_the_length_of_kyivs_day(client, path, day, minute, status, message):
    answer = client.get(path, params={"day": day, "m": minute})
    assert answer.status_code == status
    if message:
        assert f"not a minute of the day {day}" in answer.text and message in answer.text


def test_the_paste_form_extracts_without_javascript(client):
    page = client.post("/paste", data={"text": SEED, "published": "2025-07-04T10:00"})
    assert page.status_code == 200
    text = page.text
    assert re.search(r'data-subject="drones" data-measure="launched"><a class="evidence-link" href="#x-\d+">539</a>', text)
    assert re.search(r'data-subject="drones" data-measure="destroyed"><a class="evidence-link" href="#x-\d+">268</a>', text)
    assert re.search(r'<mark class="evidence" data-spans="[^"]+">539 drones</mark>', text)
    assert 'verdict-supported' in text  # 550 launched beat 537 on 2025-06-29, the record before it
    assert "537" in text
    empty = client.post("/paste", data={"text": "  "})
    assert empty.status_code == 400 and "Paste some text first." in empty.text
    assert client.get("/attacks/2025-07-04").text.count('class="source kind-') == 3  # nothing was stored


def _claim_checks(page: str) -> str:
    """The words the paste page's claim checks say, less the claims they quote."""
    section = re.search(r'<ul class="claims">(.*?)</ul>', page, re.S).group(1)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<q [^>]*>.*?</q>|<[^>]+>", " ", section, flags=re.S))).strip()


def _english_notes_in(text: str) -> list[str]:
    """The claim check's English wordings (their longest stretch between placeholders) in ``text``."""
    from airtally.analytics.claim_notes import wordings

    stretches = {code: max(re.split(r"\{[^}]*\}", wording), key=len).strip(" .:;,()") for code, wording in wordings()["en"]["notes"].items()}
    return [f"{code}: {stretch!r}" for code, stretch in stretches.items() if len(stretch) >= 6 and stretch in text]


# The paste page's claim check in the page's language: the verdict, its explanation, the
# disagreement between the classes and the note on where the record starts
PASTE_CHECKS = [
    ("en", ["supported — the attack that ended on 2025-07-04 has 550 launched (all weapons), at least the largest before it "
            "since the start of the record: 537 on 2025-06-29",
            "largest by all weapons but not by missiles (record 2025-06-29: 60)",
            "the record starts on 2025-06-17, after the period's start 2022-02-24: earlier attacks are not in it"]),
    ("uk", ["підтверджено — в атаці, що закінчилася 2025-07-04, запущено 550 (дрони й ракети) — не менше, ніж у найбільшій "
            "попередній атаці від початку запису: 537, 2025-06-29",
            "найбільше дронів і ракет, але не ракет (рекорд 2025-06-29: 60)",
            "запис починається 2025-06-17, пізніше за початок періоду (2022-02-24): раніших атак у ньому немає"]),
]


@pytest.mark.parametrize("lang, sentences", PASTE_CHECKS, ids=[p[0] for p in PASTE_CHECKS])
def test_the_paste_pages_claim_check_speaks_the_pages_language(client, lang, sentences):
    page = client.post(f"/paste?lang={lang}", data={"text": SEED, "published": "2025-07-04T10:00"}).text
    said = _claim_checks(page)
    for sentence in sentences:
        assert sentence in said
    if lang == "uk":  # no English note, and no part marked as English
        assert _english_notes_in(said) == [] and not re.findall(r"[A-Za-z]{3,}", said), said
        section = re.search(r'<ul class="claims">(.*?)</ul>', page, re.S).group(1)
        assert 'lang="en"' not in re.sub(r"<q [^>]*>.*?</q>", "", section)  # only the quoted claim is in its own language


def _marked(text: str, key: str) -> list[str]:
    """The texts of the marks carrying ``key`` in their data-spans."""
    return [m.group(2) for m in re.finditer(r'<mark class="evidence" data-spans="([^"]+)">([^<]*)</mark>', text)
            if key in m.group(1).split()]


@pytest.mark.parametrize(("subject", "measure", "spans"), [
    ("drones", "launched", ["539 drones"]),
    ("missiles", "launched", ["11 missiles"]),
    ("all", "launched", ["539 drones", "11 missiles"]),  # a sum rests on each of its parts
    ("all", "destroyed", ["268 drones", "2 missiles"]),
])
def test_a_pasted_figure_links_to_its_own_spans(client, subject, measure, spans):
    """Each figure's value links to an anchor of its own, at its first span, and every span the
    figure holds is marked with that anchor's key (one anchor per key on the page)."""
    text = client.post("/paste", data={"text": SEED, "published": "2025-07-04T10:00"}).text
    found = re.search(rf'data-subject="{subject}" data-measure="{measure}"><a class="evidence-link" href="#([^"]+)">', text)
    assert found, (subject, measure)
    key = found.group(1)
    assert _marked(text, key) == spans
    assert text.count(f'id="{key}"') == 1


def test_the_paste_form_says_when_a_text_reports_no_attack(client):
    text = client.post("/paste?lang=uk", data={"text": "Сьогодні в Києві сонячно і тепло."}).text
    assert "Цей текст не повідомляє про атаку" in text


def test_the_api_app_serves_the_pages_with_their_headers(db_url):
    from fastapi.testclient import TestClient

    from airtally.api.app import create_app
    from airtally.storage.database import Database
    from tests.web.conftest import fill

    with Database.open(db_url) as database:
        fill(database.engine)
        with TestClient(create_app(database)) as client:
            page = client.get("/attacks/2025-07-04?lang=uk")
            assert page.status_code == 200 and "Атака, що закінчилася <span class=\"nowrap\">2025-07-04</span>" in page.text
            assert page.headers["x-frame-options"] == "DENY"
            assert "frame-ancestors *" in client.get("/embed/monthly").headers["content-security-policy"]
            assert client.get("/static/app.js").status_code == 200
            assert client.get("/api/health").status_code == 200


def test_the_attack_page_maps_the_oblasts_under_alert_during_a_covered_night(client, filled):
    from airtally.record.ingest import ingest_text

    text = "Overnight on 30 October Russia launched 10 drones at Ukraine. Air defence shot down 8 drones."
    kyiv = dt.timezone(dt.timedelta(hours=2))  # winter time since 04:00 that night
    ingest_text(filled, text, origin="test", published=dt.datetime(2022, 10, 30, 10, tzinfo=kyiv), source="test", kind="news")
    page = client.get("/attacks/2022-10-30").text
    assert "does not cover this night" not in page
    found = states(page)
    # graded by the share of the night under alert: Kharkiv's 60 minutes of a 16-hour window is q1
    assert (found["UA-63"], found["UA-30"], found["UA-46"]) == ("q1", "none", "none")
    assert "under alert for more than three quarters of the night" in page  # the graded legend
    assert '<td>Kharkiv Oblast</td><td class="num">60.0</td>' in page
    assert '<td>Харківська область</td><td class="num">60.0</td>' in client.get("/attacks/2022-10-30?lang=uk").text
    assert "балістична ракета" in client.get("/attacks/2025-07-04?lang=uk").text  # Iskander-M's class
    assert 'href="/alerts?at=2022-10-30T09%3A00"' in page  # the window's end, Kyiv time
    rows = rows_of(client.get("/charts/attack-alerts.csv?attack=2022-10-30"))
    assert [(r["code"], r["minutes_under_alert"]) for r in rows] == [("UA-63", "60.0")]
    assert client.get("/embed/attack-alerts?attack=2022-10-30").status_code == 200
    assert client.get("/charts/attack-alerts.csv").status_code == 400
    assert rows_of(client.get("/charts/attack-alerts.csv?attack=2025-07-04")) == []  # not covered: no rows


def test_the_attack_page_lists_the_threats_of_its_window_with_the_notice(client, filled):
    from airtally.record.threats import store_threats

    utc = dt.timezone.utc
    with filled.begin() as conn:  # the night ending 2025-07-04: 18:00 to 09:00 Kyiv time (15:00-06:00 UTC)
        store_threats(conn, "kpszsu", "10", dt.datetime(2025, 7, 3, 22, 12, tzinfo=utc), "Група ударних БпЛА на Харківщині, курсом на Полтавщину.")
        store_threats(conn, "kpszsu", "11", dt.datetime(2025, 7, 3, 23, 0, tzinfo=utc), "Відбій загрози для Полтавщини.")
        store_threats(conn, "kpszsu", "12", dt.datetime(2025, 7, 5, 22, 0, tzinfo=utc), "КАБи на Донеччину!")  # another night
    page = client.get("/attacks/2025-07-04").text
    assert "not official alerts, they do not replace air-raid sirens" in page
    assert re.findall(r'data-type="(\w+)"', page) == ["strike_drones", "all_clear"]
    assert "<td>07-04 01:12</td>" in page and "Kharkiv Oblast" in page and "<td>Полтавщину</td><td>07-04 02:00</td>" in page
    assert "не замінюють сирен" in client.get("/attacks/2025-07-04?lang=uk").text
    assert "No threat posts stored" in client.get("/attacks/2025-07-09").text


def test_casualty_figures_show_their_confidence_and_wait_on_the_review_page(engine):
    from fastapi.testclient import TestClient

    from tests.record.test_casualty_review import _store
    from tests.web.conftest import dashboard_app

    _store(engine, "Kyiv city administration: 2 killed.", "kyiv_ova", "regional", {"killed": 2})
    _store(engine, "Reuters: 30 killed, 12 injured.", "reuters", "news", {"killed": 30, "injured": 12},
                  low=("killed", "injured"))
    with TestClient(dashboard_app(engine)) as client:
        attack = client.get("/attacks/2025-07-04").text
        review = client.get("/review?lang=uk").text
    counted = re.search(r'<p class="casualties" id="casualties">(.*?)</p>', attack, re.S).group(1)
    # the official 2 killed stands; the news article's 12 injured counts, marked
    assert re.sub(r"<[^>]+>", "", counted).split(": ", 1)[1] == "2 killed, 12 injured (unconfirmed)"
    rows = re.findall(r'<tr class="casualty-row[^"]*" data-casualty="(\d+)">.*?<td class="note">(.*?)</td>', attack, re.S)
    assert [("unconfirmed" in note) for _, note in rows] == [False, True, True]
    waiting = re.findall(r'<tr id="casualty-(\d+)" data-casualty="\d+">.*?<td data-label="Що">(Постраждалі: [^<]+)</td>.*?'
                         r'data-endpoint="(/api/review/casualties/\d+)"', review, re.S)
    assert [(what, endpoint) for _, what, endpoint in waiting] == [
        ("Постраждалі: загинули", f"/api/review/casualties/{waiting[0][0]}"),
        ("Постраждалі: поранені", f"/api/review/casualties/{waiting[1][0]}")]


# the overview over a record where some attacks rest on unconfirmed figures (the latest, 2025-07-10,
# is confirmed; 2025-07-09's 728 drones is not): what each part says, per language
OVERVIEW_UNCONFIRMED = [
    ("en", ["6th largest drone attack on record (of 9) as of 2025-07-10; previous record: 728 on 2025-07-09 "
            "(unconfirmed); the largest confirmed: 539 on 2025-07-04; larger attacks resting on unconfirmed figures: 3; "
            "3rd largest among confirmed attacks",
            "The first place rests on unconfirmed figures. The largest confirmed attack: 550 launched, 2025-07-04",
            "Some of these months count attacks resting on unconfirmed figures (this month so far: 1)."]),
    ("uk", ["попередній рекорд: 728, 2025-07-09 (не підтверджено); найбільша підтверджена: 539, 2025-07-04; "
            "більших атак із непідтвердженими даними: 3; 3-е місце серед підтверджених",
            "Перше місце спирається на непідтверджені дані. Найбільша підтверджена атака: запущено 550, 2025-07-04",
            "цього місяця досі: 1"]),
]


@pytest.mark.parametrize("lang, sentences", OVERVIEW_UNCONFIRMED, ids=[o[0] for o in OVERVIEW_UNCONFIRMED])
def test_the_overview_marks_ranks_records_and_months_resting_on_unconfirmed_figures(engine, lang, sentences):
    from fastapi.testclient import TestClient

    from tests.analytics.conftest import RecordBuilder
    from tests.analytics.test_ranking import UNCONFIRMED
    from tests.web.conftest import dashboard_app

    RecordBuilder(engine)(UNCONFIRMED)
    with TestClient(dashboard_app(engine)) as client:
        page = client.get(f"/?lang={lang}").text
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))
    for sentence in sentences:
        assert sentence in text
    marked = re.findall(r'<tr class="unconfirmed-row"><td class="num">(\d+)</td><td class="date"><a [^>]+>([\d-]+)</a>', page)
    # the table is of all weapons: an attack is unconfirmed there when its drones or its missiles are
    assert marked == [("1", "2025-07-09"), ("3", "2025-06-15"), ("5", "2025-03-20"), ("9", "2025-04-10")]


@pytest.mark.parametrize("record, marked", [("unconfirmed", True), ("confirmed", False)])
def test_the_paste_pages_check_marks_a_verdict_resting_on_an_unconfirmed_record(engine, record, marked):
    from fastapi.testclient import TestClient

    from tests.analytics.conftest import RecordBuilder
    from tests.web.conftest import dashboard_app

    # the record before the pasted night: 500 drones on 2025-07-03, confirmed or not
    RecordBuilder(engine)(f"2025-07-03  merged  drones  500  400  90  {'unconfirmed' if marked else ''}")
    with TestClient(dashboard_app(engine)) as client:
        page = client.post("/paste", data={"text": SEED, "published": "2025-07-04T10:00"}).text
    verdict = re.search(r'<strong class="verdict verdict-(\w+)">[^<]+</strong>( <span class="unconfirmed">)?', page)
    assert (verdict.group(1), verdict.group(2) is not None) == ("supported", marked)
