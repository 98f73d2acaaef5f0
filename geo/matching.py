"""Finding gazetteer names in a report: one multi-pattern pass, leftmost-longest, offsets kept."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import ahocorasick

from baymap.geo._errors import GazetteerError
from baymap.geo.gazetteer import DERIVED, THROUGH, Alias, Connections, Gazetteer, alias_key, sentence_window
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


def matcher_from_gazetteer(gazetteer: Gazetteer) -> ahocorasick.Automaton:
    """An automaton over every alias key, each to the entries it may name.

    A name may belong to several entries only when each of them needs evidence for it (`near` words or a
    report `focus`): 黄圃镇 is a town of Zhongshan and one of Lechang, and the report says which. A name one
    entry holds outright and another claims too is an error.
    """
    automaton = ahocorasick.Automaton()
    owners: dict[str, list[_Target]] = {}
    for entry in gazetteer:
        for alias in entry.aliases:
            key = alias_key(alias.text)
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
    for key, targets in owners.items():
        automaton.add_word(key, (key, tuple(targets)))
    for phrase in gazetteer.ignore:
        key = alias_key(phrase)
        if key not in owners:
            automaton.add_word(key, (key, (_Target(None, None),)))
    automaton.make_automaton()
    return automaton


def _is_gated(alias: Alias | None) -> bool:
    """Whether a name counts only with evidence: words near it, or a report about its place."""
    return alias is not None and bool(alias.near or alias.focus)


def mentions_from_report(
    report: Report, gazetteer: Gazetteer, matcher: ahocorasick.Automaton | None = None
) -> list[Mention]:
    return mentions_from_rows(mention_rows(report, gazetteer, matcher), report.text, report.name)


def mentions_from_rows(rows: Iterable[tuple[str, int, int, int, int, str]], text: str, report: str) -> list[Mention]:
    """Mentions from mention_rows' offsets; repeated names share one string (a long report repeats a
    few hundred names a million times) and every mention shares the report's text."""
    names: dict[str, str] = {}
    return [
        Mention(
            entry_id, names.setdefault(found := text[start:end], found), start, end, left, right, section, report, text
        )
        for entry_id, start, end, left, right, section in rows
    ]


def mention_rows(
    report: Report, gazetteer: Gazetteer, matcher: ahocorasick.Automaton | None = None
) -> Iterator[tuple[str, int, int, int, int, str]]:
    """(entry id, start, end, quote start, quote end, section) for each mention: offsets, not copies of text."""
    matcher = matcher if matcher is not None else matcher_from_gazetteer(gazetteer)
    if len(matcher) == 0:
        return
    rules = gazetteer.rules_by_key
    folded = report.normalised
    found: list[tuple[str, int, int]] = []
    waiting: list[
        tuple[tuple[_Target, ...], int, int]
    ] = []  # names that count if the report turns out to be about their city
    for last, (key, targets) in matcher.iter_long(folded):
        start, end = last + 1 - len(key), last + 1
        if targets[0].entry_id is None:
            continue
        if key in rules and not all(rule.allows(folded, start, end) for rule in rules[key]):
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
    found = connected(gazetteer, folded, found)
    rows = sorted([*_composed_rows(gazetteer, folded, found), *listed_items(gazetteer, folded, found)])
    span, label_at = report.sentence_span, report.section_label_at
    for start, end, entry_id in rows:
        yield entry_id, start, end, *span(start, end), label_at(start)


def _composed_rows(gazetteer: Gazetteer, folded: str, found: list[tuple[str, int, int]]) -> Iterator[tuple]:
    """(start, end, entry id) of each mention, a known place and a type word after it made one (see composed)."""
    covered = 0
    for index, (entry_id, start, end) in enumerate(found):
        if start < covered:
            continue  # inside a name composed from the one before (板芙经济开发区)
        limit = found[index + 1][1] if index + 1 < len(found) else len(folded)
        after = found[index - 1][2] if index else -1
        composed_id, composed_end = composed(gazetteer, folded, entry_id, start, end, after, limit)
        if composed_id != entry_id and _names_its_place(gazetteer, composed_id, folded[start:end]):
            yield start, end, entry_id  # 根子镇 of 根子镇柏桥村
        if THROUGH not in entry_id.partition(DERIVED)[0]:
            covered = composed_end  # a corridor's places are mentions too: they follow it
        yield start, composed_end, composed_id


