"""Geometry for gazetteer entries: points, lines, boundaries and zones built from them, and areas."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pyproj
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon

from baymap.geo.boundaries import load_boundaries
from baymap.geo.gazetteer import Gazetteer, GazetteerEntry
from baymap.geo.lnglat import LngLat

#: An equal-area projection centred on the Pearl River Delta, in metres.
EQUAL_AREA = "+proj=laea +lat_0=23 +lon_0=113.5 +datum=WGS84 +units=m +no_defs"


@cache
def _to_metres() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)


@cache
def _to_degrees() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(EQUAL_AREA, "EPSG:4326", always_xy=True)


def metres_from_degrees(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geom, lambda xy: _stack(*_to_metres().transform(xy[:, 0], xy[:, 1])))


def degrees_from_metres(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geom, lambda xy: _stack(*_to_degrees().transform(xy[:, 0], xy[:, 1])))


def _stack(xs, ys):
    return np.column_stack([xs, ys])


def area_km2(geom: shapely.Geometry) -> float:
    return metres_from_degrees(geom).area / 1e6


def geometry_from_entry(entry: GazetteerEntry, gazetteer: Gazetteer) -> shapely.Geometry:
    """The entry's WGS-84 geometry, built from the shipped boundaries where it refers to them."""
    return geometries_from_gazetteer(gazetteer, [entry.id])[entry.id]


def geometries_from_gazetteer(gazetteer: Gazetteer, entry_ids: list[str]) -> dict[str, shapely.Geometry]:
    """Geometries for several entries, building each shared member (a city in many unions) once."""
    built: dict[str, shapely.Geometry] = {}

    def build(entry_id: str) -> shapely.Geometry:
        if entry_id not in built:
            built[entry_id] = _build(gazetteer[entry_id], build)
        return built[entry_id]

    return {entry_id: build(entry_id) for entry_id in entry_ids}


def _build(entry: GazetteerEntry, build) -> shapely.Geometry:
    form, value = entry.form, entry.geometry[entry.form]
    if form == "boundary":
        return load_boundaries()[value].geometry  # load_gazetteer checked the adcode
    if form == "point":
        return Point(*LngLat(*value))
    if form == "points":
        return MultiPoint([LngLat(*p) for p in value])
    if form == "line":
        return LineString([LngLat(*s["lnglat"]) for s in value])
    if form == "polygon":
        return shapely.make_valid(Polygon([LngLat(*p) for p in value]))
    if form == "union":
        return union_of([build(member) for member in value])
    if form == "disc":
        return disc(LngLat(*value["center"]), value["area_km2"], entry.within)
    if form == "border_zone":
        first, second = (build(member) for member in value["between"])
        return border_zone(first, second, value["width_km"])
    raise AssertionError(form)


def union_of(geometries: list[shapely.Geometry]) -> shapely.Geometry:
    polygons = [g for g in geometries if g.geom_type in ("Polygon", "MultiPolygon")]
    others = [g for g in geometries if g.geom_type not in ("Polygon", "MultiPolygon")]
    merged = [shapely.union_all(polygons)] if polygons else []
    if not others:
        return merged[0]
    return shapely.GeometryCollection([*merged, *others])


def disc(center: LngLat, area: float, within: str | None) -> shapely.Geometry:
    """A round zone of the given area around a centre, clipped to its district."""
    radius = math.sqrt(area * 1e6 / math.pi)
    shape = degrees_from_metres(metres_from_degrees(Point(center)).buffer(radius, quad_segs=16))
    if within and within in load_boundaries():
        shape = shape.intersection(load_boundaries()[within].geometry)
    return shape


def border_zone(first: shapely.Geometry, second: shapely.Geometry, width_km: float) -> shapely.Geometry:
    """The land within width_km/2 of the border two areas share."""
    border = metres_from_degrees(first.boundary.intersection(second.boundary))
    band = degrees_from_metres(border.buffer(width_km * 500))
    return band.intersection(shapely.union_all([first, second]))
