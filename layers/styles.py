"""Layer styles: colour, line and marker per layer, loaded from YAML (data/layers.yaml) and validated."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from baymap.geo._errors import GazetteerError
from baymap.geo.gazetteer import GazetteerEntry, line_of, parse_yaml_with_lines
from baymap.geo.shipped import data_file

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


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
    if path is None:
        resource = data_file("layers.yaml")
        name, text = str(resource), resource.read_text(encoding="utf-8")
    else:
        name, text = str(path), Path(path).read_text(encoding="utf-8")
    doc = parse_yaml_with_lines(text, name)
    if not isinstance(doc, dict) or not isinstance(doc.get("layers"), list):
        raise GazetteerError(f"{name}:{line_of(doc)}: expected a mapping with a 'layers:' list")
    styles = {}
    for raw in doc["layers"]:
        style = style_from_mapping(raw, name)
        styles[style.id] = style
    return styles


def style_from_mapping(raw: object, name: str) -> LayerStyle:
    line = line_of(raw)
    if not isinstance(raw, dict):
        raise GazetteerError(f"{name}:{line}: each layer must be a mapping")
    fields = {k: v for k, v in raw.items() if k != "__line__"}
    checks = {
        "id": lambda v: isinstance(v, str) and v,
        "label_en": lambda v: isinstance(v, str) and v,
        "label_zh": lambda v: isinstance(v, str) and v,
        "color": lambda v: isinstance(v, str) and COLOUR.match(v),
        "fill_color": lambda v: isinstance(v, str) and COLOUR.match(v),
        "fill_opacity": lambda v: isinstance(v, int | float) and 0 <= v <= 1,
        "weight": lambda v: isinstance(v, int | float) and v > 0,
        "radius": lambda v: isinstance(v, int | float) and v > 0,
        "shown": lambda v: isinstance(v, bool),
    }
    for key, ok in checks.items():
        if key not in fields:
            raise GazetteerError(f"{name}:{line}: layer '{fields.get('id', '?')}': missing field '{key}'")
        if not ok(fields[key]):
            raise GazetteerError(
                f"{name}:{line}: layer '{fields.get('id', '?')}': field '{key}' has a bad value {fields[key]!r}"
            )
    unknown = sorted(set(fields) - set(checks) - {"dash"})
    if unknown:
        raise GazetteerError(f"{name}:{line}: layer '{fields['id']}': unknown field '{unknown[0]}'")
    return LayerStyle(**fields)


def check_layers(entries: Iterable[GazetteerEntry], styles: Mapping[str, LayerStyle]) -> None:
    """Every entry's layer must have a style, or its features would silently never be drawn."""
    for entry in entries:
        if entry.layer not in styles:
            raise GazetteerError(
                f"{entry.origin}: entry '{entry.id}': layer '{entry.layer}' has no style "
                f"(known layers: {', '.join(styles)})"
            )
