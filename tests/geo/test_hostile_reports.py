"""Reports built to break the reader: line endings, quotes without end, endless streams, odd files.

Each must give a correct result or one ReportError line that starts with the report's name.
"""

from __future__ import annotations

import codecs
import io
import os
import random
import re
import threading
import time
import zipfile
from pathlib import Path

import pytest

from baymap.geo import ReportError, mentions_from_report, report_from_bytes, report_from_path
from baymap.geo import documents as documents_module
from baymap.geo import report as report_module
from baymap.geo.report import QUOTE_REACH, read_capped

# --- 1. Line endings: the text is kept as decoded, so every offset indexes it -----------------------

LINE_ENDINGS = {
    "crlf": lambda data: data.replace(b"\n", b"\r\n"),
    "cr": lambda data: data.replace(b"\n", b"\r"),
    "bom+crlf": lambda data: codecs.BOM_UTF8 + data.replace(b"\n", b"\r\n"),
    "bom": lambda data: codecs.BOM_UTF8 + data,
}


@pytest.mark.parametrize("convert", LINE_ENDINGS.values(), ids=LINE_ENDINGS.keys())
def test_every_mention_indexes_the_text_whatever_the_line_ends(
    convert, sample_bytes, sample, sample_mentions, gazetteer
):
    data = convert(sample_bytes)
    report = report_from_bytes(data, name="sample-report.txt")
    mentions = mentions_from_report(report, gazetteer)
    assert report.text == data.decode("utf-8-sig")
    assert len(report.normalised) == len(report.text)
    assert all(report.text[m.start : m.end] == m.text for m in mentions)
    assert [(s.number, s.title) for s in report.sections] == [(s.number, s.title) for s in sample.sections]
    assert [(m.entry_id, m.section, m.quote) for m in mentions] == [
        (m.entry_id, m.section, m.quote) for m in sample_mentions
    ]
    assert report.title == sample.title


# --- 2. Quotes are bounded, and still read as phrases ----------------------------------------------

WORDS = "the Nansha district and the city of Shenzhen keep growing together in many plans and projects "


def quote_total(text: str, gazetteer) -> tuple[int, int]:
    """(number of mentions, total length of their quotes), checking each quote's bound on the way."""
    report = report_from_bytes(text.encode(), name="english.txt")
    mentions = mentions_from_report(report, gazetteer)
    for m in mentions:
        assert m.quote == report.text[m.quote_start : m.quote_end]
        assert m.start - m.quote_start <= QUOTE_REACH and m.quote_end - m.end <= QUOTE_REACH
        assert len(m.quote) <= 2 * QUOTE_REACH + len(m.text)
    return len(mentions), sum(len(m.quote) for m in mentions)


