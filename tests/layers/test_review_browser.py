"""review.html in headless Chromium with the network cut: the whole round trip a user makes.

Open the page, read a name's quotes, place one name with a click, draw another as an area, dismiss a third,
reload (nothing lost), download gazetteer-additions.yaml, check it, and rebuild: the placed names are on the map
with their quotes and the dismissed one is no longer listed.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from baymap import build_map
from baymap.geo.boundaries import district_containing
from baymap.geo.checks import district_problem
from baymap.geo.lnglat import LngLat
from baymap.geo.review import Candidate, Quote
from baymap.layers import load_styles
from baymap.layers.review import review_page

pytestmark = pytest.mark.browser

REPORT = """年度生态与产业报告
一、生态
谋划西部生态新区，推进金鼎湾片区建设。
二、产业
西部生态新区要保护湿地，建设鹤洲科创产业园。
三、城市
支持江门市蓬江区建设白沙湾智造产业园。
"""
LISTED = ".rv-item .rv-text"
#: Where the user clicks to place 西部生态新区: inside 中山市 (an undivided city, 442000).
POINT = (113.3826, 22.5211)
#: The corners of the area drawn for 鹤洲科创产业园, in 江门市蓬江区.
AREA = [(113.02, 22.64), (113.10, 22.64), (113.10, 22.70), (113.02, 22.70)]


@pytest.fixture
def reviewed(tmp_path) -> Path:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert build_map.main([str(report), "--review", "-q", "-o", str(tmp_path / "out")]) == 0
    return tmp_path


def open_review(open_map, folder: Path):
    return open_map(folder / "out" / "review.html", ready=f"document.querySelectorAll('{LISTED}').length > 0")


def pick(opened, name: str) -> None:
    opened.page.locator(".rv-name", has_text=name).click()


def act(opened, action: str) -> None:
    opened.page.locator(f".rv-selected .rv-action[data-action='{action}']").click()


def test_the_review_page_lists_each_name_with_its_quotes_highlighted(open_map, reviewed):
    opened = open_review(open_map, reviewed)
    names = opened.page.locator(LISTED).all_inner_texts()
    assert names[0] == "西部生态新区"  # written twice: first
    assert {"金鼎湾片区", "鹤洲科创产业园"} <= set(names)
    pick(opened, "西部生态新区")
    quotes = opened.page.locator(".rv-selected .rv-quote")
    assert quotes.count() == 2
    assert quotes.nth(0).locator("mark").inner_text() == "西部生态新区"
    assert "谋划西部生态新区" in quotes.nth(0).inner_text() and "一、生态" in quotes.nth(0).inner_text()
    assert "要保护湿地" in quotes.nth(1).inner_text() and "二、产业" in quotes.nth(1).inner_text()
    assert opened.requests == [] and opened.errors == []


def test_placing_drawing_and_dismissing_give_a_gazetteer_the_next_build_maps(open_map, reviewed, tmp_path):
    opened = open_review(open_map, reviewed)
    page = opened.page
    pick(opened, "西部生态新区")
    act(opened, "point")
    opened.zoom_to(*POINT, 12)
    opened.click_at(*POINT)
    pick(opened, "鹤洲科创产业园")
    act(opened, "polygon")
    opened.zoom_to(113.06, 22.67, 12)
    for corner in [*AREA, AREA[0]]:  # Geoman closes the area on a click at its first corner
        opened.click_at(*corner)
    pick(opened, "金鼎湾片区")
    act(opened, "ignore")
    pick(opened, "白沙湾智造产业园")
    assert "the same sentence names 蓬江区" in page.locator(".rv-selected .rv-suggestion").inner_text()
    act(opened, "accept")
    statuses = {
        "西部生态新区": "point",
        "鹤洲科创产业园": "polygon",
        "金鼎湾片区": "ignore",
        "白沙湾智造产业园": "union",
    }
    page.reload()
    page.wait_for_function(f"document.querySelectorAll('{LISTED}').length > 0")
    for name, status in statuses.items():  # kept in the page across a reload
        item = page.locator(".rv-item", has=page.locator(".rv-text", has_text=name))
        assert item.get_attribute("data-status") == status
    with page.expect_download() as download:
        page.locator(".rv-download").click()
    additions = tmp_path / "gazetteer-additions.yaml"
    download.value.save_as(additions)
    assert opened.requests == [] and opened.errors == []

    document = yaml.safe_load(additions.read_text(encoding="utf-8"))
    entries = {e["name_zh"]: e for e in document["entries"]}
    assert set(entries) == {"西部生态新区", "鹤洲科创产业园", "白沙湾智造产业园"}
    assert document["ignore"] == ["金鼎湾片区"]
    point = entries["西部生态新区"]
    assert point["source"] == "placed by hand in review.html" and point["within"] == "442000"
    assert point["geometry"]["point"] == pytest.approx(list(POINT), abs=0.002)
    assert point["precision_m"] > 0 and "zoom 12" in point["precision"]
    assert len(entries["鹤洲科创产业园"]["geometry"]["polygon"]) == 4
    suggested = entries["白沙湾智造产业园"]
    assert suggested["geometry"] == {"union": ["pengjiang"]} and suggested["precision"].startswith("in 蓬江区")
    assert build_map.main(["--check-gazetteer", "--gazetteer", str(additions), "-q"]) == 0

    report = reviewed / "report.txt"
    out = tmp_path / "again"
    assert build_map.main([str(report), "--gazetteer", str(additions), "--offline", "-q", "-o", str(out)]) == 0
    features = {f["properties"]["name_zh"]: f for f in json.loads((out / "features.geojson").read_text())["features"]}
    assert features["西部生态新区"]["geometry"]["type"] == "Point"
    assert features["鹤洲科创产业园"]["geometry"]["type"] == "Polygon"
    assert features["白沙湾智造产业园"]["properties"]["approximate"] is True  # drawn as 蓬江区, and says so
    with open(out / "unresolved.csv", encoding="utf-8", newline="") as rows:
        left = {row["text"] for row in csv.DictReader(rows)}
    assert not left & set(statuses)

    rebuilt = open_map(out / "map.html")
    rebuilt.zoom_to(*POINT, 12)
    rebuilt.click_at(*POINT)
    popup = rebuilt.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.inner_text().startswith("西部生态新区")
    assert "谋划西部生态新区" in popup.inner_text() and "要保护湿地" in popup.inner_text()


def test_the_page_finds_the_district_the_gazetteer_check_will_for_any_click(open_map, reviewed):
    """`within` is computed in the page; build-map --check-gazetteer must agree, or a placed point fails the check."""
    opened = open_review(open_map, reviewed)
    grid = [(112.0 + 0.137 * i, 21.5 + 0.111 * j) for i in range(24) for j in range(22)]  # the bay and beyond
    found = opened.page.evaluate(
        "points => points.map(p => { const u = baymapReviewPage.unitAt(p); return u ? u.adcode : null; })", grid
    )
    for (lng, lat), adcode in zip(grid, found, strict=True):
        district = district_containing(LngLat(lng, lat))
        problem = district_problem([lng, lat], adcode or "water")
        assert problem is None, f"{lng:.3f},{lat:.3f}: page says {adcode}, check says {district and district.adcode}"
    assert len(set(found)) > 40  # the grid crosses many districts, the sea and neighbouring provinces


def test_a_name_holding_markup_is_shown_as_text_and_runs_nothing(open_map, gazetteer, tmp_path):
    hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    quote = Quote(f"建设{hostile}。", 2, 2 + len(hostile), "一、<b>产业</b>", "report.txt")
    page = review_page([Candidate(hostile, 1, (quote,), None)], gazetteer, load_styles(), hostile)
    (tmp_path / "review.html").write_text(page, encoding="utf-8")
    opened = open_map(tmp_path / "review.html", ready=f"document.querySelectorAll('{LISTED}').length > 0")
    pick(opened, "<img")
    assert opened.page.locator(LISTED).first.inner_text() == hostile
    assert opened.page.locator(".rv-selected mark").inner_text() == hostile
    assert "一、<b>产业</b>" in opened.page.locator(".rv-selected cite").inner_text()
    assert opened.page.locator(".rv-panel img").count() == 0 and opened.page.locator(".rv-panel b").count() == 0
    assert opened.page.evaluate("window.pwned") is None and opened.errors == []


def test_a_report_with_nothing_to_place_says_so(open_map, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("南沙开发，前海开放。", encoding="utf-8")
    assert build_map.main([str(report), "--review", "-q", "-o", str(tmp_path / "out")]) == 0
    opened = open_map(tmp_path / "out" / "review.html", ready="document.querySelector('.rv-empty') !== null")
    assert "Nothing to place" in opened.page.locator(".rv-empty").inner_text()
    assert opened.page.locator(".rv-progress").inner_text() == "已处理 0 / 0 reviewed"
    assert opened.errors == []
