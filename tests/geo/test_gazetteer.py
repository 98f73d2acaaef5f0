"""The shipped gazetteer entry by entry, and the errors a malformed gazetteer gives."""

from __future__ import annotations

import pytest
import shapely

from geo import GazetteerError, load_gazetteer
from geo.boundaries import district_containing, load_boundaries
from geo.gazetteer import HAND_MADE_FORMS
from geo.geometry import geometry_from_entry
from geo.lnglat import LngLat
from geo.matching import matcher_from_gazetteer
from layers.styles import load_styles

SHIPPED = load_gazetteer()
#: Points our boundary data cannot place, each with the reason.
OUTSIDE_EVERY_DISTRICT = {
    "umac": "the Hengqin campus, leased to Macao in 2013, is a hole in the cnmaps outlines",
}


@pytest.mark.parametrize("entry", list(SHIPPED), ids=lambda e: e.id)
def test_entry_geometry_is_valid_and_styled(entry):
    geometry = geometry_from_entry(entry, SHIPPED)
    assert not geometry.is_empty
    assert geometry.is_valid, shapely.is_valid_reason(geometry)
    west, south, east, north = geometry.bounds
    assert 109 < west <= east < 118 and 20 < south <= north < 26, "outside Guangdong, Hong Kong and Macao"
    assert entry.layer in load_styles()
    if entry.form in HAND_MADE_FORMS:
        assert entry.source.strip() and entry.precision.strip()


POINTS = [e for e in SHIPPED if e.form in ("point", "points")]


@pytest.mark.parametrize("entry", POINTS, ids=lambda e: e.id)
def test_point_lies_in_the_district_it_names(entry):
    first = entry.geometry["point"] if entry.form == "point" else entry.geometry["points"][0]
    found = district_containing(LngLat(*first))
    if entry.id in OUTSIDE_EVERY_DISTRICT:
        assert found is None
        macao = load_boundaries()["820000"].geometry
        assert macao.distance(shapely.Point(first)) < 0.02  # within about 2 km of Macao
        return
    assert found is not None, f"{entry.id} lies in no district"
    assert found.adcode == entry.within, f"{entry.id} lies in {found.name_zh}, not {entry.within}"


STATIONS = [(e, s) for e in SHIPPED if e.form == "line" for s in e.geometry["line"]]


@pytest.mark.parametrize(("entry", "station"), STATIONS, ids=[f"{e.id}:{s['name']}" for e, s in STATIONS])
def test_station_lies_in_the_district_it_names(entry, station):
    """A station names its district; a bridge's point at sea says 'water'; one beyond Guangdong, its province."""
    point = LngLat(*station["lnglat"])
    found = district_containing(point)
    within = load_boundaries().get(station["within"])
    if station["within"] == "water":
        assert found is None and "in water" in station["precision"] and entry.kind in ("bridge", "bridge and tunnel")
    elif within is not None and within.level == "neighbour":
        assert found is None and within.geometry.covers(shapely.Point(point))
    else:
        assert found is not None and found.adcode == station["within"], (
            f"{station['name']} lies in {found and found.name_zh}, not {station['within']}"
        )
    assert station["source"] and station["precision"]


def test_every_name_belongs_to_one_entry():
    matcher_from_gazetteer(SHIPPED)  # raises on an alias claimed twice


def test_a_user_file_claiming_a_shipped_name_is_refused(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "entries:\n"
        "  - id: my_nansha\n    name_zh: 南沙\n    name_en: Mine\n    aliases: []\n"
        "    layer: zones\n    kind: zone\n    geometry: {union: [nansha]}\n",
        encoding="utf-8",
    )
    with pytest.raises(GazetteerError, match="already a name of 'nansha'"):
        matcher_from_gazetteer(load_gazetteer(mine))


def test_a_user_file_adds_and_replaces_entries(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "entries:\n"
        "  - id: xinzao\n    name_zh: 新造镇\n    name_en: Xinzao\n    aliases: [新造]\n"
        "    layer: cities_districts\n    kind: town\n    geometry: {point: [113.42, 23.04]}\n"
        '    within: "440113"\n    source: test\n    precision: approximate (~2 km)\n'
        "  - id: zhishicheng\n    name_zh: 中新广州知识城\n    name_en: Knowledge City\n    aliases: [知识城]\n"
        "    layer: zones\n    kind: zone\n    geometry: {union: [huangpu]}\n",
        encoding="utf-8",
    )
    gazetteer = load_gazetteer(mine)
    assert gazetteer["xinzao"].origin == f"{mine}:2"
    assert gazetteer["zhishicheng"].form == "union"
    assert len(gazetteer) == len(SHIPPED) + 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entries: [\n  {id: a,\n", r"mine.yaml:\d+: not valid YAML"),
        ("- just a list\n", "mine.yaml:.*'entries:' list"),
        ("entries:\n  - id: a\n    name_zh: 甲\n", "mine.yaml:2: entry 'a': missing field 'name_en'"),
        (
            "entries:\n  - {id: a, name_zh: 甲, name_en: A, aliases: [], layer: zones, kind: k,\n"
            "     geometry: {point: [113.2, 23.1]}, within: '440104'}\n",
            "mine.yaml:2: entry 'a': a 'point' geometry needs a 'source'",
        ),
        (
            "entries:\n\n  - {id: a, name_zh: 甲, name_en: A, aliases: [], layer: zones, kind: k,\n"
            "     geometry: {point: [23.1]}, source: s, precision: p, within: '440104'}\n",
            r"mine.yaml:3: entry 'a': geometry 'point' is malformed: give \[longitude, latitude\]",
        ),
        (
            "entries:\n  - {id: a, name_zh: 甲, name_en: A, aliases: [], layer: zones, kind: k,\n"
            "     geometry: {union: [nowhere]}}\n",
            "mine.yaml:2: entry 'a': refers to unknown entry 'nowhere'",
        ),
        (
            "entries:\n  - {id: a, name_zh: 甲, name_en: A, aliases: [], layer: zones, kind: k, geometry: {}}\n",
            "mine.yaml:2: entry 'a': 'geometry' must have exactly one of",
        ),
        (
            "entries:\n  - {id: A-1, name_zh: 甲, name_en: A, aliases: [], layer: zones, kind: k, geometry: {}}\n",
            "mine.yaml:2: entry 'A-1': field 'id' must be lower-case",
        ),
        (
            "entries:\n  - {id: a, name_zh: 甲, name_en: A, aliases: [], layer: zones, kind: k, colour: red,\n"
            "     geometry: {union: [nansha]}}\n",
            "mine.yaml:2: entry 'a': unknown field 'colour'",
        ),
    ],
)
def test_malformed_gazetteer_names_file_line_and_field(tmp_path, text, message):
    mine = tmp_path / "mine.yaml"
    mine.write_text(text, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message):
        load_gazetteer(mine)


def test_unreadable_gazetteer(tmp_path):
    with pytest.raises(GazetteerError, match="cannot read"):
        load_gazetteer(tmp_path / "missing.yaml")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00entries")
    with pytest.raises(GazetteerError, match=r"binary\.yaml"):
        load_gazetteer(binary)
