"""Web libraries come from their PyPI packages, checked against the hashes their wheels recorded."""

from __future__ import annotations

from importlib import metadata

import pytest

from baymap.layers import assets
from baymap.layers.assets import LEAFLET, MARKERCLUSTER, AssetError, asset_bytes, leaflet_css


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
