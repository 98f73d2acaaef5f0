"""The export contract: features.geojson, mentions.csv, unresolved.csv, and atomic, reproducible writes."""

from __future__ import annotations

import csv
import json

import pytest
import shapely
from shapely.geometry import shape

from baymap import build_map
from baymap.geo._errors import OutputError
from baymap.layers.exports import write_outputs
from tests.conftest import build

OUTPUTS = ("map.html", "features.geojson", "mentions.csv", "unresolved.csv")


def test_features_geojson_is_rfc7946(sample_geojson):
    assert sample_geojson["type"] == "FeatureCollection"
    assert "crs" not in sample_geojson
    for feature in sample_geojson["features"]:
        geometry = shape(feature["geometry"])
        assert geometry.is_valid
        west, south, east, north = geometry.bounds
        assert west > 109 and east < 118 and south > 20 and north < 26, "lon/lat order"
        for polygon in shapely.get_parts(geometry):
            if polygon.geom_type == "Polygon":
                assert polygon.exterior.is_ccw, f"{feature['id']}: exterior ring must be counter-clockwise"
                assert all(not ring.is_ccw for ring in polygon.interiors)


def test_one_feature_per_mentioned_entry_with_its_mentions(sample, sample_mentions, sample_geojson):
    features = {f["properties"]["id"]: f["properties"] for f in sample_geojson["features"]}
    assert set(features) == {m.entry_id for m in sample_mentions}
    port = features["nansha_port_phase4"]
    assert (port["name_zh"], port["layer"], port["kind"]) == ("南沙港区四期", "ports_airports", "port terminal")
    for props in features.values():
        assert props["mention_count"] == len(props["mentions"]) >= 1
        for m in props["mentions"]:
            assert sample.text[m["start"] : m["end"]] == m["text"]
            assert m["text"] in m["quote"] and m["quote"] in sample.text
            assert m["section"]


def test_mentions_csv_has_a_row_per_mention(sample_build, sample_mentions):
    with (sample_build / "mentions.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(sample_mentions)
    first = rows[0]
    assert set(first) == {"report", "id", "name_zh", "name_en", "layer", "text", "start", "end", "section", "quote"}
    assert [int(r["start"]) for r in rows] == sorted(int(r["start"]) for r in rows)


def test_unresolved_csv_is_empty_for_the_sample(sample_build):
    assert (sample_build / "unresolved.csv").read_text(encoding="utf-8").splitlines() == [
        "text,count,reports,report,start,section,quote"
    ]


def test_unresolved_csv_ranks_by_frequency(tmp_path):
    out = build(tmp_path, "新造科技园开园。天鹿湖大桥通车，新造科技园建设。")
    with (out / "unresolved.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["text"], r["count"]) for r in rows] == [("新造科技园", "2"), ("天鹿湖大桥", "1")]


def test_the_same_input_gives_byte_identical_files(sample_build, tmp_path):
    again = tmp_path / "again"
    assert build_map.main(["-o", str(again), "-q"]) == 0
    for name in OUTPUTS:
        assert (again / name).read_bytes() == (sample_build / name).read_bytes(), name


def test_unwritable_output_folder_is_an_error_and_writes_nothing(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="cannot write the map here"):
        write_outputs(blocker / "out", {"map.html": "x"})


def test_a_failed_write_leaves_earlier_outputs_whole(tmp_path):
    out = tmp_path / "out"
    write_outputs(out, {"features.geojson": "old", "mentions.csv": "old"})
    (out / "map.html").mkdir()  # a folder where the map should go: the move fails
    with pytest.raises(OutputError):
        write_outputs(out, {"map.html": "new", "features.geojson": "new", "mentions.csv": "new"})
    assert (out / "features.geojson").read_text() == "old"
    assert sorted(p.name for p in out.iterdir()) == ["features.geojson", "map.html", "mentions.csv"]


def test_geojson_keeps_offsets_into_gbk_reports(tmp_path):
    text = "一、交通\n南沙大桥建成通车，广清城际将于年底建成。\n"
    out = build(tmp_path, text.encode("gbk"))
    features = json.loads((out / "features.geojson").read_text(encoding="utf-8"))["features"]
    mentions = [m for f in features for m in f["properties"]["mentions"]]
    assert sorted((m["text"], m["start"]) for m in mentions) == [("南沙大桥", 5), ("广清城际", 14)]
    assert all(text[m["start"] : m["end"]] == m["text"] for m in mentions)
