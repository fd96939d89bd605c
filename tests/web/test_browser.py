"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against
``airtally serve`` on loopback. Skipped (with the reason) when no chromium is installed, a failure when CI is set.

Screenshots of every page are saved under $AIRTALLY_ARTIFACTS (default tmp/artifacts in the
checkout), path printed, to be looked at.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.web.conftest import fill
from tests.web.test_pages import SEED

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("AIRTALLY_ARTIFACTS", ROOT / "tmp" / "artifacts")) / "screenshots"
PAGES = {
    "overview": "/",
    "overview-uk": "/?lang=uk",
    "attack-2025-07-04": "/attacks/2025-07-04",
    "attack-2025-07-04-uk": "/attacks/2025-07-04?lang=uk",
    "alerts": "/alerts?day=2022-10-10&m=500",
    "alerts-uk": "/alerts?day=2022-10-10&m=500&lang=uk",
    "paste-uk": "/paste?lang=uk",
    "alerts-not-covered": "/alerts?at=2025-07-04T03:00",
    "paste": "/paste",
    "review": "/review",
    "review-uk": "/review?lang=uk",
    "embed-running": "/embed/running",
}


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        found = None
    if found is None:
        reason = "no chromium on PATH (apt-get install chromium) or Playwright not installed (pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the browser tests cannot run: {reason}")
        pytest.skip(reason)
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# the installed `airtally` command, run by this interpreter (whichever venv runs the tests)
AIRTALLY = [sys.executable, "-c", "import sys; from airtally.cli import main; sys.argv[0] = 'airtally'; main()"]


def _airtally(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*AIRTALLY, *args], capture_output=True, text=True, check=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``airtally serve`` (the API and the dashboard) on loopback over a database holding the
    bundled examples and the alert fixture, with a write token: (base URL, token)."""
    from airtally.storage.database import Database

    _chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'airtally.db'}"
    with Database.open(url) as database:
        fill(database.engine)
    token = _airtally("token", "create", "browser-test", "--db", url).stdout.strip()
    yield from _serve(url, tmp_path_factory, token)


@pytest.fixture(scope="module")
def served_empty(tmp_path_factory):
    """``airtally serve`` over an empty database."""
    _chromium()
    yield from _serve(f"sqlite:///{tmp_path_factory.mktemp('empty') / 'airtally.db'}", tmp_path_factory, None)


def _serve(url: str, tmp_path_factory, token: str | None):
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen([*AIRTALLY, "serve", "--port", str(port), "--db", url],
                                   stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield base, token
    finally:
        process.terminate()
        process.wait(10)


def _wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"airtally serve exited with {process.returncode}: {log.read_text()}")
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    pytest.fail(f"airtally serve did not answer within 30 s: {log.read_text()}")


@pytest.fixture(scope="module")
def server(served):
    return served[0]


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    opened.errors = []
    opened.on("console", lambda m: opened.errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    opened.on("pageerror", lambda e: opened.errors.append(f"page error: {e}"))
    opened.on("requestfailed", lambda r: opened.errors.append(f"request failed: {r.url}"))
    yield opened
    context.close()


def shoot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_loads_without_console_errors(server, page, name):
    response = page.goto(server + PAGES[name])
    page.wait_for_load_state("networkidle")
    assert response.status == 200
    assert page.errors == []
    assert not [r for r in page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
                if not r.startswith(server)], "a resource came from outside the server"
    shoot(page, name)


def test_a_phone_sized_screen_shows_the_overview_without_sideways_scrolling(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(server + "/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, "overview-phone")
    context.close()


# Each page at a phone's width and a desktop's, in each language: shot to be looked at, and
# checked for what reads badly there.
SIZED_PAGES = {"overview": "/", "attack": "/attacks/2025-07-04", "alerts": "/alerts?day=2022-10-10&m=500",
               "paste": "/paste", "review": "/review"}
WIDTHS = {"phone": 390, "desktop": 1280}


@pytest.mark.parametrize("lang", ["en", "uk"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", SIZED_PAGES)
def test_each_page_reads_at_a_phone_and_a_desktop_width(server, browser, name, width, lang):
    context = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=width < 600)
    sized = context.new_page()
    path = SIZED_PAGES[name]
    sized.goto(server + path + ("&" if "?" in path else "?") + f"lang={lang}")
    if name == "paste":
        sized.fill("#report-text", SEED)
        sized.fill("#published", "2025-07-04T10:00")
        sized.click("#extract-button")
        sized.wait_for_selector("#extraction")
    sized.wait_for_load_state("networkidle")
    shoot(sized, f"sized-{name}-{width}-{lang}")
    assert sized.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    for chart in sized.evaluate(CHART_TEXT):
        _reads_well(chart)
    if lang == "uk":
        assert _english_labels_in(sized.evaluate(SHOWN_TEXT)) == [], "English labels on the Ukrainian page"
    context.close()


# Every chart's text as drawn: its size on screen (the font's size times the drawing's scale)
# and its box, with the box of the chart's frame; text a narrow chart hides has no box.
CHART_TEXT = """() => Array.from(document.querySelectorAll('.chart-wrap svg.chart')).map(svg => ({
  chart: svg.getAttribute('aria-label'), kind: svg.getAttribute('class'),
  frame: svg.closest('.chart-wrap').getBoundingClientRect().toJSON(),
  texts: Array.from(svg.querySelectorAll('text')).filter(t => t.getBoundingClientRect().width > 0).map(t => {
    const m = t.getScreenCTM();
    return {text: t.textContent, cls: t.getAttribute('class') || '', box: t.getBoundingClientRect().toJSON(),
            size: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)};
  }),
}))"""
SMALLEST = {"chart": 11.5, "tilemap": 9.5}  # px on screen: a chart's text; a map's (the map scales to fit)


def _reads_well(chart: dict) -> None:
    """A chart's text is large enough, inside its frame, and its axis labels do not overlap."""
    frame, texts = chart["frame"], chart["texts"]
    tilemap = "tilemap" in chart["kind"].split()
    for t in texts:
        where = f"{t['text']!r} in {chart['chart']!r}"
        smallest = SMALLEST["tilemap" if tilemap else "chart"]
        assert t["size"] >= smallest, f"{where} is {t['size']:.1f} px"
        assert frame["left"] - 1 <= t["box"]["left"] and t["box"]["right"] <= frame["right"] + 1, f"{where} is cut off"
    values = sorted((t["box"] for t in texts if "axis y" in t["cls"]), key=lambda b: b["top"])
    assert all(a["bottom"] <= b["top"] for a, b in zip(values, values[1:])), f"value labels overlap in {chart['chart']!r}"
    periods = sorted((t for t in texts if "axis x" in t["cls"]), key=lambda t: t["box"]["right"])
    for a, b in zip(periods, periods[1:]):  # slanted labels stand apart by more than a line of text
        assert b["box"]["right"] - a["box"]["right"] >= 1.5 * a["size"], f"{a['text']!r} and {b['text']!r} overlap in {chart['chart']!r}"


