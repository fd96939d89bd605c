"""The dashboard's parts without HTTP: labels per language, the tile map, the SVG charts, the
evidence highlighting."""

from __future__ import annotations

import re
import string

import pytest

from airtally.catalog.regions import regions
from airtally.errors import InvalidValue
from airtally.web.charts import LEFT, WIDTH, bars, lines, standalone
from airtally.web.highlight import excerpt, pieces, windows
from airtally.web.labels import all_labels, languages, words
from airtally.web.tilemap import tile_map, tiles
from airtally.web.views import with_quiet_periods


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(all_labels()))
def test_every_label_has_every_language_with_the_same_placeholders(key):
    texts = all_labels()[key]
    assert set(texts) == set(languages()), key
    assert all(isinstance(t, str) and t for t in texts.values()), key
    # the page passes every placeholder any language uses (uk says "{rank}-а" where en says "{ordinal}")
    every = set().union(*(_placeholders(t) for t in texts.values()))
    assert all(t.format(**{name: "x" for name in every}) for t in texts.values()), key


def test_an_unknown_language_is_a_clear_error():
    assert words(None).lang == "en" and words("uk").other == "en"
    with pytest.raises(InvalidValue, match=r"unknown language 'de' \(use one of: en, uk\)"):
        words("de")


def test_the_tile_map_has_one_tile_per_region_and_one_region_per_tile():
    codes = [t["code"] for t in tiles()]
    assert sorted(codes) == sorted(r.code for r in regions()) and len(set(codes)) == 27
    assert len({(t["col"], t["row"]) for t in tiles()}) == 27
    assert all(t["en"] and t["uk"] for t in tiles())
    assert all(0 < len(t["abbr"][lang]) <= 6 for t in tiles() for lang in languages())  # what fits a tile on a phone


def test_the_tile_map_never_draws_an_uncovered_time_as_calm():
    covered = tile_map({"UA-30": "full"}, words("en"), covered=True)
    assert covered.count('data-state="none"') == 26 and 'data-code="UA-30" data-state="full"' in covered
    uncovered = tile_map({"UA-09": "permanent"}, words("uk"), covered=False)
    assert 'data-state="none"' not in uncovered and uncovered.count('data-state="unknown"') == 26
    assert "поза збереженою історією" in uncovered


def test_bars_draw_one_point_per_period_and_measure():
    rows = [{"label": "2025-06", "launched": 1009, "destroyed": 511, "interception_rate": 0.9},
            {"label": "2025-07", "launched": 1291, "destroyed": 573, "interception_rate": None}]
    names = {"launched": "Launched", "destroyed": "Shot down", "interception_rate": "Rate"}
    svg = bars(rows, "per month", names, "nothing")
    assert re.findall(r'class="bar launched"[^>]*data-value="(\d+)"', svg) == ["1009", "1291"]
    assert re.findall(r'class="bar destroyed"[^>]*data-value="(\d+)"', svg) == ["511", "573"]
    assert svg.count('class="point rate"') == 1  # no rate where a month has no launched figure
    heights = [float(h) for h in re.findall(r'class="bar launched"[^>]*height="([\d.]+)"', svg)]
    assert heights[0] < heights[1]
    assert "nothing" in bars([], "per month", names, "nothing")


@pytest.mark.parametrize("nights, wide, narrow", [(60, 12, 4), (23, 12, 4), (7, 7, 4), (2, 2, 2)])
def test_a_narrow_chart_names_fewer_periods_rather_than_smaller_ones(nights, wide, narrow):
    rows = [{"label": f"night {i}", "launched": 10, "destroyed": 5, "interception_rate": 0.5} for i in range(nights)]
    svg = bars(rows, "per night", {"launched": "L", "destroyed": "D", "interception_rate": "R"}, "nothing")
    labels = re.findall(r'<svg class="axis-label( minor)?"', svg)
    assert (len(labels), labels.count("")) == (wide, narrow)  # the minor ones a narrow chart hides
    assert "viewBox" not in svg.split(">", 1)[0]  # drawn in pixels: text keeps its size at any width


