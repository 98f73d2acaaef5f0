"""Several reports on one map: per-report counts, popups that say which report, capped quotes."""

from __future__ import annotations

import json

from baymap import build_map
from baymap.geo import load_gazetteer, mentions_from_report
from baymap.geo.features import features_from_mentions
from baymap.geo.report import report_from_text
from baymap.layers.popups import MAX_QUOTES, popup_html
from baymap.layers.styles import load_styles


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_features_count_mentions_per_report(tmp_path):
    a = write(tmp_path, "a.txt", "一、平台\n南沙开发。南沙开放。\n")
    b = write(tmp_path, "b.txt", "一、交通\n南沙大桥通车，南沙港区四期开工。\n")
    out = tmp_path / "out"
    assert build_map.main([a, b, "-q", "-o", str(out)]) == 0
    features = {f["id"]: f["properties"] for f in json.loads((out / "features.geojson").read_text())["features"]}
    assert features["nansha"]["mentions_by_report"] == {a: 2}
    assert features["nansha_bridge"]["mentions_by_report"] == {b: 1}
    assert {m["report"] for m in features["nansha"]["mentions"]} == {a}
    html = (out / "map.html").read_text(encoding="utf-8")
    assert "2 份报告 · 2 reports" in html
    assert '"a.txt","b.txt"' in html  # the report filter, by file name


def test_popup_groups_quotes_by_report_and_caps_them():
    gazetteer = load_gazetteer()
    mentions = []
    for name, text in (("2019.txt", "南沙发展。" * 10), ("2020.txt", "南沙开放。" * 10)):
        mentions += mentions_from_report(report_from_text(text, name), gazetteer)
    (feature,) = features_from_mentions(mentions, gazetteer)
    html = popup_html(feature, load_styles()["cities_districts"])
    assert html.count("<li>") == MAX_QUOTES
    assert '<div class="bm-report">2019.txt · 10</div>' in html
    assert '<div class="bm-report">2020.txt · 10</div>' in html
    assert "还有 8 处提及（共 2 份报告）" in html and "8 more in 2 reports" in html
