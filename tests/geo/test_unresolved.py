"""Unresolved place-like strings: what the gazetteer missed, most frequent first."""

from __future__ import annotations

from baymap.geo import load_gazetteer, mentions_from_report, report_from_bytes, unresolved_from_report


def unresolved(text: str) -> list[tuple[str, int]]:
    report = report_from_bytes(text.encode("utf-8"))
    gazetteer = load_gazetteer()
    return [(u.text, u.count) for u in unresolved_from_report(report, mentions_from_report(report, gazetteer))]


def test_the_sample_leaves_nothing_unresolved(sample, sample_mentions):
    assert unresolved_from_report(sample, sample_mentions) == []


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


def test_an_unknown_area_ending_in_pianqu_is_listed():
    assert unresolved("加快珠海梅溪片区建设。") == [("梅溪片区", 1)]
