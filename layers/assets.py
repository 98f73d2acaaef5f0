"""Offline web assets: Leaflet from its published npm package, fetched once into a local cache.

python -m layers.assets fetch            # npm pack + verify + unpack into the cache
python -m layers.assets add FILE.tgz     # the same from a tarball carried in by hand
python -m layers.assets where            # print the cache folder
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from baymap.geo._errors import BaymapError


class AssetError(BaymapError):
    """An offline asset is missing or does not match its published checksum."""


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    integrity: str
    """The registry's sha512 of the tarball, so a carried-in file is the published one."""
    files: tuple[str, ...]

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def tarball_name(self) -> str:
        return f"{self.name}-{self.version}.tgz"


LEAFLET = NpmPackage(
    "leaflet",
    "1.9.4",
    "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
    ("dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png", "dist/images/layers-2x.png"),
)
PACKAGES = (LEAFLET,)


def cache_dir() -> Path:
    """$BAYMAP_ASSETS, else $XDG_CACHE_HOME/baymap/assets, else ~/.cache/baymap/assets."""
    if os.environ.get("BAYMAP_ASSETS"):
        return Path(os.environ["BAYMAP_ASSETS"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "baymap" / "assets"


def asset_bytes(package: NpmPackage, file: str) -> bytes:
    path = cache_dir() / package.spec / file
    if not path.is_file():
        raise AssetError(
            f"{package.spec} is not in the offline cache ({cache_dir()}): run 'python -m layers.assets fetch' "
            f"once with access to the npm registry, or 'python -m layers.assets add {package.tarball_name}'"
        )
    return path.read_bytes()


def assets_ready() -> bool:
    return all((cache_dir() / p.spec / f).is_file() for p in PACKAGES for f in p.files)


def fetch_assets() -> None:
    """npm pack every package into a temporary folder, then add it to the cache."""
    for package in PACKAGES:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                subprocess.run(["npm", "pack", package.spec, "--silent"], cwd=tmp, check=True, capture_output=True)
            except (OSError, subprocess.CalledProcessError) as err:
                raise AssetError(f"cannot fetch {package.spec} with npm: {err}") from None
            add_tarball(Path(tmp) / package.tarball_name)


def add_tarball(tarball: Path) -> NpmPackage:
    """Verify a package tarball against its published checksum and unpack the files the map needs."""
    data = tarball.read_bytes()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    package = next((p for p in PACKAGES if p.integrity == digest), None)
    if package is None:
        raise AssetError(f"{tarball}: not a package baymap uses (checksum {digest[:24]}…)")
    target = cache_dir() / package.spec
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for file in package.files:
            member = archive.extractfile(f"package/{file}")
            if member is None:
                raise AssetError(f"{tarball}: lacks {file}")
            path = target / file
            path.parent.mkdir(parents=True, exist_ok=True)
            staged = path.with_suffix(path.suffix + ".part")
            staged.write_bytes(member.read())
            staged.replace(path)
    return package


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m layers.assets", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="fetch the packages with npm")
    add = sub.add_parser("add", help="add a package tarball carried in by hand")
    add.add_argument("tarball", type=Path)
    sub.add_parser("where", help="print the cache folder")
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            fetch_assets()
        elif args.command == "add":
            add_tarball(args.tarball)
    except (AssetError, OSError) as err:
        print(f"layers.assets: error: {err}", file=sys.stderr)
        return 1
    print(cache_dir())
    return 0


if __name__ == "__main__":
    sys.exit(main())
