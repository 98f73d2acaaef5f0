"""Finding gazetteer names in a report: one multi-pattern pass, leftmost-longest, offsets kept."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import ahocorasick

from baymap.geo._errors import GazetteerError
from baymap.geo.gazetteer import DERIVED, Alias, Gazetteer, alias_key, sentence_window
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
    """An automaton over every alias key; an alias claimed by two entries is an error."""
    automaton = ahocorasick.Automaton()
    owners: dict[str, str] = {}
    for entry in gazetteer:
        for alias in entry.aliases:
            key = alias_key(alias.text)
            if owners.get(key, entry.id) != entry.id:
                raise GazetteerError(
                    f"{entry.origin}: entry '{entry.id}': alias '{alias.text}' is already a name of "
                    f"'{owners[key]}' ({gazetteer[owners[key]].origin}); a name must belong to one entry"
                )
            owners[key] = entry.id
            automaton.add_word(key, (key, _Target(entry.id, alias)))
    for phrase in gazetteer.ignore:
        key = alias_key(phrase)
        if key not in owners:
            automaton.add_word(key, (key, _Target(None, None)))
    automaton.make_automaton()
    return automaton


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
    waiting: list[tuple[_Target, int, int]] = []  # names that count if the report turns out to be about their city
    for last, (key, target) in matcher.iter_long(folded):
        start, end = last + 1 - len(key), last + 1
        if target.entry_id is None:
            continue
        if key in rules and not all(rule.allows(folded, start, end) for rule in rules[key]):
            continue
        if target.needs_context and not _fits_context(folded, start, end, target.alias):
            if target.alias.focus:
                waiting.append((target, start, end))
            continue
        found.append((target.entry_id, start, end))
    if waiting:
        focus = report_focus(found, gazetteer.focus_ids)
        found += [(t.entry_id, start, end) for t, start, end in waiting if focus.intersection(t.alias.focus)]
        found.sort(key=lambda row: row[1])
    span, label_at = report.sentence_span, report.section_label_at
    covered = 0
    for entry_id, start, end in found:
        if start < covered:
            continue  # inside a name composed from the one before (板芙经济开发区)
        entry_id, end = composed(gazetteer, folded, entry_id, start, end)
        covered = end
        left, right = span(start, end)
        yield entry_id, start, end, left, right, label_at(start)


def composed(gazetteer: Gazetteer, text: str, entry_id: str, start: int, end: int) -> tuple[str, int]:
    """A known place and a type word after it (板芙 + 经济开发区) name a new place, derived from the known one."""
    compositions = gazetteer.compositions_after.get(gazetteer[entry_id].layer)
    if not compositions:
        return entry_id, end
    for composition in compositions:
        for qualifier in ("", *composition.qualifiers):
            word = alias_key(qualifier + composition.word)
            if text.startswith(word, end):
                name = text[start : end + len(word)]
                return f"{entry_id}{DERIVED}{name}", end + len(word)
    return entry_id, end


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