#: A list's items: up to this many characters each, between 、 (the last before 等).
LIST_ITEM_MAX = 10
#: What may follow 等 before the word the items share: 等一批, 等3个, 等多座.
_LIST_COUNT = re.compile(r"[一二两三四五六七八九十百千万多若干几\d]*[批个座项条家处所宗]?")
#: How much of the text after 等 may be the shared word (抽水蓄能电站).
LIST_WORD_MAX = 12


def listed_items(gazetteer: Gazetteer, text: str, found: list[tuple[str, int, int]]) -> Iterator[tuple]:
    """(start, end, entry id) of list items that name a known place with the word after the list.

    梅州二期、云浮水源山、肇庆浪江等一批抽水蓄能电站: 肇庆浪江 + 抽水蓄能电站 is a name of 肇庆浪江抽水蓄能电站, and
    云浮水源山 would be 水源山抽水蓄能电站 (the city before the item is dropped). Only whole known names count.
    """
    known = {(start, end) for _, start, end in found}
    for at in _all(text, "等"):
        items = _items_before(text, at, gazetteer.name_breaks)
        if len(items) < 2:
            continue
        after = _LIST_COUNT.match(text, at + 1).end()
        tail = text[after : after + LIST_WORD_MAX]
        for start, end in items:
            if (start, end) in known:
                continue
            owner = _owner_with_word(gazetteer, text[start:end], tail)
            if owner:
                yield start, end, owner


def _all(text: str, char: str) -> Iterator[int]:
    at = text.find(char)
    while at != -1:
        yield at
        at = text.find(char, at + 1)


