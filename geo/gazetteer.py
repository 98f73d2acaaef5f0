"""The gazetteer: named places, corridors and zones, loaded from YAML and validated against its schema.

The schema is documented in data/README.md; every error names the file, line and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from baymap.geo._errors import GazetteerError
from baymap.geo.boundaries import load_boundaries
from baymap.geo.report import FOLDED_SENTENCE_END, normalise_for_matching
from baymap.geo.shipped import data_file

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
GEOMETRY_FORMS = ("boundary", "point", "points", "line", "polygon", "union", "disc", "border_zone")
#: Forms typed by hand must say where their coordinates come from and how precise they are.
HAND_MADE_FORMS = ("point", "points", "line", "polygon", "disc", "border_zone")
ENTRY_FIELDS = {
    "id",
    "name_zh",
    "name_en",
    "aliases",
    "aliases_en",
    "layer",
    "kind",
    "geometry",
    "within",
    "source",
    "precision",
    "note",
}
REQUIRED_FIELDS = ("id", "name_zh", "name_en", "aliases", "layer", "kind", "geometry")
_LINE = "__line__"


@dataclass(frozen=True)
class Alias:
    """A name the report may use; `near` words, if given, must stand within `window` characters."""

    text: str
    near: tuple[str, ...] = ()
    window: int = 0

    @cached_property
    def near_folded(self) -> tuple[str, ...]:
        return tuple(alias_key(word) for word in self.near)


@dataclass(frozen=True)
class GazetteerEntry:
    id: str
    name_zh: str
    name_en: str
    aliases: tuple[Alias, ...]
    layer: str
    kind: str
    geometry: Mapping[str, Any]
    within: str | None
    source: str
    precision: str
    note: str
    origin: str
    """Where the entry was defined, as 'file:line'."""

    @property
    def form(self) -> str:
        return next(iter(self.geometry))


@dataclass(frozen=True)
class ContextRule:
    """When a short name is not the place: what may not follow or precede it, or what must stand near it."""

    aliases: tuple[str, ...]
    reason: str
    origin: str
    unless_followed_by: tuple[str, ...] = ()
    unless_preceded_by: tuple[str, ...] = ()
    only_near: tuple[str, ...] = ()
    window: int = 20

    @cached_property
    def _folded(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """The rule's words as the normalised text writes them."""
        fold = lambda words: tuple(alias_key(w) for w in words)  # noqa: E731
        return fold(self.unless_followed_by), fold(self.unless_preceded_by), fold(self.only_near)

    def allows(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] (normalised text) is the place under this rule."""
        followers, preceders, near = self._folded
        if any(text.startswith(word, end) for word in followers):
            return False
        if any(text.endswith(word, 0, start) for word in preceders):
            return False
        if near:
            around = sentence_window(text, start, end, self.window)
            return any(word in around for word in near)
        return True


def sentence_window(text: str, start: int, end: int, window: int) -> str:
    """Up to `window` characters either side of text[start:end], within its sentence."""
    before, after = text[max(0, start - window) : start], text[end : end + window]
    cut = max(before.rfind(ch) for ch in FOLDED_SENTENCE_END)
    stops = [i for ch in FOLDED_SENTENCE_END if (i := after.find(ch)) != -1]
    return before[cut + 1 :] + text[start:end] + after[: min(stops) if stops else len(after)]


@dataclass(frozen=True)
class Gazetteer:
    entries: Mapping[str, GazetteerEntry]
    ignore: tuple[str, ...]
    """Phrases that contain a name but are not that place (a company, a person…)."""
    rules: tuple[ContextRule, ...] = ()

    @cached_property
    def rules_by_key(self) -> dict[str, tuple[ContextRule, ...]]:
        """The context rules by the normalised name they apply to."""
        by_key: dict[str, list[ContextRule]] = {}
        for rule in self.rules:
            for alias in rule.aliases:
                by_key.setdefault(alias_key(alias), []).append(rule)
        return {k: tuple(v) for k, v in by_key.items()}

    def __getitem__(self, entry_id: str) -> GazetteerEntry:
        return self.entries[entry_id]

    def __iter__(self):
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


#: The shipped gazetteer: hand-made entries, then the districts generated from the boundaries.
SHIPPED = ("gazetteer.yaml", "districts.yaml")


def load_gazetteer(*paths: str | Path) -> Gazetteer:
    """The shipped gazetteer, then each user file in turn (a later entry with the same id wins)."""
    documents = []
    for name in SHIPPED:
        shipped = data_file(name)
        if shipped.is_file():
            documents.append((str(shipped), shipped.read_text(encoding="utf-8")))
    for path in paths:
        try:
            documents.append((str(path), Path(path).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as err:
            raise GazetteerError(f"{path}: cannot read the gazetteer: {err}") from None
    entries: dict[str, GazetteerEntry] = {}
    ignore: list[str] = []
    rules: list[ContextRule] = []
    for name, text in documents:
        doc = parse_yaml_with_lines(text, name)
        for entry in entries_from_document(doc, name):
            entries[entry.id] = entry
        ignore.extend(ignore_from_document(doc, name))
        rules.extend(rules_from_document(doc, name))
    gazetteer = Gazetteer(entries=entries, ignore=tuple(dict.fromkeys(ignore)), rules=tuple(rules))
    check_references(gazetteer)
    return gazetteer


def parse_yaml_with_lines(text: str, name: str) -> Any:
    """Parse YAML, recording on every mapping the line it starts on."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else "?"
        raise GazetteerError(f"{name}:{line}: not valid YAML: {err.problem}") from None
    except yaml.YAMLError as err:
        raise GazetteerError(f"{name}: not valid YAML: {err}") from None


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when installed: ten times faster
    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


def line_of(mapping: Any) -> int | str:
    return mapping.get(_LINE, "?") if isinstance(mapping, dict) else "?"


def entries_from_document(doc: Any, name: str) -> Iterable[GazetteerEntry]:
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise GazetteerError(f"{name}:{line_of(doc)}: expected a mapping with an 'entries:' list")
    seen: dict[str, int | str] = {}
    for raw in doc["entries"]:
        entry = entry_from_mapping(raw, name)
        if entry.id in seen:
            raise GazetteerError(f"{name}:{line_of(raw)}: id '{entry.id}' is already defined at line {seen[entry.id]}")
        seen[entry.id] = line_of(raw)
        yield entry


def ignore_from_document(doc: dict, name: str) -> list[str]:
    ignore = doc.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(p, str) and p for p in ignore):
        raise GazetteerError(f"{name}:{line_of(doc)}: 'ignore' must be a list of phrases")
    return ignore


RULE_FIELDS = {"aliases", "reason", "unless_followed_by", "unless_preceded_by", "only_near", "window"}


def rules_from_document(doc: dict, name: str) -> list[ContextRule]:
    raw_rules = doc.get("rules", [])
    if not isinstance(raw_rules, list):
        raise GazetteerError(f"{name}:{line_of(doc)}: 'rules' must be a list")
    return [rule_from_mapping(raw, name) for raw in raw_rules]


def rule_from_mapping(raw: Any, name: str) -> ContextRule:
    line = line_of(raw)
    if not isinstance(raw, dict):
        raise GazetteerError(f"{name}:{line}: each rule must be a mapping")
    fields = {k: v for k, v in raw.items() if k != _LINE}
    unknown = sorted(set(fields) - RULE_FIELDS)
    if unknown:
        raise GazetteerError(
            f"{name}:{line}: rule: unknown field '{unknown[0]}' (allowed: {', '.join(sorted(RULE_FIELDS))})"
        )
    for key in ("aliases", "unless_followed_by", "unless_preceded_by", "only_near"):
        value = fields.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise GazetteerError(f"{name}:{line}: rule: '{key}' must be a list of words")
    if not fields.get("aliases"):
        raise GazetteerError(f"{name}:{line}: rule: 'aliases' must name the names it applies to")
    if not isinstance(fields.get("reason"), str) or not fields["reason"].strip():
        raise GazetteerError(f"{name}:{line}: rule: 'reason' must say why the rule exists")
    if not any(fields.get(k) for k in ("unless_followed_by", "unless_preceded_by", "only_near")):
        raise GazetteerError(f"{name}:{line}: rule: give unless_followed_by, unless_preceded_by or only_near")
    window = fields.get("window", 20)
    if not isinstance(window, int) or isinstance(window, bool) or window < 1:
        raise GazetteerError(f"{name}:{line}: rule: 'window' must be a positive number of characters")
    return ContextRule(
        aliases=tuple(fields["aliases"]),
        reason=fields["reason"],
        origin=f"{name}:{line}",
        unless_followed_by=tuple(fields.get("unless_followed_by", [])),
        unless_preceded_by=tuple(fields.get("unless_preceded_by", [])),
        only_near=tuple(fields.get("only_near", [])),
        window=window,
    )


