"""Gazetteer files written to break the loader: each gives one GazetteerError naming file, line and field, fast."""

from __future__ import annotations

import itertools

import pytest
import yaml

from baymap.geo import GazetteerError, load_gazetteer
from baymap.geo import gazetteer as gazetteer_module
from baymap.geo.checks import problems_in_gazetteer
from tests.conftest import user_gazetteer

#: One entry, on lines 2 and 3, whose geometry (and any extra fields) a test fills in; 南沙 holds its point.
ENTRY = (
    "entries:\n"
    "  - {{id: x, name_zh: 某园, name_en: X, aliases: {aliases}, aliases_en: [X], layer: zones, kind: park,\n"
    "     within: '440115', source: s, precision: approximate, geometry: {geometry}{extra}}}\n"
)


def entry(geometry: str = "{point: [113.577, 22.714]}", extra: str = "", aliases: str = "[]") -> str:
    return ENTRY.format(geometry=geometry, extra=extra, aliases=aliases)


def load(tmp_path, text: str):
    mine = user_gazetteer(tmp_path, text)
    return load_gazetteer(mine)


def test_the_entry_template_itself_loads(tmp_path):
    assert load(tmp_path, entry())["x"].within == "440115"


# ---------------------------------------------------------------- 1. duplicate keys


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "entries: []\nentries:\n" + entry().split("\n", 1)[1],
            r"mine\.yaml:2: duplicate key 'entries' \(first at line 1\)",
        ),
        (
            "entries:\n  - id: x\n    name_zh: 某园\n    id: y\n",
            r"mine\.yaml:4: duplicate key 'id' \(first at line 2\)",
        ),
        (entry(geometry="{point: [113.577, 22.714], point: [113.5, 22.7]}"), r"mine\.yaml:3: duplicate key 'point'"),
    ],
    ids=["entries", "id", "geometry-form"],
)
def test_a_duplicate_key_is_refused_where_it_stands(tmp_path, text, message):
    """YAML would let the second silently replace the first: a second `entries:` would drop every entry above it."""
    with pytest.raises(GazetteerError, match=message):
        load(tmp_path, text)


# ---------------------------------------------------------------- 2. anchors and aliases


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: nine lines that stand for 9**9 strings once expanded."""
    names = [f"l{i}" for i in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]" for prev, name in itertools.pairwise(names)]
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_fails_fast_with_the_aliass_line(tmp_path):
    """Before, the note was copied out to 387 million strings and the loader died of memory."""
    bomb = billion_laughs() + entry(extra=", note: *l8")
    with pytest.raises(GazetteerError, match=r"mine\.yaml:2: anchors and aliases \(&name, \*name\) are not allowed"):
        load(tmp_path, bomb)


def test_any_alias_is_refused(tmp_path):
    text = (
        entry()
        + "  - &zone {id: y, name_zh: 乙, name_en: Y, aliases: [], layer: zones, kind: k, geometry: {union: [x]}}\n"
    )
    with pytest.raises(GazetteerError, match=r"mine\.yaml:5: anchors and aliases"):
        load(tmp_path, text + "  - *zone\n")


def test_a_merge_key_is_refused(tmp_path):
    text = entry(geometry="{<<: {point: [113.577, 22.714]}}")
    with pytest.raises(GazetteerError, match=r"mine\.yaml:3: merge keys \(<<\) are not allowed"):
        load(tmp_path, text)


# ---------------------------------------------------------------- 3. deep nesting

DEEP_LIST = "[" * 500 + "]" * 500
DEEP_MAPPING = "{a: " * 500 + "1" + "}" * 500


@pytest.mark.parametrize(
    "text",
    [
        entry(geometry=f"{{disc: {{center: [113.577, 22.714], area_km2: 5, extra: {DEEP_LIST}}}}}"),
        entry(geometry=f"{{disc: {{center: [113.577, 22.714], area_km2: 5, extra: {DEEP_MAPPING}}}}}"),
        entry(extra=f", note: {DEEP_LIST}"),
        entry() + f"rules: {DEEP_MAPPING}\n",
    ],
    ids=["list-in-geometry", "mapping-in-geometry", "list-as-note", "mapping-as-rules"],
)
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path, text):
    with pytest.raises(GazetteerError, match=r"mine\.yaml:[34]: nested more than 20 levels deep"):
        load(tmp_path, text)


def test_deep_nesting_without_libyaml_is_refused_too(tmp_path, monkeypatch):
    """PyYAML's own parser builds its nodes recursively: the RecursionError becomes the same one-line error."""

    class PurePythonLoader(gazetteer_module.StrictConstruction, yaml.SafeLoader):
        pass

    monkeypatch.setattr(gazetteer_module, "_LineLoader", PurePythonLoader)
    with pytest.raises(GazetteerError, match=r"mine\.yaml:3: nested more than 20 levels deep"):
        load(tmp_path, entry(extra=f", note: {'[' * 2000 + ']' * 2000}"))


