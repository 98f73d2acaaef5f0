"""Finding gazetteer names in a report: one multi-pattern pass, leftmost-longest, offsets kept."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

import ahocorasick_rs

from baymap.geo._errors import GazetteerError
from baymap.geo.derivation import composed_rows, connected, listed_items
from baymap.geo.gazetteer import UNIT_NAME_MIN, Alias, Gazetteer, RuleSet, alias_key, sentence_window
from baymap.geo.parse_cache import cached
from baymap.geo.report import Report


class Mention(NamedTuple):
    """One place where the report names an entry: report.text[start:end] == text.

    A named tuple rather than a frozen dataclass: a corpus makes hundreds of thousands of
    them, and a tuple is built three times faster. The quote is not copied: it is sliced
    from the report's text, which every mention of the report shares.
    """

    entry_id: str
    text: str
    start: int
    end: int
    quote_start: int
    """Offsets of the sentence that quotes the mention in the report text."""
    quote_end: int
    section: str
    report: str
    source: str
    """The report's whole text (shared, not a copy)."""

    @property
    def quote(self) -> str:
        return self.source[self.quote_start : self.quote_end]

    def __repr__(self) -> str:
        return f"Mention({self.entry_id!r}, {self.text!r}, {self.start}, {self.end}, {self.report!r})"


@dataclass(frozen=True)
class _Target:
    entry_id: str | None
    """None for an ignored phrase: matched so that the names inside it are not."""
    alias: Alias | None

    @cached_property
    def needs_context(self) -> bool:
        """Latin names (whole words only) and aliases with `near` words are checked in context."""
        return self.alias is not None and (self.alias.text.isascii() or bool(self.alias.near))


class Matcher:
    """Every alias key in one automaton (leftmost-longest), each to (key, the entries it may name, its rules or None).

    The automaton is Rust's aho-corasick (ahocorasick_rs): a whole report is searched in one call that returns
    every match, where pyahocorasick went through a node's children one by one for each character and missed a
    shorter name when a longer one it had begun failed (粤港澳 in 粤港澳大港澳…). It cannot be pickled: a cached
    matcher keeps its words and builds the automaton again when loaded.
    """

    def __init__(self, words: Sequence[tuple[str, tuple[_Target, ...], RuleSet | None]]) -> None:
        self.words = tuple(words)
        self.plain_ids = tuple(
            targets[0].entry_id if len(targets) == 1 and not targets[0].needs_context else None
            for _, targets, _ in self.words
        )
        """Each word's entry when it names one entry outright, needing no evidence (most names), else None."""
        self._automaton = ahocorasick_rs.AhoCorasick(
            [key for key, _, _ in self.words], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )

    def __len__(self) -> int:
        return len(self.words)

    def __reduce__(self) -> tuple:
        return Matcher, (self.words,)

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        """(index in `words`, start, end) of each leftmost-longest match, in order."""
        return matches_in(self._automaton, text)


def matches_in(automaton: ahocorasick_rs.AhoCorasick, text: str) -> list[tuple[int, int, int]]:
    """(pattern index, start, end) of each match; a lone surrogate, which only a caller's str can hold and the
    automaton cannot encode, reads as any other character."""
    try:
        return automaton.find_matches_as_indexes(text)
    except UnicodeEncodeError:
        return automaton.find_matches_as_indexes(_LONE_SURROGATE.sub("\ufffd", text))


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def matcher_from_gazetteer(gazetteer: Gazetteer) -> Matcher:
    """The Matcher of matcher_built_from; its words are worked out once per user for the same gazetteer files."""
    if not gazetteer.fingerprint:
        return matcher_built_from(gazetteer)
    return cached(
        "matcher", [*gazetteer.fingerprint, Path(__file__).read_bytes()], lambda: matcher_built_from(gazetteer)
    )


