"""What a person sees, in headless Chromium with the network cut: the offline map, its layers and popups."""

from __future__ import annotations

from pathlib import Path

import pytest

import build_map
from tests.conftest import build


@pytest.fixture(scope="module")
def offline_map(offline_assets, tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("offline")
    assert build_map.main(["--offline", "-q", "-o", str(outdir)]) == 0
    return outdir / "map.html"


def test_offline_map_renders_with_no_network_and_no_errors(open_map, offline_map):
    opened = open_map(offline_map)
    assert opened.requests == []
    assert opened.errors == []
    assert opened.shapes() > 20
    assert opened.page.locator(".bm-label", has_text="广州").count() == 1  # the vector basemap's labels
    assert "广州市推进粤港澳大湾区建设进展情况" in opened.page.locator(".baymap-title").inner_text()


def test_each_layer_hides_and_shows_its_features(open_map, offline_map):
    opened = open_map(offline_map)
    labels = opened.page.locator(".leaflet-control-layers-overlays label")
    assert labels.count() == 7
    for i in range(labels.count()):
        label, box = labels.nth(i), labels.nth(i).locator("input")
        shown = box.is_checked()
        before = opened.shapes() + opened.page.locator(".leaflet-marker-pane > *").count()
        label.click()
        toggled = opened.shapes() + opened.page.locator(".leaflet-marker-pane > *").count()
        assert (toggled < before) if shown else (toggled > before), label.inner_text()
        label.click()
        assert opened.shapes() + opened.page.locator(".leaflet-marker-pane > *").count() == before


def test_clicking_a_place_opens_its_popup_with_the_quote(open_map, offline_map):
    opened = open_map(offline_map)
    opened.zoom_to(113.29889, 23.3925, 14)
    opened.click_at(113.29889, 23.3925)  # 白云国际机场
    popup = opened.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "广州白云国际机场" in popup.inner_text()
    assert "白云国际机场三期扩建工程加快建设" in popup.inner_text()
    assert popup.locator("mark").first.inner_text() == "白云国际机场"
    assert "二、综合性门户城市功能实现新提升" in popup.inner_text()


def test_a_hostile_report_is_shown_as_text_and_runs_nothing(open_map, offline_assets, tmp_path):
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
