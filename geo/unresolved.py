"""Strings that name a place but matched no gazetteer entry: what the gazetteer missed.

A candidate ends in a place, corridor or zone ending (…港, …片区, …铁路; data/unresolved.yaml) and is read
back from it word by word, with jieba's dictionary classed in data/words.txt, until a word that never
sits inside a name (a verb, a function word, punctuation). It is kept only when the words before the
ending (its head) hold a proper element: a place the gazetteer found, a place name of the dictionary, a
place's one-character abbreviation, Latin letters, a quoted name or a short parenthesis. So
争创国家未来产业先导区 (a designation after a verb) gives nothing; 梅武高铁 and 西部生态新区 are names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

import ahocorasick_rs
import yaml

from baymap.geo.matching import Mention, matches_in
from baymap.geo.report import Report, han_run_start, is_han
from baymap.geo.shipped import data_bytes

#: The longest dictionary word read, in characters (data/make_words.py keeps words up to this long).
MAX_WORD = 6
#: Quotes and parentheses read as one element of a name when no longer than this inside.
MAX_QUOTED = 8
MAX_PARENTHESIS = 6
#: Closing marks and their opening ones (the normalised text has ASCII parentheses).
OPENING = {"」": "「", "”": "“", "』": "『", ")": "("}
#: A quote holding a numeral is a slogan (“三保”, 「一程多站」), not a name; a character after one is a measure word.
NUMERALS = frozenset("零一二三四五六七八九十百千万两双几0123456789")
PROPER, COMMON, STOP = "proper", "common", "stop"
#: The kinds of a head's element besides the word classes: a gazetteer mention, a joiner (— or 至), an
#: unknown character (in no dictionary word).
PLACE, JOINER, UNKNOWN = "place", "joiner", "unknown"
#: How many classed words a Lexicon keeps before it forgets them all: many reports' worth, about 6 MB.
MAX_KNOWN = 50_000
#: What Lexicon.known gives for a word not classed yet (None is a class: no word the lists know).
_UNSEEN = object()


@dataclass(frozen=True)
class Unresolved:
    text: str
    count: int
    start: int
    """Offset of the first occurrence in the report text."""
    quote: str
    section: str
    report: str


@dataclass(frozen=True)
class Lexicon:
    """What a candidate is read with: data/words.txt (jieba's dictionary, classed) and data/unresolved.yaml."""

    words: dict[str, str]
    """Class and last character ("proper区") → the line of the words of that class ending in it."""
    endings: ahocorasick_rs.AhoCorasick
    """The endings, each match the longest at its place, leftmost first (Rust's aho-corasick: one call a report)."""
    ending_list: tuple[str, ...]
    ending_kind: dict[str, str]
    line_joiners: frozenset[str]
    dashes: frozenset[str]
    name_prefixes: frozenset[str]
    directions: frozenset[str]
    place_chars: frozenset[str]
    stop_words: frozenset[str]
    inner_verbs: frozenset[str]
    not_proper: frozenset[str]
    extra_common: frozenset[str]
    particles: frozenset[str]
    single_stops: frozenset[str]
    toponyms: frozenset[str]
    """The gazetteer's own town and district names without their 镇, 街道, 区 (新造, 三角)."""
    wide_places: frozenset[str]
    generic_names: frozenset[str]
    own_levels: frozenset[str]
    own_endings: frozenset[str]
    own_not_after: frozenset[str]
    generic_tails: tuple[str, ...]
    max_head: int
    buckets: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    """The lines a report has looked in, split: each line at its first use, not all 350,000 words at load."""
    known: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    """Words already classed, at most MAX_KNOWN: a corpus's reports read the same words (城市, 区域) again and again."""

    def kind(self, word: str) -> str | None:
        """A word's class after the hand-kept lists, or None when it is no word the lists know.

        A single character stops a name only when it is one of `single_stops` (在, 和, 跨…): jieba's classes
        for single characters (天 a measure word, 三角 a numeral) say little about a name."""
        found = self.known.get(word, _UNSEEN)
        if found is _UNSEEN:
            if len(self.known) >= MAX_KNOWN:
                self.known.clear()  # a corpus brings new words without end
            found = self.known[word] = self._class_of(word)
        return found

    def _class_of(self, word: str) -> str | None:
        """kind() without its memory: the hand-kept lists, then the dictionary lines of the word's last character."""
        if word in self.stop_words or word in self.single_stops:
            return STOP
        if word in self.not_proper or word in self.extra_common or word in self.inner_verbs:
            return COMMON
        if word in self.toponyms:
            return PROPER
        for name in (PROPER, STOP, COMMON) if len(word) > 1 else (PROPER, COMMON):
            if word in self._bucket(name + word[-1]):
                return name
        return None

    def _bucket(self, key: str) -> frozenset[str]:
        bucket = self.buckets.get(key)
        if bucket is None:
            line = self.words.get(key, "")
            bucket = self.buckets[key] = frozenset(line[line.find("\t", line.find("\t") + 1) + 1 :].split())
        return bucket


_SETS = (
    "line_joiners",
    "dashes",
    "name_prefixes",
    "directions",
    "place_chars",
    "stop_words",
    "inner_verbs",
    "not_proper",
    "extra_common",
    "particles",
    "single_stops",
    "wide_places",
    "generic_names",
    "own_levels",
    "own_endings",
    "own_not_after",
)


@cache
def lexicon() -> Lexicon:
    """The shipped word lists, read once per process."""
    lists = yaml.load(data_bytes("unresolved.yaml"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    kinds = {ending: kind for kind, endings in lists["endings"].items() for ending in endings}
    return Lexicon(
        words=_words(data_bytes("words.txt").decode("utf-8")),
        endings=ahocorasick_rs.AhoCorasick(list(kinds), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest),
        ending_list=tuple(kinds),
        ending_kind=kinds,
        **{key: frozenset(lists[key]) for key in _SETS},
        toponyms=_toponyms(lists["admin_suffixes"]),
        generic_tails=tuple(lists["generic_tails"]),
        max_head=lists["max_head"],
    )


def _toponyms(suffixes: list[str]) -> frozenset[str]:
    """Town and district names of the shipped tiers, less their suffix: read with a regex, not a YAML parse."""
    names = set()
    ending = re.compile("(?:" + "|".join(map(re.escape, suffixes)) + ")$")
    for name in ("townships.yaml", "districts.yaml"):
        for found in _NAME_ZH.findall(data_bytes(name).decode("utf-8")):
            stem = _COUNTY.sub("", ending.sub("", found))  # 梅江区三角镇 → 三角
            if len(stem) >= 2 and all(map(is_han, stem)):
                names.add(stem)
    return frozenset(names)


_NAME_ZH = re.compile(r"\bname_zh: (\S+)")
_COUNTY = re.compile(r"^.+?[区县市](?=..)")


def _words(text: str) -> dict[str, str]:
    """Class and last character → its line, kept whole (the words in it have a space either side).

    A few thousand lines taken as they are, not a quarter of a million set insertions: a build may not get
    more than 10 % slower."""
    words = {}
    for line in text.split("\n"):
        tab = line.find("\t")
        if tab > 0 and not line.startswith("#"):
            words[line[:tab] + line[tab + 1]] = line
    return words


@dataclass(frozen=True)
class _Doc:
    """A report as candidates are read from it: the normalised text, the text as written, what mentions cover."""

    text: str
    original: str
    covered: bytearray


class _Part(NamedTuple):
    """One element of a candidate's head, read back from its ending (a tuple: a report makes hundreds)."""

    start: int
    kind: str
    text: str


def unresolved_from_report(report: Report, mentions: Iterable[Mention]) -> list[Unresolved]:
    """Candidates ranked by how often they occur (then by first occurrence)."""
    return unresolved_from_spans(report, [(m.start, m.end) for m in mentions])


def unresolved_from_spans(report: Report, spans: Iterable[tuple[int, int]]) -> list[Unresolved]:
    """The same, given only where the mentions are (start, end)."""
    words = lexicon()
    covered = _covered(len(report.text), spans)
    text = report.normalised  # same offsets; Traditional and full-width forms folded, so 推進 is 推进
    found: dict[str, int] = {}
    counts: Counter[str] = Counter()
    for start, end in _outermost(_candidates(_Doc(text, report.text, covered), words)):
        name = text[start:end]
        counts[name] += 1
        found.setdefault(name, start)
    ranked = sorted(counts, key=lambda n: (-counts[n], found[n]))
    return [_row(report, name, found[name], counts[name]) for name in ranked]


def _candidates(doc: _Doc, words: Lexicon) -> list[tuple[int, int]]:
    """The candidates of the endings outside the mentions (most endings close a mention: 深圳港, 南沙区)."""
    covered, spans, endings = doc.covered, [], words.ending_list
    for index, start, end in matches_in(words.endings, doc.text):
        if covered[end - 1] or any(covered[start:end]):
            continue  # (its last character first: a mention holding an ending mostly ends with it)
        span = _candidate(doc, start, end, endings[index], words)
        if span is not None:
            spans.append(span)
    return spans


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop a candidate inside a longer one (湛江临港 in 湛江临港经济区): the longer is the name."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and start >= kept[-1][0] and end <= kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


def _row(report: Report, name: str, start: int, count: int) -> Unresolved:
    end = start + len(name)
    return Unresolved(
        text=report.text[start:end],
        count=count,
        start=start,
        quote=report.sentence_at(start, end),
        section=report.section_label_at(start),
        report=report.name,
    )


def _covered(length: int, spans: Iterable[tuple[int, int]]) -> bytearray:
    covered = bytearray(length)
    for start, end in spans:
        covered[start:end] = b"\x01" * (end - start)
    return covered


def _candidate(doc: _Doc, ending_start: int, end: int, ending: str, words: Lexicon) -> tuple[int, int] | None:
    """The name an ending closes, as (start, end), or None when it closes a phrase or a known place."""
    text, covered = doc.text, doc.covered
    if _continues_a_word(text, end, words):
        return None
    start = _type_word_start(text, covered, ending_start, end, words)
    if start is None:
        return None
    kind = words.ending_kind[ending]
    if _own_institution(text, start, ending, words):
        return start - 1, end
    parts = _head(doc, start, max(0, start - words.max_head), kind, words)
    if parts is None or start - parts[-1].start < 2:
        return None
    if start != ending_start and not _is_proper(parts[0], words):
        return None  # a common word holding the ending (青山, 渔港) is a name's type only right after a proper element
    if any(part.kind == PLACE and part.text.endswith(ending[-1]) for part in parts):
        return None  # a known place then its title (深圳港国际枢纽港), not a name
    closed = _with_parenthesis(text, covered, end)
    if closed == end and not _names_something(parts, kind, words):
        return None  # (a known place in a parenthesis after the ending names it: 国家海洋综合试验场(珠海))
    end = closed
    name = text[parts[-1].start : end]
    if name in words.generic_names or name.endswith(words.generic_tails):
        return None
    return parts[-1].start, end


def _own_institution(text: str, start: int, ending: str, words: Lexicon) -> bool:
    """省博物馆: a province's or city's own museum, library or archive, named by its level alone."""
    if ending not in words.own_endings or start < 1 or text[start - 1] not in words.own_levels:
        return False
    before = text[start - 2] if start >= 2 else ""
    return not (is_han(before) and (before in words.own_not_after or words.kind(text[start - 2 : start]) is not None))


def _continues_a_word(text: str, end: int, words: Lexicon) -> bool:
    """The ending's last character begins a word with what follows (港澳, 区域, 园林, 山区, 城市)."""
    for size in range(2, 4):
        word = text[end - 1 : end - 1 + size]
        if len(word) == size and words.kind(word) in (COMMON, STOP):
            return True
    return False


def _type_word_start(text: str, covered: bytearray, start: int, end: int, words: Lexicon) -> int | None:
    """Where a common word holding the ending starts (渔港, 航线, 青山, 信息港), or None inside a stop (全线)."""
    for size in range(_uncovered_before(covered, end, MAX_WORD), end - start, -1):
        word = text[end - size : end]
        found = words.kind(word)
        if found == STOP:
            return None
        if found == COMMON and not (end - size > 0 and words.kind(text[end - size - 1 : end - size + 1])):
            return end - size  # (not 海湾 in 红海湾, where 红海 is the word)
    return start


def _uncovered_before(covered: bytearray, pos: int, most: int) -> int:
    """How many characters right before pos lie outside the mentions, at most `most`: one search, no slices."""
    last = covered.rfind(1, max(0, pos - most), pos)
    return pos - last - 1 if last >= 0 else min(most, pos)


def _head(doc: _Doc, ending_start: int, limit: int, kind: str, words: Lexicon) -> list[_Part] | None:
    """The elements before an ending, nearest first, read back to one that never sits inside a name.

    None when there are none, or when the run reaches the limit (a run this long is a clause)."""
    parts: list[_Part] = []
    pos = ending_start
    while True:
        if pos <= limit:
            return None if pos > 0 else parts or None
        part = _part_before(doc, pos, limit, kind, words)
        if part is None:
            break
        parts.append(part)
        pos = part.start
    if parts and _half_a_word(doc.text, pos, parts[-1], words):
        parts.pop()  # 自|贸试验区: a one-character stop took the first half of the name's first word
    while parts and parts[-1].kind == JOINER:
        parts.pop()
    return parts or None


def _half_a_word(text: str, pos: int, first: _Part, words: Lexicon) -> bool:
    """A one-character verb took the name's first character as its object (跨|江跨海通道, 自|贸试验区)."""
    if len(first.text) != 1 or first.text in words.name_prefixes or pos < 1 or text[pos - 1] in words.particles:
        return False
    ch = text[pos - 1]
    return is_han(ch) and words.kind(ch) == STOP and words.kind(text[max(0, pos - 2) : pos]) != STOP


def _part_before(doc: _Doc, pos: int, limit: int, kind: str, words: Lexicon) -> _Part | None:
    """The element that ends at pos, or None when the name cannot reach further back."""
    text, covered = doc.text, doc.covered
    ch = text[pos - 1]
    if covered[pos - 1]:
        free = covered.rfind(0, limit, pos - 1)
        start = free + 1 if free >= 0 else limit  # the mention's start, or the limit
        return _Part(start, PLACE, text[start:pos])
    if is_han(ch):
        return _word_before(text, covered, pos, limit, kind, words)
    if ch in OPENING:
        return _enclosed(doc, pos, limit, OPENING[ch], words)
    if ch in words.dashes:
        return _Part(pos - 1, JOINER, ch) if pos - 1 > limit and is_han(text[pos - 2]) else None
    if ch.isascii() and ch.isalnum():
        start = pos - 1
        while start > limit and text[start - 1].isascii() and text[start - 1].isalnum():
            start -= 1
        latin = text[start:pos]
        if not any(c.isalpha() for c in latin):
            return None
        acronym = doc.original[start:pos].isupper()
        return _Part(start, COMMON if acronym else PROPER, latin)  # LNG, CBD are common; vivo is a brand
    return None


def _enclosed(doc: _Doc, pos: int, limit: int, opening: str, words: Lexicon) -> _Part | None:
    """A quoted name (「侨梦苑」) or a short parenthesis ((怀集)) inside a name: one proper element."""
    text = doc.text
    most = MAX_PARENTHESIS if opening == "(" else MAX_QUOTED
    start = text.rfind(opening, max(limit, pos - most - 2), pos - 1)
    inside = text[start + 1 : pos - 1] if start >= 0 else ""
    if not inside or not all(is_han(c) or c.isalnum() for c in inside):
        return None
    if opening != "(" and not _quotes_a_name(inside, words):
        return None
    if opening == "(" and (
        (len(inside) == 1 and inside not in words.place_chars) or doc.original[start + 1 : pos - 1].isupper()
    ):
        return _Part(start, COMMON, text[start:pos])  # 市域(郊)铁路, 液化天然气(LNG)
    return _Part(start, PROPER, text[start:pos])


def _quotes_a_name(quoted: str, words: Lexicon) -> bool:
    """A quoted name (侨梦苑), not a slogan: no numeral, no verb or function word, not one common word."""
    if NUMERALS.intersection(quoted) or words.kind(quoted) is not None:
        return False
    pieces = (quoted[i:j] for i in range(len(quoted)) for j in range(i + 1, min(len(quoted), i + MAX_WORD) + 1))
    return not any(words.kind(piece) == STOP for piece in pieces)


def _word_before(text: str, covered: bytearray, pos: int, limit: int, kind: str, words: Lexicon) -> _Part | None:
    """The longest dictionary word ending at pos (else one character), classed; None at a stop."""
    for size in range(_room_before(text, covered, pos, min(MAX_WORD, pos - limit)), 1, -1):
        word = text[pos - size : pos]
        found = words.kind(word)
        if found is not None and not _overlaps_a_stop(text, pos - size, limit, words):
            return _classed(word, pos - size, found, kind, words)
    if pos >= 2 and text[pos - 2] in NUMERALS:
        return None  # a measure word after a numeral (三宗大中型灌区)
    return _classed(text[pos - 1], pos - 1, words.kind(text[pos - 1]), kind, words)


def _room_before(text: str, covered: bytearray, pos: int, most: int) -> int:
    """How many characters right before pos are Han and outside mentions, at most `most`: the longest word there."""
    return pos - han_run_start(text, pos - _uncovered_before(covered, pos, most), pos)


def _overlaps_a_stop(text: str, start: int, limit: int, words: Lexicon) -> bool:
    """The word's first character ends a stop word begun before it (制|定省): read the shorter word instead."""
    return start - 1 >= limit and words.kind(text[start - 1 : start + 1]) == STOP


def _classed(word: str, start: int, found: str | None, kind: str, words: Lexicon) -> _Part | None:
    """A word of a head as an element of the name, or None where the name cannot reach."""
    if word in words.line_joiners:
        return _Part(start, JOINER, word) if kind == "line" else None
    if word in words.directions or word in words.name_prefixes:
        return _Part(start, PROPER, word)
    if found == STOP:
        return None
    if len(word) == 1:
        if word in words.place_chars:
            return _Part(start, PROPER, word)
        return _Part(start, UNKNOWN if found is None else COMMON, word)
    return _Part(start, found, word)


def _names_something(parts: list[_Part], kind: str, words: Lexicon) -> bool:
    """Whether a head names one place: a proper element, not only common words or a wide region.

    A known place alone before a zone ending (香港园区, 中山基地) is where a generic thing is, not its name;
    characters that make no word (翠|亨, 天|鹿|湖, but also 文|旅) make a name only when they are all its head holds."""
    if kind != "place" and all(part.kind == PLACE for part in parts):
        return False
    if kind == "designation":
        return any(part.kind == PROPER for part in parts)
    if kind == "project":
        return any(part.kind == PLACE and part.text not in words.wide_places for part in parts)
    if any(_is_proper(part, words) for part in parts):
        return True
    singles = [part for part in parts if part.kind != PLACE]
    return len(singles) >= 2 and all(len(part.text) == 1 and part.kind in (COMMON, UNKNOWN) for part in singles)


def _is_proper(part: _Part, words: Lexicon) -> bool:
    return part.kind == PROPER or (part.kind == PLACE and part.text not in words.wide_places)


def _with_parenthesis(text: str, covered: bytearray, end: int) -> int:
    """A short parenthesis right after the ending that names a known place belongs to the name (…试验场(珠海))."""
    if end < len(text) and text[end] == "(":
        close = text.find(")", end + 1, end + MAX_PARENTHESIS + 2)
        if close > end + 1 and any(covered[end + 1 : close]):
            return close + 1
    return end
