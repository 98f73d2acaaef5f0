"""--svg: a 1920×1080 vector still whose text is outlined, the same for the same input, and what it shows."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest

from baymap.geo import BaymapError
from baymap.layers import vector_still
from tests.conftest import build

SVG = "{http://www.w3.org/2000/svg}"
REPORT = "标题：南沙发展报告\n南沙大桥建成，白云国际机场扩建，中新广州知识城加快建设。"


@pytest.fixture(scope="module")
def still(tmp_path_factory) -> bytes:
    out = build(tmp_path_factory.mktemp("svg"), REPORT, "--svg")
    return (out / "map.svg").read_bytes()


def test_the_still_is_1920_by_1080_with_every_letter_outlined(still):
    root = ET.fromstring(still)
    assert (root.get("width"), root.get("height")) == ("1920", "1080")
    assert root.findall(f".//{SVG}text") == []  # no font needed to read it
    assert "<!-- 标题：南沙发展报告".encode() in still  # the title, drawn (matplotlib notes each text it outlines)
    assert b"GeoNames (CC BY 4.0)" in still  # the open data credited, as on the map
    assert len(root.findall(f".//{SVG}path")) > 100


def test_the_same_report_gives_the_same_still(still, tmp_path):
    again = build(tmp_path, REPORT, "--svg")
    assert (again / "map.svg").read_bytes() == still


@pytest.mark.browser
def test_a_browser_shows_the_features_in_their_layer_colours(still, browser, tmp_path):
    from PIL import Image

    path = tmp_path / "map.svg"
    path.write_bytes(still)
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(path.as_uri())
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    page.close()
    colours = {colour for _, colour in shot.getcolors(maxcolors=1 << 22)}

    def near(hex_colour: str) -> bool:
        want = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return any(all(abs(a - b) <= 6 for a, b in zip(c, want, strict=True)) for c in colours)

    assert near("#41ab5d")  # the airport's green marker (ports and airports)
    assert near("#d4e6f1") and near("#f4f1ea")  # sea and land


def test_without_a_chinese_font_the_still_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(vector_still, "CJK_FONTS", ("No Such Font SC",))
    with pytest.raises(BaymapError, match="needs a Chinese font"):
        vector_still.svg_from_features([], {}, "标题")
