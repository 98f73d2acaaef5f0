"""Geometry built from the gazetteer: areas, composite zones, groupings and corridors."""

from __future__ import annotations

import pytest
import shapely

from baymap.geo import Gazetteer, GazetteerEntry, GazetteerError
from baymap.geo.boundaries import load_boundaries
from baymap.geo.geometry import area_km2, geometries_from_gazetteer, geometry_from_entry


def geometry(gazetteer, entry_id):
    return geometry_from_entry(gazetteer[entry_id], gazetteer)


@pytest.mark.parametrize(
    ("adcode", "official_km2"),
    [("440100", 7434), ("440300", 1997), ("810000", 1114), ("440115", 803), ("441900", 2460)],
)
def test_boundary_areas_match_official_figures(adcode, official_km2):
    # Official figures count land only and differ in how they treat reclaimed land and islands.
    assert area_km2(load_boundaries()[adcode].geometry) == pytest.approx(official_km2, rel=0.16)


def test_guangqing_junction_zone_is_the_reports_9978_km2_without_all_of_yingde(gazetteer):
    zone = geometry(gazetteer, "guangqing_junction_zone")
    assert area_km2(zone) == pytest.approx(9978, rel=0.03)
    yingde = load_boundaries()["441881"].geometry
    assert area_km2(zone.intersection(yingde)) < 0.15 * area_km2(yingde)
    for district in ("440114", "440117", "440118", "441802", "441803", "441821"):
        assert zone.covers(load_boundaries()[district].geometry.representative_point())


def test_districts_share_borders_without_gaps_or_overlaps():
    districts = [b.geometry for b in load_boundaries().values() if b.level == "district"]
    assert shapely.coverage_is_valid(districts)


@pytest.mark.parametrize(
    ("entry_id", "members"),
    [
        ("guang_fo_zhao", ["440100", "440600", "441200"]),
        ("zhu_zhong_jiang", ["440400", "442000", "440700"]),
        ("qing_yun_shao", ["441800", "445300", "440200"]),
        ("gfzqys_economic_circle", ["440100", "440600", "441200", "441800", "445300", "440200"]),
        ("sui_gang_ao", ["440100", "810000", "820000"]),
    ],
)
def test_groupings_are_exactly_their_member_cities(gazetteer, entry_id, members):
    union = shapely.union_all([load_boundaries()[code].geometry for code in members])
    assert area_km2(geometry(gazetteer, entry_id)) == pytest.approx(area_km2(union), rel=1e-6)
    outsider = load_boundaries()["440300"].geometry.representative_point()  # Shenzhen is in none
    assert not geometry(gazetteer, entry_id).covers(outsider)


def test_gba_is_the_eleven_cities(gazetteer):
    cities = ["440100", "440300", "440400", "440600", "441300", "441900", "442000", "440700", "441200"]
    expected = sum(area_km2(load_boundaries()[c].geometry) for c in [*cities, "810000", "820000"])
    assert area_km2(geometry(gazetteer, "gba")) == pytest.approx(expected, rel=0.001)


@pytest.mark.parametrize(
    ("entry_id", "first_city", "last_city"),
    [
        ("guangshan_railway", "440100", "441500"),
        ("guangzhan_hsr", "440100", "440800"),
        ("suiguanshen_intercity", "440100", "440300"),
        ("guangqing_intercity", "440100", "441800"),
        ("nansha_bridge", "440100", "441900"),
        ("gsh_axis", "440100", "810000"),
        ("gzm_axis", "440100", "820000"),
    ],
)
def test_corridors_run_between_their_termini(gazetteer, entry_id, first_city, last_city):
    line = geometry(gazetteer, entry_id)
    assert line.geom_type == "LineString"
    start, end = shapely.Point(line.coords[0]), shapely.Point(line.coords[-1])
    assert load_boundaries()[first_city].geometry.covers(start)
    assert load_boundaries()[last_city].geometry.covers(end)


