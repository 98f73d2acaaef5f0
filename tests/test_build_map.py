"""The command line as a user runs it: defaults, options, errors, and the installed `build-map`."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from baymap import build_map
from tests.conftest import build, user_gazetteer

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "baymap.build_map", *args], cwd=cwd, input=stdin, capture_output=True, timeout=300
    )


def test_help_explains_every_option():
    result = run("--help")
    assert result.returncode == 0
    options = ("REPORT", "--output", "--gazetteer", "--styles", "--title", "--offline", "--tiles", "--png", "--embed")
    options += ("--svg", "--review", "--check-gazetteer")
    for option in (*options, "--quiet", "sample"):
        assert option in result.stdout.decode()


def test_no_arguments_maps_the_bundled_sample(tmp_path):
    result = run(cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    out = tmp_path / "baymap-map"
    features = json.loads((out / "features.geojson").read_text(encoding="utf-8"))["features"]
    with (out / "mentions.csv").open(encoding="utf-8", newline="") as f:
        mentions = list(csv.DictReader(f))
    printed = f"mapped {len(features)} places, corridors and zones ({len(mentions)} mentions) from 1 report;"
    assert result.stdout.decode().startswith(printed)  # the summary counts what was written
    assert sorted(p.name for p in (tmp_path / "baymap-map").iterdir()) == [
        ".baymap-outputs",
        "features.geojson",
        "map.html",
        "mentions.csv",
        "unresolved.csv",
    ]


def test_standard_input(tmp_path):
    result = run("-", "-o", str(tmp_path / "out"), stdin="南沙大桥建成通车。".encode("gbk"))
    assert result.returncode == 0, result.stderr.decode()
    assert "mapped 1 places" in result.stdout.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "the report is empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"\xff\xfe\xfd" * 20, "cannot decode"),
    ],
)
def test_bad_reports_give_one_line_and_write_nothing(tmp_path, content, message):
    report = tmp_path / "report.txt"
    if content is not None:
        report.write_bytes(content)
    result = run(str(report), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("build-map: error:") and message in lines[0]
    assert not (tmp_path / "out").exists()


def test_malformed_gazetteer_names_the_file_and_line(tmp_path):
    mine = user_gazetteer(tmp_path, "entries:\n  - id: x\n    name_zh: 甲\n")
    result = run("-o", str(tmp_path / "out"), "--gazetteer", str(mine))
    assert result.returncode == 1
    assert f"{mine}:2: entry 'x': missing field" in result.stderr.decode()


def test_unwritable_output_keeps_what_was_there(tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("keep me")
    result = run("-o", str(blocker))
    assert result.returncode == 1
    assert "cannot write the map here" in result.stderr.decode()
    assert blocker.read_text() == "keep me"


def test_title_option(tmp_path):
    assert build_map.main(["-o", str(tmp_path), "-q", "--title", "我的地图"]) == 0
    assert '<div class="baymap-title"><span class="bm-zh">我的地图' in (tmp_path / "map.html").read_text(
        encoding="utf-8"
    )


def test_installed_command_runs_from_any_folder(tmp_path):
    command = shutil.which("build-map", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    assert command, "install the project first: pip install '.[test]'"
    result = subprocess.run([command, "-o", "here"], cwd=tmp_path, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "here" / "map.html").stat().st_size > 100_000


@pytest.mark.network  # pip fetches setuptools from the package index to build the wheel
def test_the_wheel_installs_one_name_with_its_data_and_no_generators(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("baymap-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top_level == {"baymap"}
    for needed in (
        "build_map.py",
        "geo/report.py",
        "layers/render.py",
        "layers/controls/core.js",
        "layers/controls/story.js",
        "layers/page.css",
        "layers/review.css",
        "layers/controls/review.js",
        "layers/vendor/leaflet-geoman.min.js",
        "layers/vendor/leaflet-geoman.css",
        "layers/vendor/LICENSE-leaflet-geoman",
        "data/gazetteer.yaml",
        "data/districts.yaml",
        "data/layers.yaml",
        "data/boundaries.geojson",
        "data/sample-report.txt",
    ):
        assert f"baymap/{needed}" in names
    assert not [name for name in names if "/make_" in name or "/fetch_" in name], "generators stay in the repository"


def test_check_gazetteer_builds_no_map(tmp_path):
    result = run("--check-gazetteer", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert "the shipped gazetteer:" in result.stdout.decode() and "0 problems" in result.stdout.decode()
    assert not (tmp_path / "baymap-map").exists()
    mine = user_gazetteer(tmp_path, "entries:\n  - id: x\n    name_zh: 甲\n")
    result = run("--check-gazetteer", "--gazetteer", str(mine), cwd=tmp_path)
    assert result.returncode == 1 and f"{mine}:2: entry 'x': missing field 'name_en'" in result.stderr.decode()


def test_progress_shows_only_on_a_terminal(tmp_path):
    reports = []
    for i in range(3):
        reports.append(tmp_path / f"r{i}.txt")
        reports[-1].write_text("南沙开发。", encoding="utf-8")
    result = run(*map(str, reports), "-o", str(tmp_path / "out"))
    assert result.returncode == 0 and result.stderr == b""  # stderr is a pipe here: no bar


def test_an_entry_in_a_layer_without_a_style_is_an_error(tmp_path):
    mine = user_gazetteer(
        tmp_path,
        "entries:\n  - {id: x, name_zh: 某区, name_en: X, aliases: [], aliases_en: [X], layer: parks, kind: park,\n"
        "     geometry: {union: [nansha]}}\n",
    )
    for command in (["--check-gazetteer"], ["-o", str(tmp_path / "out")]):
        result = run(*command, "--gazetteer", str(mine))
        assert result.returncode == 1
        assert f"{mine}:2: entry 'x': layer 'parks' has no style" in result.stderr.decode()


def test_help_names_every_input_format():
    text = " ".join(run("--help").stdout.decode().split())
    for fmt in ("plain text", "Markdown", "UTF-8", "UTF-16", "GB18030", "Big5", "HTML", ".docx", ".pdf", "'-'"):
        assert fmt in text, fmt


def test_csv_cells_a_spreadsheet_would_run_are_written_as_text(tmp_path):
    out = build(tmp_path, '=HYPERLINK("http://x")南沙开发。\n+1南沙，-2南沙，@SUM(1)前海。')
    with (out / "mentions.csv").open(encoding="utf-8", newline="") as f:
        quotes = [row["quote"] for row in csv.DictReader(f)]
    assert quotes and all(not q.startswith(("=", "+", "-", "@")) for q in quotes)
    assert '\'=HYPERLINK("http://x")南沙开发。' in quotes


def test_the_same_report_named_twice_is_read_once(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("南沙开发。", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(report)
    result = run(str(report), str(report), str(tmp_path / "link.txt"), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr.decode()
    assert "(1 mentions) from 1 report;" in result.stdout.decode()


def test_reports_with_the_same_file_name_get_distinct_labels(tmp_path):
    for folder, text in (("a", "南沙开发。"), ("b", "前海合作。")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    reports = [str(tmp_path / folder / "report.txt") for folder in ("a", "b")]
    assert build_map.main([*reports, "-q", "-o", str(out)]) == 0
    html = (out / "map.html").read_text(encoding="utf-8")
    assert '"a/report.txt","b/report.txt"' in html  # the report toggles' labels


def test_a_bad_chromium_for_stills_is_a_one_line_error(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("南沙开发。", encoding="utf-8")
    for chromium in (str(tmp_path / "missing"), "/bin/true"):
        result = subprocess.run(
            [sys.executable, "-m", "baymap.build_map", str(report), "--png", "-o", str(tmp_path / "out")],
            capture_output=True,
            timeout=300,
            env={**os.environ, "BAYMAP_CHROMIUM": chromium},
        )
        assert result.returncode == 1
        lines = result.stderr.decode().strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("build-map: error:")
        assert "Chromium" in lines[0] or "BAYMAP_CHROMIUM" in lines[0]
        assert not (tmp_path / "out").exists()


def test_standard_input_is_capped_as_it_is_read(tmp_path):
    script = (
        "import sys\n"
        "from baymap.geo import report\n"
        "report.MAX_REPORT_BYTES = 1000\n"
        "from baymap import build_map\n"
        f"sys.exit(build_map.main(['-', '-o', {str(tmp_path / 'out')!r}]))\n"
    )
    with open("/dev/zero", "rb") as endless:
        result = subprocess.run([sys.executable, "-c", script], stdin=endless, capture_output=True, timeout=120)
    assert result.returncode == 1
    assert "<stdin>" in result.stderr.decode() and len(result.stderr.decode().strip().splitlines()) == 1


def test_review_writes_review_html_beside_the_map_and_only_when_asked(tmp_path):
    report = "建设鹤洲科创产业园。"
    for folder in ("plain", "review"):
        (tmp_path / folder).mkdir()
    assert not (build(tmp_path / "plain", report) / "review.html").exists()
    page = (build(tmp_path / "review", report, "--review") / "review.html").read_text(encoding="utf-8")
    assert "鹤洲科创产业园" in page and "baymapReview(" in page


def test_names_a_gazetteer_ignores_are_not_listed_as_unresolved(tmp_path):
    report = "建设鹤洲科创产业园和金鼎湾片区。"
    for folder in ("before", "after"):
        (tmp_path / folder).mkdir()
    listed = unresolved_texts(build(tmp_path / "before", report))
    assert {"鹤洲科创产业园", "金鼎湾片区"} <= listed
    mine = user_gazetteer(tmp_path, "entries: []\nignore: [金鼎湾片区]\n")
    after = unresolved_texts(build(tmp_path / "after", report, "--gazetteer", str(mine)))
    assert after == listed - {"金鼎湾片区"}


def unresolved_texts(outdir: Path) -> set[str]:
    with open(outdir / "unresolved.csv", encoding="utf-8", newline="") as rows:
        return {row["text"] for row in csv.DictReader(rows)}


def test_a_review_of_standard_input_quotes_what_was_read(tmp_path):
    """Standard input is read once; the review quotes it from what was read, not from a second read."""
    result = run("-", "--review", "-o", str(tmp_path / "out"), stdin="支持中山建设鹤洲科创产业园。".encode())
    assert result.returncode == 0, result.stderr.decode()
    page = (tmp_path / "out" / "review.html").read_text(encoding="utf-8")
    assert '"sentence":"支持中山建设鹤洲科创产业园。"' in page
