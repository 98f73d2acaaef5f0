"""Text out of report files: plain text in the usual Chinese encodings, Markdown, HTML, Word and PDF."""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile

from baymap.geo._errors import ReportError

#: Plain-text encodings tried after UTF-8, told apart by charset-normalizer when it can.
CHINESE_ENCODINGS = ("gb18030", "big5")
DETECTION_SAMPLE = 256 * 1024
#: Zero bytes in this much of the start mark a binary file, unless it reads as UTF-16.
BINARY_SAMPLE = 8192
#: Byte-order marks of the wide encodings; UTF-32's first, as UTF-32 LE's starts like UTF-16 LE's.
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: UTF-16 without a byte-order mark is taken when this share of the start reads as plain characters.
UTF16_PLAIN_SHARE = 0.9


def text_from_document(data: bytes, name: str) -> tuple[str, str]:
    """(text, how it was read) from a report file's bytes, by the file's extension."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "docx":
        return text_from_docx(data, name), "docx"
    if suffix == "pdf":
        return text_from_pdf(data, name), "pdf"
    text, encoding = decode_text(data, name)
    if suffix in ("html", "htm", "xhtml"):
        return text_from_html(text, name), f"html ({encoding})"
    return text, encoding


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode UTF-8 or UTF-16 (with or without BOM), GB18030/GBK or Big5; refuse binary data."""
    if not data.strip():
        raise ReportError(f"{name}: the report is empty")
    if wide := _wide_encoding(data):
        encoding, bom = wide
        return _decode_wide(data[len(bom) :], encoding, name), encoding
    if b"\x00" in data[:BINARY_SAMPLE]:
        raise ReportError(f"{name}: looks like a binary file, not text (save it as plain text)")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for encoding in _candidate_encodings(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_text(text):
            return text, encoding
    raise ReportError(f"{name}: cannot decode the report as UTF-8, GB18030/GBK or Big5; save it as UTF-8 text")


def _wide_encoding(data: bytes) -> tuple[str, bytes] | None:
    """(encoding, byte-order mark) of UTF-16 or UTF-32 text: by its mark, or UTF-16 without one."""
    for bom, encoding in WIDE_BOMS:
        if data.startswith(bom):
            return encoding, bom
    sample = data[:BINARY_SAMPLE]
    if b"\x00" not in sample and _looks_utf8(sample):
        return None  # zero bytes (ASCII in UTF-16) or bytes that are not UTF-8 (Han in UTF-16) say to look
    for encoding in ("utf-16-le", "utf-16-be"):
        if _plain_share(_decode_start(sample, encoding)) >= UTF16_PLAIN_SHARE:
            return encoding, b""
    return None


def _decode_start(sample: bytes, encoding: str) -> str:
    """The sample decoded (a character cut at its end left out), or "" when it does not decode."""
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return ""


def _plain_share(text: str) -> float:
    """Near 1 for real text read as UTF-16; low for other bytes read so (rare Han, Hangul, private use)."""
    return sum(map(_is_plain, text)) / len(text) if text else 0.0


def _is_plain(ch: str) -> bool:
    """Printable ASCII, a line end, or a common Chinese character or mark."""
    if ch.isascii():
        return ch.isprintable() or ch in "\t\n\r"
    return _is_common(ch, "gb18030") or _is_common(ch, "big5")


def _decode_wide(data: bytes, encoding: str, name: str) -> str:
    """UTF-16 or UTF-32 text, strictly: bytes that only start like it are said not to decode."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = None
    if text is None or not _mostly_printable(text):
        raise ReportError(
            f"{name}: cannot decode the report as {encoding.upper()}, which its first bytes announce; "
            "save it as UTF-8 text"
        )
    return text


def _mostly_printable(text: str) -> bool:
    """Text, not other bytes read as wide characters: hardly any unprintable ones (controls, unassigned)."""
    sample = text[:20000]
    return sum(not (ch.isprintable() or ch.isspace()) for ch in sample) <= len(sample) // 100


def _looks_utf8(sample: bytes) -> bool:
    """Whether the sample is UTF-8, but for a character cut in two at its end."""
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.start >= len(sample) - 4
    return True


def _candidate_encodings(data: bytes) -> list[str]:
    """UTF-8 first; then whichever of GB18030 and Big5 reads as the commoner characters."""
    sample = data[:DETECTION_SAMPLE]
    if _looks_utf8(sample):
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


#: Elements whose content a reader never sees as text.
HTML_HIDDEN = ("script", "style", "noscript", "template", "svg", "head")
#: Elements that start a line of their own.
HTML_BLOCKS = (
    "p", "div", "br", "li", "tr", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "header", "footer", "nav", "aside", "main", "figure", "figcaption", "address", "details",
    "summary", "table", "ul", "ol", "dl", "dd", "dt", "blockquote", "pre", "hr", "title",
)  # fmt: skip
#: Lexbor's tree builder slows quadratically with nesting depth (200,000 nested <div> take minutes);
#: no real page nests anywhere near this deep, so deeper markup is refused before it is parsed.
MAX_HTML_DEPTH = 4096
#: Elements that never stay open: void elements and those whose end tag may be left out.
_HTML_UNNESTED = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen "
    "p li dt dd tr td th option optgroup rb rt rtc rp thead tbody tfoot colgroup caption html head body".split()
)
#: Elements a second one of the same closes rather than nests in (<a>x<a>y).
_HTML_NOT_SELF_NESTING = frozenset("a nobr button form select h1 h2 h3 h4 h5 h6".split())
#: Elements whose content is raw text, tags in it included.
_HTML_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes plaintext".split())
_HTML_TOKEN = re.compile(r"<!--|<(/?)([a-zA-Z][^\s/>]*)([^>]*)")


def text_from_html(markup: str, name: str = "page.html") -> str:
    """The text a browser shows, parsed as HTML5 (Lexbor), with each block on its own line."""
    from selectolax.lexbor import LexborHTMLParser

    if _html_too_deep(markup):
        raise ReportError(
            f"{name}: the HTML nests elements more than {MAX_HTML_DEPTH} deep (a broken page?); "
            "save the page as plain text and map that"
        )
    tree = LexborHTMLParser(markup)
    for node in reversed(tree.css(", ".join(HTML_HIDDEN))):  # inner ones first: never touch a freed node
        node.decompose()
    for node in tree.css(", ".join(HTML_BLOCKS)):
        node.insert_before("\n")
        node.insert_after("\n")
    lines = (" ".join(line.split()) for line in (tree.root.text() if tree.root else "").splitlines())
    return "\n".join(line for line in lines if line)


def _html_too_deep(markup: str) -> bool:
    """Whether the markup nests past MAX_HTML_DEPTH, in one linear pass nesting as HTML5 does, before Lexbor pays."""
    if markup.count("<") <= MAX_HTML_DEPTH:
        return False  # too few tags to nest that deep: most pages end here
    open_tags: list[str] = []
    open_count: dict[str, int] = {}
    position = 0
    while len(open_tags) <= MAX_HTML_DEPTH and (token := _HTML_TOKEN.search(markup, position)):
        position = token.end()
        if token.group() == "<!--":
            position = _after(markup, "-->", position)
            continue
        closing, tag, attributes = token.group(1), token.group(2).lower(), token.group(3)
        if closing or (tag in _HTML_NOT_SELF_NESTING and open_count.get(tag)):
            _close(open_tags, open_count, tag)
        if tag in _HTML_RAW_TEXT and not closing:
            position = _after(markup, f"</{tag}", position, ignore_case=True)
        elif not closing and tag not in _HTML_UNNESTED and not _closes_itself(attributes, open_count):
            open_tags.append(tag)
            open_count[tag] = open_count.get(tag, 0) + 1
    return len(open_tags) > MAX_HTML_DEPTH


def _closes_itself(attributes: str, open_count: dict[str, int]) -> bool:
    """<path/> closes itself in SVG and MathML; in HTML the slash is ignored and <div/> stays open."""
    return attributes.endswith("/") and bool(open_count.get("svg") or open_count.get("math"))


def _close(open_tags: list[str], open_count: dict[str, int], tag: str) -> None:
    """An end tag: close its element and every element opened inside it, if it is open at all."""
    if not open_count.get(tag):
        return
    while open_tags:
        closed = open_tags.pop()
        open_count[closed] -= 1
        if closed == tag:
            return


def _after(markup: str, end_mark: str, position: int, ignore_case: bool = False) -> int:
    """The offset just past end_mark from position, or the end of the markup when it never comes."""
    if ignore_case:
        found = re.compile(re.escape(end_mark), re.IGNORECASE).search(markup, position)
        return found.end() if found else len(markup)
    found_at = markup.find(end_mark, position)
    return found_at + len(end_mark) if found_at != -1 else len(markup)


#: A Word file is a zip: one that says it unpacks to more than this, or packs more than MAX_ZIP_RATIO
#: times over (a zip bomb), is refused before python-docx unpacks it. zipfile never unpacks a member
#: past its declared size, so the declared sizes bound what reading can cost.
MAX_DOCX_UNPACKED = 200 * 1000 * 1000
MAX_ZIP_RATIO = 100
#: Below this much unpacked, no ratio can hurt.
ZIP_RATIO_FLOOR = 1024 * 1024


def text_from_docx(data: bytes, name: str) -> str:
    """The paragraphs, then the table cells, of a Word file, one a line."""
    try:
        import docx
    except ImportError:
        raise ReportError(f"{name}: reading Word files needs python-docx: pip install 'baymap[docx]'") from None
    _refuse_zip_bomb(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises several kinds for a broken file
        raise ReportError(f"{name}: not a readable Word (.docx) file: {err}") from None
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        paragraphs.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(paragraphs)


def _refuse_zip_bomb(data: bytes, name: str) -> None:
    """Refuse a Word file that would unpack to too much, from its zip directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as err:
        raise ReportError(f"{name}: not a readable Word (.docx) file: {err}") from None
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if unpacked > MAX_DOCX_UNPACKED:
        raise ReportError(
            f"{name}: the Word file would unpack to {unpacked / 1e6:.0f} MB, more than the "
            f"{MAX_DOCX_UNPACKED / 1e6:.0f} MB a report may; save it as plain text, or split it"
        )
    if unpacked > ZIP_RATIO_FLOOR and unpacked > MAX_ZIP_RATIO * max(packed, 1):
        raise ReportError(
            f"{name}: the Word file unpacks {unpacked // max(packed, 1)} times larger than it is, which only "
            "a zip bomb does; open it in Word and save it again, or save it as plain text"
        )


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
    """The text layer of a PDF, page after page; an encrypted, broken or scanned PDF is said to be one."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, FileNotDecryptedError
    except ImportError:
        raise ReportError(f"{name}: reading PDF files needs pypdf: pip install 'baymap[pdf]'") from None
    try:
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    except (FileNotDecryptedError, DependencyError):  # a password, or AES without the cryptography package
        raise ReportError(f"{name}: the PDF is encrypted; save an unencrypted copy") from None
    except Exception as err:  # pypdf raises many kinds for a broken file
        raise ReportError(f"{name}: not a readable PDF file: {err}") from None
    text = readable_pdf_text("\n".join(pages))
    if not text.strip():
        raise ReportError(f"{name}: the PDF has no text layer (a scan?); run OCR on it first")
    return text
