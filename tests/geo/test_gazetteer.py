"""The shipped gazetteer entry by entry, and the errors a malformed gazetteer gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import shapely
import yaml

from baymap.geo import GazetteerError, load_gazetteer
from baymap.geo.checks import district_problem, points_of, problems_in_gazetteer
from baymap.geo.gazetteer import ENTRY_FIELDS, HAND_MADE_FORMS, REQUIRED_FIELDS
from baymap.geo.gazetteer import SHIPPED as SHIPPED_FILES
from baymap.geo.geometry import geometry_from_entry
from baymap.geo.matching import matcher_from_gazetteer
from baymap.geo.shipped import data_file
from baymap.layers.styles import load_styles
from tests.conftest import user_gazetteer

SHIPPED = load_gazetteer()
README = Path(__file__).resolve().parents[2] / "data" / "README.md"


@pytest.mark.parametrize("entry", list(SHIPPED), ids=lambda e: e.id)
def test_entry_geometry_is_valid_and_styled(entry):
    geometry = geometry_from_entry(entry, SHIPPED)
    assert not geometry.is_empty
    assert geometry.is_valid, shapely.is_valid_reason(geometry)
    west, south, east, north = geometry.bounds
    assert 109 < west <= east < 118 and 20 < south <= north < 26, "outside Guangdong, Hong Kong and Macao"
    assert entry.layer in load_styles()
    assert any(a.text.isascii() for a in entry.aliases), "an English report needs an English name to match"
    if entry.form in HAND_MADE_FORMS:
        assert entry.source.strip() and entry.precision.strip()


LOCATED = [(e, name, point, within) for e in SHIPPED for name, point, within in points_of(e)]


@pytest.mark.parametrize(("entry", "name", "point", "within"), LOCATED, ids=[f"{e.id}:{n}" for e, n, _, _ in LOCATED])
def test_every_point_lies_in_the_district_it_names(entry, name, point, within):
    """A point names its district; a point at sea (a bridge, a bay, offshore) says water; a hole unmapped."""
    assert district_problem(point, within) is None
    if within == "water":
        at_sea = entry.kind in ("bridge", "bridge and tunnel", "seaport") or "offshore" in entry.kind
        assert entry.layer == "water_nature" or at_sea
    if within == "unmapped":
        assert entry.note, "say why no district contains it"
    if entry.form == "line":
        station = next(s for s in entry.geometry["line"] if s["name"] == name)
        assert station["source"] and station["precision"]


def test_a_misplaced_point_is_named_by_the_check(tmp_path):
    mine = user_gazetteer(
        tmp_path,
        "entries:\n  - {id: x, name_zh: 某园, name_en: X, aliases: [], aliases_en: [X], layer: zones, kind: park,\n"
        "     geometry: {point: [113.3, 23.1]}, within: '440115', source: s, precision: approximate}\n",
    )
    _, problems = problems_in_gazetteer(mine)
    assert problems == [f"{mine}:2: entry 'x': its point lies in 海珠区, not 南沙区"]


def test_every_name_belongs_to_one_entry():
    matcher_from_gazetteer(SHIPPED)  # raises on an alias claimed twice


def test_a_user_file_claiming_a_shipped_name_is_refused(tmp_path):
    mine = user_gazetteer(
        tmp_path,
        "entries:\n"
        "  - id: my_nansha\n    name_zh: 南沙\n    name_en: Mine\n    aliases: []\n"
        "    layer: zones\n    kind: zone\n    geometry: {union: [nansha]}\n",
    )
    with pytest.raises(GazetteerError, match="already a name of 'nansha'"):
        matcher_from_gazetteer(load_gazetteer(mine))


def test_a_name_may_be_shared_only_by_entries_that_each_need_evidence_for_it(tmp_path):
    """Two towns called 黄圃镇 may share it, each near its own county; a name held outright is one entry's."""
    shared = {"text": "黄圃镇", "near": ["中山"], "focus": ["zhongshan"]}
    text = "entries:\n  - {id: mine, name_zh: 某镇, name_en: Mine, aliases: [ALIAS], layer: zones, kind: k,\n"
    text += "     geometry: {union: [nansha]}}\n"
    gated = user_gazetteer(tmp_path, text.replace("ALIAS", str(shared)))
    matcher_from_gazetteer(load_gazetteer(gated))
    outright = user_gazetteer(tmp_path, text.replace("ALIAS", "黄圃镇"))
    with pytest.raises(GazetteerError, match=r"alias '黄圃镇' is already a name of 'town_440281110'.*unless every"):
        matcher_from_gazetteer(load_gazetteer(outright))


