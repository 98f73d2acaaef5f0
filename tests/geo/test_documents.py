"""Report files as people have them: Big5, HTML, Markdown, Word and PDF, and what is wrong with them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from baymap.geo import ReportError, load_gazetteer, mentions_from_report, report_from_bytes, report_from_path

TRADITIONAL = "支持廣州南沙建設粵港澳全面合作示範區，推進港珠澳大橋、深中通道建設。"


def ids(report) -> list[str]:
    return [m.entry_id for m in mentions_from_report(report, load_gazetteer())]


def test_big5_traditional_text_maps_like_simplified():
    report = report_from_bytes((TRADITIONAL * 20).encode("big5"), name="hk.txt")
    assert report.encoding == "big5"
    assert report.text.startswith("支持廣州南沙")  # quotes stay in the original script
    assert ids(report)[:5] == ["guangzhou", "nansha", "yue_gang_ao", "hzmb", "shenzhong_link"]


def test_the_dev_outline_plan_in_big5_decodes_exactly():
    path = Path(__file__).resolve().parents[3] / "shared" / "reports" / "dev" / "01-gba-outline-plan-2019-trad.txt"
    if not path.exists():
        pytest.skip("../shared is not beside this checkout")
    text = path.read_text(encoding="utf-8")
    data = text.encode("big5", errors="ignore")
    assert report_from_bytes(data, name="plan.txt").text == data.decode("big5")


def test_html_keeps_the_text_and_drops_scripts_and_styles():
    page = (
        "<html><head><title>报告</title><style>p{color:red}</style></head><body>"
        "<h1>一、交通</h1><p>南沙大桥建成&amp;通车。</p><script>var 南沙 = 1;</script>"
        "<div>广清城际<b>年底</b>建成。</div></body></html>"
    )
    report = report_from_bytes(page.encode("utf-8"), name="page.html")
    assert report.text == "一、交通\n南沙大桥建成&通车。\n广清城际年底建成。"
    assert ids(report) == ["nansha_bridge", "guangqing_intercity"]
    assert report.section_at(report.text.index("南沙")).label == "一、交通"


def test_markdown_is_read_as_text():
    report = report_from_bytes("# 报告\n\n- **南沙**新区\n".encode(), name="notes.md")
    assert ids(report) == ["nansha"]


def test_word_documents():
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("一、平台建设")
    document.add_paragraph("加快中新广州知识城建设。")
    buffer = io.BytesIO()
    document.save(buffer)
    report = report_from_bytes(buffer.getvalue(), name="report.docx")
    assert report.text == "一、平台建设\n加快中新广州知识城建设。"
    assert ids(report) == ["zhishicheng"]


def test_broken_word_and_pdf_files_are_named():
    with pytest.raises(ReportError, match=r"report\.docx: not a readable Word"):
        report_from_bytes(b"PK\x03\x04 not really a zip", name="report.docx")
    with pytest.raises(ReportError, match=r"report\.pdf: not a readable PDF"):
        report_from_bytes(b"%PDF-1.4 nonsense", name="report.pdf")


def test_pdf_text_layer(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "blank.pdf"
    with path.open("wb") as f:
        writer.write(f)
    with pytest.raises(ReportError, match="no text layer"):
        report_from_path(path)


def test_pdf_printed_by_chromium_reads_back(tmp_path):
    """A real PDF with CJK text (Chromium prints it), whose fonts map characters to radicals."""
    import shutil
    import subprocess

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("needs Chromium to print a PDF (installed by .ci/run)")
    page = tmp_path / "report.html"
    page.write_text("<p>一、交通</p><p>南沙大桥建成通车，广清城际将于年底建成。</p>", encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    report = report_from_path(pdf)
    assert "南沙大桥建成通车，广清城际将于年底建成。" in report.text
    assert ids(report) == ["nansha_bridge", "guangqing_intercity"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.html", b"<html><head><script>var x = 1;</script></head><body> </body></html>", "the report is empty"),
        ("binary.html", b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("empty.md", b"", "the report is empty"),
        ("empty.docx", b"", "not a readable Word"),
        ("empty.pdf", b"", "not a readable PDF"),
    ],
)
def test_every_format_says_what_is_wrong(name, data, message):
    with pytest.raises(ReportError, match=message):
        report_from_bytes(data, name=name)
