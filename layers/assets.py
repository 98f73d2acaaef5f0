"""Web libraries inlined into every page: Leaflet and its plugins from their PyPI (XStatic) packages.

They are ordinary dependencies, so a page works offline straight after `pip install`; each file is
checked against the hash its wheel recorded before it goes into a page. The one library PyPI does not
package, Leaflet-Geoman (review.html's drawing tools), is vendored in layers/vendor/ by its pinned
script and checked against the sha256 pinned here.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources

from branca.element import Element

from baymap.geo._errors import BaymapError


class AssetError(BaymapError):
    """A web library is missing, or its file does not match the hash its package recorded."""


@dataclass(frozen=True)
class StaticPackage:
    """A JavaScript library packaged for Python (XStatic): its files live in `module`/data/."""

    distribution: str
    module: str
    library: str
    version: str

    def path_of(self, file: str) -> str:
        return f"{self.module.replace('.', '/')}/data/{file}"


LEAFLET = StaticPackage("XStatic-Leaflet", "xstatic.pkg.leaflet", "Leaflet", "1.9.3")
MARKERCLUSTER = StaticPackage(
    "XStatic-Leaflet-MarkerCluster", "xstatic.pkg.leaflet_markercluster", "Leaflet.markercluster", "1.4.1"
)


@cache
def asset_bytes(package: StaticPackage, file: str) -> bytes:
    """A file of the installed package, after checking it against the sha256 in the wheel's RECORD."""
    try:
        distribution = metadata.distribution(package.distribution)
    except metadata.PackageNotFoundError:
        raise AssetError(
            f"{package.library} is not installed: pip install {package.distribution.lower()} (a baymap dependency)"
        ) from None
    wanted = package.path_of(file)
    recorded = next((f for f in distribution.files or () if str(f) == wanted), None)
    if recorded is None or recorded.hash is None or recorded.hash.mode != "sha256":
        raise AssetError(f"{package.distribution} {distribution.version} records no sha256 for {wanted}")
    try:
        data = recorded.locate().read_bytes()
    except OSError as err:
        raise AssetError(f"{package.distribution}: cannot read {wanted}: {err.strerror or err}") from None
    if _wheel_hash(data) != recorded.hash.value:
        raise AssetError(
            f"{package.distribution}: {wanted} does not match the hash its package recorded; "
            f"reinstall it: pip install --force-reinstall {package.distribution.lower()}"
        )
    return data


def asset_text(package: StaticPackage, file: str) -> str:
    return asset_bytes(package, file).decode("utf-8")


def _wheel_hash(data: bytes) -> str:
    """The RECORD file's form: urlsafe base64 of the sha256 digest, without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


#: Files vendored in layers/vendor/ by fetch_geoman.py (Leaflet-Geoman free 2.20.2, MIT), with their sha256.
VENDORED = {
    "leaflet-geoman.min.js": "20d0ba38069526be959287b8ae13234f660f92db28de86782ebcad028dda9ed3",
    "leaflet-geoman.css": "a0df8e0f6301f9f71d772b2c61913bb9094ae0735fd2223ccd1aecd871ea250c",
    "LICENSE-leaflet-geoman": "b8f81bc43788014a8be76982feb763d554b5b5218a1797fe4bedffd4df22e067",
}


@cache
def vendored_text(file: str) -> str:
    """A vendored library file after checking it against its pinned sha256, without its source-map comment."""
    try:
        data = resources.files("baymap.layers").joinpath(f"vendor/{file}").read_bytes()
    except OSError as err:
        raise AssetError(f"baymap's vendored {file} is missing ({err.strerror or err}): reinstall baymap") from None
    if hashlib.sha256(data).hexdigest() != VENDORED[file]:
        raise AssetError(
            f"layers/vendor/{file} does not match its pinned hash: run python layers/vendor/fetch_geoman.py"
        )
    return _without_source_map(data.decode("utf-8"))


def _without_source_map(text: str) -> str:
    """The last-line `sourceMappingURL` comment points at a file the page does not carry."""
    last = text.rstrip().rsplit("\n", 1)
    return last[0] + "\n" if len(last) == 2 and "# sourceMappingURL=" in last[1] else text


def leaflet_css() -> str:
    """Leaflet's stylesheet with its control images inlined as data: URLs."""
    css = asset_text(LEAFLET, "leaflet.css")
    for image in ("layers.png", "layers-2x.png", "marker-icon.png"):
        data = base64.b64encode(asset_bytes(LEAFLET, f"images/{image}")).decode("ascii")
        css = css.replace(f"url(images/{image})", f"url(data:image/png;base64,{data})")
    return css


def raw_element(markup: str) -> Element:
    """An element whose markup is inserted as it is (branca would otherwise read it as a Jinja template)."""
    element = Element("{{ this.markup }}")
    element.markup = markup
    return element
