"""Text out of report files: plain text in the usual Chinese encodings, Markdown, HTML, Word and PDF."""

from __future__ import annotations

import io
import re
import unicodedata
from html.parser import HTMLParser

from baymap.geo._errors import ReportError

#: Plain-text encodings tried after UTF-8, told apart by charset-normalizer when it can.
CHINESE_ENCODINGS = ("gb18030", "big5")
DETECTION_SAMPLE = 256 * 1024


def text_from_document(data: bytes, name: str) -> tuple[str, str]:
    """(text, how it was read) from a report file's bytes, by the file's extension."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "docx":
        return text_from_docx(data, name), "docx"
    if suffix == "pdf":
        return text_from_pdf(data, name), "pdf"
    text, encoding = decode_text(data, name)
    if suffix in ("html", "htm", "xhtml"):
        return text_from_html(text), f"html ({encoding})"
    return text, encoding


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), GB18030/GBK or Big5; refuse binary data."""
    if not data.strip():
        raise ReportError(f"{name}: the report is empty")
    if b"\x00" in data[:8192]:
        raise ReportError(f"{name}: looks like a binary file, not text (save it as plain text)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in _candidate_encodings(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_text(text):
            return text, encoding
    raise ReportError(f"{name}: cannot decode the report as UTF-8, GB18030/GBK or Big5; save it as UTF-8 text")


def _candidate_encodings(data: bytes) -> list[str]:
    """UTF-8 first; then whichever of GB18030 and Big5 reads as the commoner characters."""
    sample = data[:DETECTION_SAMPLE]
    try:
        sample.decode("utf-8")
        looks_utf8 = True
    except UnicodeDecodeError as err:
        looks_utf8 = err.start >= len(sample) - 4  # only a character cut in two at the sample's end
    if looks_utf8:
        return ["utf-8", *CHINESE_ENCODINGS]
    return sorted(CHINESE_ENCODINGS, key=lambda encoding: -_commonness(sample, encoding))


def _commonness(sample: bytes, encoding: str) -> float:
    """The share of Han characters among each encoding's common set (GB2312; Big5's level 1).

    Bytes in one encoding read in the other turn into rare characters, or fail to decode.
    """
    text = sample.decode(encoding, errors="replace")
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return 0.0
    return sum(_is_common(ch, encoding) for ch in han) / len(han) - text.count("\ufffd") / max(len(text), 1)


def _is_common(ch: str, encoding: str) -> bool:
    try:
        if encoding == "gb18030":
            ch.encode("gb2312")
            return True
        first = ch.encode("big5")[0]
        return 0xA4 <= first <= 0xC6  # Big5 level 1: the frequently used characters
    except UnicodeEncodeError:
        return False


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _mostly_text(text: str) -> bool:
    """Reject decodings full of control characters (binary data that happened to decode)."""
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) <= len(sample) // 100


class _HTMLText(HTMLParser):
    """The visible text of a page: scripts, styles and templates dropped, blocks on their own lines."""

    SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg"})
    BLOCKS = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "tr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "section",
            "article",
            "table",
            "ul",
            "ol",
            "blockquote",
            "pre",
            "hr",
            "title",
            "dd",
            "dt",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def text_from_html(markup: str) -> str:
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def text_from_docx(data: bytes, name: str) -> str:
    try:
        import docx
    except ImportError:
        raise ReportError(f"{name}: reading Word files needs python-docx: pip install 'baymap[docx]'") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises several kinds for a broken file
        raise ReportError(f"{name}: not a readable Word (.docx) file: {err}") from None
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        paragraphs.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(paragraphs)


#: PDF fonts often map characters to their radical code points; the Kangxi radicals fold under NFKC,
#: these simplified radical-supplement forms need a table (the character each stands for).
PDF_RADICALS = str.maketrans(
    "⺰⻅⻆⻈⻉⻋⻐⻓⻔⻙⻚⻛⻜⻠⻢⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "纟见角讠贝车钅长门韦页风飞饣马鱼鸟卤麦黄黾齐齿龙龟",
)


def readable_pdf_text(text: str) -> str:
    """Radical code points back to the characters they stand for (same length, so offsets hold)."""
    folded = "".join(unicodedata.normalize("NFKC", ch) if "\u2f00" <= ch <= "\u2fdf" else ch for ch in text)
    return folded.translate(PDF_RADICALS)


def text_from_pdf(data: bytes, name: str) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise ReportError(f"{name}: reading PDF files needs pypdf: pip install 'baymap[pdf]'") from None
    try:
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    except (PdfReadError, ValueError, KeyError) as err:
        raise ReportError(f"{name}: not a readable PDF file: {err}") from None
    text = readable_pdf_text("\n".join(pages))
    if not text.strip():
        raise ReportError(f"{name}: the PDF has no text layer (a scan?); run OCR on it first")
    return text