def test_a_downloaded_chart_stands_inside_its_axis_margins():
    svg = bars([{"label": "2025-07", "launched": 10, "destroyed": 5, "interception_rate": 0.5}], "c",
               {"launched": "L", "destroyed": "D", "interception_rate": "R"}, "nothing")
    alone = standalone(svg)
    assert alone.startswith(f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" ')
    assert f' x="{LEFT}" overflow="visible"' in alone and alone.count("<rect class=\"bar") == 2
    # it has no stylesheet: its colours and type are its own attributes
    assert len(re.findall(r'<rect class="bar [a-z]+"[^>]* fill="#[0-9a-f]{6}"', alone)) == 2
    assert re.search(r'<polyline class="rate"[^>]* stroke="#[0-9a-f]{6}"', bars([{"label": m, "launched": 10, "destroyed": 5, "interception_rate": 0.5} for m in "ab"], "c", {"launched": "L", "destroyed": "D", "interception_rate": "R"}, "nothing"))
    assert 'font-size="12"' in alone.split("<title>")[0]


def test_the_rate_line_breaks_at_a_period_without_a_rate():
    rows = [{"label": d, "launched": n, "destroyed": n // 2, "interception_rate": 0.5 if n else None}
            for d, n in (("07-01", 10), ("07-02", 20), ("07-03", 0), ("07-04", 30), ("07-05", 40))]
    names = {"launched": "Launched", "destroyed": "Shot down", "interception_rate": "Rate"}
    svg = bars(rows, "per night", names, "nothing")
    assert svg.count('<polyline class="rate"') == 2 and svg.count('class="point rate"') == 4


def test_axis_and_tooltips_group_thousands_in_the_page_language():
    rows = [{"label": "2025-07", "launched": 6297, "destroyed": 5000, "interception_rate": None}]
    names = {"launched": "Запущено", "destroyed": "Збито", "interception_rate": "Частка"}
    svg = bars(rows, "за місяць", names, "нічого", sep="\u00a0")
    assert "6\u00a0297" in svg and ">8\u00a0000</text>" in svg and "6,297" not in svg
    assert "6,297" in bars(rows, "per month", names, "nothing")


def test_quiet_nights_stand_as_zero_bars_between_attack_nights():
    def night(day, launched):
        return {"period": day, "class": "drones", "attacks": 1, "launched": launched, "destroyed": launched // 2,
                "lost": 0, "interception_rate": 0.5, "destroyed_rate": 0.5, "first_day": day, "last_day": day}

    rows = with_quiet_periods([night("2025-07-01", 100), night("2025-07-04", 539)], "day")
    assert [(r["period"], r["launched"], r["attacks"], r["interception_rate"]) for r in rows] == [
        ("2025-07-01", 100, 1, 0.5), ("2025-07-02", 0, 0, None), ("2025-07-03", 0, 0, None), ("2025-07-04", 539, 1, 0.5)]
    months = with_quiet_periods([night("2025-01-01", 1) | {"period": "2025-01"}, night("2025-03-01", 2) | {"period": "2025-03"}], "month")
    assert [(r["period"], r["last_day"]) for r in months] == [("2025-01", "2025-01-01"), ("2025-02", "2025-02-28"), ("2025-03", "2025-03-01")]
    assert with_quiet_periods([], "day") == []


def test_lines_mark_the_current_month_points():
    series = [{"name": "2025-07", "cls": "current", "points": [[1, 0], [2, 550]]},
              {"name": "2025-06", "cls": "earlier e1", "points": [[1, 0], [2, 0], [3, 472]]}]
    svg = lines(series, "running", "day", "nothing")
    assert svg.count('class="point current"') == 2 and svg.count("<polyline") == 2


def test_overlapping_spans_mark_every_piece_they_cover():
    text = "з 539 ударними БпЛА"
    cut = pieces(text, [(2, 19, "a"), (2, 5, "b"), (99, 120, "bad")])
    assert [(p.text, p.marks, p.starts) for p in cut] == [
        ("з ", (), ()), ("539", ("a", "b"), ("a", "b")), (" ударними БпЛА", ("a",), ())]
    assert "".join(p.text for p in cut) == text


def test_an_excerpt_keeps_whole_words_around_the_evidence():
    text = "word " * 100 + "539 drones" + " word" * 100
    start = text.index("539")
    parts = windows(text, [(start, start + 10, "a")], context=12)
    assert len(parts) == 1 and text[parts[0][0]:parts[0][1]].strip().startswith("word")
    shown = excerpt(text, [(start, start + 10, "a")])
    assert shown[0].gap_before and 40 < "".join(p.text for p in shown).count("word") < 80  # of 200


def test_the_regions_in_the_alert_history_are_those_with_an_alert_stored(filled):
    from airtally.alerts.queries import regions_in_history

    assert regions_in_history(filled) == {"UA-30", "UA-46", "UA-71", "UA-53", "UA-63", "UA-51", "UA-12"}
    assert regions_in_history(filled, sources=["volunteer"]) == set()  # not the permanent alerts either


def test_stats_by_region_answer_as_stats_of_each_region(filled):
    from airtally.alerts.queries import stats, stats_by_region
    from airtally.clock import parse_instant

    start, end = parse_instant("2022-10-01T00:00"), parse_instant("2022-11-01T00:00")
    each = stats_by_region(filled, start, end)
    assert [(r["code"], r["total_hours"]) for r in each] == [("UA-30", 1.0), ("UA-46", 1.0), ("UA-63", 1.0)]  # ties by code
    for row in each:
        assert {k: v for k, v in row.items() if k != "code"} == stats(filled, row["code"], start, end)[0]


def test_every_weapon_class_has_a_label():
    from typing import get_args

    from airtally.model import WeaponClass

    assert {f"weapon_class_{c}" for c in get_args(WeaponClass)} <= set(all_labels())


def _static_files() -> list[str]:
    from airtally.web.render import STATIC

    return sorted(p.name for p in STATIC.iterdir() if p.is_file() and p.name != "LICENSES.md")


@pytest.mark.parametrize("name", _static_files())
def test_every_shipped_static_file_has_its_licence_recorded(name):
    from airtally.web.render import STATIC

    listed = re.findall(r"^\| `([^`]+)` \|[^|]+\|[^|]+\| *([^|]+?) *\|$", (STATIC / "LICENSES.md").read_text(), re.M)
    assert name in dict(listed), f"{name} is served but not in airtally/web/static/LICENSES.md"
    assert dict(listed)[name].strip(), f"{name}: no licence given"


def test_pages_load_nothing_from_elsewhere():
    from airtally.web.render import HERE

    shipped = [p for p in HERE.rglob("*") if p.suffix in (".html", ".css", ".js")]
    loads_from_elsewhere = re.compile(r"""src=["']?(https?:)?//|<link[^>]+href=["']?(https?:)?//|url\(["']?(https?:)?//|@import|fetch\(["'`]https?:""")
    assert shipped and not [p.name for p in shipped if loads_from_elsewhere.search(p.read_text())]
