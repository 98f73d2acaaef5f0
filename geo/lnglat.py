"""Coordinate value types whose field names carry the axis order."""

from __future__ import annotations

from typing import NamedTuple


class LngLat(NamedTuple):
    """A WGS-84 position, longitude first (the GeoJSON order)."""

    lng: float
    lat: float


def leaflet_latlng(point: LngLat) -> list[float]:
    """The one place baymap swaps to Leaflet's [lat, lng] order."""
    return [point.lat, point.lng]
