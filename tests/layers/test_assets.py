"""Web libraries come from their PyPI packages, checked against the hashes their wheels recorded; the one vendored
library (Leaflet-Geoman) is its pinned npm release, checked against the hashes pinned in assets.py."""

from __future__ import annotations

import importlib.util
import subprocess
from importlib import metadata
from pathlib import Path

import pytest

from baymap.layers import assets
from baymap.layers.assets import LEAFLET, MARKERCLUSTER, VENDORED, AssetError, asset_bytes, leaflet_css, vendored_text

VENDOR = Path(__file__).resolve().parents[2] / "layers" / "vendor"


@pytest.mark.parametrize(
    ("package", "file"),
    [
        (LEAFLET, "leaflet.js"),
        (LEAFLET, "leaflet.css"),
        (LEAFLET, "images/layers.png"),
        (MARKERCLUSTER, "leaflet.markercluster.js"),
        (MARKERCLUSTER, "MarkerCluster.css"),
    ],
)
def test_each_library_file_is_installed_and_matches_its_recorded_hash(package, file):
    assert len(asset_bytes(package, file)) > 500


def test_leaflet_css_has_its_images_inlined():
    css = leaflet_css()
    assert "url(images/" not in css and "data:image/png;base64," in css


def test_a_file_that_differs_from_its_record_is_refused(monkeypatch):
    asset_bytes.cache_clear()
    real = metadata.distribution(LEAFLET.distribution)

    class Tampered:
        version = real.version

        @property
        def files(self):
            for path in real.files:
                if str(path) == LEAFLET.path_of("leaflet.js"):
                    path.hash = metadata.FileHash("sha256=" + "A" * 43)
                yield path

    monkeypatch.setattr(assets.metadata, "distribution", lambda name: Tampered())
    with pytest.raises(AssetError, match="does not match the hash its package recorded"):
        asset_bytes(LEAFLET, "leaflet.js")
    asset_bytes.cache_clear()


def test_a_missing_package_is_a_clear_error(monkeypatch):
    asset_bytes.cache_clear()

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(assets.metadata, "distribution", missing)
    with pytest.raises(AssetError, match="Leaflet is not installed: pip install xstatic-leaflet"):
        asset_bytes(LEAFLET, "leaflet.js")
    asset_bytes.cache_clear()


@pytest.mark.parametrize("file", sorted(VENDORED))
def test_each_vendored_file_matches_its_pinned_hash_and_loses_only_its_source_map_line(file):
    vendored_text.cache_clear()
    text = vendored_text(file)
    assert len(text) > 1_000 and "sourceMappingURL" not in text
    assert (VENDOR / file).read_text(encoding="utf-8").startswith(text)


def test_a_vendored_file_that_differs_from_its_pin_is_refused(monkeypatch):
    vendored_text.cache_clear()
    monkeypatch.setitem(assets.VENDORED, "leaflet-geoman.css", "0" * 64)
    with pytest.raises(AssetError, match=r"does not match its pinned hash: run python layers/vendor/fetch_geoman\.py"):
        vendored_text("leaflet-geoman.css")
    vendored_text.cache_clear()


@pytest.mark.network  # npm fetches the pinned Leaflet-Geoman release from its registry
def test_the_vendored_drawing_plugin_is_its_pinned_release_byte_for_byte(tmp_path):
    spec = importlib.util.spec_from_file_location("fetch_geoman", VENDOR / "fetch_geoman.py")
    fetch_geoman = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fetch_geoman)
    try:
        fetch_geoman.vendor(tmp_path)
    except (OSError, subprocess.CalledProcessError) as err:
        pytest.skip(f"cannot fetch the pinned Leaflet-Geoman with npm: {err}")
    for name in fetch_geoman.FILES.values():
        assert (tmp_path / name).read_bytes() == (VENDOR / name).read_bytes(), name
