"""Unresolved place-like strings: what the gazetteer missed, most frequent first."""

from __future__ import annotations

import random
import re

import pytest

from baymap.geo import load_gazetteer, mentions_from_report, report_from_bytes, unresolved_from_report
from baymap.geo.unresolved import lexicon, unresolved_from_spans


def unresolved(text: str) -> list[tuple[str, int]]:
    report = report_from_bytes(text.encode("utf-8"))
    gazetteer = load_gazetteer()
    return [(u.text, u.count) for u in unresolved_from_report(report, mentions_from_report(report, gazetteer))]


def unmatched(text: str) -> list[str]:
    """The candidates of a text with no gazetteer mention at all: what the reading finds by itself."""
    return [u.text for u in unresolved_from_spans(report_from_bytes(text.encode("utf-8")), [])]


def test_the_sample_lists_names_it_does_not_map(sample, sample_mentions):
    found = unresolved_from_report(sample, sample_mentions)
    assert "岭南现代农业科学与技术省实验室" in {u.text for u in found}
    assert all(sample.text[u.start : u.start + len(u.text)] == u.text for u in found)


def test_unknown_places_are_listed_by_frequency():
    text = "建设新造科技园。新造科技园开园，天鹿湖大桥通车。推进新造科技园建设。"
    assert unresolved(text) == [("新造科技园", 3), ("天鹿湖大桥", 1)]


def test_known_names_and_generic_words_are_not_listed():
    assert unresolved("南沙港区四期开工，各地区、城区和园区协同，湾区发展。") == []


def test_the_quote_and_offset_point_at_the_first_occurrence():
    report = report_from_bytes("前言。\n一、交通\n黄茅海跨海通道和梅花洲大桥建设。".encode())
    found = unresolved_from_report(report, mentions_from_report(report, load_gazetteer()))
    bridge = next(u for u in found if u.text == "梅花洲大桥")
    assert report.text[bridge.start : bridge.start + len(bridge.text)] == "梅花洲大桥"
    assert bridge.section == "一、交通"
    assert bridge.quote == "黄茅海跨海通道和梅花洲大桥建设。"


def test_an_unknown_area_ending_in_pianqu_is_listed_with_the_place_before_it():
    assert unresolved("加快珠海梅溪片区建设。") == [("珠海梅溪片区", 1)]


def test_a_designation_after_a_verb_is_no_name():
    assert unresolved("争创国家未来产业先导区。") == []


@pytest.mark.parametrize("name", ["梅武高铁", "南中珠城际", "西部生态新区", "翠亨软件园", "粤澳信息港"])
def test_names_the_issue_gives_are_themselves(name):
    assert unmatched(f"加快{name}建设。") == [name]


def test_generic_phrases_are_no_names():
    text = "建设现代农业产业园、体育公园和旅游度假区，推动经济开发区、合作区发展，打造零碳园区和智慧商圈。"
    assert unresolved(text) == []


def test_slogans_in_quotes_are_no_names_but_a_quoted_name_is():
    assert unresolved("推进“湾区通”工程，守住“三保”底线。") == []
    assert unresolved("建设「侨梦苑」华侨华人创新产业聚集区。") == [("「侨梦苑」华侨华人创新产业聚集区", 1)]


def test_a_name_stops_at_the_verb_before_it():
    assert unmatched("研究建设粤澳信息港。") == ["粤澳信息港"]
    assert unmatched("支持中山依托三角机场谋划建设。") == ["三角机场"]  # 三角: a town of the township tier


def test_traditional_text_gives_the_name_as_written():
    assert unmatched("研究建設粵澳信息港。") == ["粵澳信息港"]


def test_two_places_joined_by_zhi_name_one_line():
    assert unresolved("适时开展湛江至海安铁路建设。") == [("湛江至海安铁路", 1)]


def test_a_dash_stays_inside_a_name():
    assert unmatched("启动环南昆山—罗浮山县镇村高质量发展引领区建设。") == ["环南昆山—罗浮山县镇村高质量发展引领区"]


def test_a_latin_brand_is_a_proper_element_an_acronym_is_not():
    assert unmatched("加快vivo全球研发总部建设，LNG接收站投产。") == ["vivo全球研发总部"]


def test_a_known_place_in_a_parenthesis_after_the_ending_belongs_to_the_name():
    assert unresolved("国家海洋综合试验场（珠海）启动试验。") == [("国家海洋综合试验场（珠海）", 1)]


def test_a_designation_given_to_a_known_place_is_no_name():
    assert unresolved("新创建茂名化橘红国家地理标志保护示范区。") == []


def test_a_known_place_and_its_title_is_no_name():
    assert unresolved("强化深圳港国际枢纽港地位。") == []


def test_an_expressway_named_by_its_ends_is_a_name():
    assert unmatched("建成增天高速等项目，经济高速增长。") == ["增天高速"]


def test_a_provinces_own_museum_is_a_name_each_citys_museum_is_not():
    assert unmatched("省博物馆入选重点博物馆，推进各市博物馆、城市博物馆建设。") == ["省博物馆"]


def test_the_endings_are_found_as_a_longest_first_alternation_finds_them():
    """The endings are found by an Aho-Corasick automaton for speed: the same as a longest-first alternation."""
    endings = sorted(lexicon().ending_kind, key=len, reverse=True)
    plain = re.compile("|".join(map(re.escape, endings)))
    pieces = [*endings, *sorted({char for ending in endings for char in ending}), "市", "域", "的"]
    rng = random.Random(0)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(30))
        found = lexicon().endings.find_matches_as_indexes(text)
        assert [(start, end) for _, start, end in found] == [m.span() for m in plain.finditer(text)]
