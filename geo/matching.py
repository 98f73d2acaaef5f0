"""Finding gazetteer names in a report: one multi-pattern pass, leftmost-longest, offsets kept."""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from geo._errors import GazetteerError
from geo.gazetteer import Alias, Gazetteer, alias_key, sentence_window
from geo.report import Report


@dataclass(frozen=True)
class Mention:
    """One place where the report names an entry: report.text[start:end] == text."""

    entry_id: str
    text: str
    start: int
    end: int
    quote: str
    quote_start: int
    """Offset of the quote in the report text, so the mention sits at start - quote_start in it."""
    section: str
    report: str


@dataclass(frozen=True)
class _Target:
    entry_id: str | None
    """None for an ignored phrase: matched so that the names inside it are not."""
    alias: Alias | None


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
    matcher = matcher if matcher is not None else matcher_from_gazetteer(gazetteer)
    if len(matcher) == 0:
        return []
    mentions = []
    rules = gazetteer.rules_by_key
    for last, (key, target) in matcher.iter_long(report.normalised):
        start, end = last + 1 - len(key), last + 1
        if target.entry_id is None or not _fits_context(report.normalised, start, end, target.alias):
            continue
        if not all(rule.allows(report.normalised, start, end) for rule in rules.get(key, ())):
            continue
        left, right = report.sentence_span(start, end)
        mentions.append(
            Mention(
                entry_id=target.entry_id,
                text=report.text[start:end],
                start=start,
                end=end,
                quote=report.text[left:right],
                quote_start=left,
                section=report.section_at(start).label,
                report=report.name,
            )
        )
    return mentions


def _fits_context(text: str, start: int, end: int, alias: Alias) -> bool:
    """Latin names must stand as whole words; an alias with `near` words needs one close by."""
    if alias.text.isascii():
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        if (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum()):
            return False
    if alias.near:
        around = sentence_window(text, start, end, alias.window)
        return any(alias_key(word) in around for word in alias.near)
    return True
