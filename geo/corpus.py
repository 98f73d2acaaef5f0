"""Many reports at once: extraction spread over the machine's cores, results in the reports' order."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from baymap.geo.gazetteer import CACHED_LOOKUPS, Gazetteer
from baymap.geo.matching import (
    Mention,
    matcher_from_gazetteer,
    mention_columns,
    mentions_from_columns,
    mentions_from_report,
)
from baymap.geo.parse_cache import collector_paused
from baymap.geo.report import Report, Section, report_from_bytes, report_from_path
from baymap.geo.unresolved import Unresolved, lexicon, unresolved_from_report, unresolved_from_spans

#: Below this much text a second process costs more than it saves.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
CHUNK = 50


@dataclass(frozen=True)
class Extraction:
    """What one report yields: its name, title and sections, every mention and the unresolved names."""

    name: str
    title: str
    sections: tuple[Section, ...]
    mentions: list[Mention]
    unresolved: list[Unresolved]
    text: str = field(repr=False)
    """The text as read, which the mentions' offsets index (the mentions share it: no copy)."""


@dataclass(frozen=True)
class Source:
    """A report to read: a path, or bytes already read (standard input)."""

    name: str
    data: bytes | None = None

    def read(self) -> Report:
        return report_from_bytes(self.data, self.name) if self.data is not None else report_from_path(self.name)

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else os.path.getsize(self.name)


def extractions_from_sources(
    sources: Sequence[Source],
    gazetteer: Gazetteer,
    progress: Callable[[int], None] = lambda done: None,
) -> Iterator[Extraction]:
    """Each report's extraction, in order; forked worker processes share the matcher when it pays."""
    matcher = matcher_from_gazetteer(gazetteer)
    workers = min(os.cpu_count() or 1, max(1, len(sources) // CHUNK))
    total = sum(_size(s) for s in sources)
    if workers < 2 or total < PARALLEL_MIN_BYTES or "fork" not in multiprocessing.get_all_start_methods():
        for done, source in enumerate(sources, 1):
            yield extraction_from_report(source.read(), gazetteer, matcher)
            progress(done)
        return
    global _WORKER_STATE
    _warm(gazetteer)  # what every mention consults, computed once before the workers inherit it
    _WORKER_STATE = (gazetteer, matcher)  # inherited by the forked workers, not pickled
    chunks = [sources[i : i + CHUNK] for i in range(0, len(sources), CHUNK)]
    done = 0
    # What the workers inherit lives on: frozen, no collection here or in them scans it again (a tenth of their
    # time), and the forked pages stay shared.
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for packed_chunk in pool.map(_extract_chunk, chunks):
                for packed in packed_chunk:
                    yield _unpack(packed)
                    done += 1
                progress(done)
    finally:
        gc.unfreeze()


def _warm(gazetteer: Gazetteer) -> None:
    for lookup in (*CACHED_LOOKUPS, "composition_reach", "composition_firsts"):
        getattr(gazetteer, lookup)
    lexicon()  # the word lists unresolved names are read with


def extraction_from_report(report: Report, gazetteer: Gazetteer, matcher=None) -> Extraction:
    mentions = mentions_from_report(report, gazetteer, matcher)
    unresolved = unresolved_from_report(report, mentions)
    return Extraction(report.name, report.title, report.sections, mentions, unresolved, report.text)


def _size(source: Source) -> int:
    try:
        return source.size
    except OSError:
        return 0  # reading it will say what is wrong


_WORKER_STATE: tuple | None = None


def _extract_chunk(sources: Sequence[Source]) -> list[tuple]:
    """In a worker: extract a few reports, packed as columns of offsets (not copies of quotes).

    The collector is paused: what a chunk makes holds no cycles, and collections scanning it as it grows took a
    fifth of the time."""
    gazetteer, matcher = _WORKER_STATE
    packed = []
    with collector_paused():
        for source in sources:
            report = source.read()
            columns = mention_columns(report, gazetteer, matcher)
            unresolved = unresolved_from_spans(report, zip(columns[2], columns[3], strict=True))
            packed.append((report.name, report.title, report.sections, report.text, columns, unresolved))
    return packed


def _unpack(packed: tuple) -> Extraction:
    name, title, sections, text, columns, unresolved = packed
    return Extraction(name, title, sections, mentions_from_columns(columns, text, name), unresolved, text)
