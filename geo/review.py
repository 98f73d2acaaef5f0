"""What review.html offers the user: each unresolved name with its quotes and a suggested location.

A suggestion comes from what baymap already knows (a known place inside the name, a district named in the
same sentence, the city the report is about) and is only a hint: nothing is mapped until the user places it.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from baymap.geo.gazetteer import UNITS_LAYER, Gazetteer, alias_key
from baymap.geo.matching import Mention, report_focus
from baymap.geo.report import Report
from baymap.geo.unresolved import Unresolved

#: At most this many quotes per name: enough to judge it, not the whole report.
MAX_QUOTES = 5
#: A grouping (粤港澳, 珠三角) inside a name says too little to suggest it.
VAGUE_LAYER = "groupings"


@dataclass(frozen=True)
class Quote:
    """A sentence that writes the name, and where the name stands in it."""

    sentence: str
    start: int
    end: int
    section: str
    report: str


@dataclass(frozen=True)
class Suggestion:
    """A known place the name probably lies in, and why."""

    entry_id: str
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class Candidate:
    """An unresolved name as review.html shows it."""

    text: str
    count: int
    quotes: tuple[Quote, ...]
    suggestion: Suggestion | None


def review_candidates(
    unresolved: Iterable[Unresolved], reports: Sequence[Report], mentions: Sequence[Mention], gazetteer: Gazetteer
) -> list[Candidate]:
    """One candidate per distinct name over all reports, most often written first (then in reading order)."""
    by_name = {r.name: r for r in reports}
    counts: Counter[str] = Counter()
    firsts: dict[str, Unresolved] = {}
    written_in: dict[str, list[Report]] = {}
    for u in unresolved:
        counts[u.text] += u.count
        firsts.setdefault(u.text, u)
        written_in.setdefault(u.text, []).append(by_name[u.report])
    by_report: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_report.setdefault(mention.report, []).append(mention)
    for found in by_report.values():
        found.sort(key=lambda m: m.start)
    starts = {name: [m.start for m in found] for name, found in by_report.items()}
    focus = {name: _report_focus(found, gazetteer) for name, found in by_report.items()}
    candidates = []  # the most telling hint: a place inside the name, else one in its sentence, else the report's city
    for text in sorted(counts, key=lambda t: -counts[t]):  # sorted is stable: reading order among equals
        first = firsts[text]
        found = by_report.get(first.report, [])
        suggestion = _known_place_inside(text, gazetteer) or _district_in_sentence(
            first, by_name[first.report], found, gazetteer, starts.get(first.report, [])
        )
        quotes = tuple(quotes_of(text, written_in[text]))
        candidates.append(Candidate(text, counts[text], quotes, suggestion or focus.get(first.report)))
    return candidates


def quotes_of(text: str, reports: Sequence[Report]) -> list[Quote]:
    """The sentences that write `text`, up to MAX_QUOTES, in reading order."""
    quotes = []
    for report in dict.fromkeys(reports):
        start = report.text.find(text)
        while start != -1 and len(quotes) < MAX_QUOTES:
            left, right = report.sentence_span(start, start + len(text))
            quotes.append(
                Quote(
                    report.text[left:right],
                    start - left,
                    start - left + len(text),
                    report.section_label_at(start),
                    report.name,
                )
            )
            start = report.text.find(text, right)
    return quotes


def _known_place_inside(text: str, gazetteer: Gazetteer) -> Suggestion | None:
    """The longest known name inside the candidate (茂名 in 茂名华南钛谷), groupings last."""
    key, owners = alias_key(text), gazetteer.plain_names
    inside = [
        (gazetteer[owners[part]].layer == VAGUE_LAYER, -length, start)
        for length in range(2, len(key))
        for start in range(len(key) - length + 1)
        if (part := key[start : start + length]) in owners
    ]
    if not inside:
        return None
    _, length, start = min(inside)
    name = text[start : start - length]
    return Suggestion(owners[key[start : start - length]], f"名称中含“{name}”", f"its name contains {name}")


def _district_in_sentence(
    candidate: Unresolved,
    report: Report,
    mentions: Sequence[Mention],
    gazetteer: Gazetteer,
    starts: Sequence[int],
) -> Suggestion | None:
    """The city, district or town named closest to the candidate in the same sentence (`starts`: the mentions'
    offsets, in reading order as the mentions are)."""
    start, end = candidate.start, candidate.start + len(candidate.text)
    left, right = report.sentence_span(start, end)
    in_sentence = mentions[bisect.bisect_left(starts, left) : bisect.bisect_left(starts, right)]
    near = [(abs(m.start - start), m.start, m) for m in in_sentence if gazetteer[m.entry_id].layer == UNITS_LAYER]
    if not near:
        return None
    mention = min(near, key=lambda n: n[:2])[2]
    return Suggestion(mention.entry_id, f"同一句提到“{mention.text}”", f"the same sentence names {mention.text}")


def _report_focus(mentions: Sequence[Mention], gazetteer: Gazetteer) -> Suggestion | None:
    """The city the report names far more than any other (matching.report_focus, the rule `focus` aliases use)."""
    focus = report_focus(((m.entry_id, m.start, m.end) for m in mentions), gazetteer.focus_ids)
    if not focus:
        return None
    entry = gazetteer[min(focus)]  # two only when they share the report half and half: either will do, the same one
    return Suggestion(entry.id, f"报告主要讲{entry.name_zh}", f"the report is mostly about {entry.name_en}")