def test_a_long_line_without_sentence_ends_gives_short_quotes_growing_linearly(gazetteer):
    line = WORDS * (200_000 // len(WORDS))  # 200 KB, one line, no full stop
    count, total = quote_total(line, gazetteer)
    count4, total4 = quote_total(line * 4, gazetteer)
    assert count > 4000 and count4 == 4 * count
    assert total4 <= 4.5 * total
    assert total <= count * (2 * QUOTE_REACH + len("Shenzhen"))


def test_a_cut_quote_starts_and_stops_at_a_word_gap_without_clause_marks():
    text = "x " + WORDS * 10
    report = report_from_bytes(text.encode())
    start = text.index("Nansha", 500)
    left, right = report.sentence_span(start, start + len("Nansha"))
    assert text[left - 1] == " " and text[right] == " "
    assert start - left <= QUOTE_REACH and right - start - 6 <= QUOTE_REACH


def test_a_long_chinese_sentence_is_cut_at_its_clause_marks():
    text = "前言\n" + "推进南沙开发建设，" * 60 + "推进前海开发。\n"
    report = report_from_bytes(text.encode())
    start = text.index("南沙", 200)
    left, right = report.sentence_span(start, start + 2)
    assert text[left - 1] == "，" and text[right - 1] == "，"
    assert start - left <= QUOTE_REACH and right - start - 2 <= QUOTE_REACH
    assert start - left > QUOTE_REACH - len("推进南沙开发建设，")  # the clause mark furthest out is taken


@pytest.mark.parametrize(
    ("text", "name", "sentence"),
    [
        ("Growth was 3.5 per cent in Nansha. Shenzhen grew too.", "Nansha", "Growth was 3.5 per cent in Nansha."),
        ("Trade between the U.S.A and Nansha grew! Next.", "Nansha", "Trade between the U.S.A and Nansha grew!"),
        ("One. See www.gd.gov.cn on Nansha? Two.", "Nansha", "See www.gd.gov.cn on Nansha?"),
        ("A plan. Nansha grows.", "Nansha", "Nansha grows."),
    ],
)
def test_ascii_full_stops_end_sentences_only_before_white_space_or_the_end(text, name, sentence):
    report = report_from_bytes(text.encode())
    start = text.index(name)
    assert report.sentence_at(start, start + len(name)) == sentence


def test_the_sample_quotes_whole_sentences_when_they_are_short(sample, sample_mentions):
    text = sample.text
    ends = [i for i, ch in enumerate(text) if ch in "。！？；!?\n"]
    cut = 0
    for m in sample_mentions:
        left = max((i + 1 for i in ends if i < m.start), default=0)
        right = min((i + 1 for i in ends if i >= m.end), default=len(text))
        whole = text[left:right].strip()
        if m.start - left <= QUOTE_REACH and right - m.end <= QUOTE_REACH:
            assert m.quote == whole
        else:
            cut += 1
            assert m.quote in whole and len(m.quote) < len(whole)
            assert m.quote[-1] in "，、；：。！？；" and text[m.quote_start - 1] in "，、；：。！？；\n"
    assert cut < len(sample_mentions) // 10


# --- 3. The size cap holds for anything that streams -----------------------------------------------


@pytest.fixture
def small_cap(monkeypatch) -> int:
    cap = 3 * 1024 * 1024 + 5
    monkeypatch.setattr(report_module, "MAX_REPORT_BYTES", cap)
    return cap


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_stops_at_the_cap(small_cap):
    started = time.monotonic()
    with pytest.raises(ReportError, match=r"^/dev/zero: it is more than the 3 MiB a report may be; split it"):
        report_from_path("/dev/zero")
    assert time.monotonic() - started < 10


def write_to_fifo(path: Path, data: bytes) -> threading.Thread:
    """A writer on its own thread (opening a FIFO blocks until the reader opens it)."""

    def write() -> None:
        try:
            with path.open("wb") as fifo:
                fifo.write(data)
        except BrokenPipeError:
            pass  # the reader stopped at the cap

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_read_and_capped(tmp_path, small_cap):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    writer = write_to_fifo(fifo, "南沙大桥建成通车。".encode())
    assert report_from_path(fifo).text == "南沙大桥建成通车。"
    writer.join(5)
    writer = write_to_fifo(fifo, b"a" * (small_cap + 1))
    with pytest.raises(ReportError, match=rf"^{re.escape(str(fifo))}: .*split it into several reports"):
        report_from_path(fifo)
    writer.join(5)


def test_a_stream_is_read_up_to_the_cap_and_no_further(small_cap):
    assert read_capped(io.BytesIO(b"a" * small_cap), "<stdin>") == b"a" * small_cap
    with pytest.raises(ReportError, match=r"^<stdin>: it is more than"):
        read_capped(io.BytesIO(b"a" * (small_cap + 1)), "<stdin>")


# --- 4. HTML5 as browsers read it -----------------------------------------------------------------


def html_text(markup: str) -> str:
    return report_from_bytes(markup.encode(), name="page.html").text


def test_html_without_end_of_head_or_body_keeps_its_text():
    assert html_text("<html><head><title>t</title><p>南沙开发。") == "南沙开发。"


def test_an_unclosed_svg_does_not_swallow_the_page():
    assert html_text("<p>前言</p><svg><text>x</text><p>南沙大桥建成通车。</p>") == "前言\n南沙大桥建成通车。"


def test_scripts_are_not_read_and_entities_are_decoded():
    page = '<script>document.write("南沙")</script><p>&lt;前海&gt; &amp; &#21335;&#27801;&nbsp;合作</p>'
    assert html_text(page) == "<前海> & 南沙 合作"


def test_deeply_nested_html_is_refused_quickly_and_ordinary_pages_are_not():
    started = time.monotonic()
    with pytest.raises(ReportError, match=r"^page\.html: the HTML nests elements more than"):
        html_text("<div>" * 100_000 + "南沙")
    with pytest.raises(ReportError, match="nests"):
        html_text("<span>" * 100_000 + "</q>" * 100_000)
    assert time.monotonic() - started < 5
    assert html_text("<div>南沙</div>" * 10_000).count("南沙") == 10_000
    assert html_text("<svg>" + "<path d='M0 0'/>" * 10_000 + "</svg><p>南沙</p>") == "南沙"
    assert html_text("<a href=x>南沙" * 10_000).count("南沙") == 10_000
    assert html_text("<script>" + "<div>" * 10_000 + "</script><p>南沙</p>") == "南沙"


# --- 5. Files that used to raise a traceback -------------------------------------------------------


def test_a_symlink_loop_is_named(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(tmp_path / "other.txt")
    (tmp_path / "other.txt").symlink_to(loop)
    with pytest.raises(ReportError, match=rf"^{re.escape(str(loop))}: cannot be read \(.*symbolic links\)"):
        report_from_path(loop)


def test_any_other_os_error_is_one_line(tmp_path):
    too_long = tmp_path / ("x" * 300 + ".txt")
    with pytest.raises(ReportError, match=rf"^{re.escape(str(too_long))}: cannot be read \(File name too long\)"):
        report_from_path(too_long)


@pytest.mark.parametrize("password", ["secret", ""])
def test_an_encrypted_pdf_says_so(password):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("cryptography")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    # With a password it cannot be opened; without one pypdf opens it, and the blank page has no text.
    message = "the PDF is encrypted; save an unencrypted copy" if password else "the PDF has no text layer"
    with pytest.raises(ReportError, match=rf"^report\.pdf: {message}"):
        report_from_bytes(buffer.getvalue(), name="report.pdf")


def zip_of_zeros(megabytes: int, level: int) -> bytes:
    """A .docx-shaped zip whose document.xml is that many MB of zeros, written a MB at a time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(bytes(1_000_000))
    return buffer.getvalue()


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked():
    pytest.importorskip("docx")
    bomb = zip_of_zeros(300, level=1)
    assert len(bomb) < 3_000_000
    with pytest.raises(ReportError, match=r"^bomb\.docx: the Word file would unpack to 300 MB, more than the 200 MB"):
        report_from_bytes(bomb, name="bomb.docx")


def test_a_docx_packed_a_thousand_to_one_is_refused():
    pytest.importorskip("docx")
    bomb = zip_of_zeros(20, level=9)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) < documents_module.MAX_DOCX_UNPACKED
    with pytest.raises(ReportError, match=r"^bomb\.docx: the Word file unpacks \d+ times larger"):
        report_from_bytes(bomb, name="bomb.docx")


@pytest.mark.parametrize(("bom", "encoding"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_a_byte_order_mark(sample, bom, encoding, sample_mentions, gazetteer):
    report = report_from_bytes(bom + sample.text.encode(encoding), name="wide.txt")
    assert (report.text, report.encoding) == (sample.text, encoding)
    assert [m.entry_id for m in mentions_from_report(report, gazetteer)] == [m.entry_id for m in sample_mentions]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_mark_is_told_by_its_zero_bytes(sample, encoding):
    english = "Nansha and Shenzhen grow together.\n" * 50
    assert report_from_bytes(english.encode(encoding), name="wide.txt").text == english
    assert report_from_bytes(sample.text.encode(encoding), name="wide.txt").encoding == encoding


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_mark_or_zero_bytes_is_told_by_its_han_characters(encoding):
    text = "支持廣州南沙建設粵港澳全面合作示範區，推進港珠澳大橋、深中通道建設。" * 20
    data = text.encode(encoding)
    assert b"\x00" not in data
    report = report_from_bytes(data, name="wide.txt")
    assert (report.text, report.encoding) == (text, encoding)


def test_chinese_encodings_are_not_mistaken_for_utf16():
    text = "Nansha port 南沙港 grows with the Shenzhen port, 深圳港。\n" * 50
    assert report_from_bytes(text.encode("gb18030"), name="gbk.txt").encoding == "gb18030"
    assert report_from_bytes(text.encode("big5"), name="big5.txt").encoding == "big5"


def test_real_binary_is_still_called_binary():
    image = pytest.importorskip("PIL.Image")
    png = io.BytesIO()
    image.new("RGB", (64, 64), (200, 30, 30)).save(png, format="PNG")
    noise = random.Random(0).randbytes(20_000)
    for data in (png.getvalue(), noise):
        with pytest.raises(ReportError, match=r"^image\.txt: looks like a binary file"):
            report_from_bytes(data, name="image.txt")
