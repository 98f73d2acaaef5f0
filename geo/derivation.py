"""Places derived from the known ones a report names: a known place and a type word (板芙经济开发区), places
joined before a corridor word (广州至汕尾铁路), and list items that share the word after 等 (肇庆浪江、河源岑田等
抽水蓄能电站). Each takes (entry id, start, end) rows of known places in the normalised text and gives rows."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cache

import ahocorasick_rs

from baymap.geo.gazetteer import DERIVED, THROUGH, Connections, Gazetteer, alias_key
from baymap.geo.report import han_run_start, is_han


def composed_rows(gazetteer: Gazetteer, folded: str, found: list[tuple[str, int, int]]) -> Iterator[tuple]:
    """(start, end, entry id) of each mention, a known place and a type word after it made one (see composed)."""
    covered = 0
    firsts, reach, layers = gazetteer.composition_firsts, gazetteer.composition_reach, gazetteer.layers
    for index, (entry_id, start, end) in enumerate(found):
        if start < covered:
            continue  # inside a name composed from the one before (板芙经济开发区)
        layer = layers.get(entry_id) or gazetteer[entry_id].layer  # (a derived place is not in `layers`)
        layer_firsts = firsts.get(layer)
        if layer_firsts is None or layer_firsts.isdisjoint(folded[end : end + reach[layer] + 1]):
            if THROUGH not in entry_id.partition(DERIVED)[0]:
                covered = end
            yield start, end, entry_id  # as composed() finds at once: no type word can follow
            continue
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
#: How much of the shared word must begin a known name when no name is the item and the word exactly.
LIST_WORD_MIN = 2


def listed_items(gazetteer: Gazetteer, text: str, found: list[tuple[str, int, int]]) -> Iterator[tuple]:
    """(start, end, entry id) of list items that name a known place with the word after the list.

    梅州二期、云浮水源山、肇庆浪江等一批抽水蓄能电站: 肇庆浪江 + 抽水蓄能电站 is a name of 肇庆浪江抽水蓄能电站, and
    云浮水源山 would be 水源山抽水蓄能电站 (the city before the item is dropped). Only whole known names count.
    """
    known = {(start, end) for _, start, end in found}
    for at in _all(text, "等"):
        if "、" not in text[max(0, at - LIST_ITEM_MAX - 1) : at]:
            continue  # no list ends here (most 等 end no list): not worth reading back
        items = _items_before(text, at, gazetteer.name_breaks)
        if len(items) < 2:
            continue
        after = _LIST_COUNT.match(text, at + 1).end()
        yield from _items_with_word(gazetteer, text, items, text[after : after + LIST_WORD_MAX], known)
    for _, start, end in found:  # 佛肇、莞惠城际: the last item carries the word, in a known name
        if start > 0 and text[start - 1] == "、":
            for cut in range(start + 2, end - 1):
                if _owner_with_word(gazetteer, text[start:cut], text[cut:end], whole=True):
                    items = _items_before(text, start - 1, gazetteer.name_breaks)
                    yield from _items_with_word(gazetteer, text, items, text[cut:end], known, whole=True)
                    break


def _items_with_word(
    gazetteer: Gazetteer, text: str, items: list[tuple[int, int]], tail: str, known: set, whole: bool = False
) -> Iterator[tuple]:
    for start, end in items:
        if (start, end) in known:
            continue
        owner = _owner_with_word(gazetteer, text[start:end], tail, whole)
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
        start = han_run_start(text, max(0, end - 2 * LIST_ITEM_MAX), end)
        if start > 0 and text[start - 1] == "、" and end - start <= LIST_ITEM_MAX:
            items.append((start, end))
            end = start - 1
            continue
        cut = _last_break_end(text, start, end, breaks)
        if end - LIST_ITEM_MAX <= cut < end and (cut > start or start == 0 or not is_han(text[start - 1])):
            items.append((cut, end))
        return items[::-1]


def _last_break_end(text: str, start: int, end: int, breaks: tuple[str, ...]) -> int:
    """Where the last of the words that end a name ends within text[start:end] (Chinese only), or `start` if none
    stands there: every word at every place found in one call."""
    found = _breaks_automaton(breaks).find_matches_as_indexes(text[start:end], overlapping=True)
    return start + max(word_end for _, _, word_end in found) if found else start


def _owner_with_word(gazetteer: Gazetteer, item: str, tail: str, whole: bool = False) -> str | None:
    """The entry whose plain name is the item (or the item without the city in front) and a start of the tail
    (the whole tail if `whole`); or, failing that, the one entry whose names alone begin so: 浪江 + 抽水蓄能(项目)
    begins only 浪江抽水蓄能电站's names."""
    names = gazetteer.plain_names
    candidates = [item]
    if item[:2] in gazetteer.member_name_heads:  # most items begin with no city's name
        for length in range(2, len(item) - 1):
            owner = names.get(item[:length])
            if owner and gazetteer[owner].layer in gazetteer.connections.member_layers:
                candidates.append(item[length:])
    candidates = [c for c in candidates if gazetteer.has_names_beginning(c)]  # only these can begin a name below
    if not candidates:  # most items
        return None
    lengths = [len(tail)] if whole else range(len(tail), 0, -1)
    for length in lengths:
        for candidate in candidates:
            owner = names.get(candidate + tail[:length])
            if owner:
                return owner
    if whole:
        return None
    for candidate in candidates:  # names that begin longer are among those that begin shorter: stop at one or none
        for length in range(LIST_WORD_MIN, len(tail) + 1):
            owners = gazetteer.owners_of_names_beginning(candidate + tail[:length])
            if len(owners) <= 1:
                if owners:
                    return next(iter(owners))
                break
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
    joiners = connections.folded_joiners
    at = _joiner_starts(text, joiners)  # most of a report's places have none beside them: only these are read
    places, whole = _pairs_split(gazetteer, text, found, at, joiners)
    linked = _linked_to_next(gazetteer, text, places, joiners, at)
    if not linked:
        return found  # no place chained to the next: nothing joined, every pair as it was matched
    joined: list[tuple[str, int, int]] = []
    index = 0
    for begins in sorted({*linked, *whole}):
        if begins < index:
            continue  # inside a chain or a pair already read
        joined.extend(places[index:begins])  # places in no chain and no pair, as they are
        index = last = begins
        while last in linked:
            last += 1
        end = places[last][2]
        word_at = _corridor_word_after(text, end, connections) if last > index else None
        if word_at is None:
            row, count = whole.get(index, (places[index], 1))
            joined.append(row)
            index += count
            continue
        word, at_word = word_at
        start, name_end = places[index][1], at_word + len(word) if at_word == end else end
        ids = THROUGH.join(entry_id for entry_id, _, _ in places[index : last + 1])
        joined.append((f"{ids}{DERIVED}{text[start:name_end]}", start, name_end))
        joined.extend(places[index : last + 1])  # and each place it joins: 汕尾 is named in 广州至汕尾
        index = last + 1
    joined.extend(places[index:])
    return joined