def matcher_built_from(gazetteer: Gazetteer) -> Matcher:
    """A Matcher over every alias key, each to (key, the entries it may name, its context rules or None).

    A name may belong to several entries only when each of them needs evidence for it (`near` words or a
    report `focus`): 黄圃镇 is a town of Zhongshan and one of Lechang, and the report says which. A name one
    entry holds outright and another claims too is an error.
    """
    owners: dict[str, list[_Target]] = {}
    keys = gazetteer.alias_keys
    for entry in gazetteer:
        for alias in entry.aliases:
            key = keys[alias.text]
            targets = owners.setdefault(key, [])
            if any(t.entry_id == entry.id for t in targets):
                continue
            if targets and not (_is_gated(alias) and all(_is_gated(t.alias) for t in targets)):
                first = targets[0].entry_id
                raise GazetteerError(
                    f"{entry.origin}: entry '{entry.id}': alias '{alias.text}' is already a name of "
                    f"'{first}' ({gazetteer[first].origin}); a name must belong to one entry, unless every "
                    "entry that has it needs evidence for it ('near' words or 'focus')"
                )
            targets.append(_Target(entry.id, alias))
    rules = gazetteer.rule_sets  # each name's context rules travel with it: a build need not gather them again
    words = {key: (key, tuple(targets), rules.get(key)) for key, targets in owners.items()}
    for phrase in gazetteer.ignore:
        key = alias_key(phrase)
        if key not in owners:
            words[key] = (key, (_Target(None, None),), None)
    return Matcher([words[key] for key in sorted(words)])


def _is_gated(alias: Alias | None) -> bool:
    """Whether a name counts only with evidence: words near it, or a report about its place."""
    return alias is not None and bool(alias.near or alias.focus)


def mentions_from_report(report: Report, gazetteer: Gazetteer, matcher: Matcher | None = None) -> list[Mention]:
    return mentions_from_columns(mention_columns(report, gazetteer, matcher), report.text, report.name)


#: A report's mentions as columns (entry ids, names, starts, ends, quote starts, quote ends, sections): what a
#: worker process sends back, seven lists instead of a tuple for each mention.
Columns = tuple[list[str], list[str], list[int], list[int], list[int], list[int], list[str]]


def mention_columns(report: Report, gazetteer: Gazetteer, matcher: Matcher | None = None) -> Columns:
    """Each mention's entry id, name, offsets, quote offsets and section, as columns; a name repeated shares one
    string (pickle then writes it once)."""
    spans = mention_spans(report, gazetteer, matcher)
    if not spans:
        return [], [], [], [], [], [], []
    starts, ends, ids = map(list, zip(*spans, strict=True))
    lefts, rights, sections = report.quotes_and_sections(starts, ends)
    text, names = report.text, {}
    names_written = [names.setdefault(n := text[s:e], n) for s, e in zip(starts, ends, strict=True)]
    return ids, names_written, starts, ends, lefts, rights, sections


def mentions_from_columns(columns: Columns, text: str, report: str) -> list[Mention]:
    """Mentions from mention_columns, every one sharing the report's text (not a copy of its quote).

    Built without a Python call for each (a corpus makes a million): Mention's own __new__ is a Python function,
    tuple.__new__ over zipped columns is not."""
    count = len(columns[0])
    return list(
        map(partial(tuple.__new__, Mention), zip(*columns, repeat(report, count), repeat(text, count), strict=True))
    )


def mention_spans(report: Report, gazetteer: Gazetteer, matcher: Matcher | None = None) -> list[tuple[int, int, str]]:
    """(start, end, entry id) of each mention, in order: offsets, not copies of text."""
    matcher = matcher if matcher is not None else matcher_from_gazetteer(gazetteer)
    if len(matcher) == 0:
        return []
    folded = report.normalised
    found: list[tuple[str, int, int]] = []
    # names that count if the report turns out to be about their city
    waiting: list[tuple[tuple[_Target, ...], int, int]] = []
    words, plain_ids = matcher.words, matcher.plain_ids
    for index, start, end in matcher.matches(folded):
        _, targets, rules = words[index]
        if rules is not None and not rules.allows(folded, start, end):  # (an ignored phrase has no rules)
            continue
        if (entry_id := plain_ids[index]) is not None:  # most names: one place, no evidence needed
            found.append((entry_id, start, end))
            continue
        if targets[0].entry_id is None:
            continue
        fitting = [t for t in targets if not t.needs_context or _fits_context(folded, start, end, t.alias)]
        if not fitting and len(targets) > 1:  # no words close by: the script may say which (大埔 of Hong Kong)
            fitting = [t for t in targets if t.alias.script and t.alias.script == report.script]
        if len(fitting) == 1:
            found.append((fitting[0].entry_id, start, end))
        elif not fitting and any(t.alias.focus for t in targets):
            waiting.append((targets, start, end))
        # two entries with evidence for one name: the report does not say which, so neither is mapped
    if waiting:
        focus = report_focus(found, gazetteer.focus_ids)
        for targets, start, end in waiting:
            about = [t for t in targets if focus.intersection(t.alias.focus)]
            if len(about) == 1:
                found.append((about[0].entry_id, start, end))
        found.sort(key=lambda row: row[1])
    found = _without_places_another_city_precedes(gazetteer, found)
    found = connected(gazetteer, folded, found)
    rows = [*composed_rows(gazetteer, folded, found), *listed_items(gazetteer, folded, found)]
    return sorted({*rows, *units_heading_names(gazetteer, folded, rows)})  # 徐闻县 of 徐闻县大水桥水库 once


