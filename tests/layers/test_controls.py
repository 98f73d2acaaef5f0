"""Each map control is its own folium element with its own script: defined once in the page head, called once."""

from __future__ import annotations

import re

import pytest

from baymap.layers import controls
from tests.conftest import build

CALLS = {
    "core.js": "baymapCore(",
    "story.js": "baymapStory(",
    "search.js": "baymapSearch(",
    "fullscreen.js": "baymapFullScreen(",
    "language.js": "baymapLanguage(",
    "labels.js": "baymapLabels(",
    "tilenote.js": "baymapTileNote(",
    "minimap.js": "baymapMiniMap(",
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    one = build(tmp_path_factory.mktemp("one"), "南沙开发。", "--offline")
    folder = tmp_path_factory.mktemp("two")
    (folder / "a.txt").write_text("南沙开发。", encoding="utf-8")
    (folder / "b.txt").write_text("前海合作。", encoding="utf-8")
    from baymap import build_map

    assert (
        build_map.main([str(folder / "a.txt"), str(folder / "b.txt"), "--offline", "-q", "-o", str(folder / "out")])
        == 0
    )
    return {
        "one": (one / "map.html").read_text(encoding="utf-8"),
        "two": (folder / "out" / "map.html").read_text(encoding="utf-8"),
    }


def head_and_body(page: str) -> tuple[str, str]:
    head, _, body = page.partition("</head>")
    return head, body


@pytest.mark.parametrize("script", sorted(CALLS))
def test_each_controls_script_is_in_the_head_once_and_called_once(pages, script):
    head, body = head_and_body(pages["one"])
    assert head.count(controls.script_text(script)) == 1
    assert len(re.findall(re.escape(CALLS[script]) + r"(baymap|\{)", body)) == 1


def test_the_report_filter_is_there_only_for_several_reports(pages):
    assert "baymapReports(baymap)" not in head_and_body(pages["one"])[1]
    head, body = head_and_body(pages["two"])
    assert head.count(controls.script_text("reports.js")) == 1 and body.count("baymapReports(baymap)") == 1
