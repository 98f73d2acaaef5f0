"""Shared fixtures: the shipped gazetteer, the bundled sample report and one build of its map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import settings

from baymap import build_map
from baymap.geo import load_gazetteer, mentions_from_report, report_from_bytes
from baymap.geo.shipped import data_file

# Property tests check behaviour, never speed: a first call that loads OpenCC's dictionaries must not
# fail a deadline on a busy CI machine.
settings.register_profile("baymap", deadline=None)
settings.load_profile("baymap")

SHARED_SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "reports" / "guangzhou-gba-progress-2019.txt"


@pytest.fixture(scope="session")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="session")
def sample_bytes() -> bytes:
    return data_file("sample-report.txt").read_bytes()


@pytest.fixture(scope="session")
def sample(sample_bytes):
    return report_from_bytes(sample_bytes, name="sample-report.txt")


@pytest.fixture(scope="session")
def sample_mentions(sample, gazetteer):
    return mentions_from_report(sample, gazetteer)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The sample map built once, as a user would: `build-map -o OUTDIR`."""
    outdir = tmp_path_factory.mktemp("sample-map")
    assert build_map.main(["-o", str(outdir), "-q"]) == 0
    return outdir


@pytest.fixture(scope="session")
def sample_geojson(sample_build) -> dict:
    return json.loads((sample_build / "features.geojson").read_text(encoding="utf-8"))


def build(tmp_path: Path, text: str | bytes, *extra: str) -> Path:
    """Build a map of a small hand-made report; returns the output folder."""
    report = tmp_path / "report.txt"
    report.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    outdir = tmp_path / "out"
    assert build_map.main([str(report), "-o", str(outdir), "-q", *extra]) == 0
    return outdir


def user_gazetteer(tmp_path: Path, text: str) -> Path:
    """A user's gazetteer file, mine.yaml, holding text: what --gazetteer and --check-gazetteer are given."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(text, encoding="utf-8")
    return mine
