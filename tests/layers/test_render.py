"""The map page, parsed: layers, legend, title, tooltips, popups that quote the report, escaping."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import shapely

from baymap.geo.crs import gcj02_from_wgs84
from baymap.geo.features import features_from_mentions
from baymap.geo.lnglat import LngLat, leaflet_latlng
from baymap.layers.escape import escape_text, json_for_script
from baymap.layers.render import bilingual, on_gcj02, page_geometries
from tests.conftest import build


class _Page(HTMLParser):
    """Collects the page's scripts and visible text."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def parse(path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def popups(script: str) -> list[str]:
    return re.findall(r"\$\(`(.*?)`\)\[0\]", script, flags=re.S)


def overlay_names(script: str) -> list[str]:
    """The names the layer control lists, decoded from the page's script."""
    return [json.loads(f'"{name}"') for name in re.findall(r'"((?:[^"\\]|\\.)*)" : feature_group_', script)]


def test_leaflet_latlng_is_the_one_swap():
    assert leaflet_latlng(LngLat(113.5, 22.8)) == [22.8, 113.5]


def test_json_for_script_cannot_close_the_script_or_open_a_template():
    text = json_for_script({"label": "</script>{{ 7*7 }}{% x %}{# c #}&"})
    assert "</" not in text and "{{" not in text and "{%" not in text and "{#" not in text and "&" not in text
    assert json.loads(text) == {"label": "</script>{{ 7*7 }}{% x %}{# c #}&"}


def test_layers_legend_and_title(sample_build):
    html = (sample_build / "map.html").read_text(encoding="utf-8")
    page = parse(sample_build / "map.html")
    script = "\n".join(page.scripts)
    for zh, en in (
        ("城市与区县", "Cities and districts"),
        ("交通走廊", "Transport corridors"),
        ("港口与机场", "Ports and airports"),
        ("科技与教育", "Science and education"),
        ("合作区与平台", "Cooperation zones and platforms"),
    ):
        assert bilingual(zh, en) in overlay_names(script), f"layer control lacks {en}"
        assert bilingual(zh, en) in html.split('class="baymap-legend"')[1]
    assert "L.control.layers" in script
    assert "广州市推进粤港澳大湾区建设进展情况" in " ".join(page.text)
    assert "fitBounds" in script


def test_every_feature_has_a_popup_quoting_the_report(sample_build, sample_geojson):
    script = "\n".join(parse(sample_build / "map.html").scripts)
    bodies = popups(script)
    for feature in sample_geojson["features"]:
        props = feature["properties"]
        mine = [b for b in bodies if f'<div class="bm-name">{escape_text(props["name_zh"])}</div>' in b]
        assert mine, f"no popup for {props['id']}"
        first = props["mentions"][0]
        assert f"<mark>{escape_text(first['text'])}</mark>" in mine[0]
        assert escape_text(first["section"]) in mine[0]
        assert (
            f"mentioned {'once' if props['mention_count'] == 1 else str(props['mention_count']) + ' times'}" in mine[0]
        )


