"""WGS-84 ↔ GCJ-02: known answers, round trips, and the identity outside China."""

from __future__ import annotations

import math

import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from baymap.geo.crs import gcj02_from_wgs84, gcj02_geometry, in_mainland_china, wgs84_from_gcj02
from baymap.geo.lnglat import LngLat


def metres(a: LngLat, b: LngLat) -> float:
    dy = (a.lat - b.lat) * 111_320
    dx = (a.lng - b.lng) * 111_320 * math.cos(math.radians(a.lat))
    return math.hypot(dx, dy)


@pytest.mark.parametrize(
    ("wgs84", "gcj02"),
    [
        # The reference pair in wandergis/coordtransform's README, used by most open implementations.
        (LngLat(116.404, 39.915), LngLat(116.41024449916938, 39.91640428150164)),
        # cnmaps.geo.wgs84_to_gcj02 at Baiyun Airport's reference point.
        (LngLat(113.29889, 23.3925), LngLat(113.30428076737775, 23.389941072550275)),
    ],
)
def test_known_pairs(wgs84, gcj02):
    shifted = gcj02_from_wgs84(wgs84)
    assert shifted.lng == pytest.approx(gcj02.lng, abs=1e-12)
    assert shifted.lat == pytest.approx(gcj02.lat, abs=1e-12)


def test_the_offset_in_guangzhou_is_several_hundred_metres():
    tower = LngLat(113.3245, 23.1064)
    assert 300 < metres(tower, gcj02_from_wgs84(tower)) < 900


@given(st.floats(108, 118), st.floats(20, 26))
def test_round_trip_is_well_under_a_metre(lng, lat):
    point = LngLat(lng, lat)
    assert metres(point, wgs84_from_gcj02(gcj02_from_wgs84(point))) < 0.01


@given(st.floats(-180, 180), st.floats(-85, 85))
def test_identity_outside_china(lng, lat):
    point = LngLat(lng, lat)
    if not in_mainland_china(point):
        assert gcj02_from_wgs84(point) == point
        assert wgs84_from_gcj02(point) == point


def test_geometries_move_vertex_by_vertex():
    line = shapely.LineString([(113.29889, 23.3925), (114.0596, 22.5415)])
    moved = gcj02_geometry(line)
    assert moved.coords[0] == pytest.approx(tuple(gcj02_from_wgs84(LngLat(113.29889, 23.3925))))
    assert len(moved.coords) == 2


@given(st.lists(st.tuples(st.floats(60, 150), st.floats(-5, 60)), min_size=2, max_size=20))
def test_a_geometry_moves_all_at_once_exactly_as_each_point_does(points):
    """The array form (a whole outline at once) and the point form agree, inside the box and out of it."""
    moved = gcj02_geometry(shapely.LineString(points))
    for (lng, lat), (x, y) in zip(points, moved.coords, strict=True):
        one = gcj02_from_wgs84(LngLat(lng, lat))
        assert (x, y) == pytest.approx((one.lng, one.lat), abs=1e-12)