def test_border_zone_follows_the_guangzhou_foshan_border(gazetteer):
    zone = geometry(gazetteer, "gf_integration_zone")
    guangzhou, foshan = load_boundaries()["440100"].geometry, load_boundaries()["440600"].geometry
    assert zone.intersects(guangzhou) and zone.intersects(foshan)
    assert area_km2(zone) < 0.1 * area_km2(shapely.union_all([guangzhou, foshan]))


def made_entry(entry_id: str, geometry: dict, within: str | None = None) -> GazetteerEntry:
    return GazetteerEntry(
        id=entry_id,
        name_zh=entry_id,
        name_en=entry_id,
        aliases=(),
        layer="zones",
        kind="zone",
        geometry=geometry,
        within=within,
        source="test",
        precision="test",
        note="",
        origin=f"mine.yaml:{len(entry_id)}",
    )


def with_entries(gazetteer: Gazetteer, *entries: GazetteerEntry) -> Gazetteer:
    return Gazetteer(entries={**gazetteer.entries, **{e.id: e for e in entries}}, ignore=())


def test_a_disc_clipped_to_nothing_is_an_error_not_an_empty_shape(gazetteer):
    """A disc in 海珠 said to lie in 南沙: the page would fail as invalid GeoJSON while the build said it succeeded."""
    lost = made_entry("lost", {"disc": {"center": [113.3, 23.1], "area_km2": 1}}, within="440115")
    with pytest.raises(
        GazetteerError,
        match=r"^mine\.yaml:4: entry 'lost': its geometry is empty: the disc around its centre does not reach its "
        r"'within' district 440115 \(南沙区\)$",
    ):
        geometry_from_entry(lost, with_entries(gazetteer, lost))


def test_a_border_zone_of_areas_that_do_not_touch_is_an_error(gazetteer):
    apart = made_entry("apart", {"border_zone": {"between": ["nansha", "futian"], "width_km": 2}})
    with pytest.raises(GazetteerError, match=r"^mine\.yaml:5: entry 'apart': its geometry is empty: 'nansha' and"):
        geometry_from_entry(apart, with_entries(gazetteer, apart))


def test_a_border_zone_with_a_point_is_an_error_not_a_geos_exception(gazetteer):
    """A point has no border; before, GEOS failed on the empty border with 'Unable to determine … dimension'."""
    spot = made_entry("spot", {"point": [113.27, 23.13]}, within="440104")
    zone = made_entry("zone", {"border_zone": {"between": ["spot", "foshan"], "width_km": 6}})
    with pytest.raises(
        GazetteerError, match=r"entry 'zone': its geometry is empty: 'spot' has no area, so it shares no border"
    ):
        geometry_from_entry(zone, with_entries(gazetteer, spot, zone))


def test_a_long_chain_of_unions_builds_without_recursion(gazetteer):
    """Each union made of the next: members are built first, in one pass, not by recursion 3,000 calls deep."""
    chain = [made_entry(f"c{i}", {"union": [f"c{i + 1}"]}) for i in range(3000)]
    chain.append(made_entry("c3000", {"union": ["nansha"]}))
    built = geometries_from_gazetteer(with_entries(gazetteer, *chain), ["c0"])
    assert area_km2(built["c0"]) == pytest.approx(area_km2(load_boundaries()["440115"].geometry))


def test_a_union_of_unions_is_one_flat_collection(gazetteer):
    """Nested collections as deep as the chain would overflow whatever walks them (GEOS, the exports, the page)."""
    chain = [made_entry(f"c{i}", {"union": [f"p{i}", f"c{i + 1}"]}) for i in range(50)]
    chain.append(made_entry("c50", {"union": ["nansha", "panyu"]}))
    points = [made_entry(f"p{i}", {"point": [113.5 + i / 1000, 22.8]}, within="440115") for i in range(50)]
    union = geometry_from_entry(chain[0], with_entries(gazetteer, *chain, *points))
    parts = list(union.geoms)
    assert [p.geom_type for p in parts].count("Point") == 50
    assert [p.geom_type for p in parts if p.geom_type != "Point"] == ["Polygon"]  # 南沙 and 番禺 dissolved
