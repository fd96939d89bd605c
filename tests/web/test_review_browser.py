"""The review page in Debian's chromium: a figure read with low confidence is corrected with the
token typed into the page (sent as a bearer header, no cookie), and the record follows."""

from __future__ import annotations

import pytest

from tests.record.test_review import TEXT, _store
from tests.web.test_browser import _airtally, _chromium, _serve, browser, page, server, shoot  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``airtally serve`` over a database holding one news report whose drones launched (600) was
    read with low confidence, and a write token: (base URL, token)."""
    yield from _served_with_a_low_figure(tmp_path_factory)


@pytest.fixture(scope="module")
def served_untouched(tmp_path_factory):
    """The same, for tests that only look (the tests above decide on the figure)."""
    yield from _served_with_a_low_figure(tmp_path_factory)


def _served_with_a_low_figure(tmp_path_factory):
    from airtally.storage.database import Database

    _chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('review') / 'airtally.db'}"
    with Database.open(url) as database:
        _store(database.engine, TEXT, "reuters", "news", {"launched": 600, "destroyed": 476}, low=("launched",))
    token = _airtally("token", "create", "desk-editor", "--db", url).stdout.strip()
    yield from _serve(url, tmp_path_factory, token)


def test_a_low_figure_is_corrected_on_the_review_page(served, page):
    server, token = served
    page.goto(server + "/attacks/2025-07-04")
    assert page.locator("#unconfirmed").count() == 1  # the attack says its figures are unconfirmed
    page.goto(server + "/review")
    row = page.locator("#review-waiting tbody tr")
    assert row.count() == 1 and "600" in row.inner_text()
    form = row.locator("form.decide-form")
    assert form.is_visible()  # the forms show once the script runs
    form.locator("select").select_option("correct")
    form.locator("input[name=value]").fill("539")
    form.locator("input[name=note]").fill("the Air Force's post says 539")
    page.fill("#token", "not-the-token")
    form.locator("button").click()
    page.wait_for_selector("form.decide-form output.failed")
    assert "Not stored" in form.locator("output").inner_text()
    page.fill("#token", token)
    form.locator("button").click()
    page.wait_for_selector("form.decide-form output.ok")
    assert form.locator("output").inner_text() == "Stored: correct by desk-editor."
    assert page.context.cookies() == []  # the token went as a header
    shoot(page, "review-decided")
    page.reload()
    assert page.locator("#review-none").count() == 1
    decided = page.locator("#review-decided tbody tr").inner_text()
    assert "600 → 539" in decided and "desk-editor" in decided and "corrected" in decided
    page.goto(server + "/attacks/2025-07-04")
    assert page.locator("#unconfirmed").count() == 0
    assert "539" in page.locator("table.totals").inner_text()
    assert [e for e in page.errors if "401" not in e] == []  # the wrong token's answer is expected


def test_the_review_page_in_ukrainian_and_without_javascript(served, browser):
    server, _ = served
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(server + "/review?lang=uk")
    assert "Дані, що чекають на перевірку" in plain.inner_text("h1")
    assert plain.locator("form.decide-form").first.is_hidden()  # deciding needs the script, and says so
    assert "потрібен JavaScript" in plain.inner_text("main")
    context.close()


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_on_a_phone_a_waiting_figure_is_a_card_with_its_decision_on_screen(served_untouched, browser, lang):
    server, _ = served_untouched
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(server + f"/review?lang={lang}")
    row = phone.locator("#review-waiting tbody tr")
    assert phone.locator("#review-waiting thead").is_hidden()  # each cell names its column instead
    value = row.locator("td.num")
    assert value.evaluate("td => getComputedStyle(td, '::before').content") == '"' + phone.inner_text("#review-waiting thead th:nth-child(4)") + '"'
    button = row.locator("form.decide-form button").bounding_box()
    assert button["x"] >= 0 and button["x"] + button["width"] <= 390, "the decision is off the screen"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, f"review-phone-{lang}")
    context.close()
