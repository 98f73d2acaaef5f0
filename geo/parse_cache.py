"""A per-user cache of what baymap parses from its own shipped files, so a build does not re-read 2 MB of YAML.

The cache lives in $XDG_CACHE_HOME/baymap (~/.cache/baymap), one file per kind, named by a hash of everything
the parse depends on: the shipped files' bytes and the source of the code that reads them. A changed file or a
new baymap version gives a new name; a cache that cannot be read or written is ignored (the parse runs as if
there were none), so a read-only or missing home directory costs time, never a build.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: Set to any value to neither read nor write the cache (a test of the parse itself, a shared machine).
NO_CACHE_VARIABLE = "BAYMAP_NO_CACHE"


def cache_folder() -> Path:
    """$XDG_CACHE_HOME/baymap, or ~/.cache/baymap."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "baymap"


def cached(kind: str, depends_on: Iterable[bytes], parse: Callable[[], T]) -> T:
    """parse(), or the value it gave last time for exactly these inputs."""
    if os.environ.get(NO_CACHE_VARIABLE):
        return parse()
    digest = hashlib.sha256()
    for part in (sys.version.encode(), *depends_on):
        digest.update(hashlib.sha256(part).digest())
    path = cache_folder() / f"{kind}-{digest.hexdigest()[:32]}.pickle"
    try:
        return _unpickled(path.read_bytes())  # our own file, in the user's own cache folder
    except Exception:  # absent, truncated, or written by another version: parse again
        pass
    value = parse()
    _write_quietly(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    for stale in path.parent.glob(f"{kind}-*.pickle"):  # an older version's: never read again
        if stale != path:
            stale.unlink(missing_ok=True)
    return value


def _unpickled(data: bytes) -> object:
    """pickle.loads with the cyclic collector paused: the records it makes (a hundred thousand for the gazetteer)
    hold no garbage, yet collections run as they pile up, each scanning the whole heap: half of the load time."""
    with collector_paused():
        return pickle.loads(data)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run a block without the cyclic garbage collector, for one that makes many objects and no cycles; the
    collector is on again after it only if it was on before."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _write_quietly(path: Path, data: bytes) -> None:
    """Write whole or not at all (another build may read it at the same moment); a failure only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
