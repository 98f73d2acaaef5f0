"""Coordinate systems: WGS-84 (our data) and GCJ-02 (the offset system of Chinese basemaps such as Amap).

GCJ-02 is WGS-84 plus a published, deterministic offset of a few hundred metres
inside mainland China; outside the country it is the identity. The forward
formula is the one every open implementation uses (e.g. cnmaps.geo); the inverse
is solved by fixed-point iteration to well under a millimetre.
"""

from __future__ import annotations

import numpy as np
import shapely

from baymap.geo.lnglat import LngLat

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 formula defines it
_EE = 0.00669342162296594323  # its eccentricity squared


#: The rough box the GCJ-02 offset applies in (the formula's own definition): west, south, east, north.
WEST, SOUTH, EAST, NORTH = 72.004, 0.8293, 137.8347, 55.8271


def in_mainland_china(point: LngLat) -> bool:
    return WEST <= point.lng <= EAST and SOUTH <= point.lat <= NORTH


def gcj02_from_wgs84(point: LngLat) -> LngLat:
    if not in_mainland_china(point):
        return point
    dlng, dlat = _offset(point.lng, point.lat)
    return LngLat(point.lng + float(dlng), point.lat + float(dlat))


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
    """A whole WGS-84 geometry moved onto a GCJ-02 basemap: every coordinate at once, as arrays."""
    return shapely.transform(geometry, gcj02_coordinates)


def gcj02_coordinates(xy: np.ndarray) -> np.ndarray:
    """An (n, 2) array of WGS-84 lng, lat moved to GCJ-02 (points outside mainland China stay)."""
    lng, lat = xy[:, 0], xy[:, 1]
    inside = (lng >= WEST) & (lng <= EAST) & (lat >= SOUTH) & (lat <= NORTH)
    dlng, dlat = _offset(lng, lat)
    return np.column_stack([np.where(inside, lng + dlng, lng), np.where(inside, lat + dlat, lat)])


def _offset(lng, lat):
    """The offset at (lng, lat): numbers or numpy arrays alike."""
    x, y = lng - 105.0, lat - 35.0
    dlat = _transform_lat(x, y)
    dlng = _transform_lng(x, y)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlng, dlat


def _transform_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret
