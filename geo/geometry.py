"""Geometry for gazetteer entries: points, lines, boundaries and zones built from them, and areas."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import numpy as np
import pyproj
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon

from baymap.geo._errors import GazetteerError
from baymap.geo.boundaries import load_boundaries
from baymap.geo.gazetteer import Gazetteer, GazetteerEntry, entries_in_build_order
from baymap.geo.lnglat import LngLat
from baymap.geo.parse_cache import cached
from baymap.geo.shipped import data_bytes

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


def geometries_from_gazetteer(
    gazetteer: Gazetteer, entry_ids: list[str], reuse: bool = True
) -> dict[str, shapely.Geometry]:
    """Geometries for several entries, building each shared member (a city in many unions) once, members first.

    The build order comes from one walk over the references, so a long chain of unions needs no recursion; an entry
    whose shape is empty raises a GazetteerError, since the page would otherwise fail as invalid GeoJSON. With
    `reuse`, a shipped compound shape comes from the per-user cache (shipped_compound_shapes).
    """
    built: dict[str, shapely.Geometry] = {}
    order = entries_in_build_order(gazetteer, entry_ids)
    wanted = reuse and any(_is_compound(gazetteer[i]) for i in order)
    prebuilt = shipped_compound_shapes() if wanted else {}
    for entry_id in order:
        entry = gazetteer[entry_id]
        if entry_id in prebuilt and _unchanged(gazetteer, prebuilt[entry_id][0]):
            built[entry_id] = prebuilt[entry_id][1]
            continue
        try:
            shape = _build(entry, built.__getitem__)
        except shapely.errors.GEOSException as err:  # a user's odd shape must give one line, not a traceback
            raise GazetteerError(f"{entry.origin}: entry '{entry.id}': its geometry cannot be built: {err}") from None
        built[entry_id] = _non_empty(entry, shape, built)
    return {entry_id: built[entry_id] for entry_id in entry_ids}


def _is_compound(entry: GazetteerEntry) -> bool:
    """A shape that takes time to build: a union of several entries, a border zone or a disc."""
    return (entry.form == "union" and len(entry.geometry["union"]) > 1) or entry.form in ("border_zone", "disc")


def shipped_compound_shapes() -> dict[str, tuple[dict[str, GazetteerEntry], shapely.Geometry]]:
    """Every compound shape of the shipped gazetteer (the Bay Area, groupings, zones), built once per user and
    cached: (the entries it was built from, by id; the shape). A user's file that redefines one is built anew."""
    from baymap.geo.gazetteer import load_gazetteer, shipped_fingerprint

    def build_all():
        shipped = load_gazetteer()
        ids = [e.id for e in shipped if _is_compound(e)]
        shapes = geometries_from_gazetteer(shipped, ids, reuse=False)
        return {i: ({m: shipped[m] for m in entries_in_build_order(shipped, [i])}, shapes[i]) for i in ids}

    depends_on = [*shipped_fingerprint(), Path(__file__).read_bytes(), data_bytes("boundaries.geojson")]
    return cached("shapes", depends_on, build_all)


def _unchanged(gazetteer: Gazetteer, entries: Mapping[str, GazetteerEntry]) -> bool:
    """Whether every entry a cached shape was built from is the same in this gazetteer (no user file redefined it)."""
    return all(gazetteer.entries.get(entry_id) == entry for entry_id, entry in entries.items())


def _build(entry: GazetteerEntry, build: Callable[[str], shapely.Geometry]) -> shapely.Geometry:
    """One entry's shape; `build` gives the shapes of the entries it is made of, already built."""
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
    if form == "through":  # a derived corridor (matching.connected): straight through its places
        return LineString([_site_of(build(member)) for member in value])
    if form == "disc":
        return disc(LngLat(*value["center"]), value["area_km2"], entry.within)
    if form == "border_zone":
        first, second = (build(member) for member in value["between"])
        return border_zone(first, second, value["width_km"])
    raise AssertionError(form)


