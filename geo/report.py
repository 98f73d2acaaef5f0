"""Reading a report: decode its bytes, find its sections and sentences, normalise it for matching."""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from baymap.geo._errors import ReportError
from baymap.geo.documents import text_from_document

#: Larger inputs are refused rather than read into memory whole.
MAX_REPORT_BYTES = 256 * 1024 * 1024
#: Top-level headings: chapters (第一章 …) where a report has them, else numbered parts (一、…).
CHAPTER_HEADING = re.compile(r"^[ \t\u3000]*(第[一二三四五六七八九十]{1,3}章)[ \t\u3000]*([^。\n]*)", re.MULTILINE)
SUBHEADING = re.compile(r"^[ \t\u3000]*第[一二三四五六七八九十]{1,3}[节節][^\n]*$", re.MULTILINE)
SECTION_HEADING = re.compile(r"^[ \t\u3000]*([一二三四五六七八九十]{1,3})、([^。\n]*)", re.MULTILINE)
SENTENCE_END = "。！？；!?\n"
#: The same ends once full-width forms are folded (；→; ！→! ？→?), for the normalised text.
FOLDED_SENTENCE_END = "。!?;\n"
PREAMBLE = "前言"
_FIRST_LINE = re.compile(r"\S[^\n]*")
_SENTENCE_END_RE = re.compile(f"[{re.escape(SENTENCE_END)}]")


@dataclass(frozen=True)
class Section:
    """A numbered top-level section (一、二、…) and where it starts in the text."""

    number: str
    title: str
    start: int

    @property
    def label(self) -> str:
        if not self.number:
            return self.title
        return f"{self.number} {self.title}" if self.number.endswith("章") else f"{self.number}、{self.title}"


@dataclass(frozen=True)
class Report:
    """A decoded report: `text` is what offsets index; `normalised` has the same length."""

    name: str
    text: str
    encoding: str
    sections: tuple[Section, ...] = field(repr=False)
    normalised: str = field(repr=False)

    @property
    def title(self) -> str:
        """The first non-blank line (found without splitting a long report into lines)."""
        first = _FIRST_LINE.search(self.text)
        return first.group().strip()[:80] if first else self.name

    @cached_property
    def _section_starts(self) -> list[int]:
        return [s.start for s in self.sections]

    @cached_property
    def _sentence_ends(self) -> array:
        """Offsets of every sentence-ending character, found once."""
        return array("q", (m.start() for m in _SENTENCE_END_RE.finditer(self.text)))

    def _section_index(self, offset: int) -> int:
        return max(bisect.bisect_right(self._section_starts, offset) - 1, 0)

    def section_at(self, offset: int) -> Section:
        return self.sections[self._section_index(offset)]

    @cached_property
    def _section_labels(self) -> list[str]:
        return [s.label for s in self.sections]

    def section_label_at(self, offset: int) -> str:
        """The label of the section at offset, made once per section (called for every mention)."""
        return self._section_labels[self._section_index(offset)]

    def sentence_at(self, start: int, end: int) -> str:
        """The whole sentence around text[start:end], verbatim."""
        left, right = self.sentence_span(start, end)
        return self.text[left:right]

    def sentence_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets of the sentence around text[start:end], without surrounding white space."""
        ends = self._sentence_ends
        before = bisect.bisect_left(ends, start)
        left = ends[before - 1] + 1 if before else 0
        after = bisect.bisect_left(ends, end)
        right = ends[after] + 1 if after < len(ends) else len(self.text)
        while left < start and self.text[left].isspace():
            left += 1
        while right > end and self.text[right - 1].isspace():
            right -= 1
        return left, right


def report_from_path(path: str | Path) -> Report:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_REPORT_BYTES:
            raise ReportError(
                f"{path}: {size / 1e6:.0f} MB is more than the {MAX_REPORT_BYTES // 2**20} MiB "
                "a report may be; split it into several reports"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportError(f"{path}: is a folder, not a report file") from None
    except PermissionError:
        raise ReportError(f"{path}: permission denied") from None
    return report_from_bytes(data, name=str(path))


def report_from_bytes(data: bytes, name: str = "report") -> Report:
    """A report from a file's bytes: plain text in any usual encoding, or HTML, Word or PDF by its name."""
    text, encoding = text_from_document(data, name)
    return report_from_text(text, name, encoding)


def report_from_text(text: str, name: str = "report", encoding: str = "utf-8") -> Report:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReportError(f"{name}: the report is empty")
    return Report(
        name=name,
        text=text,
        encoding=encoding,
        sections=sections_from_text(text),
        normalised=normalise_for_matching(text),
    )


def sections_from_text(text: str) -> tuple[Section, ...]:
    """The preamble, then each top-level heading; a table of contents (headings with no text) is skipped."""
    pattern = CHAPTER_HEADING if CHAPTER_HEADING.search(text) else SECTION_HEADING
    matches = list(pattern.finditer(text))
    sections = [Section("", PREAMBLE, 0)]
    last_of = {match.group(0).strip(): i for i, match in enumerate(matches)}
    for i, match in enumerate(matches):
        following = matches[i + 1] if i + 1 < len(matches) else None
        body_end = following.start() if following else len(text)
        if last_of[match.group(0).strip()] != i:
            continue  # a contents line: the same heading comes again later
        if following and not SUBHEADING.sub("", text[match.end() : body_end]).strip():
            continue  # a contents line: only sub-headings before the next heading
        sections.append(Section(match.group(1), match.group(2).strip(), match.start(1)))
    return tuple(sections)


def normalise_for_matching(text: str) -> str:
    """Full-width forms folded, Traditional characters simplified, ASCII lower-cased; length kept."""
    _learn_chars(set(text))
    return text.translate(_FOLDS)


#: Every character seen so far and what it folds to (itself included, which spares str.translate a
#: failed lookup per character); grows as reports bring new characters.
_FOLDS: dict[int, str] = {}


def _learn_chars(chars: set[str]) -> None:
    new = {ch for ch in chars if ord(ch) not in _FOLDS}
    if not new:
        return
    folded = {ch: _fold_char(ch) for ch in new}
    simplified = _to_simplified("".join(sorted({f for f in folded.values() if ord(f) > 0x2E7F})))
    for ch, fold in folded.items():
        _FOLDS[ord(ch)] = simplified.get(fold, fold)


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        return ch
    return folded.lower() if folded.isascii() else folded


def _to_simplified(chars: str) -> dict[str, str]:
    """Character-by-character Traditional→Simplified, so offsets never move."""
    if not chars:
        return {}
    converted = _opencc().convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        return {}
    return {t: s for t, s in zip(chars, converted, strict=True) if len(s) == 1 and s != t}


@cache
def _opencc():
    from opencc import OpenCC

    return OpenCC("t2s")
