"""Layer styles (`--styles FILE`): every value is checked, since colours and dash patterns are written into the page."""

from __future__ import annotations

import re

import pytest

from baymap.geo import GazetteerError
from baymap.layers.styles import load_styles

LAYER = (
    "layers:\n"
    "  - {{id: zones, label_en: Zones, label_zh: 区, color: '#d94801', fill_color: '#fdae6b', fill_opacity: 0.3,\n"
    "     weight: 2, radius: 7, shown: true{extra}}}\n"
)


def styles_file(tmp_path, text: str):
    path = tmp_path / "styles.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_styles_and_a_plain_user_file_load(tmp_path):
    assert "zones" in load_styles()
    style = load_styles(styles_file(tmp_path, LAYER.format(extra=", dash: '6 4'")))["zones"]
    assert style.dash == "6 4"


@pytest.mark.parametrize("dash", ["6 4", "4,4", "2.5 1", "10"])
def test_a_dash_pattern_loads(tmp_path, dash):
    assert load_styles(styles_file(tmp_path, LAYER.format(extra=f", dash: '{dash}'")))["zones"].dash == dash


@pytest.mark.parametrize(
    "dash",
    [
        '"4\\"});alert(1);//"',  # would close the style object in the page's <script> block
        "'</script><script>alert(1)</script>'",
        '"6 4\\n"',  # a pattern followed by a newline: `$` would have let it through
        "'6  4'",
        "'-6 4'",
        "6",  # a number, not a pattern string
        "null",
        "'６ ４'",  # full-width digits
    ],
)
def test_a_dash_that_is_no_pattern_is_refused(tmp_path, dash):
    path = styles_file(tmp_path, LAYER.format(extra=f", dash: {dash}"))
    with pytest.raises(GazetteerError, match=r"styles\.yaml:2: layer 'zones': field 'dash' has a bad value .*pattern"):
        load_styles(path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("label_en: Zones", "label_en: 5", r"field 'label_en' has a bad value 5 \(expected a non-empty string\)"),
        ("label_zh: 区", "label_zh: [区]", r"field 'label_zh' has a bad value a list"),
        ("id: zones", "id: 'Zones<b>'", r"field 'id' has a bad value 'Zones<b>'"),
        ("id: zones", "id: 7", r"field 'id' has a bad value 7"),
        ("color: '#d94801'", 'color: "#d94801\\n"', r"field 'color' has a bad value"),
        ("color: '#d94801'", "color: red", r"field 'color' has a bad value 'red' \(expected #rrggbb\)"),
        ("weight: 2", "weight: .inf", r"field 'weight' has a bad value inf"),
        ("weight: 2", "weight: true", r"field 'weight' has a bad value True"),
        ("radius: 7", "radius: .nan", r"field 'radius' has a bad value nan"),
        ("radius: 7", "radius: 100000", r"field 'radius' has a bad value 100000"),
        ("fill_opacity: 0.3", "fill_opacity: 1.5", r"field 'fill_opacity' has a bad value 1.5"),
        ("shown: true", "shown: 'yes'", r"field 'shown' has a bad value 'yes'"),
        ("shown: true", "shown: true, colour: red", r"unknown field 'colour'"),
        ("radius: 7, ", "", r"missing field 'radius'"),
    ],
)
def test_a_bad_style_value_names_file_line_and_field(tmp_path, old, new, message):
    text = LAYER.format(extra="")
    assert old in text
    with pytest.raises(GazetteerError, match=rf"styles\.yaml:2: layer '[^']*': {message}"):
        load_styles(styles_file(tmp_path, text.replace(old, new)))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            LAYER.format(extra="") + LAYER.format(extra="").split("\n", 1)[1],
            r"styles\.yaml:4: layer 'zones' is already",
        ),
        ("layers: []\nlayers:\n" + LAYER.format(extra="").split("\n", 1)[1], r"styles\.yaml:2: duplicate key 'layers'"),
        (LAYER.format(extra="") + "colours: []\n", r"styles\.yaml:1: unknown key 'colours' \(allowed: layers\)"),
        (
            "base: &base {color: '#000000'}\nlayers:\n  - *base\n",
            r"styles\.yaml:3: anchors and aliases \(&name, \*name\) are not allowed",
        ),
        ("layers: " + "[" * 500 + "]" * 500 + "\n", r"styles\.yaml:1: nested more than 20 levels deep"),
    ],
    ids=["same-id-twice", "duplicate-key", "unknown-top-level-key", "alias", "deep-nesting"],
)
def test_a_malformed_styles_file_is_refused(tmp_path, text, message):
    with pytest.raises(GazetteerError, match=message):
        load_styles(styles_file(tmp_path, text))


def test_a_missing_styles_file_or_a_folder_is_one_line_not_a_traceback(tmp_path):
    with pytest.raises(GazetteerError, match=r"missing\.yaml: cannot read the styles"):
        load_styles(tmp_path / "missing.yaml")
    with pytest.raises(GazetteerError, match=rf"{re.escape(tmp_path.name)}: cannot read the styles"):
        load_styles(tmp_path)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00layers")
    with pytest.raises(GazetteerError, match=r"binary\.yaml: cannot read the styles"):
        load_styles(binary)