def _non_empty(
    entry: GazetteerEntry, geometry: shapely.Geometry, built: Mapping[str, shapely.Geometry]
) -> shapely.Geometry:
    """The entry's shape, or a GazetteerError that says why it is empty (the user can fix the entry, not the page)."""
    why = _why_empty(entry, geometry, built)
    if why:
        raise GazetteerError(f"{entry.origin}: entry '{entry.id}': its geometry is empty: {why}")
    return geometry


def _why_empty(entry: GazetteerEntry, geometry: shapely.Geometry, built: Mapping[str, shapely.Geometry]) -> str | None:
    """Why an entry's shape has nothing to draw, or None when it has; `built` holds the shapes of its members."""
    if entry.form == "polygon" and geometry.area == 0:
        return "its polygon encloses no area (are its points on one line?)"
    if not geometry.is_empty:
        return None
    if entry.form == "disc":
        district = load_boundaries().get(entry.within or "")
        if district is None:
            return "no disc can be drawn around its centre (too far from the Pearl River Delta's projection)"
        return f"the disc around its centre does not reach its 'within' district {entry.within} ({district.name_zh})"
    if entry.form == "border_zone":
        first, second = entry.geometry["border_zone"]["between"]
        flat = [member for member in (first, second) if _areas_of(built[member]).is_empty]
        if flat:
            return f"'{flat[0]}' has no area, so it shares no border with the other"
        return f"'{first}' and '{second}' share no border"
    return f"its {entry.form} has nothing to draw"


def _site_of(geometry: shapely.Geometry) -> Point:
    """One point that stands for a place on a line through it: inside its area, or on its line."""
    return shapely.point_on_surface(geometry)


def union_of(geometries: list[shapely.Geometry]) -> shapely.Geometry:
    """The members' polygons dissolved, with their points and lines beside them in one flat collection.

    Flat, so a union of unions never nests collections as deep as the chain of entries that made it.
    """
    parts = [part for geometry in geometries for part in _parts_of(geometry)]
    polygons = [g for g in parts if g.geom_type in ("Polygon", "MultiPolygon")]
    others = [g for g in parts if g.geom_type not in ("Polygon", "MultiPolygon")]
    merged = [polygons[0] if len(polygons) == 1 else shapely.union_all(polygons)] if polygons else []
    if not others:
        return merged[0]
    if len(others) == 1 and not merged:
        return others[0]  # one point or line: an entry drawn at another's site keeps its kind
    return shapely.GeometryCollection([*merged, *others])


def disc(center: LngLat, area: float, within: str | None) -> shapely.Geometry:
    """A round zone of the given area around a centre, clipped to its district."""
    radius = math.sqrt(area * 1e6 / math.pi)
    shape = degrees_from_metres(metres_from_degrees(Point(center)).buffer(radius, quad_segs=16))
    if within and within in load_boundaries():
        shape = shape.intersection(load_boundaries()[within].geometry)
    return shape if shape.is_valid else shapely.make_valid(shape)  # far from the projection's centre, a ring folds


def border_zone(first: shapely.Geometry, second: shapely.Geometry, width_km: float) -> shapely.Geometry:
    """The land within width_km/2 of the border two areas share; empty when they share none."""
    first, second = _areas_of(first), _areas_of(second)
    if first.is_empty or second.is_empty:
        return Polygon()
    border = first.boundary.intersection(second.boundary)
    if border.is_empty:
        return Polygon()
    band = degrees_from_metres(metres_from_degrees(border).buffer(width_km * 500))
    return band.intersection(shapely.union_all([first, second]))


def _areas_of(geometry: shapely.Geometry) -> shapely.Geometry:
    """The polygons of a shape, dissolved: a point or line (in a union, say) has no border to share."""
    return shapely.union_all([part for part in _parts_of(geometry) if part.area > 0])


def _parts_of(geometry: shapely.Geometry) -> list[shapely.Geometry]:
    """The shapes inside any nesting of geometry collections (a multi-polygon or multi-point stays whole)."""
    pending, parts = [geometry], []
    while pending:
        part = pending.pop()
        if part.geom_type == "GeometryCollection":
            pending.extend(shapely.get_parts(part))
        else:
            parts.append(part)
    return parts