# ---------------------------------------------------------------- 4. a strict schema at every level

DISC = "{{disc: {{center: [113.577, 22.714], area_km2: {area}}}}}"
BORDER = "{{border_zone: {{between: {between}, width_km: {width}}}}}"
STATION = "{{name: {name}, lnglat: [113.577, 22.714], within: '440115', source: s, precision: p{extra}}}"


def line(*stations: str) -> str:
    return f"{{line: [{', '.join(stations)}]}}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            entry(geometry="{disc: {center: [113.577, 22.714], area_km2: 5, colour: red}}"),
            r"mine\.yaml:3: entry 'x': geometry 'disc': unknown field 'colour'",
        ),
        (
            entry(geometry=line(STATION.format(name="A", extra=", colour: red"), STATION.format(name="B", extra=""))),
            r"mine\.yaml:3: entry 'x': station 'A': unknown field 'colour'",
        ),
        (
            entry(
                geometry=line(STATION.format(name="A", extra=""), "{name: B, lnglat: [113.5, 22.7], within: '440115'}")
            ),
            r"entry 'x': station 'B': missing field 'source'",
        ),
        (
            entry(geometry="{border_zone: {between: [nansha, panyu], width_km: 2, colour: red}}"),
            r"mine\.yaml:3: entry 'x': geometry 'border_zone': unknown field 'colour'",
        ),
        (
            entry(geometry=BORDER.format(between="[[nansha], [panyu]]", width=2)),
            r"entry 'x': geometry 'border_zone': 'between' must be a list of two entry ids",
        ),
        (
            entry(geometry=BORDER.format(between="[nansha, nansha]", width=2)),
            r"entry 'x': geometry 'border_zone': 'between' names 'nansha' twice",
        ),
        (entry(extra=", note: 5"), r"mine\.yaml:2: entry 'x': field 'note' must be a string, not 5"),
        (entry(extra=", note: [a, b]"), r"entry 'x': field 'note' must be a string, not a list"),
        (entry().replace("source: s", "source: {url: u}"), r"entry 'x': field 'source' must be a string"),
        (entry().replace("precision: approximate", "precision: 100"), r"entry 'x': field 'precision' must be a string"),
        (
            entry(geometry="{union: [nansha]}").replace("within: '440115'", "within: 440115"),
            r"entry 'x': field 'within' must be a six-digit adcode as a string",
        ),
        (
            entry(aliases="[{text: 某园区, near: [1]}]"),
            r"entry 'x': alias '某园区': 'near' must be a non-empty list of words",
        ),
        (entry(aliases="[{text: 某园区, near: ['  ']}]"), r"alias '某园区': 'near' must be a non-empty list of words"),
        (entry(aliases="[{text: 某园区, near: [南沙], colour: red}]"), r"alias '某园区': unknown field 'colour'"),
        (entry(aliases="[{text: 某园区, near: [南沙], window: 0}]"), r"alias '某园区': 'window' must be a positive"),
        (entry(aliases="[{text: 某园区, near: [南沙], window: 2.5}]"), r"alias '某园区': 'window' must be a positive"),
        (entry(aliases="[{text: 某园区, near: [南沙], window: true}]"), r"alias '某园区': 'window' must be a positive"),
        (
            entry(geometry=DISC.format(area=".inf")),
            r"'area_km2' must be a number above 0 and at most 100000 \(got inf\)",
        ),
        (
            entry(geometry=DISC.format(area=".nan")),
            r"'area_km2' must be a number above 0 and at most 100000 \(got nan\)",
        ),
        (entry(geometry=DISC.format(area="1.0e+9")), r"'area_km2' must be a number above 0 and at most 100000"),
        (entry(geometry=DISC.format(area="10" + "0" * 400)), r"'area_km2' must be a number above 0 and at most 100000"),
        (entry(geometry=DISC.format(area="true")), r"'area_km2' must be a number above 0 and at most 100000"),
        (
            entry(geometry=BORDER.format(between="[nansha, panyu]", width=".inf")),
            r"'width_km' must be a number above 0 and at most 1000 \(got inf\)",
        ),
        (
            entry(geometry=BORDER.format(between="[nansha, panyu]", width="5000")),
            r"'width_km' must be a number above 0",
        ),
        (entry(geometry="{point: [.inf, 22.7]}"), r"mine\.yaml:2: entry 'x': geometry 'point' is malformed"),
        (entry(geometry="{point: [113.5, .nan]}"), r"mine\.yaml:2: entry 'x': geometry 'point' is malformed"),
        (
            entry(geometry=line("{name: A, lnglat: [.inf, 22.7], within: '440115', source: s, precision: p}", "B")),
            r"entry 'x': station 'A': 'lnglat' must be \[longitude, latitude\]",
        ),
        (
            "entries: []\nrule: []\n",
            r"mine\.yaml:1: unknown key 'rule' \(allowed: compositions, connections, entries, ignore, "
            r"name_breaks, rules\)",
        ),
        (entry().replace("kind: park", "kind: park, __line__: 7"), r"mine\.yaml:2: the key '__line__' is reserved"),
    ],
)
def test_every_level_of_the_schema_is_strict(tmp_path, text, message):
    with pytest.raises(GazetteerError, match=message):
        load(tmp_path, text)


