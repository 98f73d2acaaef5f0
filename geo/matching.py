"""Finding gazetteer names in a report: one multi-pattern pass, leftmost-longest, offsets kept."""

from __future__ import annotations

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
    span, label_at = report.sentence_span, report.section_label_at
    covered = 0
    for index, (entry_id, start, end) in enumerate(found):
        if start < covered:
            continue  # inside a name composed from the one before (板芙经济开发区)
        limit = found[index + 1][1] if index + 1 < len(found) else len(folded)
        entry_id, end = composed(gazetteer, folded, entry_id, start, end, limit)
        covered = end
        left, right = span(start, end)
        yield entry_id, start, end, left, right, label_at(start)


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


def composed(gazetteer: Gazetteer, text: str, entry_id: str, start: int, end: int, limit: int) -> tuple[str, int]:
    """A known place and a type word after it (板芙 + 经济开发区) name a new place, derived from the known one.

    A composition with `names` also takes a short name of its own before the word (徐闻县 + 大水桥 + 水库), one
    that runs into no other known name (before `limit`) and holds none of the gazetteer's `name_breaks`.
    """
    compositions = gazetteer.compositions_after.get(gazetteer[entry_id].layer)
    if not compositions:
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