def _items_before(text: str, at: int, breaks: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of each item of the 、-list that ends at `at`, in order; the first is cut after its verb
    (加快梅州二期 → 梅州二期), and kept only where a verb or the clause's start shows where it begins."""
    items: list[tuple[int, int]] = []
    end = at
    while True:
        start = end
        while start > 0 and end - start < 2 * LIST_ITEM_MAX and _is_han(text[start - 1]):
            start -= 1
        if start > 0 and text[start - 1] == "、" and end - start <= LIST_ITEM_MAX:
            items.append((start, end))
            end = start - 1
            continue
        cut = max((text.rfind(w, start, end) + len(w) for w in breaks if w in text[start:end]), default=start)
        if end - LIST_ITEM_MAX <= cut < end and (cut > start or start == 0 or not _is_han(text[start - 1])):
            items.append((cut, end))
        return items[::-1]


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _owner_with_word(gazetteer: Gazetteer, item: str, tail: str) -> str | None:
    """The entry whose plain name is the item (or the item without the city in front) and a start of the tail."""
    names = gazetteer.plain_names
    candidates = [item]
    for length in range(2, len(item) - 1):
        owner = names.get(item[:length])
        if owner and gazetteer[owner].layer in gazetteer.connections.member_layers:
            candidates.append(item[length:])
    for length in range(len(tail), 0, -1):
        for candidate in candidates:
            owner = names.get(candidate + tail[:length])
            if owner:
                return owner
    return None


def _names_its_place(gazetteer: Gazetteer, composed_id: str, place: str) -> bool:
    """Whether a composed name has a name of its own after the place's (徐闻县 | 大水桥水库), so the place is
    named in its own right; 板芙经济开发区 is the zone's name, not a mention of 板芙镇 too."""
    name = composed_id.partition(DERIVED)[2]
    rest = name[len(place) :]
    return not any(rest == alias_key(q + c.word) for c in gazetteer.compositions for q in ("", *c.qualifiers))


#: Where a clause ends: a corridor word beyond it belongs to another clause.
CLAUSE_ENDS = frozenset("，,。；;：:！!？?\n（(）)")


def connected(gazetteer: Gazetteer, text: str, found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Places joined by 至 or － and followed by a corridor word become one derived corridor (see Connections).

    广州至汕尾、深圳至茂名等铁路: two corridors, each a chain of two places, sharing the word after the list. The
    corridor's name is the chain, with the word when it follows at once (湛江至海安铁路). A name written as a
    pair, 广州－深圳 (the grouping 广深), joins a chain as its two cities.
    """
    connections = gazetteer.connections
    if not connections.words or len(found) < 2:
        return found
    joiners = {alias_key(j) for j in connections.joiners}
    places: list[tuple[str, int, int]] = []
    whole: dict[int, tuple[tuple[str, int, int], int]] = {}  # first piece's index → (the pair as matched, pieces)
    for row in found:
        pieces = _pair_pieces(gazetteer, text, row, joiners)
        if len(pieces) > 1:
            whole[len(places)] = (row, len(pieces))
        places.extend(pieces)
    joined: list[tuple[str, int, int]] = []
    index = 0
    while index < len(places):
        last = index
        while last + 1 < len(places) and _joins(gazetteer, text, places[last], places[last + 1], joiners):
            last += 1
        end = places[last][2]
        word_at = _corridor_word_after(text, end, connections) if last > index else None
        if word_at is None:
            row, count = whole.get(index, (places[index], 1))
            joined.append(row)
            index += count
            continue
        word, at = word_at
        start, name_end = places[index][1], at + len(word) if at == end else end
        ids = THROUGH.join(entry_id for entry_id, _, _ in places[index : last + 1])
        joined.append((f"{ids}{DERIVED}{text[start:name_end]}", start, name_end))
        joined.extend(places[index : last + 1])  # and each place it joins: 汕尾 is named in 广州至汕尾
        index = last + 1
    return joined


def _joins(gazetteer: Gazetteer, text: str, first: tuple[str, int, int], then: tuple[str, int, int], joiners) -> bool:
    """Two different places of the joining layers with only a joiner between them: 广州至汕尾."""
    layers = gazetteer.connections.member_layers
    return (
        first[0] != then[0]
        and gazetteer[first[0]].layer in layers
        and gazetteer[then[0]].layer in layers
        and text[first[2] : then[1]] in joiners
    )


def _pair_pieces(
    gazetteer: Gazetteer, text: str, row: tuple[str, int, int], joiners: set[str]
) -> list[tuple[str, int, int]]:
    """广州－深圳 (a name of the grouping 广深) as its two cities; any other name as itself."""
    entry_id, start, end = row
    name = text[start:end]
    cuts = [i for i, ch in enumerate(name) if ch in joiners]
    if not cuts or gazetteer[entry_id].layer in gazetteer.connections.member_layers:
        return [row]
    bounds = [0, *(i for cut in cuts for i in (cut, cut + 1)), len(name)]
    pieces = []
    for left, right in zip(bounds[::2], bounds[1::2], strict=True):
        owner = gazetteer.plain_names.get(name[left:right])
        if owner is None or gazetteer[owner].layer not in gazetteer.connections.member_layers:
            return [row]
        pieces.append((owner, start + left, start + right))
    return pieces


def _corridor_word_after(text: str, end: int, connections: Connections) -> tuple[str, int] | None:
    """The first corridor word within `reach` characters after a chain, in the same clause, and where it stands."""
    for at in range(end, min(len(text), end + connections.reach + 1)):
        if text[at] in CLAUSE_ENDS:
            return None
        for corridor in connections.words:  # longest first: 城际铁路 before 铁路
            word = alias_key(corridor.word)
            if text.startswith(word, at):
                return word, at
    return None


def composed(
    gazetteer: Gazetteer, text: str, entry_id: str, start: int, end: int, after: int, limit: int
) -> tuple[str, int]:
    """A known place and a type word after it (板芙 + 经济开发区) name a new place, derived from the known one.

    A composition with `names` also takes a short name of its own before the word (徐闻县 + 大水桥 + 水库), one
    that runs into no other known name (before `limit`) and holds none of the gazetteer's `name_breaks`. The
    place must begin a name: right `after` another known place (高州市根子镇), or after no other name at all.
    """
    compositions = gazetteer.compositions_after.get(gazetteer[entry_id].layer)
    if not compositions:
        return entry_id, end
    if not (start == after or _starts_a_name(text, start, gazetteer.name_breaks)):
        return entry_id, end
    longest = max(c.names for c in compositions)
    for length in range(0, longest + 1):
        if length and (end + length > limit or not _is_own_name(text[end : end + length], gazetteer.name_breaks)):
            break
        for composition in compositions:
            if length > composition.names:
                continue
            for qualifier in ("", *composition.qualifiers) if not length else ("",):
                word = alias_key(qualifier + composition.word)
                if text.startswith(word, end + length):
                    name = text[start : end + length + len(word)]
                    return f"{entry_id}{DERIVED}{name}", end + length + len(word)
    return entry_id, end


def _starts_a_name(text: str, start: int, breaks: tuple[str, ...]) -> bool:
    """Whether a name may begin at `start`: no name stands just before it (中科中山药物创新研究院 does not begin at
    中山), only punctuation, a verb or particle of `breaks`, or the text's start."""
    if start == 0 or not _is_han(text[start - 1]):
        return True
    return any(text.endswith(word, 0, start) for word in breaks)


def _is_own_name(text: str, breaks: tuple[str, ...]) -> bool:
    """Chinese characters only, none of them a word that ends a name (的, 建设, 和…)."""
    return all("\u4e00" <= ch <= "\u9fff" for ch in text) and not any(word in text for word in breaks)


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
