"""Reading a report: decode its bytes, find its sections and sentences, normalise it for matching."""

from __future__ import annotations

import bisect
import io
import os
import re
import sys
import unicodedata
from array import array
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import BinaryIO

import numpy as np

from baymap.geo._errors import ReportError
from baymap.geo.documents import text_from_document

#: Larger inputs are refused rather than read into memory whole.
MAX_REPORT_BYTES = 256 * 1024 * 1024
#: Reports are read this much at a time, counting, so a pipe or a device cannot pass the cap.
READ_CHUNK = 1024 * 1024
#: A quote reaches at most this many characters either side of the mention: a report with no sentence
#: ends (one long English line) must not quote its whole text for every mention.
QUOTE_REACH = 120
#: Top-level headings: chapters (第一章 …) where a report has them, else numbered parts (一、…).
CHAPTER_HEADING = re.compile(r"^[ \t\u3000]*(第[一二三四五六七八九十]{1,3}章)[ \t\u3000]*([^。\n]*)", re.MULTILINE)
SUBHEADING = re.compile(r"^[ \t\u3000]*第[一二三四五六七八九十]{1,3}[节節][^\n]*$", re.MULTILINE)
SECTION_HEADING = re.compile(r"^[ \t\u3000]*([一二三四五六七八九十]{1,3})、([^。\n]*)", re.MULTILINE)
#: Sentence ends, always: line ends (\n, and \r of CRLF or CR-only files) and these marks. An ASCII
#: full stop ends a sentence only before white space or the end of the text, so 3.5, U.S.A and
#: www.gd.gov.cn do not (an abbreviation before a space, "U.S. ports", does: simple, and harmless).
SENTENCE_END = "。！？；!?\n\r"
#: The same ends once full-width forms are folded (；→; ！→! ？→?) and \r to \n, for the normalised text.
FOLDED_SENTENCE_END = "。!?;\n"
#: Where a quote cut to QUOTE_REACH may stop so that it reads as a phrase: clause marks, and an ASCII
#: . ? or ! before white space.
CLAUSE_MARK = re.compile(r"[，、；：,;:]|[.?!](?=\s)")
PREAMBLE = "前言"
_FIRST_LINE = re.compile(r"\S[^\n\r]*")
_SENTENCE_END_RE = re.compile(rf"[{re.escape(SENTENCE_END)}]|\.(?!\S)")
_SENTENCE_END_CODES = np.array([ord(ch) for ch in SENTENCE_END + "."], dtype=np.uint32)


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


