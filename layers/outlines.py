"""Outlines lightened for the page and for features.geojson. The shipped shapes (districts, cities, groupings,
zones) recur in every map, so they are simplified once per user and cached, like the shapes themselves."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import shapely

from baymap.geo.parse_cache import cached
from baymap.geo.shipped import data_bytes

#: About 200 m: the finest outline the page draws; invisible at city scale.
DISPLAY_TOLERANCE_DEG = 0.002
#: The page draws a shape at 1/400 of its extent, features.geojson at 1/800 (twice the detail).
DISPLAY_DETAIL, EXPORT_DETAIL = 400, 800
#: features.geojson's coordinates: 6 decimals (about 10 cm).
EXPORT_DECIMALS = 6


def display_geometry(shapes: shapely.Geometry, tolerance: float | None = None) -> shapely.Geometry:
    """Lighter outlines for the page, coarser for larger shapes: a shape is seen at a zoom that fits it, so by
    default its tolerance grows with its size (about 200 m for a district, 1.5 km for the province)."""
    if tolerance is None:
        known = _shipped_outlines().get(_key(shapes))
        if known is not None:
            return known[0]
    return _display(shapes, tolerance)


def export_geometry(geometry: shapely.Geometry) -> shapely.Geometry:
    """Outlines at twice the page's detail (a district to ~40 m, the province to ~1 km), so features.geojson stays
    small enough to mail; points and stations keep their coordinates to 6 decimals."""
    if geometry.geom_type in ("Point", "MultiPoint"):
        return shapely.set_precision(geometry, 10**-EXPORT_DECIMALS)
    known = _shipped_outlines().get(_key(geometry))
    return known[1] if known is not None else _export(geometry)


def _display(shapes: shapely.Geometry, tolerance: float | None) -> shapely.Geometry:
    if tolerance is None:
        tolerance = max(DISPLAY_TOLERANCE_DEG, _extent(shapes) / DISPLAY_DETAIL)
    simplified = shapely.simplify(shapes, tolerance, preserve_topology=True)
    if simplified.geom_type == "MultiPolygon":  # islets too small to see at that zoom
        parts = [p for p in simplified.geoms if p.area >= (4 * tolerance) ** 2] or [simplified.geoms[0]]
        simplified = shapely.MultiPolygon(parts)
    return shapely.set_precision(simplified, 1e-5, mode="pointwise")


def _export(geometry: shapely.Geometry) -> shapely.Geometry:
    simplified = shapely.simplify(geometry, _extent(geometry) / EXPORT_DETAIL, preserve_topology=True)
    return shapely.set_precision(simplified, 10**-EXPORT_DECIMALS)


def _extent(geometry: shapely.Geometry) -> float:
    west, south, east, north = geometry.bounds
    return max(east - west, north - south)


def _key(geometry: shapely.Geometry) -> bytes:
    return hashlib.blake2b(shapely.to_wkb(geometry), digest_size=16).digest()


@cache
def _shipped_outlines() -> dict[bytes, tuple[shapely.Geometry, shapely.Geometry]]:
    """(page, export) outlines of every shipped boundary and compound shape, by the shape's WKB digest."""
    from baymap.geo import geometry
    from baymap.geo.boundaries import load_boundaries
    from baymap.geo.gazetteer import shipped_fingerprint

    def simplify_all():
        shapes = [b.geometry for b in load_boundaries().values()]
        shapes += [shape for _, shape in geometry.shipped_compound_shapes().values()]
        return {_key(s): (_display(s, None), _export(s)) for s in shapes if s.geom_type not in ("Point", "MultiPoint")}

    code = [Path(__file__).read_bytes(), Path(geometry.__file__).read_bytes()]
    return cached("outlines", [*shipped_fingerprint(), *code, data_bytes("boundaries.geojson")], simplify_all)
