"""Outlines for the page and the export: the cached ones for shipped shapes are exactly what simplifying gives."""

from __future__ import annotations

import shapely

from baymap.geo.boundaries import load_boundaries
from baymap.layers import outlines


def test_a_shipped_districts_cached_outlines_are_what_simplifying_it_gives():
    nansha = load_boundaries()["440115"].geometry
    assert outlines._key(nansha) in outlines._shipped_outlines()
    assert outlines.display_geometry(nansha).equals_exact(outlines._display(nansha, None), 0)
    assert outlines.export_geometry(nansha).equals_exact(outlines._export(nansha), 0)


def test_a_shape_no_one_shipped_is_simplified_on_the_spot():
    ring = shapely.Point(113.5, 22.8).buffer(0.1, quad_segs=64)
    assert outlines._key(ring) not in outlines._shipped_outlines()
    lighter = outlines.display_geometry(ring)
    assert len(lighter.exterior.coords) < len(ring.exterior.coords)
    assert lighter.symmetric_difference(ring).area < 0.05 * ring.area  # about 200 m off at most


def test_the_export_keeps_twice_the_pages_detail_and_points_exact():
    province = load_boundaries()["440000"].geometry
    page, export = outlines.display_geometry(province), outlines.export_geometry(province)
    assert shapely.get_num_coordinates(export) > shapely.get_num_coordinates(page)
    assert outlines.export_geometry(shapely.Point(113.29889, 23.3925)).coords[0] == (113.29889, 23.3925)
