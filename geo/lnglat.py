"""Coordinate value types whose field names carry the axis order."""

from __future__ import annotations

from typing import NamedTuple


class LngLat(NamedTuple):
    """A WGS-84 position, longitude first (the GeoJSON order)."""

    lng: float
    lat: float
