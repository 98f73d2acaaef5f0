"""Coordinate systems: WGS-84 (our data) and GCJ-02 (the offset system of Chinese basemaps such as Amap).

GCJ-02 is WGS-84 plus a published, deterministic offset of a few hundred metres
inside mainland China; outside the country it is the identity. The forward
formula is the one every open implementation uses (e.g. cnmaps.geo); the inverse
is solved by fixed-point iteration to well under a millimetre.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from baymap.geo.lnglat import LngLat

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 formula defines it
_EE = 0.00669342162296594323  # its eccentricity squared


def in_mainland_china(point: LngLat) -> bool:
    """The rough box the GCJ-02 offset applies in (the formula's own definition)."""
    return 72.004 <= point.lng <= 137.8347 and 0.8293 <= point.lat <= 55.8271


def gcj02_from_wgs84(point: LngLat) -> LngLat:
    if not in_mainland_china(point):
        return point
    dlng, dlat = _offset(point.lng, point.lat)
    return LngLat(point.lng + dlng, point.lat + dlat)


def wgs84_from_gcj02(point: LngLat, tolerance_deg: float = 1e-10) -> LngLat:
    """Invert the offset: find the WGS-84 point whose GCJ-02 image is `point`."""
    if not in_mainland_china(point):
        return point
    guess = point
    for _ in range(30):
        image = gcj02_from_wgs84(guess)
        dlng, dlat = image.lng - point.lng, image.lat - point.lat
        guess = LngLat(guess.lng - dlng, guess.lat - dlat)
        if abs(dlng) < tolerance_deg and abs(dlat) < tolerance_deg:
            break
    return guess


def gcj02_geometry(geometry: shapely.Geometry) -> shapely.Geometry:
    """A whole WGS-84 geometry moved onto a GCJ-02 basemap."""
    return shapely.transform(
        geometry, lambda xy: np.array([gcj02_from_wgs84(LngLat(x, y)) for x, y in xy], dtype=float).reshape(-1, 2)
    )


def _offset(lng: float, lat: float) -> tuple[float, float]:
    x, y = lng - 105.0, lat - 35.0
    dlat = _transform_lat(x, y)
    dlng = _transform_lng(x, y)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return dlng, dlat


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret
