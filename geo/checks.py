"""Checking a gazetteer without building a map: its schema, its names, its geometry and its districts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import shapely

from baymap.geo.boundaries import district_containing, load_boundaries
from baymap.geo.gazetteer import Gazetteer, GazetteerEntry, check_geometries, load_gazetteer
from baymap.geo.lnglat import LngLat
from baymap.geo.matching import matcher_from_gazetteer

#: `within` values for a point no shipped district contains: at sea (a bridge), or in a hole in the outlines.
NOWHERE = ("water", "unmapped")


def problems_in_gazetteer(*paths: str | Path) -> tuple[Gazetteer, list[str]]:
    """Load the gazetteer with the user's files (schema errors raise), then list what else is wrong.

    Errors that would break the map raise a GazetteerError: a malformed file, a name claimed by two entries, and a
    shape that cannot be built or comes out empty (the page would fail as invalid GeoJSON).
    """
    gazetteer = load_gazetteer(*paths)
    matcher_from_gazetteer(gazetteer)  # raises on a name claimed by two entries
    check_geometries(gazetteer, gazetteer.entries)  # every shape, shipped too, builds and is not empty
    problems = []
    for entry in gazetteer:
        for name, point, within in points_of(entry):
            problem = district_problem(point, within)
            if problem:
                problems.append(f"{entry.origin}: entry '{entry.id}': {name} {problem}")
    return gazetteer, problems


def district_problem(point: list[float], within: str) -> str | None:
    """What is wrong with a point's `within`, or None: it must name the district that contains it."""
    found = district_containing(LngLat(*point))
    boundary = load_boundaries().get(within)
    if within in NOWHERE:
        return f"lies in {found.name_zh}, not {within}" if found else None
    if boundary is None:
        return f"names {within} in 'within', which is no shipped adcode"
    if boundary.level == "neighbour":
        return None if boundary.geometry.covers(shapely.Point(point)) else f"lies outside {boundary.name_zh}"
    if found is None or found.adcode != within:
        return f"lies in {found.name_zh if found else 'no district'}, not {boundary.name_zh}"
    return None


def points_of(entry: GazetteerEntry) -> Iterator[tuple[str, list[float], str]]:
    """(what, [lng, lat], within) for every typed point of an entry that says where it lies."""
    if entry.form == "point":
        yield "its point", entry.geometry["point"], entry.within or ""
    elif entry.form == "points":
        yield "its first point", entry.geometry["points"][0], entry.within or ""
    elif entry.form == "line":
        for station in entry.geometry["line"]:
            yield station["name"], station["lnglat"], station["within"]
