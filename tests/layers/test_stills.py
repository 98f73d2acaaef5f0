"""Stills: the page a still is photographed from."""

from __future__ import annotations

from baymap.layers.stills import STILL_CSS, still_page
from tests.conftest import build


def test_the_still_css_is_in_force_before_the_page_thins_its_city_names(tmp_path):
    html = (build(tmp_path, "南沙开发。", "--offline") / "map.html").read_text(encoding="utf-8")
    page = still_page(html)
    assert page.index(STILL_CSS) < page.index("</head>") < page.index("baymapLabels(")
    assert page.replace(f"<style>{STILL_CSS}</style>", "", 1) == html  # nothing else changes


def test_a_page_without_a_head_still_gets_the_still_css_first():
    assert still_page("<p>map</p>").startswith(f"<style>{STILL_CSS}</style>")