# The words a reader sees: the page less the texts it quotes (reports, a pasted text, commands)
# and those it marks as another language (the library's English messages, the other language's name).
SHOWN_TEXT = """() => { const copy = document.body.cloneNode(true);
  copy.querySelectorAll('.report-text, textarea, pre, code, noscript, [lang]:not(html)').forEach(e => e.remove());
  return copy.innerText; }"""


def _english_labels_in(text: str) -> list[str]:
    """The dashboard's English labels (those its Ukrainian differs from) found in ``text``:
    each label's longest stretch between placeholders, when it has a few words' length."""
    from airtally.web.labels import all_labels

    found = []
    for key, texts in all_labels().items():
        if texts["en"] == texts["uk"]:
            continue
        stretch = max(re.split(r"\{[^}]*\}", texts["en"]), key=len).strip(" .:;,()")
        if len(stretch) >= 6 and stretch in text:
            found.append(f"{key}: {stretch!r}")
    return found


def test_the_charts_render_with_data_points(server, page):
    page.goto(server + "/")
    bars = page.locator("#chart-nightly svg rect.bar.launched")
    # the bundled examples' four attack nights (2025-06-17 .. 2025-07-09) and the quiet nights between them as zeros
    assert bars.count() == 23
    nights = [v for v in bars.evaluate_all("els => els.map(e => e.getAttribute('data-value'))") if v != "0"]
    assert len(nights) == 4
    box = bars.last.bounding_box()
    assert box["height"] > 20 and box["width"] > 2
    assert page.locator("#chart-monthly svg circle.point.rate").count() == 2
    assert page.locator("#chart-running svg circle.point.current").count() == 9
    assert page.locator("#chart-nightly svg rect.bar.launched").last.get_attribute("data-value") == "741"