def _pairs_split(
    gazetteer: Gazetteer, text: str, found: list[tuple[str, int, int]], at: list[int], joiners: frozenset[str]
) -> tuple[list[tuple[str, int, int]], dict[int, tuple[tuple[str, int, int], int]]]:
    """The places with each pair (广州－深圳) as its pieces (see _pair_pieces), and for each pair's first piece's
    index, (the pair as matched, how many pieces); only a name with a joiner inside (`at`) can be a pair."""
    starts = [row[1] for row in found]
    holding = sorted({i for p in at if (i := bisect.bisect_right(starts, p) - 1) >= 0 and found[i][2] > p})
    if not holding:
        return found, {}
    places: list[tuple[str, int, int]] = []
    whole: dict[int, tuple[tuple[str, int, int], int]] = {}
    done = 0
    for index in holding:
        places.extend(found[done:index])
        pieces = _pair_pieces(gazetteer, text, found[index], joiners)
        if len(pieces) > 1:
            whole[len(places)] = (found[index], len(pieces))
        places.extend(pieces)
        done = index + 1
    places.extend(found[done:])
    return places, whole


def _linked_to_next(
    gazetteer: Gazetteer, text: str, places: list[tuple[str, int, int]], joiners, at: list[int]
) -> set[int]:
    """The indexes of the places that _joins the next one: only a place a joiner follows (`at`) is looked at."""
    gaps = {len(joiner) for joiner in joiners}
    ends = [place[2] for place in places]
    linked = set()
    for p in at:
        index = bisect.bisect_left(ends, p)
        if index + 1 >= len(places) or ends[index] != p:
            continue
        first, then = places[index], places[index + 1]
        gap = then[1] - first[2] if then[1] > first[2] else 0  # len(text[first end:then start])
        if gap in gaps and _joins(gazetteer, text, first, then, joiners):
            linked.add(index)
    return linked


