"""The export contract: features.geojson, mentions.csv, unresolved.csv, and atomic, reproducible writes."""

from __future__ import annotations

import csv
import errno
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from baymap import build_map
from baymap.geo._errors import OutputError
from baymap.layers import exports
from baymap.layers.exports import STAGING_MARK, write_outputs
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


def test_the_samples_features_geojson_is_small_enough_to_mail_and_keeps_points_exact(sample_build, sample_geojson):
    assert (sample_build / "features.geojson").stat().st_size <= 1_000_000
    airport = next(f for f in sample_geojson["features"] if f["id"] == "baiyun_airport")
    assert airport["geometry"]["coordinates"] == [113.29889, 23.3925]  # a point is never simplified


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


def test_unresolved_csv_lists_the_names_the_sample_does_not_map(sample_build):
    with (sample_build / "unresolved.csv").open(encoding="utf-8", newline="") as f:
        assert f.readline().strip() == "text,count,reports,report,start,section,quote"
        rows = list(csv.DictReader(f, fieldnames=["text", "count", "reports", "report", "start", "section", "quote"]))
    assert "岭南现代农业科学与技术省实验室" in {r["text"] for r in rows}
    assert all(r["text"] in r["quote"] for r in rows)


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


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (staging folders beside it included), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def staging_left(out: Path) -> list[str]:
    return [p.name for p in (*out.parent.iterdir(), *out.iterdir()) if STAGING_MARK in p.name]


@pytest.fixture
def old_map(tmp_path) -> Path:
    """A folder holding a finished map, and a file and a folder of the user's own."""
    out = build(tmp_path, "南沙开发。")
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    (out / "slides").mkdir()
    (out / "slides" / "talk.md").write_text("# talk", encoding="utf-8")
    return out


@pytest.mark.parametrize("blocked", OUTPUTS)
def test_an_output_in_the_way_changes_nothing(old_map, blocked, tmp_path):
    (old_map / blocked).unlink()
    (old_map / blocked).mkdir()  # something that is not a file where an output should go
    before = snapshot(old_map)
    report = tmp_path / "new.txt"
    report.write_text("前海合作，横琴开发。", encoding="utf-8")
    assert build_map.main([str(report), "-o", str(old_map), "-q"]) == 1
    assert snapshot(old_map) == before
    assert staging_left(old_map) == []


@pytest.mark.parametrize("failing", OUTPUTS)
def test_a_write_that_fails_midway_changes_nothing(old_map, failing, tmp_path, monkeypatch):
    before = snapshot(old_map)
    original = exports._write_file

    def disk_full(path, content):
        if path.name == failing:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        original(path, content)

    monkeypatch.setattr(exports, "_write_file", disk_full)
    report = tmp_path / "new.txt"
    report.write_text("前海合作，横琴开发。", encoding="utf-8")
    assert build_map.main([str(report), "-o", str(old_map), "-q"]) == 1
    assert snapshot(old_map) == before
    assert staging_left(old_map) == []


def test_a_new_build_replaces_its_own_files_and_keeps_the_users(old_map, tmp_path):
    assert build_map.main([str(tmp_path / "report.txt"), "--embed", "-o", str(old_map), "-q"]) == 0
    assert (old_map / "embed.html").is_file()
    report = tmp_path / "new.txt"
    report.write_text("前海合作。", encoding="utf-8")
    assert build_map.main([str(report), "-o", str(old_map), "-q"]) == 0
    assert "前海" in (old_map / "map.html").read_text(encoding="utf-8")
    assert not (old_map / "embed.html").exists()  # baymap wrote it before; this build did not
    assert (old_map / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert (old_map / "slides" / "talk.md").read_text(encoding="utf-8") == "# talk"
    assert staging_left(old_map) == []


def slow_build(report: Path, out: Path) -> subprocess.Popen:
    """build-map in its own process, pausing for a minute after it has written its first output."""
    script = (
        "import sys, time\n"
        "from baymap.layers import exports\n"
        "from baymap import build_map\n"
        "write = exports._write_file\n"
        "def slow(path, content):\n"
        "    write(path, content)\n"
        "    time.sleep(60)\n"
        "exports._write_file = slow\n"
        f"sys.exit(build_map.main([{str(report)!r}, '-o', {str(out)!r}, '-q']))\n"
    )
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_staging(out: Path, process: subprocess.Popen) -> None:
    for _ in range(600):
        if any(p.is_dir() and any(p.iterdir()) for p in out.parent.iterdir() if STAGING_MARK in p.name):
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    raise AssertionError("the build never started writing")


def interrupt_mid_write(old_map: Path, tmp_path: Path, sig: int) -> tuple[subprocess.Popen, Path]:
    """Start building a new report into old_map, and send the build `sig` once it is writing."""
    report = tmp_path / "new.txt"
    report.write_text("前海合作，横琴开发。", encoding="utf-8")
    process = slow_build(report, old_map)
    wait_for_staging(old_map, process)
    process.send_signal(sig)
    return process, report


def test_a_build_killed_mid_write_leaves_the_old_map_and_the_next_run_cleans_up(old_map, tmp_path):
    before = snapshot(old_map)
    process, report = interrupt_mid_write(old_map, tmp_path, signal.SIGKILL)
    process.wait(timeout=30)
    assert snapshot(old_map) == before
    assert staging_left(old_map) != []  # what the killed build left behind
    assert build_map.main([str(report), "-o", str(old_map), "-q"]) == 0
    assert staging_left(old_map) == []
    assert "横琴" in (old_map / "map.html").read_text(encoding="utf-8")


def test_ctrl_c_ends_with_one_line_and_exit_130(old_map, tmp_path):
    before = snapshot(old_map)
    process, _ = interrupt_mid_write(old_map, tmp_path, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.decode().splitlines() == ["build-map: interrupted; nothing was half-written"]
    assert snapshot(old_map) == before
    assert staging_left(old_map) == []
