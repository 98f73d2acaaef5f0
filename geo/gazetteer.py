"""The gazetteer: named places, corridors and zones, loaded from YAML and validated against its schema.

The schema is documented in data/README.md; every error names the file, line and field. Checks are strict at every
level (unknown keys, wrong types, non-finite numbers, aliases, duplicate keys) and linear in the size of the file.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from baymap.geo._errors import GazetteerError
from baymap.geo.boundaries import load_boundaries
from baymap.geo.parse_cache import cached
from baymap.geo.report import FOLDED_SENTENCE_END, normalise_for_matching
from baymap.geo.shipped import data_bytes, data_file

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
    "precision_m",
    "note",
}
REQUIRED_FIELDS = ("id", "name_zh", "name_en", "aliases", "layer", "kind", "geometry")
#: Optional fields that, when given, must be text (source and precision are required for HAND_MADE_FORMS).
OPTIONAL_TEXT_FIELDS = ("source", "precision", "note")
_LINE = "__line__"

#: How a check reports a problem: fail(message, where) gives the error to raise, at `where`'s line if it has one.
Fail = Callable[..., GazetteerError]


@dataclass(frozen=True)
class Alias:
    """A name the report may use; `near` words, if given, must stand within `window` characters.

    An alias with `focus` (entry ids: a town's city) also counts anywhere in a report about one of them,
    one that names it far more than any other city (see matching.report_focus).
    """

    text: str
    near: tuple[str, ...] = ()
    window: int = 0
    focus: tuple[str, ...] = ()
    script: str = ""
    """'traditional' or 'simplified': a report in that script is evidence for this place (Hong Kong's 大埔 in a
    Traditional text, Meizhou's 大埔县 beside 梅州)."""

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
    precision_m: int | None = None
    """How far the drawn location may be from the real one, in metres, where the data says."""

    @property
    def form(self) -> str:
        return next(iter(self.geometry))


@dataclass(frozen=True)
class ContextRule:
    """When a short name is not the place: what may not follow or precede it, or what must stand near it.

    A rule names the aliases it applies to, or layers: then it applies to every name of every entry in them
    (a company named after any city, 广州地产, is not the city).
    """

    aliases: tuple[str, ...]
    reason: str
    origin: str
    unless_followed_by: tuple[str, ...] = ()
    unless_preceded_by: tuple[str, ...] = ()
    only_near: tuple[str, ...] = ()
    window: int = 20
    layers: tuple[str, ...] = ()

    @cached_property
    def _folded(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """The rule's words as the normalised text writes them."""
        fold = lambda words: tuple(alias_key(w) for w in words)  # noqa: E731
        return fold(self.unless_followed_by), fold(self.unless_preceded_by), fold(self.only_near)

    @cached_property
    def _followers(self) -> re.Pattern | None:
        """The words that may not follow, as one pattern: a rule may list a dozen, checked at every mention."""
        followers = self._folded[0]
        return re.compile("|".join(map(re.escape, followers))) if followers else None

    def allows(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] (normalised text) is the place under this rule."""
        _, preceders, near = self._folded
        if self._followers is not None and self._followers.match(text, end):
            return False
        if any(text.endswith(word, 0, start) for word in preceders):
            return False
        if near:
            around = sentence_window(text, start, end, self.window)
            return any(word in around for word in near)
        return True


@dataclass(frozen=True)
class RuleSet:
    """Every context rule on one name, checked as one (the name is the place only if each rule allows it): one
    pattern for all the words that may not follow, one endswith for those that may not precede, then each rule's
    words that must stand near. Most names the matcher finds have a rule; checking them one by one was slow."""

    followers: re.Pattern | None
    preceders: tuple[str, ...]
    near: tuple[tuple[int, tuple[str, ...]], ...]
    """(window, words) of each rule that needs one of its words near the name."""

    @classmethod
    def of(cls, rules: Sequence[ContextRule]) -> RuleSet:
        followers = [word for rule in rules for word in rule._folded[0]]
        return cls(
            followers=re.compile("|".join(map(re.escape, followers))) if followers else None,
            preceders=tuple(word for rule in rules for word in rule._folded[1]),
            near=tuple((rule.window, rule._folded[2]) for rule in rules if rule._folded[2]),
        )

    def allows(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] (normalised text) is the place under all of the rules: all(rule.allows(…))."""
        if self.followers is not None and self.followers.match(text, end):
            return False
        if self.preceders and text.endswith(self.preceders, 0, start):
            return False
        for window, words in self.near:
            around = sentence_window(text, start, end, window)
            if not any(word in around for word in words):
                return False
        return True


def sentence_window(text: str, start: int, end: int, window: int) -> str:
    """Up to `window` characters either side of text[start:end], within its sentence."""
    before, after = text[max(0, start - window) : start], text[end : end + window]
    cut = max(before.rfind(ch) for ch in FOLDED_SENTENCE_END)
    stops = [i for ch in FOLDED_SENTENCE_END if (i := after.find(ch)) != -1]
    return before[cut + 1 :] + text[start:end] + after[: min(stops) if stops else len(after)]


@dataclass(frozen=True)
class Composition:
    """A type word that makes a known place's name into a new place's: 板芙 + 经济开发区, 松山湖 + 片区.

    The new place is drawn where the known one is (its location derived, and said so), unless the
    gazetteer knows the longer name itself (leftmost-longest matching finds that first).
    """

    word: str
    kind: str
    layer: str
    name_en: str
    after_layers: tuple[str, ...]
    qualifiers: tuple[str, ...] = ()
    """Words that may stand between the place and the type word: 小榄 + 省级 + 高新技术产业园."""
    names: int = 0
    """Up to this many characters of a name of its own may stand between: 徐闻县 + 大水桥 + 水库."""
    origin: str = ""


#: The layer of cities, districts and towns (layers.yaml): the units other places lie in.
UNITS_LAYER = "cities_districts"
#: A unit's full name has its level word (广州市, 麻章区): never fewer characters than this.
UNIT_NAME_MIN = 3
#: Joins a derived entry's id: the known place's id, then the new name (town_442000115+板芙经济开发区).
DERIVED = "+"
#: Joins the places of a derived corridor's id, in order: zhanjiang>town_440825103+湛江至海安铁路.
THROUGH = ">"


@dataclass(frozen=True)
class CorridorWord:
    """A word that makes a chain of places a corridor: 广州至汕尾 + 铁路."""

    word: str
    kind: str
    name_en: str


@dataclass(frozen=True)
class Connections:
    """Places joined by 至 or － before a corridor word (湛江至海安铁路, 香港－深圳－惠州－汕尾海上旅游航线).

    The chain becomes a corridor of its own, drawn straight through the places and marked as derived, when a
    corridor word follows it within `reach` characters of the same clause (a list of chains may share one word:
    广州至汕尾、深圳至茂名等铁路).
    """

    joiners: tuple[str, ...] = ()
    words: tuple[CorridorWord, ...] = ()
    member_layers: tuple[str, ...] = ()
    layer: str = "corridors"
    reach: int = 0
    origin: str = ""

    @cached_property
    def folded_words(self) -> tuple[str, ...]:
        """The corridor words as the normalised text writes them, longest first: folded once, not at each chain."""
        return tuple(alias_key(w.word) for w in self.words)

    @cached_property
    def folded_joiners(self) -> frozenset[str]:
        return frozenset(alias_key(j) for j in self.joiners)


@dataclass(frozen=True)
class Gazetteer:
    entries: Mapping[str, GazetteerEntry]
    ignore: tuple[str, ...]
    """Phrases that contain a name but are not that place (a company, a person…)."""
    rules: tuple[ContextRule, ...] = ()
    compositions: tuple[Composition, ...] = ()
    name_breaks: tuple[str, ...] = ()
    """Words that never stand inside a place's own name (的, 建设…): where a composition's name would end."""
    connections: Connections = Connections()
    fingerprint: tuple[bytes, ...] = field(default=(), compare=False, repr=False)
    """What the gazetteer was read from (files and code), for caches of what is built from it; () if unknown."""

    @cached_property
    def compositions_after(self) -> dict[str, tuple[Composition, ...]]:
        """The compositions that may follow a name of each layer's entries, longest word first."""
        by_layer: dict[str, list[Composition]] = {}
        for composition in self.compositions:
            for layer in composition.after_layers:
                by_layer.setdefault(layer, []).append(composition)
        return {k: tuple(sorted(v, key=lambda c: -len(c.word))) for k, v in by_layer.items()}

    @cached_property
    def composition_reach(self) -> dict[str, int]:
        """Per layer, the longest name of its own a composition after it may take."""
        return {layer: max(names for names, _, _ in words) for layer, words in self.composition_words_after.items()}

    @cached_property
    def composition_firsts(self) -> dict[str, frozenset[str]]:
        """Per layer, the characters a type word may begin with: most places are followed by none of them."""
        return {layer: frozenset(w[1][0] for w in words) for layer, words in self.composition_words_after.items()}

    @cached_property
    def composition_words_after(self) -> dict[str, tuple[tuple[int, str, bool], ...]]:
        """Per layer, (names, the type word as the normalised text writes it, whether a qualifier leads it) for each
        composition and qualifier, in compositions_after's order: folded once, not at every mention."""
        return {
            layer: tuple(
                (c.names, alias_key(qualifier + c.word), bool(qualifier))
                for c in compositions
                for qualifier in ("", *c.qualifiers)
            )
            for layer, compositions in self.compositions_after.items()
        }

    @cached_property
    def _derived(self) -> dict[str, GazetteerEntry]:
        return {}

    def derived_entry(self, entry_id: str) -> GazetteerEntry:
        """The entry for `<known id>+<new name>`, made once: where the known place is, saying so."""
        if entry_id not in self._derived and THROUGH in entry_id.partition(DERIVED)[0]:
            self._derived[entry_id] = self._corridor_entry(entry_id)
        if entry_id not in self._derived:
            base_id, _, name = entry_id.partition(DERIVED)
            base = self.entries[base_id]
            composition = next(c for c in self.compositions if name.endswith(c.word))
            self._derived[entry_id] = GazetteerEntry(
                id=entry_id,
                name_zh=name,
                name_en=f"{composition.name_en}, {base.name_en}",
                aliases=(Alias(name),),
                layer=composition.layer,
                kind=composition.kind,
                geometry={"union": [base_id]},
                within=None,
                source=base.source,
                precision=f"derived: location from {base.name_zh}" + (f" ({base.precision})" if base.precision else ""),
                note=f"{name} is not in the gazetteer: drawn where {base.name_zh} is",
                origin=base.origin,
                precision_m=base.precision_m,
            )
        return self._derived[entry_id]

    def _corridor_entry(self, entry_id: str) -> GazetteerEntry:
        """`<id>><id>…+<name>`: a corridor drawn straight through those places, in order, saying so."""
        ids, _, name = entry_id.partition(DERIVED)
        places = [self.entries[i] for i in ids.split(THROUGH)]
        word = next((w for w in self.connections.words if name.endswith(w.word)), None)
        route = "–".join(p.name_en for p in places)
        through = "、".join(p.name_zh for p in places)
        return GazetteerEntry(
            id=entry_id,
            name_zh=name,
            name_en=f"{route} {word.name_en}" if word else route,
            aliases=(Alias(name),),
            layer=self.connections.layer,
            kind=word.kind if word else "corridor",
            geometry={"through": [p.id for p in places]},
            within=None,
            source="; ".join(dict.fromkeys(p.source for p in places if p.source)),
            precision=f"derived: drawn straight through {through}; the route itself is not in the gazetteer",
            note=f"{name} is not in the gazetteer: drawn as a straight line through {through}",
            origin=places[0].origin,
            precision_m=None,
        )

    @cached_property
    def rules_by_key(self) -> dict[str, tuple[ContextRule, ...]]:
        """The context rules by the normalised name they apply to (a layer's rules under each of its names)."""
        by_key: dict[str, list[ContextRule]] = {}
        unique: dict[ContextRule, ContextRule] = {}  # a rule written twice is one rule: the first of the equal ones
        rule_keys = alias_keys(alias for rule in self.rules for alias in rule.aliases)
        for rule in self.rules:
            rule = unique.setdefault(rule, rule)
            for alias in rule.aliases:
                by_key.setdefault(rule_keys[alias], []).append(rule)
        by_layer: dict[str, list[ContextRule]] = {}
        for rule in unique:
            for layer in rule.layers:
                by_layer.setdefault(layer, []).append(rule)
        keys = self.alias_keys
        for entry in self:
            for rule in by_layer.get(entry.layer, ()):
                for alias in entry.aliases:
                    if not alias.text.isascii():  # the words are Chinese; Latin names stand as whole words already
                        by_key.setdefault(keys[alias.text], []).append(rule)
        return {k: tuple({id(rule): rule for rule in v}.values()) for k, v in by_key.items()}  # hashing a rule is slow

    @cached_property
    def rule_sets(self) -> dict[str, RuleSet]:
        """rules_by_key with each name's rules as one RuleSet; names under the same rules share one."""
        shared: dict[tuple[int, ...], RuleSet] = {}
        by_key: dict[str, RuleSet] = {}
        for key, rules in self.rules_by_key.items():
            ids = tuple(map(id, rules))
            if ids not in shared:
                shared[ids] = RuleSet.of(rules)
            by_key[key] = shared[ids]
        return by_key

    @cached_property
    def plain_names(self) -> dict[str, str]:
        """Each normalised name that one entry holds outright (no `near` or `focus` needed), to that entry."""
        owners: dict[str, str] = {}
        keys = self.alias_keys
        for entry in self:
            for alias in entry.aliases:
                if not (alias.near or alias.focus):
                    owners.setdefault(keys[alias.text], entry.id)
        return owners

    @cached_property
    def alias_keys(self) -> dict[str, str]:
        """Every alias's alias_key, folded in one pass: one call per name (20,000 of them) took 0.1 s of a build."""
        return alias_keys(alias.text for entry in self for alias in entry.aliases)

    @cached_property
    def _sorted_plain_names(self) -> list[str]:
        return sorted(self.plain_names)

    def has_names_beginning(self, prefix: str) -> bool:
        """Whether any plain name begins with `prefix`: one bisect."""
        names = self._sorted_plain_names
        at = bisect.bisect_left(names, prefix)
        return at < len(names) and names[at].startswith(prefix)

    def owners_of_names_beginning(self, prefix: str) -> set[str]:
        """The entries holding a plain name that begins with `prefix`."""
        names = self._sorted_plain_names
        at = bisect.bisect_left(names, prefix)
        owners: set[str] = set()
        while at < len(names) and names[at].startswith(prefix):
            owners.add(self.plain_names[names[at]])
            at += 1
        return owners

    @cached_property
    def unit_names(self) -> dict[str, str]:
        """Each city, district and town's full official name (广州市, 麻章区, 湖光镇), normalised, to its entry,
        when that entry holds it outright."""
        plain, keys = self.plain_names, self.alias_keys  # name_zh is always one of the entry's aliases
        units = {}
        for entry in self:
            key = keys[entry.name_zh]
            if entry.layer == UNITS_LAYER and len(key) >= UNIT_NAME_MIN and plain.get(key) == entry.id:
                units[key] = entry.id
        return units

    @cached_property
    def unit_name_heads(self) -> frozenset[str]:
        """The first UNIT_NAME_MIN characters of each unit name: whether one can begin here, in one look-up."""
        return frozenset(name[:UNIT_NAME_MIN] for name in self.unit_names)

    @cached_property
    def member_name_heads(self) -> frozenset[str]:
        """The first two characters of each plain name of the connections' member layers (the cities a list item
        may begin with: 云浮水源山): whether one can begin here, in one look-up."""
        layers, members = self.layers, self.connections.member_layers
        return frozenset(name[:2] for name, owner in self.plain_names.items() if layers[owner] in members)

    @cached_property
    def layers(self) -> dict[str, str]:
        """Each entry's layer by its id: looked up for every mention, without a call."""
        return {entry_id: entry.layer for entry_id, entry in self.entries.items()}

    @cached_property
    def focus_ids(self) -> frozenset[str]:
        """The entries any alias's `focus` names: the cities a report can be about."""
        return frozenset(f for entry in self for alias in entry.aliases for f in alias.focus)

    def __getitem__(self, entry_id: str) -> GazetteerEntry:
        if entry_id not in self.entries and DERIVED in entry_id:
            return self.derived_entry(entry_id)
        return self.entries[entry_id]

    def __iter__(self):
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


#: The shipped gazetteer: hand-made entries, the curated tier by theme, then the generated tiers: districts from
#: the boundaries, townships from the statistics bureau's list and GeoNames, Hong Kong and Macao localities from
#: GeoNames. A shipped id or name may be defined
#: once only (tests/geo/test_gazetteer.py checks).
SHIPPED = (
    "gazetteer.yaml",
    "gazetteer-hubs.yaml",
    "gazetteer-landmarks.yaml",
    "gazetteer-lines.yaml",
    "gazetteer-platforms.yaml",
    "gazetteer-science.yaml",
    "gazetteer-water.yaml",
    "gazetteer-cooperation.yaml",
    "gazetteer-culture.yaml",
    "gazetteer-devzones.yaml",
    "gazetteer-industry.yaml",
    "gazetteer-nature.yaml",
    "gazetteer-ports.yaml",
    "gazetteer-research.yaml",
    "gazetteer-routes.yaml",
    "gazetteer-westbank.yaml",
    "gazetteer-heritage.yaml",
    "gazetteer-bases.yaml",
    "gazetteer-energy.yaml",
    "gazetteer-transit.yaml",
    "districts.yaml",
    "townships.yaml",
    "hk-macao.yaml",
)


def load_gazetteer(*paths: str | Path) -> Gazetteer:
    """The shipped gazetteer, then each user file in turn (a later entry with the same id wins)."""
    user_texts = [_read_user_file(path) for path in paths]
    parts = [*_shipped_parts(), *(_parts_of(str(path), text) for path, text in zip(paths, user_texts, strict=True))]
    entries: dict[str, GazetteerEntry] = {}
    from_user: set[str] = set()
    ignore: list[str] = []
    rules: list[ContextRule] = []
    compositions: list[Composition] = []
    name_breaks: list[str] = []
    connections = Connections()
    for index, (file_entries, file_ignore, file_rules, file_compositions, file_breaks, file_connections) in enumerate(
        parts
    ):
        is_user = index >= len(parts) - len(paths)
        for entry in file_entries:
            entries[entry.id] = entry
            if is_user:
                from_user.add(entry.id)
        ignore.extend(file_ignore)
        rules.extend(file_rules)
        compositions.extend(file_compositions)
        name_breaks.extend(file_breaks)
        connections = file_connections or connections
    entries = with_stations_resolved(entries)
    gazetteer = Gazetteer(
        entries=entries,
        ignore=tuple(dict.fromkeys(ignore)),
        rules=tuple(rules),
        compositions=tuple(compositions),
        name_breaks=tuple(dict.fromkeys(name_breaks)),
        connections=connections,
        fingerprint=(*shipped_fingerprint(), *(text.encode("utf-8") for text in user_texts)),
    )
    check_references(gazetteer)
    check_geometries(gazetteer, entries_depending_on(gazetteer, from_user))
    return with_cached_lookups(gazetteer)


#: The name look-ups every build consults, worked out from the entries once per user (see with_cached_lookups).
CACHED_LOOKUPS = (
    "alias_keys",
    "plain_names",
    "_sorted_plain_names",
    "unit_names",
    "unit_name_heads",
    "layers",
    "member_name_heads",
    "focus_ids",
)


def with_cached_lookups(gazetteer: Gazetteer) -> Gazetteer:
    """The gazetteer with its name look-ups read from the per-user cache for the same files, where its cached
    properties keep them: unpickled in a fifth of the time they take to work out (20,000 names folded)."""
    if gazetteer.fingerprint:
        lookups = cached("lookups", gazetteer.fingerprint, lambda: {n: getattr(gazetteer, n) for n in CACHED_LOOKUPS})
        gazetteer.__dict__.update(lookups)
    return gazetteer


def with_stations_resolved(entries: dict[str, GazetteerEntry]) -> dict[str, GazetteerEntry]:
    """Each line's {station: id} written out from that point entry, so every line through it shares its coordinate."""
    resolved = dict(entries)
    for entry in entries.values():
        if entry.form == "line" and any(STATION_REF in s for s in entry.geometry["line"]):
            stations = [
                _station_from(entry, s[STATION_REF], entries) if STATION_REF in s else s for s in entry.geometry["line"]
            ]
            resolved[entry.id] = replace(entry, geometry={"line": stations})
    return resolved


def _station_from(line: GazetteerEntry, station_id: str, entries: Mapping[str, GazetteerEntry]) -> dict[str, Any]:
    """A station as a line writes it inline, from the point entry it names."""
    station = entries.get(station_id)
    if station is None or station.form != "point":
        got = "no such entry" if station is None else f"it is a '{station.form}'"
        raise GazetteerError(f"{line.origin}: entry '{line.id}': station '{station_id}' must be a point entry ({got})")
    return {
        "name": station.name_zh,
        "lnglat": station.geometry["point"],
        "within": station.within,
        "source": station.source,
        "precision": station.precision,
    }


FileParts = tuple[
    tuple[GazetteerEntry, ...],
    tuple[str, ...],
    tuple[ContextRule, ...],
    tuple[Composition, ...],
    tuple[str, ...],
    Connections | None,
]


def _parts_of(name: str, text: str) -> FileParts:
    """One gazetteer file's entries, ignored phrases and rules, each checked against the schema."""
    doc = parse_yaml_with_lines(text, name)
    check_document_keys(doc, name)
    entries = tuple(entries_from_document(doc, name))
    rules = tuple(rules_from_document(doc, name))
    compositions = tuple(compositions_from_document(doc, name))
    breaks = tuple(name_breaks_from(doc, name))
    return entries, tuple(ignore_from_document(doc, name)), rules, compositions, breaks, connections_from(doc, name)


@cache
def shipped_texts() -> dict[str, bytes]:
    """The shipped gazetteer files' bytes by path: what every cache of what is parsed or built from them depends on."""
    return {str(data_file(name)): data_bytes(name) for name in SHIPPED if data_file(name).is_file()}


@cache
def shipped_fingerprint() -> tuple[bytes, ...]:
    """What the shipped gazetteer's parse depends on: its files and the code that reads them (read once)."""
    code = (Path(__file__).read_bytes(), Path(__file__).with_name("report.py").read_bytes())
    return (*code, *(name.encode() + b"\0" + text for name, text in shipped_texts().items()))


@cache
def _shipped_parts() -> tuple[FileParts, ...]:
    """The shipped files, parsed once per process and cached per user (records are frozen, so they are shared)."""
    texts = shipped_texts()
    return cached(
        "gazetteer",
        shipped_fingerprint(),
        lambda: tuple(_parts_of(name, text.decode("utf-8")) for name, text in texts.items()),
    )


def _read_user_file(path: str | Path) -> str:
    """A user's gazetteer file as text: a missing, unreadable or binary file is a GazetteerError, not a traceback."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise GazetteerError(f"{path}: cannot read the gazetteer: {err}") from None


def check_geometries(gazetteer: Gazetteer, entry_ids: Iterable[str]) -> None:
    """Build these entries' shapes now, so an empty one fails at load and not as invalid GeoJSON on the page.

    Unions are skipped: one of shapes that are not empty is not empty, and building every link of a long chain of
    unions would copy each member once per union above it.
    """
    from baymap.geo.geometry import geometries_from_gazetteer  # geometry imports this module

    geometries_from_gazetteer(gazetteer, [entry_id for entry_id in entry_ids if gazetteer[entry_id].form != "union"])


def entries_depending_on(gazetteer: Gazetteer, entry_ids: Iterable[str]) -> list[str]:
    """The given entries and every union or border zone built from them, in one pass over the references."""
    dependents: dict[str, list[str]] = {}
    for entry in gazetteer:
        for ref in referenced_ids(entry):
            dependents.setdefault(ref, []).append(entry.id)
    found = dict.fromkeys(entry_ids)
    queue = list(found)
    while queue:
        for dependent in dependents.get(queue.pop(), ()):
            if dependent not in found:
                found[dependent] = None
                queue.append(dependent)
    return list(found)


# ---------------------------------------------------------------- YAML: lines, and what a gazetteer never needs

#: How deeply a gazetteer or style file may nest lists and mappings; the schema itself needs seven levels.
MAX_DEPTH = 20
_MERGE_TAG = "tag:yaml.org,2002:merge"


def parse_yaml_with_lines(text: str, name: str) -> Any:
    """Parse YAML, recording on every mapping the line it starts on, and refusing aliases, duplicate keys and depth."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except _RefusedYAML as err:
        line = _first_alias_line(text) if isinstance(err, _AliasRefused) else err.problem_mark.line + 1
        raise GazetteerError(f"{name}:{line}: {err.problem}") from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else "?"
        raise GazetteerError(f"{name}:{line}: not valid YAML: {err.problem}") from None
    except yaml.YAMLError as err:
        raise GazetteerError(f"{name}: not valid YAML: {err}") from None
    except RecursionError:  # without libyaml, PyYAML builds its nodes recursively, one call per level
        raise GazetteerError(f"{name}:{_first_too_deep_line(text)}: nested more than {MAX_DEPTH} levels deep") from None


class _RefusedYAML(yaml.constructor.ConstructorError):
    """Valid YAML that a gazetteer or style file may not use: an alias, a merge key, a duplicate key, deep nesting."""


class _AliasRefused(_RefusedYAML):
    """An alias: its node records where the anchor stands, so the alias's own line is found from the text."""


class StrictConstruction:
    """Mixed into a safe loader: records each mapping's line and refuses what a gazetteer has no use for."""

    def construct_document(self, node):
        _check_node_tree(node)
        return super().construct_document(node)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, f"expected a mapping, found {node.id}", node.start_mark)
        mapping: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            _check_key(key, key_node, first_line)
            first_line[key] = key_node.start_mark.line + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


class _LineLoader(StrictConstruction, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's safe loader when installed (ten times faster than PyYAML's own), made strict."""


def _check_key(key: Any, key_node: yaml.Node, first_line: Mapping[Any, int]) -> None:
    """A mapping key must be hashable, not our line marker, and new: YAML's last duplicate would silently win."""
    try:
        hash(key)
    except TypeError:
        raise yaml.constructor.ConstructorError(
            None, None, "a key must be a plain value", key_node.start_mark
        ) from None
    if key == _LINE:
        raise _RefusedYAML(None, None, f"the key '{_LINE}' is reserved", key_node.start_mark)
    if key in first_line:
        message = f"duplicate key {shown_value(key)} (first at line {first_line[key]})"
        raise _RefusedYAML(None, None, message, key_node.start_mark)


def _check_node_tree(root: yaml.Node) -> None:
    """Refuse aliases, merge keys and deep nesting before anything is built, in one pass over the parsed nodes.

    An alias makes a node reachable twice: that is how a few lines of billion laughs grow to gigabytes once copied.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise _AliasRefused(None, None, "anchors and aliases (&name, *name) are not allowed: write the value out")
        seen.add(id(node))
        if isinstance(node, yaml.CollectionNode) and depth > MAX_DEPTH:
            raise _RefusedYAML(None, None, f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.tag == _MERGE_TAG:
                    raise _RefusedYAML(
                        None, None, "merge keys (<<) are not allowed: write the fields out", key.start_mark
                    )
                stack += [(key, depth + 1), (value, depth + 1)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, depth + 1) for item in node.value]


def _first_alias_line(text: str) -> int | str:
    """Where the first alias (*name) stands: a node keeps only its anchor's place, the parser's events the alias's."""
    for event in yaml.parse(text, Loader=_LineLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1
    return "?"


def _first_too_deep_line(text: str) -> int | str:
    """Where nesting first passes MAX_DEPTH, from the parser's events (the parser keeps a stack, not a recursion)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LineLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return "?"


def line_of(mapping: Any) -> int | str:
    """The line a parsed mapping starts on, or '?' for anything else."""
    return mapping.get(_LINE, "?") if isinstance(mapping, dict) else "?"


def shown_value(value: Any, limit: int = 40) -> str:
    """A value as an error message quotes it: short and on one line, whatever a malformed file holds."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def quoted(name: Any) -> str:
    """A name for a message, in quotes: printable text as it stands, anything else escaped onto one short line."""
    if isinstance(name, str) and name.isprintable() and 0 < len(name) <= 60:
        return f"'{name}'"
    return shown_value(name)


# ---------------------------------------------------------------- the schema: every level strict

#: The top-level keys of a gazetteer file.
DOCUMENT_FIELDS = {"entries", "ignore", "rules", "compositions", "name_breaks", "connections"}


def check_document_keys(doc: Any, name: str) -> None:
    """A gazetteer file is a mapping with an entries list and nothing unknown (a typo such as `rule:` is refused)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise GazetteerError(f"{name}:{line_of(doc)}: expected a mapping with an 'entries:' list")
    unknown = _unknown_keys(doc, DOCUMENT_FIELDS)
    if unknown:
        raise GazetteerError(
            f"{name}:{line_of(doc)}: unknown key {unknown[0]} (allowed: {', '.join(sorted(DOCUMENT_FIELDS))})"
        )


def _unknown_keys(raw: dict, allowed: Iterable[str]) -> list[str]:
    """The keys of a parsed mapping that the schema does not allow, shown for a message, in a stable order."""
    return sorted(shown_value(key) for key in raw if key != _LINE and key not in allowed)


def _fields(raw: Any, allowed: set[str], required: Iterable[str], fail: Fail, what: str = "") -> dict[str, Any]:
    """A mapping's fields without its line marker; unknown or missing keys are refused, at every level alike."""
    prefix = f"{what}: " if what else ""
    if not isinstance(raw, dict):
        raise fail(f"{prefix}must be a mapping, not {shown_value(raw)}")
    unknown = _unknown_keys(raw, allowed)
    if unknown:
        raise fail(f"{prefix}unknown field {unknown[0]} (allowed: {', '.join(sorted(allowed))})", raw)
    for key in required:
        if key not in raw:
            raise fail(f"{prefix}missing field '{key}'", raw)
    return {key: value for key, value in raw.items() if key != _LINE}


def entries_from_document(doc: Any, name: str) -> Iterable[GazetteerEntry]:
    """The entries of one parsed file; an id defined twice in the same file is refused."""
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise GazetteerError(f"{name}:{line_of(doc)}: expected a mapping with an 'entries:' list")
    seen: dict[str, int | str] = {}
    for raw in doc["entries"]:
        entry = entry_from_mapping(raw, name)
        if entry.id in seen:
            raise GazetteerError(f"{name}:{line_of(raw)}: id '{entry.id}' is already defined at line {seen[entry.id]}")
        seen[entry.id] = line_of(raw)
        yield entry


CONNECTION_FIELDS = {"joiners", "words", "member_layers", "layer", "reach"}
CORRIDOR_WORD_FIELDS = {"word", "kind", "name_en"}
#: The farthest a corridor word may stand after its chain of places.
MAX_REACH = 40


def connections_from(doc: dict, name: str) -> Connections | None:
    """The file's `connections:` (a later file's replace an earlier's), or None when it has none."""
    if "connections" not in doc:
        return None
    fields, fail = _record(doc["connections"], name, "connections", CONNECTION_FIELDS, tuple(CONNECTION_FIELDS))
    for key in ("joiners", "member_layers"):
        if not (_is_words(fields[key]) and fields[key]):
            raise fail(f"'{key}' must be a non-empty list of words")
    if not is_text(fields["layer"]):
        raise fail("'layer' must be a non-empty string")
    reach = fields["reach"]
    if not (isinstance(reach, int) and not isinstance(reach, bool) and 0 <= reach <= MAX_REACH):
        raise fail(f"'reach' must be a whole number from 0 to {MAX_REACH} (got {shown_value(reach)})")
    if not isinstance(fields["words"], list) or not fields["words"]:
        raise fail("'words' must be a non-empty list of {word, kind, name_en}")
    words = []
    for raw in fields["words"]:
        word, word_fail = _record(raw, name, "corridor word", CORRIDOR_WORD_FIELDS, tuple(CORRIDOR_WORD_FIELDS))
        for key in CORRIDOR_WORD_FIELDS:
            if not is_text(word[key]):
                raise word_fail(f"'{key}' must be a non-empty string")
        words.append(CorridorWord(word["word"], word["kind"], word["name_en"]))
    return Connections(
        joiners=tuple(fields["joiners"]),
        words=tuple(sorted(words, key=lambda w: -len(w.word))),
        member_layers=tuple(fields["member_layers"]),
        layer=fields["layer"],
        reach=reach,
        origin=f"{name}:{line_of(doc['connections'])}",
    )


def name_breaks_from(doc: dict, name: str) -> list[str]:
    """The words that end a composed name (a verb, 的, 和): 建设大水桥水库 is no place called 建设大水桥."""
    breaks = doc.get("name_breaks", [])
    if not _is_words(breaks):
        raise GazetteerError(f"{name}:{line_of(doc)}: 'name_breaks' must be a list of words")
    return breaks


def ignore_from_document(doc: dict, name: str) -> list[str]:
    """The phrases that contain a name but are not that place."""
    ignore = doc.get("ignore", [])
    if not _is_words(ignore):
        raise GazetteerError(f"{name}:{line_of(doc)}: 'ignore' must be a list of phrases")
    return ignore


COMPOSITION_FIELDS = {"word", "kind", "layer", "name_en", "after_layers", "qualifiers", "names"}
#: The longest name of its own a composition may take between the known place and the type word.
MAX_COMPOSED_NAME = 8


def compositions_from_document(doc: dict, name: str) -> list[Composition]:
    """The type words that make a known place's name into a new place's (schema in data/README.md)."""
    return [composition_from_mapping(raw, name) for raw in _listed(doc, name, "compositions")]


def composition_from_mapping(raw: Any, name: str) -> Composition:
    required = ("word", "kind", "layer", "name_en", "after_layers")
    fields, fail = _record(raw, name, "composition", COMPOSITION_FIELDS, required)
    for key in ("word", "kind", "layer", "name_en"):
        if not is_text(fields[key]):
            raise fail(f"'{key}' must be a non-empty string")
    for key in ("after_layers", "qualifiers"):
        if not _is_words(fields.get(key, [])):
            raise fail(f"'{key}' must be a list of words")
    if not fields["after_layers"]:
        raise fail("'after_layers' must name the layers whose places the word may follow")
    names = fields.get("names", 0)
    if not (isinstance(names, int) and not isinstance(names, bool) and 0 <= names <= MAX_COMPOSED_NAME):
        raise fail(f"'names' must be a whole number from 0 to {MAX_COMPOSED_NAME} (got {shown_value(names)})")
    return Composition(
        word=fields["word"],
        kind=fields["kind"],
        layer=fields["layer"],
        name_en=fields["name_en"],
        after_layers=tuple(fields["after_layers"]),
        qualifiers=tuple(fields.get("qualifiers", [])),
        names=names,
        origin=f"{name}:{line_of(raw)}",
    )


def _listed(doc: dict, name: str, key: str) -> list:
    """A file's list under `key` (rules, compositions), empty when it has none."""
    listed = doc.get(key, [])
    if not isinstance(listed, list):
        raise GazetteerError(f"{name}:{line_of(doc)}: '{key}' must be a list")
    return listed


def _record(raw: Any, name: str, what: str, allowed: set[str], required: tuple[str, ...]) -> tuple[dict, Fail]:
    """A rule's or composition's fields, checked for unknown and missing keys, and how to fail at its line."""
    line = line_of(raw)

    def fail(message: str, _where: Any = None) -> GazetteerError:
        return GazetteerError(f"{name}:{line}: {what}: {message}")

    if not isinstance(raw, dict):
        raise GazetteerError(f"{name}:{line}: each {what} must be a mapping")
    return _fields(raw, allowed, required, fail), fail


RULE_FIELDS = {"aliases", "layers", "reason", "unless_followed_by", "unless_preceded_by", "only_near", "window"}


def rules_from_document(doc: dict, name: str) -> list[ContextRule]:
    """The context rules of one parsed file."""
    return [rule_from_mapping(raw, name) for raw in _listed(doc, name, "rules")]


def rule_from_mapping(raw: Any, name: str) -> ContextRule:
    """One context rule, checked field by field."""
    fields, fail = _record(raw, name, "rule", RULE_FIELDS, ())
    for key in ("aliases", "layers", "unless_followed_by", "unless_preceded_by", "only_near"):
        if not _is_words(fields.get(key, [])):
            raise fail(f"'{key}' must be a list of words")
    if not fields.get("aliases") and not fields.get("layers"):
        raise fail("'aliases' or 'layers' must name the names it applies to")
    if not is_text(fields.get("reason")):
        raise fail("'reason' must say why the rule exists")
    if not any(fields.get(k) for k in ("unless_followed_by", "unless_preceded_by", "only_near")):
        raise fail("give unless_followed_by, unless_preceded_by or only_near")
    window = fields.get("window", 20)
    if not _is_positive_int(window):
        raise fail("'window' must be a positive number of characters")
    return ContextRule(
        aliases=tuple(fields.get("aliases", [])),
        layers=tuple(fields.get("layers", [])),
        reason=fields["reason"],
        origin=f"{name}:{line_of(raw)}",
        unless_followed_by=tuple(fields.get("unless_followed_by", [])),
        unless_preceded_by=tuple(fields.get("unless_preceded_by", [])),
        only_near=tuple(fields.get("only_near", [])),
        window=window,
    )


def entry_from_mapping(raw: Any, name: str) -> GazetteerEntry:
    """One entry, checked field by field against the schema in data/README.md."""
    line = line_of(raw)
    entry_id = raw.get("id") if isinstance(raw, dict) else None
    shown_id = quoted(entry_id) if isinstance(entry_id, str) else "'?'"

    def fail(message: str, where: Any = None) -> GazetteerError:
        at = line_of(where) if isinstance(where, dict) else line
        return GazetteerError(f"{name}:{at}: entry {shown_id}: {message}")

    if not isinstance(raw, dict):
        raise GazetteerError(f"{name}:{line}: each entry must be a mapping of fields")
    fields = _fields(raw, ENTRY_FIELDS, REQUIRED_FIELDS, fail)
    for key in ("id", "name_zh", "name_en", "layer", "kind"):
        if not is_text(fields[key]):
            raise fail(f"field '{key}' must be a non-empty string")
    for key in OPTIONAL_TEXT_FIELDS:
        if key in fields and not isinstance(fields[key], str):
            raise fail(f"field '{key}' must be a string, not {shown_value(fields[key])}")
    if not _is_id(fields["id"]):
        raise fail("field 'id' must be lower-case ascii letters, digits and underscores")
    geometry = geometry_from_mapping(fields["geometry"], fail)
    form = next(iter(geometry))
    _check_provenance(form, fields, fail)
    _check_within(form, fields, fail)
    aliases = aliases_from_list(fields["aliases"], fail) + aliases_from_list(
        fields.get("aliases_en", []), fail, "aliases_en"
    )
    if fields["name_zh"] not in {a.text for a in aliases}:
        aliases = (Alias(fields["name_zh"]), *aliases)
    return GazetteerEntry(
        id=fields["id"],
        name_zh=fields["name_zh"],
        name_en=fields["name_en"],
        aliases=aliases,
        layer=fields["layer"],
        kind=fields["kind"],
        geometry=geometry,
        within=fields.get("within"),
        source=fields.get("source", ""),
        precision=fields.get("precision", ""),
        note=fields.get("note", ""),
        origin=f"{name}:{line}",
        precision_m=_precision_metres(fields, fail),
    )


#: The largest error a precision may state: about Guangdong's width.
MAX_PRECISION_M = 1_000_000


def _precision_metres(fields: Mapping[str, Any], fail: Fail) -> int | None:
    """`precision_m`, the machine-readable figure beside the precision text: a whole number of metres."""
    value = fields.get("precision_m")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_PRECISION_M:
        raise fail(f"field 'precision_m' must be a whole number of metres from 0 to {MAX_PRECISION_M}")
    return value


def _check_provenance(form: str, fields: Mapping[str, Any], fail: Fail) -> None:
    """Coordinates typed by hand must say where they come from and how precise they are."""
    if form in HAND_MADE_FORMS:
        for key in ("source", "precision"):
            if not is_text(fields.get(key)):
                raise fail(f"a '{form}' geometry needs a '{key}' saying where it comes from and how precise it is")


def _check_within(form: str, fields: Mapping[str, Any], fail: Fail) -> None:
    """A point, points or disc must name its district; any other `within` given must be a valid one too."""
    if form in ("point", "points", "disc") and not _is_within(fields.get("within")):
        raise fail(f"a '{form}' geometry needs 'within': the adcode of the district it lies in (or water, unmapped)")
    if "within" in fields and not _is_within(fields["within"]):
        got = shown_value(fields["within"])
        raise fail(f"field 'within' must be a six-digit adcode as a string, water or unmapped, not {got}")


ALIAS_FIELDS = {"text", "near", "window", "focus", "script"}
#: The scripts a report may be written in (Report.script).
SCRIPTS = ("traditional", "simplified")


def aliases_from_list(raw: Any, fail: Fail, field: str = "aliases") -> tuple[Alias, ...]:
    """The aliases of an entry: strings, or mappings whose `near` words must stand close by."""
    if not isinstance(raw, list):
        raise fail(f"'{field}' must be a list")
    return tuple(_alias_from_item(item, fail) for item in raw)


def _alias_from_item(item: Any, fail: Fail) -> Alias:
    """One alias: a non-empty string, or {text, near: [words], window: positive int}."""
    if is_text(item):
        return Alias(item.strip())
    if not (isinstance(item, dict) and is_text(item.get("text"))):
        raise fail(f"alias {shown_value(item)} must be a string or a mapping with 'text' and 'near'")
    text = item["text"].strip()
    fields = _fields(item, ALIAS_FIELDS, ("text", "near"), fail, f"alias {quoted(text)}")
    if not (_is_words(fields["near"]) and fields["near"]):
        raise fail(f"alias {quoted(text)}: 'near' must be a non-empty list of words")
    window = fields.get("window", 20)
    if not _is_positive_int(window):
        raise fail(f"alias {quoted(text)}: 'window' must be a positive number of characters")
    focus = fields.get("focus", [])
    if not (isinstance(focus, list) and all(isinstance(f, str) and _is_id(f) for f in focus)):
        raise fail(f"alias {quoted(text)}: 'focus' must be a list of entry ids")
    script = fields.get("script", "")
    if script not in ("", *SCRIPTS):
        raise fail(f"alias {quoted(text)}: 'script' must be one of {', '.join(SCRIPTS)} (got {shown_value(script)})")
    return Alias(text, tuple(fields["near"]), window, tuple(focus), script)


def geometry_from_mapping(raw: Any, fail: Fail) -> dict[str, Any]:
    """The one geometry form of an entry, its value checked to the last key and number."""
    if not isinstance(raw, dict):
        raise fail(f"'geometry' must be a mapping with one of: {', '.join(GEOMETRY_FORMS)}")
    forms = [k for k in raw if k != _LINE]
    if len(forms) != 1 or forms[0] not in GEOMETRY_FORMS:
        got = ", ".join(shown_value(form) for form in forms) or "none"
        raise fail(f"'geometry' must have exactly one of: {', '.join(GEOMETRY_FORMS)} (got {got})")
    form, value = forms[0], raw[forms[0]]
    if not GEOMETRY_CHECKS[form](value, fail):
        raise fail(f"geometry '{form}' is malformed: {GEOMETRY_HELP[form]}")
    return {form: _strip_lines(value)}


def _is_lnglat_list(value: Any, least: int) -> bool:
    """A list of at least `least` [longitude, latitude] pairs."""
    return isinstance(value, list) and len(value) >= least and all(_is_lnglat(p) for p in value)


def _check_line(value: Any, fail: Fail) -> bool:
    """At least two stations, each checked (unknown keys raise with the station's own line)."""
    if not isinstance(value, list) or len(value) < 2:
        return False
    for station in value:
        if isinstance(station, dict) and STATION_REF in station:
            _fields(station, {STATION_REF}, (STATION_REF,), fail, "station")
            if not _is_id(station[STATION_REF]):
                raise fail(f"station: '{STATION_REF}' must be the id of a point entry", station)
        else:
            _check_station(station, fail)
    return True


STATION_FIELDS = {"name", "lnglat", "within", "source", "precision"}
#: A station given by reference, {station: <id of a point entry>}: every line through it shares one coordinate.
STATION_REF = "station"


def _check_station(station: Any, fail: Fail) -> None:
    """A line's station: {name, lnglat, within, source, precision}, each of the right type."""
    name = station.get("name") if isinstance(station, dict) else None
    what = f"station {quoted(name)}" if is_text(name) else "station"
    fields = _fields(station, STATION_FIELDS, ("name", "lnglat", "within", "source", "precision"), fail, what)
    for key in ("name", "source", "precision"):
        if not is_text(fields[key]):
            raise fail(f"{what}: '{key}' must be a non-empty string", station)
    if not _is_lnglat(fields["lnglat"]):
        raise fail(f"{what}: 'lnglat' must be [longitude, latitude] in WGS-84 degrees", station)
    if not _is_within(fields["within"]):
        raise fail(f"{what}: 'within' must be a six-digit adcode as a string, water or unmapped", station)


DISC_FIELDS = {"center", "area_km2"}
BORDER_ZONE_FIELDS = {"between", "width_km"}
#: The largest disc a gazetteer may draw (Guangdong is about 180,000 km²) and the widest border zone.
MAX_AREA_KM2 = 100_000
MAX_WIDTH_KM = 1_000


def _check_disc(value: Any, fail: Fail) -> bool:
    """{center: [lng, lat], area_km2: a finite area above 0 and at most MAX_AREA_KM2}."""
    fields = _fields(value, DISC_FIELDS, DISC_FIELDS, fail, "geometry 'disc'")
    if not _is_lnglat(fields["center"]):
        raise fail("geometry 'disc': 'center' must be [longitude, latitude] in WGS-84 degrees", value)
    if not (is_finite_number(fields["area_km2"]) and 0 < fields["area_km2"] <= MAX_AREA_KM2):
        got = shown_value(fields["area_km2"])
        raise fail(
            f"geometry 'disc': 'area_km2' must be a number above 0 and at most {MAX_AREA_KM2} (got {got})", value
        )
    return True


def _check_border_zone(value: Any, fail: Fail) -> bool:
    """{between: [id, id] (two different entries), width_km: a finite width above 0 and at most MAX_WIDTH_KM}."""
    fields = _fields(value, BORDER_ZONE_FIELDS, BORDER_ZONE_FIELDS, fail, "geometry 'border_zone'")
    between = fields["between"]
    if not (isinstance(between, list) and len(between) == 2 and all(_is_id(i) for i in between)):
        raise fail("geometry 'border_zone': 'between' must be a list of two entry ids", value)
    if between[0] == between[1]:
        raise fail(f"geometry 'border_zone': 'between' names '{between[0]}' twice", value)
    if not (is_finite_number(fields["width_km"]) and 0 < fields["width_km"] <= MAX_WIDTH_KM):
        got = shown_value(fields["width_km"])
        raise fail(
            f"geometry 'border_zone': 'width_km' must be a number above 0 and at most {MAX_WIDTH_KM} (got {got})", value
        )
    return True


GEOMETRY_CHECKS: dict[str, Callable[[Any, Fail], bool]] = {
    "boundary": lambda v, _fail: _is_adcode(v),
    "point": lambda v, _fail: _is_lnglat(v),
    "points": lambda v, _fail: _is_lnglat_list(v, 2),
    "line": _check_line,
    "polygon": lambda v, _fail: _is_lnglat_list(v, 3),
    "union": lambda v, _fail: isinstance(v, list) and len(v) >= 1 and all(_is_id(i) for i in v),
    "disc": _check_disc,
    "border_zone": _check_border_zone,
}

GEOMETRY_HELP = {
    "boundary": "give a six-digit adcode as a string, e.g. '440115'",
    "point": "give [longitude, latitude] in WGS-84 degrees",
    "points": "give a list of at least two [longitude, latitude] pairs",
    "line": (
        "give a list of at least two stations, each {name, lnglat: [lng, lat], within: adcode, source, precision}"
        " or {station: <id of a point entry>}"
    ),
    "polygon": "give a list of at least three [longitude, latitude] pairs",
    "union": "give a list of entry ids",
    "disc": f"give {{center: [lng, lat], area_km2: number up to {MAX_AREA_KM2}}}",
    "border_zone": f"give {{between: [entry id, entry id], width_km: number up to {MAX_WIDTH_KM}}}",
}


def is_text(v: Any) -> bool:
    """A string with something in it besides spaces (a blank name or label would show as nothing)."""
    return isinstance(v, str) and bool(v.strip())


def _is_id(v: Any) -> bool:
    """An entry id: lower-case ascii letters, digits and underscores, starting with a letter."""
    return isinstance(v, str) and bool(ID_PATTERN.fullmatch(v))


def _is_words(v: Any) -> bool:
    """A list of non-empty strings (an empty word would match everywhere)."""
    return isinstance(v, list) and all(is_text(word) for word in v)


def _is_positive_int(v: Any) -> bool:
    """A whole number of at least 1 (YAML's true/false are not numbers here)."""
    return isinstance(v, int) and not isinstance(v, bool) and v >= 1


def is_finite_number(v: Any) -> bool:
    """An int or a finite float: YAML's .inf and .nan, and true/false, are no number a map can use."""
    if isinstance(v, bool):
        return False
    return isinstance(v, int) or (isinstance(v, float) and math.isfinite(v))


def _is_adcode(v: Any) -> bool:
    """Six ascii digits, as a string (unquoted, YAML would read a number)."""
    return isinstance(v, str) and len(v) == 6 and v.isascii() and v.isdigit()


def _is_within(v: Any) -> bool:
    """The district a point lies in: an adcode, or water or unmapped."""
    return _is_adcode(v) or v in ("water", "unmapped")


def _is_lnglat(v: Any) -> bool:
    """[longitude, latitude]: two finite numbers within the earth's ranges."""
    return (
        isinstance(v, list)
        and len(v) == 2
        and all(is_finite_number(x) for x in v)
        and -180 <= v[0] <= 180
        and -90 <= v[1] <= 90
    )


def _strip_lines(value: Any) -> Any:
    """A checked value without the line markers (the schema bounds its depth, so recursion is safe)."""
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != _LINE}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


# ---------------------------------------------------------------- references between entries


def check_references(gazetteer: Gazetteer) -> None:
    """Every union and border zone names entries that exist, with no cycles; every boundary is shipped."""
    for entry in gazetteer:
        for ref in (*referenced_ids(entry), *(f for alias in entry.aliases for f in alias.focus)):
            if ref not in gazetteer.entries:
                raise GazetteerError(f"{entry.origin}: entry '{entry.id}': refers to unknown entry '{ref}'")
        if entry.form == "boundary" and entry.geometry["boundary"] not in load_boundaries():
            raise GazetteerError(
                f"{entry.origin}: entry '{entry.id}': no shipped boundary has adcode {entry.geometry['boundary']}"
            )
    entries_in_build_order(gazetteer, gazetteer.entries)


def referenced_ids(entry: GazetteerEntry) -> list[str]:
    """The entries a union, border zone or derived corridor is built from."""
    if entry.form in ("union", "through"):
        return list(entry.geometry[entry.form])
    if entry.form == "border_zone":
        return list(entry.geometry["border_zone"]["between"])
    return []


_DONE = object()


def entries_in_build_order(gazetteer: Gazetteer, entry_ids: Iterable[str]) -> list[str]:
    """These entries and all they are built from, each after its members; a circular reference raises.

    One depth-first walk with an explicit stack: grey entries are on the current path, black ones finished, so each
    entry and each reference is visited once however many unions share a member, and no chain is too long.
    """
    finished: set[str] = set()
    order: list[str] = []
    for root in entry_ids:
        if root in finished:
            continue
        path, on_path = [root], {root}
        pending = [iter(referenced_ids(gazetteer[root]))]
        while pending:
            ref = next(pending[-1], _DONE)
            if ref is _DONE:
                done = path.pop()
                pending.pop()
                on_path.discard(done)
                finished.add(done)
                order.append(done)
            elif ref in on_path:
                _raise_cycle(gazetteer, [*path[path.index(ref) :], ref])
            elif ref not in finished:
                path.append(ref)
                on_path.add(ref)
                pending.append(iter(referenced_ids(gazetteer[ref])))
    return order


def _raise_cycle(gazetteer: Gazetteer, cycle: list[str]) -> None:
    """Name the cycle from the entry it starts and ends at, so the user sees which references to break."""
    entry_id = cycle[0]
    raise GazetteerError(f"{gazetteer[entry_id].origin}: entry '{entry_id}': circular reference {' → '.join(cycle)}")


def alias_key(text: str) -> str:
    """The one normalising function every name lookup goes through."""
    return normalise_for_matching(text.strip())


#: Joins names folded together by alias_keys: a character that folds to itself and to which nothing else folds.
KEY_SEPARATOR = "\x00"


def alias_keys(texts: Iterable[str]) -> dict[str, str]:
    """{text: alias_key(text)} for many names, normalised as one text: folding goes character by character."""
    unique = list(dict.fromkeys(texts))
    if any(KEY_SEPARATOR in text for text in unique):
        return {text: alias_key(text) for text in unique}
    keys = normalise_for_matching(KEY_SEPARATOR.join(text.strip() for text in unique)).split(KEY_SEPARATOR)
    return dict(zip(unique, keys, strict=True))
