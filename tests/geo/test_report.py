"""Reading reports: encodings, bad inputs, sections, sentences and normalisation."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from baymap.geo import ReportError, report_from_bytes, report_from_path
from baymap.geo.report import MAX_REPORT_BYTES, SENTENCE_END, normalise_for_matching, report_from_text
from tests.conftest import SHARED_SAMPLE


def test_bundled_sample_is_the_shared_report(sample_bytes):
    if not SHARED_SAMPLE.exists():
        pytest.skip("../shared is not beside this checkout")
    assert sample_bytes == SHARED_SAMPLE.read_bytes()


def test_sample_decodes_to_its_7202_characters(sample):
    assert sample.encoding == "utf-8"
    assert len(sample.text) == 7202
    assert sample.title == "广州市推进粤港澳大湾区建设进展情况"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_and_gb18030_decode_to_the_same_text(sample, encoding):
    text = sample.text.replace("\xa0", " ")  # GBK has no no-break space; GB18030 has every character
    report = report_from_bytes(text.encode(encoding), name="gbk.txt")
    assert report.text == text
    assert report.encoding == "gb18030"


def test_utf8_bom_is_dropped_so_offsets_start_at_the_text(sample):
    report = report_from_bytes(b"\xef\xbb\xbf" + sample.text.encode("utf-8"))
    assert report.text == sample.text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings_are_kept_so_offsets_hold(newline):
    text = f"广州{newline}南沙。{newline}"
    report = report_from_bytes(text.encode())
    assert report.text == text
    assert report.title == "广州"
    assert report.sentence_at(text.index("南沙"), text.index("南沙") + 2) == "南沙。"
    assert len(report.normalised) == len(text) and "\r" not in report.normalised


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\xff\xfe\xfd" * 50, "cannot decode"),
        (bytes(range(1, 32)) * 40, "cannot decode"),
    ],
)
def test_bad_bytes_give_a_clear_error(data, message):
    with pytest.raises(ReportError, match=message):
        report_from_bytes(data, name="bad.txt")


def test_missing_file_and_folder_are_named(tmp_path):
    with pytest.raises(ReportError, match="no such file"):
        report_from_path(tmp_path / "nope.txt")
    with pytest.raises(ReportError, match="is a folder"):
        report_from_path(tmp_path)


def test_huge_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(MAX_REPORT_BYTES + 1)
    with pytest.raises(ReportError, match="split it"):
        report_from_path(huge)


def test_sections_of_the_sample(sample):
    labels = [s.label for s in sample.sections]
    assert labels[0] == "前言"
    assert [s.number for s in sample.sections[1:]] == list("一二三四五六七")
    assert labels[2] == "二、综合性门户城市功能实现新提升"
    assert sample.section_at(sample.text.index("南沙港区四期")).number == "二"
    assert sample.section_at(sample.text.index("香港科技大学")).number == "六"
    assert sample.section_at(0).label == "前言"


def test_sentence_is_verbatim_and_whole(sample):
    start = sample.text.index("南沙港区四期")
    quote = sample.sentence_at(start, start + 6)
    assert quote == "南沙港区四期、国际物流中心等项目开工，广州港集团与佛山、中山、云浮等市签订战略合作框架协议。"
    assert quote in sample.text


@given(st.text(alphabet=st.sampled_from("ab .。！？；!?\n\r\t\u3000\xa0\u2028长")))
def test_sentence_ends_are_the_marks_and_full_stops_before_white_space(text):
    """What the report's quotes are cut at: every sentence mark, and an ASCII full stop only before white space
    or at the end (3.5 and www.gd.gov.cn go on)."""
    assume(text.strip())
    marks = re.compile(rf"[{re.escape(SENTENCE_END)}]|\.(?!\S)")
    assert list(report_from_text(text)._sentence_ends) == [m.start() for m in marks.finditer(text)]


_PIECES = st.sampled_from(
    ["广州", "南沙", "。", "；", "\n", " ", "\u3000", "，", "二、标题\n", "x" * 130, "长" * 125, "a. b", "!"]
)


@given(st.lists(_PIECES, min_size=1, max_size=30), st.data())
def test_quotes_and_sections_for_many_mentions_are_each_mentions_own(pieces, data):
    """The batch look-up a report's mentions take gives what sentence_span and section_label_at give one by one,
    in short and long sentences, ones that begin or end with white space, before and after headings."""
    report = report_from_text("前" + "".join(pieces))
    size = len(report.text)
    starts = data.draw(st.lists(st.integers(0, size - 1), max_size=20))
    ends = [min(size, start + data.draw(st.integers(1, 4))) for start in starts]
    expected = [(*report.sentence_span(s, e), report.section_label_at(s)) for s, e in zip(starts, ends, strict=True)]
    assert list(zip(*report.quotes_and_sections(starts, ends), strict=True)) == expected


def test_a_huge_reports_quotes_are_read_without_an_array_of_its_characters(sample, monkeypatch):
    """Above FOLD_ARRAY_MAX characters no array of code points is made (memory): the quotes are the same."""
    from baymap.geo import report as report_module

    monkeypatch.setattr(report_module, "FOLD_ARRAY_MAX", 100)
    huge = report_from_text(sample.text)
    starts = list(range(0, len(huge.text) - 2, 97))
    ends = [start + 2 for start in starts]
    expected = [(*sample.sentence_span(s, e), sample.section_label_at(s)) for s, e in zip(starts, ends, strict=True)]
    assert list(huge._sentence_ends) == list(sample._sentence_ends)
    assert list(zip(*huge.quotes_and_sections(starts, ends), strict=True)) == expected


def test_normalisation_folds_width_and_script_but_keeps_length():
    text = "廣州南沙（ＩＰｖ６）粵港澳大灣區"
    folded = normalise_for_matching(text)
    assert folded == "广州南沙(ipv6)粤港澳大湾区"
    assert len(folded) == len(text)


@given(st.text())
def test_normalisation_never_moves_offsets(text):
    assert len(normalise_for_matching(text)) == len(text)


def test_chapters_are_sections_and_a_table_of_contents_is_skipped():
    text = (
        "规划纲要\n目录\n第一章　规划背景\n第一节　发展基础\n第二章　空间布局\n前言\n引言段落。\n"
        "第一章　规划背景\n南沙发展。\n第一节　发展基础\n一、基础\n前海发展。\n第二章　空间布局\n横琴发展。\n"
    )
    report = report_from_text(text)
    assert [s.label for s in report.sections] == ["前言", "第一章 规划背景", "第二章 空间布局"]
    assert report.section_at(text.index("前海")).label == "第一章 规划背景"
    assert report.section_at(text.index("横琴")).label == "第二章 空间布局"


def test_a_large_report_is_read_without_extra_copies(sample_bytes):
    """Reading keeps the text and its folded twin, not several copies (a 100 MB report must fit)."""
    import tracemalloc

    data = sample_bytes * 500  # about 10 MB
    tracemalloc.start()
    try:
        report = report_from_bytes(data, name="big.txt")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(report.text) == 7202 * 500
    assert peak < 3.5 * len(data)  # the bytes, the text and the folded text, at most


def test_no_code_point_above_the_white_space_table_is_white_space():
    """quotes_and_sections reads white space from a table up to WHITE_SPACE_MAX and calls all above it not white."""
    import sys

    from baymap.geo.report import WHITE_SPACE_MAX

    assert max(code for code in range(sys.maxunicode + 1) if chr(code).isspace()) == WHITE_SPACE_MAX


_BODY_PIECES = st.sampled_from(["第一节 总则", "第二節", "\n", " ", "\u3000", "\t", "正文", "第", "\xa0"])


@given(st.lists(_BODY_PIECES).map("".join))
def test_a_body_of_sub_headings_is_told_as_the_whole_rewrite_tells_it(body):
    """The quick look at each line's start says what rewriting the body without its sub-headings says."""
    from baymap.geo.report import SUBHEADING, _only_subheadings

    assert _only_subheadings(body) == (not SUBHEADING.sub("", body).strip())