def entry_from_mapping(raw: Any, name: str) -> GazetteerEntry:
    line = line_of(raw)

    def fail(message: str) -> GazetteerError:
        entry_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
        return GazetteerError(f"{name}:{line}: entry '{entry_id}': {message}")

    if not isinstance(raw, dict):
        raise GazetteerError(f"{name}:{line}: each entry must be a mapping of fields")
    unknown = sorted(set(raw) - ENTRY_FIELDS - {_LINE})
    if unknown:
        raise fail(f"unknown field '{unknown[0]}' (allowed: {', '.join(sorted(ENTRY_FIELDS))})")
    for key in REQUIRED_FIELDS:
        if key not in raw:
            raise fail(f"missing field '{key}'")
    for key in ("id", "name_zh", "name_en", "layer", "kind"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise fail(f"field '{key}' must be a non-empty string")
    if not ID_PATTERN.match(raw["id"]):
        raise fail("field 'id' must be lower-case ascii letters, digits and underscores")
    geometry = geometry_from_mapping(raw["geometry"], fail)
    form = next(iter(geometry))
    if form in HAND_MADE_FORMS:
        for key in ("source", "precision"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise fail(f"a '{form}' geometry needs a '{key}' saying where it comes from and how precise it is")
    if form in ("point", "points", "disc") and not _is_within(raw.get("within")):
        raise fail(f"a '{form}' geometry needs 'within': the adcode of the district it lies in (or water, unmapped)")
    aliases = aliases_from_list(raw["aliases"], fail) + aliases_from_list(raw.get("aliases_en", []), fail)
    if raw["name_zh"] not in {a.text for a in aliases}:
        aliases = (Alias(raw["name_zh"]), *aliases)
    return GazetteerEntry(
        id=raw["id"],
        name_zh=raw["name_zh"],
        name_en=raw["name_en"],
        aliases=aliases,
        layer=raw["layer"],
        kind=raw["kind"],
        geometry=geometry,
        within=raw.get("within"),
        source=str(raw.get("source", "")),
        precision=str(raw.get("precision", "")),
        note=str(raw.get("note", "")),
        origin=f"{name}:{line}",
    )


def aliases_from_list(raw: Any, fail) -> tuple[Alias, ...]:
    if not isinstance(raw, list):
        raise fail("'aliases' must be a list")
    aliases = []
    for item in raw:
        if isinstance(item, str) and item.strip():
            aliases.append(Alias(item.strip()))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            near = item.get("near", [])
            window = item.get("window", 20)
            if not isinstance(near, list) or not near or not isinstance(window, int) or window < 1:
                raise fail(f"alias '{item['text']}': 'near' must be a non-empty list and 'window' a positive number")
            aliases.append(Alias(item["text"].strip(), tuple(near), window))
        else:
            raise fail(f"alias {item!r} must be a string or a mapping with 'text' and 'near'")
    return tuple(aliases)


def geometry_from_mapping(raw: Any, fail) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise fail(f"'geometry' must be a mapping with one of: {', '.join(GEOMETRY_FORMS)}")
    forms = [k for k in raw if k != _LINE]
    if len(forms) != 1 or forms[0] not in GEOMETRY_FORMS:
        raise fail(
            f"'geometry' must have exactly one of: {', '.join(GEOMETRY_FORMS)} (got {', '.join(forms) or 'none'})"
        )
    form, value = forms[0], raw[forms[0]]
    checks = {
        "boundary": lambda v: isinstance(v, str) and v.isdigit() and len(v) == 6,
        "point": _is_lnglat,
        "points": lambda v: isinstance(v, list) and len(v) >= 2 and all(_is_lnglat(p) for p in v),
        "line": lambda v: isinstance(v, list) and len(v) >= 2 and all(_is_station(s) for s in v),
        "polygon": lambda v: isinstance(v, list) and len(v) >= 3 and all(_is_lnglat(p) for p in v),
        "union": lambda v: isinstance(v, list) and len(v) >= 1 and all(isinstance(i, str) for i in v),
        "disc": lambda v: isinstance(v, dict) and _is_lnglat(v.get("center")) and _is_number(v.get("area_km2")),
        "border_zone": lambda v: (
            isinstance(v, dict)
            and isinstance(v.get("between"), list)
            and len(v["between"]) == 2
            and _is_number(v.get("width_km"))
        ),
    }
    if not checks[form](value):
        raise fail(f"geometry '{form}' is malformed: {GEOMETRY_HELP[form]}")
    return {form: _strip_lines(value)}


GEOMETRY_HELP = {
    "boundary": "give a six-digit adcode as a string, e.g. '440115'",
    "point": "give [longitude, latitude] in WGS-84 degrees",
    "points": "give a list of at least two [longitude, latitude] pairs",
    "line": "give a list of at least two stations, each {name, lnglat: [lng, lat], within: adcode}",
    "polygon": "give a list of at least three [longitude, latitude] pairs",
    "union": "give a list of entry ids",
    "disc": "give {center: [lng, lat], area_km2: number}",
    "border_zone": "give {between: [entry id, entry id], width_km: number}",
}


def _is_within(v: Any) -> bool:
    return isinstance(v, str) and ((v.isdigit() and len(v) == 6) or v in ("water", "unmapped"))


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and v > 0


def _is_lnglat(v: Any) -> bool:
    return (
        isinstance(v, list)
        and len(v) == 2
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in v)
        and -180 <= v[0] <= 180
        and -90 <= v[1] <= 90
    )


def _is_station(v: Any) -> bool:
    return (
        isinstance(v, dict)
        and isinstance(v.get("name"), str)
        and _is_lnglat(v.get("lnglat"))
        and _is_within(v.get("within"))
    )


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != _LINE}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def check_references(gazetteer: Gazetteer) -> None:
    """Every union and border zone names entries that exist, with no cycles; every boundary is shipped."""
    for entry in gazetteer:
        for ref in referenced_ids(entry):
            if ref not in gazetteer.entries:
                raise GazetteerError(f"{entry.origin}: entry '{entry.id}': refers to unknown entry '{ref}'")
        if entry.form == "boundary" and entry.geometry["boundary"] not in load_boundaries():
            raise GazetteerError(
                f"{entry.origin}: entry '{entry.id}': no shipped boundary has adcode {entry.geometry['boundary']}"
            )
    for entry in gazetteer:
        _check_no_cycle(gazetteer, entry.id, ())


def referenced_ids(entry: GazetteerEntry) -> list[str]:
    if entry.form == "union":
        return list(entry.geometry["union"])
    if entry.form == "border_zone":
        return list(entry.geometry["border_zone"]["between"])
    return []


def _check_no_cycle(gazetteer: Gazetteer, entry_id: str, path: tuple[str, ...]) -> None:
    if entry_id in path:
        cycle = " → ".join((*path, entry_id))
        raise GazetteerError(f"{gazetteer[entry_id].origin}: entry '{entry_id}': circular reference {cycle}")
    for ref in referenced_ids(gazetteer[entry_id]):
        _check_no_cycle(gazetteer, ref, (*path, entry_id))


def alias_key(text: str) -> str:
    """The one normalising function every name lookup goes through."""
    return normalise_for_matching(text.strip())
