"""Layer styles: colour, line and marker per layer, loaded from YAML (data/layers.yaml) and validated."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from baymap.geo._errors import GazetteerError
from baymap.geo.gazetteer import (
    ID_PATTERN,
    GazetteerEntry,
    is_finite_number,
    is_text,
    line_of,
    parse_yaml_with_lines,
    quoted,
    shown_value,
)
from baymap.geo.shipped import data_file

#: A colour the page writes into CSS and script: exactly #rrggbb.
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
#: An SVG dash pattern such as "6 4" or "2,3.5": numbers separated by one space or comma, and nothing else, since
#: the value is written into the page's script.
DASH = re.compile(r"[0-9]+(\.[0-9]+)?([ ,][0-9]+(\.[0-9]+)?)*")
#: The widest line and the largest marker a style may ask for, in pixels.
MAX_PIXELS = 100


@dataclass(frozen=True)
class LayerStyle:
    id: str
    label_en: str
    label_zh: str
    color: str
    fill_color: str
    fill_opacity: float
    weight: float
    radius: float
    shown: bool
    dash: str | None = None

    @property
    def label(self) -> str:
        return f"{self.label_zh} {self.label_en}"


def load_styles(path: str | Path | None = None) -> dict[str, LayerStyle]:
    """Styles by layer id, in the order the layer control lists them."""
    name, text = _styles_text(path)
    doc = parse_yaml_with_lines(text, name)
    if not isinstance(doc, dict) or not isinstance(doc.get("layers"), list):
        raise GazetteerError(f"{name}:{line_of(doc)}: expected a mapping with a 'layers:' list")
    unknown = sorted(shown_value(key) for key in doc if key not in ("layers", "__line__"))
    if unknown:
        raise GazetteerError(f"{name}:{line_of(doc)}: unknown key {unknown[0]} (allowed: layers)")
    styles: dict[str, LayerStyle] = {}
    lines: dict[str, int | str] = {}
    for raw in doc["layers"]:
        style = style_from_mapping(raw, name)
        if style.id in styles:
            raise GazetteerError(
                f"{name}:{line_of(raw)}: layer '{style.id}' is already defined at line {lines[style.id]}"
            )
        styles[style.id], lines[style.id] = style, line_of(raw)
    return styles


def _styles_text(path: str | Path | None) -> tuple[str, str]:
    """(name, text) of the styles file: the shipped one, or the user's, whose read errors become one line."""
    if path is None:
        resource = data_file("layers.yaml")
        return str(resource), resource.read_text(encoding="utf-8")
    try:
        return str(path), Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise GazetteerError(f"{path}: cannot read the styles: {err}") from None


def _is_number(value: object, low: float, high: float) -> bool:
    """A finite number from low to high (true/false, .inf and .nan are refused)."""
    return is_finite_number(value) and low <= value <= high


#: Every field of a layer style: whether a value is acceptable, and what to write instead.
STYLE_FIELDS: dict[str, tuple[Callable[[object], bool], str]] = {
    "id": (lambda v: isinstance(v, str) and bool(ID_PATTERN.fullmatch(v)), "lower-case ascii letters, digits, _"),
    "label_en": (is_text, "a non-empty string"),
    "label_zh": (is_text, "a non-empty string"),
    "color": (lambda v: isinstance(v, str) and bool(COLOUR.fullmatch(v)), "#rrggbb"),
    "fill_color": (lambda v: isinstance(v, str) and bool(COLOUR.fullmatch(v)), "#rrggbb"),
    "fill_opacity": (lambda v: _is_number(v, 0, 1), "a number from 0 to 1"),
    "weight": (lambda v: _is_number(v, 0, MAX_PIXELS) and v > 0, f"pixels, above 0 and at most {MAX_PIXELS}"),
    "radius": (lambda v: _is_number(v, 0, MAX_PIXELS) and v > 0, f"pixels, above 0 and at most {MAX_PIXELS}"),
    "shown": (lambda v: isinstance(v, bool), "true or false"),
    "dash": (lambda v: isinstance(v, str) and bool(DASH.fullmatch(v)), 'a dash pattern such as "6 4"'),
}
OPTIONAL_STYLE_FIELDS = ("dash",)


def style_from_mapping(raw: object, name: str) -> LayerStyle:
    """One layer's style; every value is checked, since colours and the dash pattern are written into the page."""
    line = line_of(raw)
    if not isinstance(raw, dict):
        raise GazetteerError(f"{name}:{line}: each layer must be a mapping")
    fields = {k: v for k, v in raw.items() if k != "__line__"}
    layer = quoted(fields["id"]) if is_text(fields.get("id")) else "'?'"
    unknown = sorted(shown_value(key) for key in fields if key not in STYLE_FIELDS)
    if unknown:
        raise GazetteerError(f"{name}:{line}: layer {layer}: unknown field {unknown[0]}")
    for key, (ok, expected) in STYLE_FIELDS.items():
        if key not in fields:
            if key in OPTIONAL_STYLE_FIELDS:
                continue
            raise GazetteerError(f"{name}:{line}: layer {layer}: missing field '{key}'")
        if not ok(fields[key]):
            raise GazetteerError(
                f"{name}:{line}: layer {layer}: field '{key}' has a bad value {shown_value(fields[key])} "
                f"(expected {expected})"
            )
    return LayerStyle(**fields)


def check_layers(entries: Iterable[GazetteerEntry], styles: Mapping[str, LayerStyle]) -> None:
    """Every entry's layer must have a style, or its features would silently never be drawn."""
    for entry in entries:
        if entry.layer not in styles:
            raise GazetteerError(
                f"{entry.origin}: entry '{entry.id}': layer {quoted(entry.layer)} has no style "
                f"(known layers: {', '.join(styles)})"
            )