def test_mixed_unknown_keys_are_named_not_a_type_error(tmp_path):
    """Before, sorting the unknown keys 1 and 'colour' raised TypeError."""
    with pytest.raises(GazetteerError, match=r"entry 'x': unknown field "):
        load(tmp_path, entry(extra=", 1: a, colour: red"))


# ---------------------------------------------------------------- 5. references between entries, in linear time


def unions(count: int, members_of) -> str:
    """`count` union entries u0…u{count-1}; u{count} and u{count+1} are two districts of Guangzhou."""
    lines = [
        f"  - {{id: u{i}, name_zh: 联{i}, name_en: U{i}, aliases: [], layer: groupings, kind: k, "
        f"geometry: {{union: [{', '.join(members_of(i))}]}}}}"
        for i in range(count)
    ]
    district = (
        "  - {{id: u{}, name_zh: {}, name_en: {}, aliases: [], layer: zones, kind: k, geometry: {{boundary: '{}'}}}}"
    )
    lines += [district.format(count, "甲区", "A", "440115"), district.format(count + 1, "乙区", "B", "440113")]
    return "entries:\n" + "\n".join(lines) + "\n"


def count_reference_lookups(monkeypatch, limit: int) -> list[int]:
    """Count each look at an entry's references; fail at `limit` (the exponential check made billions)."""
    calls = [0]
    real = gazetteer_module.referenced_ids

    def counting(entry):
        calls[0] += 1
        assert calls[0] <= limit, "the reference check is not linear in the number of entries"
        return real(entry)

    monkeypatch.setattr(gazetteer_module, "referenced_ids", counting)
    return calls


def test_a_lattice_of_unions_is_checked_with_linear_work(tmp_path, monkeypatch):
    """Each union names the next two: a 4 KB file that took 46 s (2**60 paths), now one visit per entry."""
    text = unions(60, lambda i: [f"u{i + 1}", f"u{i + 2}"])
    entries = len(load_gazetteer()) + 62
    calls = count_reference_lookups(monkeypatch, limit=6 * entries)
    gazetteer = load(tmp_path, text)
    assert gazetteer["u0"].form == "union"
    assert calls[0] <= 6 * entries


