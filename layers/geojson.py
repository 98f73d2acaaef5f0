"""shapely's mapping() (a geometry as a GeoJSON-like dict), the same dict built from whole coordinate arrays: shapely
makes each point's tuple in a Python loop, and a map's outlines have 70,000 points."""

from __future__ import annotations

from collections.abc import Callable

import shapely
from shapely.geometry import mapping as shapely_mapping


def mapping(geometry: shapely.Geometry) -> dict:
    """shapely.geometry.mapping(geometry), with the same types (tuples, and a list of polygons), faster."""
    build = _COORDINATES.get(geometry.geom_type)
    if build is None or geometry.is_empty or shapely.has_z(geometry):
        return shapely_mapping(geometry)
    return {"type": geometry.geom_type, "coordinates": build(geometry)}


def _points(line: shapely.Geometry) -> tuple[tuple[float, ...], ...]:
    """A line's or ring's (x, y) tuples, as its CoordinateSequence yields them."""
    xy = shapely.get_coordinates(line)
    return tuple(zip(xy[:, 0].tolist(), xy[:, 1].tolist(), strict=True))


def _rings(polygon: shapely.Polygon) -> tuple:
    return (_points(polygon.exterior), *(_points(hole) for hole in polygon.interiors))


_COORDINATES: dict[str, Callable[[shapely.Geometry], tuple | list]] = {
    "LineString": _points,
    "Polygon": _rings,
    "MultiLineString": lambda lines: tuple(_points(line) for line in lines.geoms),
    "MultiPolygon": lambda polygons: [_rings(polygon) for polygon in polygons.geoms],
}