def test_the_paste_page_extracts_the_seed_article(server, page):
    page.goto(server + "/paste")
    page.fill("#report-text", SEED)
    page.fill("#published", "2025-07-04T10:00")
    page.click("#extract-button")
    page.wait_for_selector("#extraction")
    assert page.inner_text('td[data-subject="drones"][data-measure="launched"]') == "539"
    assert page.inner_text('td[data-subject="drones"][data-measure="destroyed"]') == "268"
    assert page.inner_text('td[data-subject="missiles"][data-measure="launched"]') == "11"
    assert page.locator("mark.evidence", has_text="539 drones").count() == 1
    assert page.locator(".verdict-supported").count() == 1
    assert page.locator("#store-form").is_visible()  # the token form shows once the script runs
    shoot(page, "paste-extracted")


def test_a_pasted_figure_links_to_every_span_it_rests_on(server, page):
    """All launched (550) is the sum of 539 drones and 11 missiles: following it marks both spans,
    and only those; following the drones' figure marks its own span alone."""
    page.goto(server + "/paste")
    page.fill("#report-text", SEED)
    page.fill("#published", "2025-07-04T10:00")
    page.click("#extract-button")
    page.wait_for_selector("#extraction")
    from playwright.sync_api import expect

    # the marks follow the hashchange event, after the click returns: expect() waits for them
    current = page.locator("mark.evidence.current")
    page.locator('td[data-subject="all"][data-measure="launched"] a.evidence-link').click()
    expect(current).to_have_text(["539 drones", "11 missiles"])
    page.locator('td[data-subject="drones"][data-measure="launched"] a.evidence-link').click()
    expect(current).to_have_text(["539 drones"])
    shoot(page, "paste-sum-followed")


def test_the_attack_page_highlights_the_evidence_a_figure_links_to(server, page):
    page.goto(server + "/attacks/2025-07-04")
    assert page.locator("mark.current").count() == 0
    page.locator("table.totals a.evidence-link", has_text="539").click()
    current = page.locator("mark.current")
    from playwright.sync_api import expect

    expect(current.first).to_contain_text("539")
    colour = current.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert re.fullmatch(r"#ev-\d+", page.evaluate("location.hash"))
    shoot(page, "attack-evidence-followed")


def test_the_alert_map_changes_with_the_slider(server, page):
    page.goto(server + "/alerts?day=2022-10-10&m=500")
    kyiv = page.locator('#alert-map [data-code="UA-30"]')
    assert kyiv.get_attribute("data-state") == "full"
    page.locator("#slider").fill("545")  # 09:05 Kyiv time: Kyiv's alert ended at 09:00
    page.wait_for_selector('#alert-map [data-code="UA-30"][data-state="none"]')
    assert page.locator('#alert-map [data-code="UA-46"]').get_attribute("data-state") == "full"
    assert page.inner_text("#slider-time") == "09:05"
    assert "m=545" in page.url  # the permalink follows the slider
    # and so does everything else that names the time
    assert page.inner_text("#alerts-title").endswith("2022-10-10 09:05")
    assert page.input_value("input[name=at]") == "2022-10-10T09:05"
    assert "m=545" in page.get_attribute(".chart-links a[href*='alerts-map.svg']", "href")
    assert page.locator("#active-list").is_hidden()
    page.locator("#slider").fill("700")
    page.wait_for_selector('#alert-map [data-state="full"]', state="detached")
    shoot(page, "alerts-after-slider")


# The alert fixture's history runs from 08:00 Kyiv time on 2022-10-10: the slider starts at one
# minute of that day, then moves; each step names the time the notice must name, or None where
# the history covers the time and the notice must be gone.
NOTICE_STEPS = {
    "covered, then not, then covered": (500, [(420, "07:00"), (500, None)]),
    "not covered, then another uncovered time, then covered": (420, [(400, "06:40"), (505, None), (300, "05:00")]),
}


@pytest.mark.parametrize("start, steps", NOTICE_STEPS.values(), ids=NOTICE_STEPS.keys())
def test_the_not_covered_notice_follows_the_slider(server, page, start, steps):
    from playwright.sync_api import expect

    page.goto(server + f"/alerts?day=2022-10-10&m={start}")
    notice = page.locator("#not-covered")
    for minute, named in steps:
        page.locator("#slider").fill(str(minute))
        if named is None:
            expect(notice).to_be_hidden()
            expect(page.locator('#alert-map svg[data-covered="true"]')).to_have_count(1)
        else:
            expect(notice).to_be_visible()
            expect(notice).to_contain_text(f"does not cover 2022-10-10 {named}: it runs from 2022-10-10 08:00 to ")
            expect(page.locator('#alert-map svg[data-covered="false"]')).to_have_count(1)
            expect(page.locator('#alert-map [data-state="none"]')).to_have_count(0)  # never a calm country
    assert page.errors == []