#: A report is in Traditional characters when at least this share of its Chinese characters, and this many,
#: change when folded to Simplified (a Simplified text changes almost none; a Traditional one about a fifth).
TRADITIONAL_SHARE = 0.02
TRADITIONAL_MIN = 5


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
    def script(self) -> str:
        """'traditional' when folding to Simplified changed at least TRADITIONAL_SHARE of its Chinese characters
        (and a few), else 'simplified': the evidence that a 大埔 in a Hong Kong text is Hong Kong's."""
        han = changed = 0
        for original, folded in zip(self.text, self.normalised, strict=True):
            if original >= "\u4e00":
                han += 1
                changed += original != folded
        return "traditional" if changed >= max(TRADITIONAL_MIN, TRADITIONAL_SHARE * han) else "simplified"

    @cached_property
    def _section_starts(self) -> list[int]:
        return [s.start for s in self.sections]

    @cached_property
    def _sentence_ends(self) -> array:
        """Offsets of every sentence-ending character, found once."""
        return array("q", self._sentence_end_array.tobytes())

    @cached_property
    def _sentence_end_array(self) -> np.ndarray:
        """The same as an array: every sentence mark, and an ASCII full stop before white space or at the end,
        found in one look-up of all the text's code points (a pattern made a match object for each)."""
        text = self.text
        if len(text) > FOLD_ARRAY_MAX:  # a huge report: no array of 4 bytes a character beside it (memory)
            return np.array([m.start() for m in _SENTENCE_END_RE.finditer(text)], dtype=np.int64)
        codes = self._code_points
        ends = np.flatnonzero(np.isin(codes, _SENTENCE_END_CODES))
        stops = [
            at for at in np.flatnonzero(codes == ord(".")).tolist() if at + 1 < len(text) and not text[at + 1].isspace()
        ]
        return np.setdiff1d(ends, stops, assume_unique=True) if stops else ends.astype(np.int64)

    @cached_property
    def _code_points(self) -> np.ndarray:
        return np.frombuffer(self.text.encode(_CODE_POINTS, "surrogatepass"), dtype=np.uint32)

    def _section_index(self, offset: int) -> int:
        index = bisect.bisect_right(self._section_starts, offset) - 1
        return index if index > 0 else 0  # not max(): this runs for every mention

    def section_at(self, offset: int) -> Section:
        return self.sections[self._section_index(offset)]

    @cached_property
    def _section_labels(self) -> list[str]:
        return [s.label for s in self.sections]

    def section_label_at(self, offset: int) -> str:
        """The label of the section at offset, made once per section (called for every mention)."""
        return self._section_labels[self._section_index(offset)]

    def quotes_and_sections(self, starts: list[int], ends: list[int]) -> tuple[list[int], list[int], list[str]]:
        """The quote starts, quote ends and section labels of many mentions, as sentence_span and section_label_at
        give them, looked up for all at once: only a sentence cut for its length or one that begins or ends with
        white space is read by itself."""
        if not starts:
            return [], [], []
        text = self.text
        mention_starts, mention_ends = np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)
        sentence_ends = self._sentence_end_array
        lefts = np.concatenate(([0], sentence_ends + 1))[np.searchsorted(sentence_ends, mention_starts)]
        rights = np.concatenate((sentence_ends + 1, [len(text)]))[np.searchsorted(sentence_ends, mention_ends)]
        cut = (mention_starts - lefts > QUOTE_REACH) | (rights - mention_ends > QUOTE_REACH)
        if len(text) > FOLD_ARRAY_MAX:  # (a huge report has no array of its code points)
            spaced = np.ones_like(cut)
        else:
            spaces = _white_space()[np.minimum(self._code_points, WHITE_SPACE_MAX + 1)]
            spaced = (lefts < mention_starts) & spaces[np.minimum(lefts, len(text) - 1)]
            spaced |= (rights > mention_ends) & spaces[np.maximum(rights - 1, 0)]
        lefts, rights = lefts.tolist(), rights.tolist()
        for index in np.flatnonzero(cut).tolist():
            lefts[index], rights[index] = self.sentence_span(starts[index], ends[index])
        for index in np.flatnonzero(spaced & ~cut).tolist():  # white space stripped, as sentence_span does
            start, end, left, right = starts[index], ends[index], lefts[index], rights[index]
            lefts[index] = start - len(text[left:start].lstrip())
            rights[index] = end + len(text[end:right].rstrip())
        sections = np.searchsorted(self._section_start_array, mention_starts, side="right") - 1
        labels = list(map(self._section_labels.__getitem__, np.maximum(sections, 0).tolist()))
        return lefts, rights, labels

    @cached_property
    def _section_start_array(self) -> np.ndarray:
        return np.array(self._section_starts, dtype=np.int64)

    def sentence_at(self, start: int, end: int) -> str:
        """The whole sentence around text[start:end], verbatim."""
        left, right = self.sentence_span(start, end)
        return self.text[left:right]

    def sentence_span(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around text[start:end], stripped, each side cut to QUOTE_REACH at a clause mark."""
        ends = self._sentence_ends
        before = bisect.bisect_left(ends, start)
        left = ends[before - 1] + 1 if before else 0
        after = bisect.bisect_left(ends, end)
        right = ends[after] + 1 if after < len(ends) else len(self.text)
        if start - left > QUOTE_REACH:
            left = self._clause_start(start)
        if right - end > QUOTE_REACH:
            right = self._clause_end(end)
        while left < start and self.text[left].isspace():
            left += 1
        while right > end and self.text[right - 1].isspace():
            right -= 1
        return left, right

    def _clause_start(self, start: int) -> int:
        """Start a cut quote after the furthest clause mark in reach, else at a word gap, so it reads as a phrase."""
        reach = max(0, start - QUOTE_REACH)
        if mark := CLAUSE_MARK.search(self.text, reach, start):
            return mark.end()
        gap = self.text.find(" ", reach, start)
        return gap + 1 if gap != -1 else reach

    def _clause_end(self, end: int) -> int:
        """End a cut quote at the furthest clause mark in reach, else at a word gap, so it reads as a phrase."""
        reach = min(len(self.text), end + QUOTE_REACH)
        if marks := list(CLAUSE_MARK.finditer(self.text, end, reach)):
            return marks[-1].end()
        gap = self.text.rfind(" ", end, reach)
        return gap if gap != -1 else reach


def report_from_path(path: str | Path) -> Report:
    """A report from a file, a FIFO or a device: its bytes are counted as they are read."""
    path = Path(path)
    return report_from_bytes(_read_report_file(path), name=str(path))


def _read_report_file(path: Path) -> bytes:
    """The file's bytes, or a one-line ReportError saying what stopped them."""
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_REPORT_BYTES:  # a regular file says its size: refuse before reading it
                raise ReportError(_too_large(str(path), f"{size / 1e6:.0f} MB is "))
            return read_capped(stream, str(path))
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportError(f"{path}: is a folder, not a report file") from None
    except PermissionError:
        raise ReportError(f"{path}: permission denied") from None
    except OSError as err:  # a symlink loop, a name too long, an I/O error…
        raise ReportError(f"{path}: cannot be read ({err.strerror or err}); check the path and the file") from None


def read_capped(binary_stream: BinaryIO, name: str) -> bytes:
    """All of a stream, counted as read: stdin, FIFOs and devices (/dev/zero) have no size to check first."""
    buffer = io.BytesIO()  # getvalue() hands over its buffer: no second copy of the report
    while chunk := binary_stream.read(READ_CHUNK):
        if buffer.tell() + len(chunk) > MAX_REPORT_BYTES:
            raise ReportError(_too_large(name))
        buffer.write(chunk)
    return buffer.getvalue()


def _too_large(name: str, size: str = "") -> str:
    """The message for a report over the cap, with its size when it is known."""
    cap = MAX_REPORT_BYTES
    cap_text = f"{cap // 2**20} MiB" if cap >= 2**20 else f"{cap} bytes"
    return f"{name}: {size or 'it is '}more than the {cap_text} a report may be; split it into several reports"


def report_from_bytes(data: bytes, name: str = "report") -> Report:
    """A report from a file's bytes: plain text in any usual encoding, or HTML, Word or PDF by its name."""
    text, encoding = text_from_document(data, name)
    return report_from_text(text, name, encoding)


def report_from_text(text: str, name: str = "report", encoding: str = "utf-8") -> Report:
    """A report whose text is kept exactly as decoded (CRLF and CR too), so offsets index it."""
    if not text.strip():
        raise ReportError(f"{name}: the report is empty")
    return Report(
        name=name,
        text=text,
        encoding=encoding,
        sections=sections_from_text(_with_lf(text)),
        normalised=normalise_for_matching(text),
    )


def _with_lf(text: str) -> str:
    """Every CR as LF, for line-based patterns: same length, so offsets found in it index the text."""
    return text.replace("\r", "\n") if "\r" in text else text


def sections_from_text(text: str) -> tuple[Section, ...]:
    """The preamble, then each top-level heading; a table of contents (headings with no text) is skipped."""
    pattern = CHAPTER_HEADING if "章" in text and CHAPTER_HEADING.search(text) else SECTION_HEADING  # (most have none)
    matches = list(pattern.finditer(text))
    sections = [Section("", PREAMBLE, 0)]
    last_of = {match.group(0).strip(): i for i, match in enumerate(matches)}
    for i, match in enumerate(matches):
        following = matches[i + 1] if i + 1 < len(matches) else None
        body_end = following.start() if following else len(text)
        if last_of[match.group(0).strip()] != i:
            continue  # a contents line: the same heading comes again later
        if following and _only_subheadings(text[match.end() : body_end]):
            continue  # a contents line: only sub-headings before the next heading
        sections.append(Section(match.group(1), match.group(2).strip(), match.start(1)))
    return tuple(sections)


#: The highest code point str.isspace() holds true (U+3000, the ideographic space).
WHITE_SPACE_MAX = 0x3000


@cache
def _white_space() -> np.ndarray:
    """Whether each code point up to WHITE_SPACE_MAX is white space as str.isspace() says, then one False for
    every code point above it."""
    return np.array([chr(code).isspace() for code in range(WHITE_SPACE_MAX + 1)] + [False], dtype=bool)


def _only_subheadings(body: str) -> bool:
    """Whether a heading's body holds only sub-headings (第一节 …) and white space; a line that begins with
    anything but 第 says no at once, without rewriting the body."""
    if _NOT_A_SUBHEADING_LINE.search(body):
        return False
    return not SUBHEADING.sub("", body).strip()


_NOT_A_SUBHEADING_LINE = re.compile(r"^[ \t\u3000]*[^第\s]", re.MULTILINE)


def is_han(char: str) -> bool:
    """A CJK unified ideograph: what names and the words around them are written in."""
    return "\u4e00" <= char <= "\u9fff"


def han_run_start(text: str, limit: int, end: int) -> int:
    """Where the Chinese characters that end at `end` begin, back no further than `limit` (the runs read are short:
    a step back a character beats a pattern tried at every place of the reach)."""
    start = end
    while start > limit and "\u4e00" <= text[start - 1] <= "\u9fff":  # is_han, without a call
        start -= 1
    return start


def normalise_for_matching(text: str) -> str:
    """Full-width forms folded, Traditional characters simplified, ASCII lower-cased, CR as LF; length kept."""
    if len(text) > FOLD_ARRAY_MAX:  # a huge report: no array of 4 bytes a character beside it (memory)
        _learn_chars({ch for ch in set(text) if not _KNOWN[ord(ch)]})
        return text.translate(_FOLD_MAP)
    codes = np.frombuffer(text.encode(_CODE_POINTS, "surrogatepass"), dtype=np.uint32)
    unknown = codes[~_KNOWN[codes]]
    if unknown.size:
        _learn_chars({chr(code) for code in np.unique(unknown).tolist()})
    folded = _FOLDS[codes]
    if np.array_equal(folded, codes):
        return text
    return folded.tobytes().decode(_CODE_POINTS, "surrogatepass")


#: What every code point folds to (itself until learnt), and which are learnt; grows as reports bring new
#: characters. Arrays, so that a report is folded in one lookup of all its code points: str.translate and set()
#: made a string object for each character (0.5 ms a page).
_FOLDS = np.arange(sys.maxunicode + 1, dtype=np.uint32)
_KNOWN = np.zeros(sys.maxunicode + 1, dtype=bool)
#: The same folds for str.translate, for reports longer than this many characters.
_FOLD_MAP: dict[int, str] = {}
FOLD_ARRAY_MAX = 1_000_000
#: A text as an array of code points, and back (lone surrogates, which only a caller's str can hold, pass as such).
_CODE_POINTS = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"


def _learn_chars(new: set[str]) -> None:
    """What each of these characters, never seen before, folds to."""
    folded = {ch: _fold_char(ch) for ch in new}
    simplified = _to_simplified("".join(sorted({f for f in folded.values() if ord(f) > 0x2E7F})))
    for ch, fold in folded.items():
        _FOLD_MAP[ord(ch)] = simplified.get(fold, fold)  # itself too: spares str.translate a failed lookup
        _FOLDS[ord(ch)] = ord(_FOLD_MAP[ord(ch)])
        _KNOWN[ord(ch)] = True


def _fold_char(ch: str) -> str:
    if ch == "\r":
        return "\n"  # CRLF and CR-only line ends read as line ends, offsets unmoved
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
