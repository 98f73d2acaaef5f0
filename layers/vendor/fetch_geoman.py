"""Vendor Leaflet-Geoman (free), the drawing plugin of review.html, from its pinned npm release.

    python layers/vendor/fetch_geoman.py

`npm pack` fetches the release tarball; the script checks it against the registry's sha512 integrity
pinned below, then copies the minified script, the stylesheet (its icons are inlined SVG) and the
licence (MIT) next to itself, byte for byte. PyPI has no package of it, so the files are kept in the
repository and layers/assets.py checks each against its sha256 before it goes into a page.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@geoman-io/leaflet-geoman-free"
VERSION = "2.20.2"
INTEGRITY = "sha512-KQpSe0VKyuVCudq/08rMjJW1vvIwFldTwBny2wZ7ABcyyUAP7/eoFo967hCu9yRqAAHb4QOxC6gY5dGqttY68g=="
#: Tarball member → vendored file name.
FILES = {
    "package/dist/leaflet-geoman.min.js": "leaflet-geoman.min.js",
    "package/dist/leaflet-geoman.css": "leaflet-geoman.css",
    "package/LICENSE": "LICENSE-leaflet-geoman",
}
HERE = Path(__file__).resolve().parent


def packed_tarball(folder: Path) -> Path:
    """The release tarball, as npm fetches it."""
    name = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=folder, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    return folder / name


def check_integrity(tarball: Path) -> None:
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode("ascii")
    if f"sha512-{digest}" != INTEGRITY:
        sys.exit(f"fetch_geoman: {tarball.name} does not match the pinned integrity of {PACKAGE} {VERSION}")


def vendor(out: Path = HERE) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tarball = packed_tarball(Path(tmp))
        check_integrity(tarball)
        with tarfile.open(tarball) as archive:
            for member, name in FILES.items():
                (out / name).write_bytes(archive.extractfile(member).read())


if __name__ == "__main__":
    vendor(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