def _joiner_starts(text: str, joiners: frozenset[str]) -> list[int]:
    """Every offset where a joiner begins, in order: a place can be chained or split only at one of them."""
    return [found.start() for found in _starts_pattern(tuple(sorted(joiners))).finditer(text)]


@cache
def _starts_pattern(words: tuple[str, ...]) -> re.Pattern:
    """Where any of the words begins, overlapping ones too (single characters: a class, searched fast)."""
    if all(len(word) == 1 for word in words):
        return re.compile("[" + "".join(map(re.escape, words)) + "]") if words else re.compile("(?!)")
    return re.compile("(?=(?:" + "|".join(map(re.escape, words)) + "))")


def _joins(gazetteer: Gazetteer, text: str, first: tuple[str, int, int], then: tuple[str, int, int], joiners) -> bool:
    """Two different places of the joining layers with only a joiner between them: 广州至汕尾."""
    layers = gazetteer.connections.member_layers
    return (
        text[first[2] : then[1]] in joiners  # first, as most places are not followed by a joiner
        and first[0] != then[0]
        and gazetteer[first[0]].layer in layers
        and gazetteer[then[0]].layer in layers
    )


def _pair_pieces(
    gazetteer: Gazetteer, text: str, row: tuple[str, int, int], joiners: frozenset[str]
) -> list[tuple[str, int, int]]:
    """广州－深圳 (a name of the grouping 广深) as its two cities; any other name as itself."""
    entry_id, start, end = row
    name = text[start:end]
    if joiners.isdisjoint(name):  # most names: no joiner in them
        return [row]
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
        for word in connections.folded_words:  # longest first: 城际铁路 before 铁路
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
    layer = gazetteer[entry_id].layer
    words = gazetteer.composition_words_after.get(layer)
    if not words:
        return entry_id, end
    longest, firsts = gazetteer.composition_reach[layer], gazetteer.composition_firsts[layer]
    if firsts.isdisjoint(text[end : end + longest + 1]):  # no type word can begin in reach (most places)
        return entry_id, end
    if not (start == after or _starts_a_name(text, start, gazetteer.name_breaks)):
        return entry_id, end
    breaks = gazetteer.name_breaks
    for length in range(0, longest + 1):
        if length and (end + length > limit or not _own_name_goes_on(text, end, end + length, breaks)):
            break
        if text[end + length : end + length + 1] not in firsts:
            continue
        for names, word, qualified in words:
            if length <= names and not (length and qualified) and text.startswith(word, end + length):
                name = text[start : end + length + len(word)]
                return f"{entry_id}{DERIVED}{name}", end + length + len(word)
    return entry_id, end


def _starts_a_name(text: str, start: int, breaks: tuple[str, ...]) -> bool:
    """Whether a name may begin at `start`: no name stands just before it (中科中山药物创新研究院 does not begin at
    中山), only punctuation, a verb or particle of `breaks`, or the text's start."""
    if start == 0 or not is_han(text[start - 1]):
        return True
    return text.endswith(breaks, max(0, start - _longest(breaks)), start)


def _own_name_goes_on(text: str, begin: int, end: int, breaks: tuple[str, ...]) -> bool:
    """Whether text[begin:end], which is a name of its own without its last character, still is one with it: a
    Chinese character that ends none of the words that end a name (的, 建设, 和…)."""
    return "\u4e00" <= text[end - 1] <= "\u9fff" and not text.endswith(breaks, begin, end)


@cache
def _breaks_automaton(breaks: tuple[str, ...]) -> ahocorasick_rs.AhoCorasick:
    """The words that end a name, overlapping ones too (a look-ahead for each of 65 words at every character was
    five times slower)."""
    return ahocorasick_rs.AhoCorasick(list(breaks))


@cache
def _longest(breaks: tuple[str, ...]) -> int:
    return max(map(len, breaks), default=0)
