"""layers.geojson.mapping is shapely's mapping, faster: the same dict, down to the tuple and list types."""

from __future__ import annotations

import shapely
from shapely.geometry import mapping as shapely_mapping

from baymap.geo.boundaries import load_boundaries
from baymap.layers.geojson import mapping


def _typed(value):
    """The value with each container's type spelled out, so a tuple and a list with the same items differ."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return (type(value).__name__, [_typed(item) for item in value])
    return (type(value).__name__, value)


def test_every_kind_of_geometry_maps_as_shapely_maps_it():
    square = [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]
    hole = [(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.2)]
    geometries = [
        shapely.Point(113.5, 22.8),
        shapely.LineString([(0, 0), (1, 1.5)]),
        shapely.LineString([(0, 0, 1), (1, 1, 2)]),
        shapely.LinearRing(square),
        shapely.Polygon(square, [hole]),
        shapely.MultiPolygon([shapely.Polygon(square), shapely.Polygon([(2, 2), (3, 2), (3, 3), (2, 2)])]),
        shapely.MultiLineString([[(0, 0), (1, 1)], [(2, 2), (3, 3)]]),
        shapely.MultiPoint([(0, 0), (1, 1)]),
        shapely.GeometryCollection([shapely.Point(0, 0), shapely.LineString([(0, 0), (1, 1)])]),
        shapely.Polygon(),
        shapely.MultiPolygon(),
        load_boundaries()["440115"].geometry,
        load_boundaries()["440000"].geometry,
    ]
    for geometry in geometries:
        assert _typed(mapping(geometry)) == _typed(shapely_mapping(geometry)), geometry.geom_type
