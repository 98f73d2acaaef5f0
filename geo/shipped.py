"""The files baymap ships in its data/ folder, found inside the installed package."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable


def data_file(name: str) -> Traversable:
    """A file of data/ (gazetteer, styles, boundaries, the sample report), wherever baymap is installed."""
    return resources.files("baymap.data").joinpath(name)


@cache
def data_bytes(name: str) -> bytes:
    """A shipped file's bytes, read once per process: several caches are named by the same file's hash."""
    return data_file(name).read_bytes()