def units_heading_names(gazetteer: Gazetteer, text: str, rows: Iterable[tuple[int, int, str]]) -> list[tuple]:
    """(start, end, unit id) of the units a name begins with: 麻章区湖光镇金牛岛红树林片区 also names 麻章区 and
    湖光镇. Only a unit's full name counts (南沙港区 is not also 南沙), and only inside a longer name."""
    units, heads = gazetteer.unit_names, gazetteer.unit_name_heads
    found = []
    for start, end, entry_id in rows:
        position = start
        while (
            end - position > UNIT_NAME_MIN
            and text[position : position + UNIT_NAME_MIN] in heads  # most names begin with no unit's name
            and (unit := _unit_at(units, text, position, end)) is not None
        ):
            unit_id, size = unit
            if unit_id != entry_id:
                found.append((position, position + size, unit_id))
            position += size
    return found


def _unit_at(units: Mapping[str, str], text: str, position: int, end: int) -> tuple[str, int] | None:
    """The longest unit's full name at `position` that leaves some of the name before `end`, and its length."""
    for size in range(min(UNIT_NAME_LONGEST, end - position - 1), UNIT_NAME_MIN - 1, -1):
        unit_id = units.get(text[position : position + size])
        if unit_id is not None:
            return unit_id, size
    return None


#: The longest unit name worth looking for at the head of another (乌鲁木齐市 is five; 麻章区湖光镇 are two).
UNIT_NAME_LONGEST = 8


#: A name this short may be a brand or a name several places share: another city before it says it is not ours.
SHORT_NAME_MAX = 3


def _without_places_another_city_precedes(
    gazetteer: Gazetteer, found: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """Drop a short name written right after a city or district it does not lie in: 清远长隆 is not Guangzhou's
    长隆 (it is Qingyuan's, which the gazetteer may not know); 深圳前海 stays, 前海 lies in Shenzhen. A longer
    name is specific enough to stand (澳门莲花口岸 is the Lotus port, at Hengqin)."""
    kept: list[tuple[str, int, int]] = []
    for row in found:
        entry_id, start, end = row
        if (
            kept
            and kept[-1][2] == start
            and end - start <= SHORT_NAME_MAX
            and _lies_outside(gazetteer, entry_id, kept[-1][0])
        ):
            continue
        kept.append(row)
    return kept


def _lies_outside(gazetteer: Gazetteer, entry_id: str, area_id: str) -> bool:
    within, area = gazetteer[entry_id].within, gazetteer[area_id].geometry.get("boundary")
    if not (within and within.isdigit() and area):
        return False
    return not within.startswith(adcode_prefix(area))


def adcode_prefix(adcode: str) -> str:
    """The digits every adcode inside this unit starts with: 441800 → 4418, 440113 → 440113."""
    while adcode.endswith("00"):
        adcode = adcode[:-2]
    return adcode


#: A report is about a city when it names it at least this often, and this share of the times it names any
#: city that a name's focus can point at; then that city's town names count without the city beside them.
FOCUS_MIN_MENTIONS = 3
FOCUS_SHARE = 0.5


def report_focus(found: Iterable[tuple[str, int, int]], candidates: frozenset[str]) -> set[str]:
    """The city (if any) the report is about: named far more than any other."""
    counts = Counter(entry_id for entry_id, _, _ in found if entry_id in candidates)
    total = sum(counts.values())
    return {e for e, n in counts.items() if n >= FOCUS_MIN_MENTIONS and n >= FOCUS_SHARE * total}


def _fits_context(text: str, start: int, end: int, alias: Alias) -> bool:
    """Latin names must stand as whole words; an alias with `near` words needs one close by."""
    if alias.text.isascii():
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        if (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum()):
            return False
    if alias.near:
        around = sentence_window(text, start, end, alias.window)
        return any(word in around for word in alias.near_folded)
    return True