def test_report_text_is_escaped_never_run(tmp_path):
    hostile = "南沙<img src=x onerror=alert(1)>建设`${alert(2)}`，</script><script>alert(3)</script>广州。"
    out = build(tmp_path, hostile)
    html = (out / "map.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html
    assert "</script><script>alert(3)" not in html
    assert "${alert(2)}" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    for body in popups("\n".join(parse(out / "map.html").scripts)):
        assert "`" not in body


def test_title_from_the_report_is_escaped(tmp_path):
    out = build(tmp_path, "<b>{{ 7*7 }}</b> 南沙报告\n南沙开发。")
    html = (out / "map.html").read_text(encoding="utf-8")
    title = html.split('<div class="baymap-title"><span class="bm-zh">')[1].split("</span>")[0]
    assert title == "&lt;b&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/b&gt; 南沙报告"  # not bold, and not evaluated to 49


def test_ids_are_sequential_not_random(sample_build):
    html = (sample_build / "map.html").read_text(encoding="utf-8")
    assert not re.search(r"_[0-9a-f]{32}\b", html)
    assert "map_00000001" in html or re.search(r"map_0+[0-9a-f]+", html)


def test_amap_tiles_move_every_feature_onto_gcj02(tmp_path):
    out = build(tmp_path, "白云国际机场扩建。", "--tiles", "amap")
    html = (out / "map.html").read_text(encoding="utf-8")
    assert "webrd0{s}.is.autonavi.com" in html
    from baymap.geo.crs import gcj02_from_wgs84

    moved = gcj02_from_wgs84(LngLat(113.29889, 23.3925))
    located = re.search(r"L\.circleMarker\(\s*\[([\d.]+),\s*([\d.]+)\]", html)
    assert float(located.group(1)) == moved.lat and float(located.group(2)) == moved.lng


def test_offline_page_loads_nothing_from_the_network(tmp_path):
    html = (build(tmp_path, "南沙开发。", "--offline") / "map.html").read_text(encoding="utf-8")
    loads = r"""<script[^>]+src\s*=\s*["']?https?:|<link[^>]+href\s*=\s*["']?https?:|url\(\s*["']?https?:"""
    assert not re.search(loads, html)
    assert "L.tileLayer" not in html
    assert not re.search(r"url\(\s*['\"]?(?!data:|#)", html), "every url() in the page is inlined"


def test_amap_tiles_move_outlines_and_the_basemap_onto_gcj02_too(tmp_path):
    """An outline is lightened, then shifted: its points lie a few hundred metres from the WGS-84 page's."""
    (tmp_path / "wgs").mkdir(), (tmp_path / "gcj").mkdir()
    wgs = (build(tmp_path / "wgs", "南沙开发。", "--tiles", "osm") / "map.html").read_text(encoding="utf-8")
    gcj = (build(tmp_path / "gcj", "南沙开发。", "--tiles", "amap") / "map.html").read_text(encoding="utf-8")
    first = re.compile(r'"geometry": \{"coordinates": \[\[\[\[?([\d.]+), ([\d.]+)\]')
    (wgs_lng, wgs_lat), (gcj_lng, gcj_lat) = (tuple(map(float, first.search(p).groups())) for p in (wgs, gcj))
    assert 0.002 < abs(gcj_lng - wgs_lng) < 0.01 and 0.001 < abs(gcj_lat - wgs_lat) < 0.01


def test_the_offline_sample_map_stays_under_one_and_a_half_megabytes(tmp_path):
    """Everything inlined (Leaflet, markercluster, outlines, minimap), and only what the report names loaded."""
    from baymap import build_map

    assert build_map.main(["--offline", "-q", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "map.html").stat().st_size < 1_500_000


def test_page_geometries_move_every_point_outline_and_box_onto_gcj02_as_one_feature_alone_would(
    sample_mentions, gazetteer
):
    features = features_from_mentions(sample_mentions, gazetteer)
    plain, moved = page_geometries(features), page_geometries(features, gcj02=True)
    assert sum(g.outline is not None for g in moved.values()) > 10 and sum(len(g.points) for g in moved.values()) > 10
    for feature in features:
        alone, together = plain[feature.id], moved[feature.id]
        one_by_one = [gcj02_from_wgs84(p) for p in alone.points]
        assert [list(p) for p in together.points] == [pytest.approx(list(p), abs=1e-12) for p in one_by_one]
        if alone.outline is None:
            assert together.outline is None
        else:  # (the shift is about 5e-3 degrees: a rounding step of 1e-5 either way is still the same place)
            assert shapely.equals_exact(together.outline, on_gcj02(alone.outline), tolerance=1e-5)
        (south, west), (north, east) = alone.bounds
        box = on_gcj02(shapely.box(west, south, east, north))
        assert together.bounds == page_geometries([feature], gcj02=True)[feature.id].bounds
        assert together.bounds[0] == pytest.approx([box.bounds[1], box.bounds[0]], abs=1e-5)
    assert page_geometries([], gcj02=True) == {}