def test_a_user_file_adds_and_replaces_entries(tmp_path):
    mine = user_gazetteer(
        tmp_path,
        "entries:\n"
        "  - id: xinzao\n    name_zh: 新造镇\n    name_en: Xinzao\n    aliases: [新造]\n"
        "    layer: cities_districts\n    kind: town\n    geometry: {point: [113.42, 23.04]}\n"
        '    within: "440113"\n    source: test\n    precision: approximate (~2 km)\n'
        "  - id: zhishicheng\n    name_zh: 中新广州知识城\n    name_en: Knowledge City\n    aliases: [知识城]\n"
        "    layer: zones\n    kind: zone\n    geometry: {union: [huangpu]}\n",
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
    mine = user_gazetteer(tmp_path, text)
    with pytest.raises(GazetteerError, match=message):
        load_gazetteer(mine)


def test_unreadable_gazetteer(tmp_path):
    with pytest.raises(GazetteerError, match="cannot read"):
        load_gazetteer(tmp_path / "missing.yaml")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00entries")
    with pytest.raises(GazetteerError, match=r"binary\.yaml"):
        load_gazetteer(binary)


def test_an_unknown_adcode_is_named_at_load(tmp_path):
    mine = user_gazetteer(
        tmp_path,
        "entries:\n  - {id: x, name_zh: 某区, name_en: X, aliases: [], aliases_en: [X], layer: zones, kind: k,\n"
        "     geometry: {boundary: '999999'}}\n",
    )
    with pytest.raises(GazetteerError, match=r"mine\.yaml:2: entry 'x': no shipped boundary has adcode 999999"):
        load_gazetteer(mine)


def test_the_readme_says_which_entry_fields_are_required_and_which_optional():
    """The schema's field table and the loader agree: every field listed once, required exactly when required."""
    schema = README.read_text(encoding="utf-8").split("## The gazetteer", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (required|optional)\b", schema, re.MULTILINE)
    assert sorted(field for field, _ in rows) == sorted(ENTRY_FIELDS)
    assert {field for field, need in rows if need == "required"} == set(REQUIRED_FIELDS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entries: []\nentries: []\n", r"mine\.yaml:2: duplicate key 'entries' \(first at line 1\)"),
        ("entries: &e []\nignore: *e\n", r"mine\.yaml:2: anchors and aliases \(&name, \*name\) are not allowed"),
        ("entries: []\nignore: " + "[" * 30 + "]" * 30 + "\n", r"mine\.yaml:2: nested more than 20 levels deep"),
        (
            "entries:\n  - {id: a, name_zh: 甲, name_en: A, aliases: [], layer: zones, kind: k, note: 2019,\n"
            "     geometry: {union: [nansha]}}\n",
            r"mine\.yaml:2: entry 'a': field 'note' must be a string, not 2019",
        ),
    ],
    ids=["duplicate-key", "alias", "deep", "note-not-text"],
)
def test_yaml_a_gazetteer_never_needs_is_refused_with_file_and_line(tmp_path, text, message):
    mine = user_gazetteer(tmp_path, text)
    with pytest.raises(GazetteerError, match=message):
        load_gazetteer(mine)


def shipped_documents() -> dict[str, list[dict]]:
    """Each shipped gazetteer file's entries as written, by file name."""
    import yaml

    from baymap.geo.gazetteer import SHIPPED as FILES
    from baymap.geo.shipped import data_file

    return {name: yaml.safe_load(data_file(name).read_text(encoding="utf-8"))["entries"] for name in FILES}


def test_every_shipped_id_is_defined_once_across_the_files():
    seen: dict[str, str] = {}
    for name, entries in shipped_documents().items():
        for entry in entries:
            assert entry["id"] not in seen, f"{entry['id']} in {name} and {seen.get(entry['id'])}"
            seen[entry["id"]] = name


def test_no_two_points_share_a_coordinate():
    """A shared point is a placeholder; an entry at another's site says so by drawing that entry (union)."""
    at: dict[tuple[float, float], str] = {}
    for entry in SHIPPED:
        if entry.form == "point":
            point = tuple(entry.geometry["point"])
            assert point not in at, f"{entry.id} and {at.get(point)} share {point}"
            at[point] = entry.id


def test_every_curated_entry_says_its_precision_in_metres():
    """Where the curated tier states a precision, it gives the figure too (a union of entries has theirs)."""
    for name, entries in shipped_documents().items():
        if name.startswith("gazetteer-"):
            for entry in entries:
                if "precision" in entry:
                    assert isinstance(entry.get("precision_m"), int), f"{name}: {entry['id']}"


def test_every_shipped_typed_location_gives_its_precision_in_metres():
    """A point, line, polygon or disc typed into a shipped file says how far off it may be, as a number."""
    missing = [e.id for e in SHIPPED if e.form in HAND_MADE_FORMS and e.precision_m is None]
    assert missing == []


def test_precision_in_metres_is_a_bounded_whole_number(tmp_path):
    mine = tmp_path / "mine.yaml"
    template = (
        "entries:\n  - {{id: x, name_zh: 某地点, name_en: X, aliases: [], aliases_en: [X], layer: zones, kind: k,\n"
        '     geometry: {{point: [113.55, 22.75]}}, within: "440115", source: s, precision: p, precision_m: {}}}\n'
    )
    mine.write_text(template.format(500), encoding="utf-8")
    assert load_gazetteer(mine)["x"].precision_m == 500
    for bad in ("-1", "2.5", "true", "'500'", "10000000"):
        mine.write_text(template.format(bad), encoding="utf-8")
        with pytest.raises(GazetteerError, match=r"mine\.yaml:2: .*'precision_m' must be a whole number of metres"):
            load_gazetteer(mine)


@pytest.mark.parametrize(
    ("focus", "message"),
    [("[1]", "'focus' must be a list of entry ids"), ("[nowhere]", "refers to unknown entry 'nowhere'")],
)
def test_an_alias_focus_names_entries(tmp_path, focus, message):
    mine = user_gazetteer(
        tmp_path,
        "entries:\n  - {id: x, name_zh: 某某镇, name_en: X, aliases: [{text: 某某, near: [中山], focus: "
        + focus
        + "}], aliases_en: [X], layer: zones, kind: k, geometry: {union: [zhongshan]}}\n",
    )
    with pytest.raises(GazetteerError, match=message):
        load_gazetteer(mine)


@pytest.mark.parametrize(
    ("composition", "message"),
    [
        ("{word: 片区, kind: k, layer: zones, name_en: s}", "composition: missing field 'after_layers'"),
        ("{word: 片区, kind: k, layer: zones, name_en: s, after_layers: []}", "'after_layers' must name the layers"),
        ("{word: [片区], kind: k, layer: zones, name_en: s, after_layers: [zones]}", "'word' must be a non-empty"),
        ("{word: 片区, kind: k, layer: zones, name_en: s, after_layers: [zones], near: [x]}", "unknown field 'near'"),
        ("{word: 水库, kind: k, layer: zones, name_en: s, after_layers: [zones], names: 9}", "'names' must be a whole"),
        ("{word: 水库, kind: k, layer: zones, name_en: s, after_layers: [zones], names: true}", "(got True)"),
    ],
)
def test_a_malformed_composition_names_file_and_line(tmp_path, composition, message):
    mine = user_gazetteer(tmp_path, f"entries: []\ncompositions:\n  - {composition}\n")
    with pytest.raises(GazetteerError, match=rf"mine\.yaml:3: .*{re.escape(message)}"):
        load_gazetteer(mine)


CONNECTIONS = "{joiners: [至], member_layers: [cities_districts], layer: corridors, reach: 4, words: WORDS}"


@pytest.mark.parametrize(
    ("connections", "message"),
    [
        (CONNECTIONS.replace("reach: 4", "reach: 41"), "'reach' must be a whole number from 0 to 40 (got 41)"),
        (CONNECTIONS.replace("joiners: [至]", "joiners: []"), "'joiners' must be a non-empty list of words"),
        (CONNECTIONS.replace("WORDS", "[]"), "'words' must be a non-empty list"),
        (CONNECTIONS.replace("WORDS", "[{word: 铁路, kind: railway}]"), "corridor word: missing field 'name_en'"),
        (CONNECTIONS.replace("layer: corridors", "layer: corridors, colour: red"), "unknown field 'colour'"),
    ],
)
def test_malformed_connections_name_file_and_line(tmp_path, connections, message):
    mine = user_gazetteer(tmp_path, f"entries: []\nconnections: {connections}\n")
    with pytest.raises(GazetteerError, match=rf"mine\.yaml:2: .*{re.escape(message)}"):
        load_gazetteer(mine)


def test_a_users_connections_replace_the_shipped_ones(tmp_path):
    words = "[{word: 快线, kind: express line, name_en: express line}]"
    mine = user_gazetteer(tmp_path, f"entries: []\nconnections: {CONNECTIONS.replace('WORDS', words)}\n")
    gazetteer = load_gazetteer(mine)
    assert [w.word for w in gazetteer.connections.words] == ["快线"] and gazetteer.connections.reach == 4


def test_an_alias_script_is_traditional_or_simplified(tmp_path):
    mine = user_gazetteer(
        tmp_path,
        "entries:\n  - {id: x, name_zh: 某某区, name_en: X, aliases: [{text: 某某, near: [香港], script: cyrillic}],"
        " layer: zones, kind: k, geometry: {union: [hong_kong]}}\n",
    )
    with pytest.raises(GazetteerError, match="'script' must be one of traditional, simplified"):
        load_gazetteer(mine)


def test_name_breaks_must_be_words(tmp_path):
    mine = user_gazetteer(tmp_path, "entries: []\nname_breaks: [的, 2]\n")
    with pytest.raises(GazetteerError, match=r"mine\.yaml:1: 'name_breaks' must be a list of words"):
        load_gazetteer(mine)


LINE_THROUGH_STATIONS = (
    "entries:\n  - {id: my_line, name_zh: 测试线, name_en: Test line, aliases: [测试线], layer: corridors, kind: k,\n"
    "     source: s, precision: p, geometry: {line: [{station: guangzhou_east_station}, {station: STATION}]}}\n"
)


def test_a_line_through_station_entries_takes_their_coordinates(tmp_path, gazetteer):
    """Two lines through 广州东站 draw it at one coordinate: the station entry's own, with its source."""
    mine = user_gazetteer(tmp_path, LINE_THROUGH_STATIONS.replace("STATION", "guangzhou_south_station"))
    line = load_gazetteer(mine)["my_line"].geometry["line"]
    east, south = gazetteer["guangzhou_east_station"], gazetteer["guangzhou_south_station"]
    assert [s["lnglat"] for s in line] == [east.geometry["point"], south.geometry["point"]]
    assert [s["name"] for s in line] == ["广州东站", "广州南站"]
    assert line[0]["source"] == east.source and line[0]["within"] == east.within


@pytest.mark.parametrize(
    ("station", "message"),
    [
        ("nowhere", r"mine\.yaml:2: entry 'my_line': station 'nowhere' must be a point entry \(no such entry\)"),
        ("tianhe", r"mine\.yaml:2: entry 'my_line': station 'tianhe' must be a point entry \(it is a 'boundary'\)"),
        ("guangzhou_south_station, name: x", r"mine\.yaml:3: entry 'my_line': station: unknown field 'name'"),
    ],
)
def test_a_station_reference_must_name_a_point_entry(tmp_path, station, message):
    mine = user_gazetteer(tmp_path, LINE_THROUGH_STATIONS.replace("STATION", station))
    with pytest.raises(GazetteerError, match=message):
        load_gazetteer(mine)


def test_a_shipped_line_goes_through_a_station_entry_rather_than_a_copy_of_it():
    """A station written out inline drifts from the station's own entry; lines reference it by id instead."""
    stations = {e.name_zh for e in SHIPPED if e.form == "point" and e.name_zh.endswith("站")}
    copies = []
    for name in SHIPPED_FILES:
        for raw in (yaml.safe_load(data_file(name).read_text(encoding="utf-8")) or {}).get("entries", []):
            for station in raw["geometry"].get("line", []):
                if "name" in station and station["name"].split()[0] in stations:
                    copies.append((raw["id"], station["name"]))
    assert copies == []


def test_the_name_lookups_read_from_the_cache_are_the_ones_worked_out(monkeypatch, tmp_path):
    """load_gazetteer fills its name look-ups from the per-user cache: they must be what the entries give."""
    from baymap.geo.gazetteer import CACHED_LOOKUPS

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_gazetteer()  # works them out and writes them
    assert list((tmp_path / "baymap").glob("lookups-*.pickle"))
    from_cache = load_gazetteer()
    monkeypatch.setenv("BAYMAP_NO_CACHE", "1")
    worked_out = load_gazetteer()
    for name in CACHED_LOOKUPS:
        assert getattr(from_cache, name) == getattr(worked_out, name), name