def test_the_ukrainian_switch_changes_the_labels(server, page):
    page.goto(server + "/")
    assert "Latest attack" in page.inner_text("h1")
    page.click("a.lang-switch")
    page.wait_for_load_state()
    assert "Остання атака" in page.inner_text("h1")
    assert page.inner_text("header nav") .split() [0] == "Огляд"
    assert page.get_attribute("html", "lang") == "uk"
    page.click("header nav >> text=Тривоги")
    page.wait_for_url("**lang=uk**")
    assert "Повітряні тривоги" in page.inner_text("h1")


def test_pages_work_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(server + "/")
    assert plain.locator("#chart-nightly svg rect.bar.launched").count() == 23  # 4 attack nights, 19 quiet ones between
    plain.click("#chart-monthly summary")  # the chart's table opens without a script
    assert plain.locator("#chart-monthly table tbody tr").count() == 2
    plain.goto(server + "/paste")
    plain.fill("#report-text", SEED)
    plain.click("#extract-button")  # a plain form POST
    assert plain.inner_text('td[data-subject="drones"][data-measure="launched"]') == "539"
    assert plain.locator("#store-form").is_hidden()  # storing needs the script, and says so
    assert "it needs JavaScript" in plain.inner_text("#store")
    plain.goto(server + "/alerts?day=2022-10-10&m=500")
    plain.fill("#slider", "545")
    plain.click("form.slider-form button")  # without the script the slider's form reloads the page
    assert plain.locator('#alert-map [data-code="UA-30"]').get_attribute("data-state") == "none"
    shoot(plain, "alerts-without-javascript")
    context.close()


def test_a_pasted_report_is_stored_with_the_token_typed_into_the_page(served, page):
    server, token = served
    text = SEED.replace("Overnight on 4 July", "On the night to 4 July")  # a text the record does not hold yet
    page.goto(server + "/paste")
    page.fill("#report-text", text)
    page.fill("#published", "2025-07-04T10:30")
    page.click("#extract-button")
    page.fill("#token", "not-the-token")
    page.click("#store-form button")
    page.wait_for_selector("#store-result.failed")
    assert "Not stored" in page.inner_text("#store-result")
    page.fill("#token", token)
    page.click("#store-form button")
    page.wait_for_selector("#store-result.ok")
    stored = re.fullmatch(r"Stored as report (\d+)\.", page.inner_text("#store-result"))
    assert stored, page.inner_text("#store-result")
    assert page.context.cookies() == []  # the token went as a header; no session, no cookie
    page.click("#store-form button")  # the same text again
    page.wait_for_selector(f"#store-result.ok >> text=Already stored as report {stored.group(1)}.")
    shoot(page, "paste-stored")
    page.goto(server + "/attacks/2025-07-04")
    assert page.locator(f"#report-{stored.group(1)}").count() == 1  # the attack page lists it beside the others


# Each page over an empty database: its status and what it says to do (None: nothing to fill).
EMPTY_PAGES = {
    "/": (200, "airtally demo"), "/?lang=uk": (200, "airtally demo"), "/alerts": (200, "airtally import alerts"),
    "/paste": (200, None), "/review": (200, "No figure is waiting for a person."),
    "/attacks/2025-07-04": (404, "To the overview: what the record holds, or how to fill it"),
    "/attacks/2025-07-04?lang=uk": (404, "До огляду: що є в записі або як його наповнити"),
}


@pytest.mark.parametrize("path", EMPTY_PAGES)
def test_an_empty_database_says_how_to_fill_it(served_empty, page, path):
    base, _ = served_empty
    status, says = EMPTY_PAGES[path]
    assert page.goto(base + path).status == status
    page.wait_for_load_state("networkidle")
    assert [e for e in page.errors if f"status of {status}" not in e] == []
    if says:
        assert says in page.inner_text("main")
    if status == 404:
        page.click("main a")
        assert "airtally demo" in page.inner_text("main")  # the overview says how to fill the record
    shoot(page, "empty" + re.sub(r"[/?=]+", "-", path).rstrip("-"))