def test_a_chain_too_long_for_recursion_loads(tmp_path):
    """2,000 unions each made of the next: the checks and the geometry walk the chain with a stack, not recursion."""
    assert len(load(tmp_path, unions(2000, lambda i: [f"u{i + 1}"]))) > 2000


def test_a_cycle_is_still_named_with_its_path(tmp_path):
    text = unions(3, lambda i: [f"u{(i + 1) % 3}"])
    with pytest.raises(GazetteerError, match=r"mine\.yaml:2: entry 'u0': circular reference u0 → u1 → u2 → u0"):
        load(tmp_path, text)


def test_a_cycle_below_a_shared_member_is_named_from_where_it_starts(tmp_path):
    text = unions(4, lambda i: {0: ["u1", "u2"], 1: ["u2"], 2: ["u3"], 3: ["u2"]}[i])
    with pytest.raises(GazetteerError, match=r"mine\.yaml:4: entry 'u2': circular reference u2 → u3 → u2$"):
        load(tmp_path, text)


# ---------------------------------------------------------------- 6. empty geometry

EMPTY = [
    (
        entry(geometry="{disc: {center: [113.3, 23.1], area_km2: 1}}"),  # in 海珠区, 25 km from 南沙
        r"mine\.yaml:2: entry 'x': its geometry is empty: the disc around its centre does not reach its 'within' "
        r"district 440115 \(南沙区\)",
    ),
    (
        entry(geometry="{border_zone: {between: [nansha, futian], width_km: 2}}"),
        r"mine\.yaml:2: entry 'x': its geometry is empty: 'nansha' and 'futian' share no border",
    ),
    (
        entry(geometry="{polygon: [[113.5, 22.5], [113.75, 22.75], [114.0, 23.0]]}"),
        r"mine\.yaml:2: entry 'x': its geometry is empty: its polygon encloses no area",
    ),
]


@pytest.mark.parametrize(("text", "message"), EMPTY, ids=["disc-outside-its-district", "zone-of-apart-areas", "flat"])
def test_an_empty_geometry_is_refused_at_load(tmp_path, text, message):
    """Before, these loaded, the build said it succeeded, and the page failed with 'Invalid GeoJSON'."""
    with pytest.raises(GazetteerError, match=message):
        load(tmp_path, text)


@pytest.mark.parametrize(("text", "message"), EMPTY[:2], ids=["disc-outside-its-district", "zone-of-apart-areas"])
def test_check_gazetteer_reports_an_empty_geometry(tmp_path, text, message):
    mine = user_gazetteer(tmp_path, text)
    with pytest.raises(GazetteerError, match=message):
        problems_in_gazetteer(mine)


def test_a_replaced_member_that_empties_a_shipped_zone_is_named(tmp_path):
    """A user's point for 广州 leaves the shipped Guangzhou–Foshan border zone with no border to follow."""
    text = entry().replace("id: x", "id: guangzhou").replace("within: '440115'", "within: '440104'")
    text = text.replace("113.577, 22.714", "113.27, 23.13")
    with pytest.raises(
        GazetteerError,
        match=r"gazetteer\.yaml:\d+: entry 'gf_integration_zone': its geometry is empty: 'guangzhou' has no area",
    ):
        load(tmp_path, text)


@pytest.mark.parametrize(
    "text",
    [
        entry().replace("id: x", 'id: "x\\ny"'),
        entry(aliases='[{text: "某\\n园区", near: [1]}]'),
        entry(geometry='{line: [{name: "A\\nB", lnglat: [200, 0], within: "440115", source: s, precision: p}, B]}'),
        entry(geometry='{union: ["no\\nsuch"]}'),
        entry(extra=", colour" + "r" * 500 + ": red"),
    ],
    ids=["id", "alias", "station", "union-member", "long-key"],
)
def test_a_message_stays_on_one_short_line_whatever_the_file_holds(tmp_path, text):
    with pytest.raises(GazetteerError) as error:
        load(tmp_path, text)
    message = str(error.value)
    assert "\n" not in message and len(message) < len(str(tmp_path)) + 240, message
