"""What review.html offers: each unresolved name once, with its quotes and a suggestion that says why."""

from __future__ import annotations

from baymap.geo import mentions_from_report, report_from_bytes
from baymap.geo.gazetteer import alias_key
from baymap.geo.report import Report
from baymap.geo.review import MAX_QUOTES, review_candidates
from baymap.geo.unresolved import Unresolved


def report_of(text: str, name: str = "report.txt") -> Report:
    return report_from_bytes(text.encode("utf-8"), name=name)


def unresolved_in(report: Report, name: str, count: int = 1) -> Unresolved:
    """The row unresolved.csv would have for `name` (written by hand: this tests the suggestions, not the finder)."""
    start = report.text.index(name)
    return Unresolved(name, count, start, report.sentence_at(start, start + len(name)), "", report.name)


def suggested(text: str, name: str, gazetteer):
    report = report_of(text)
    mentions = mentions_from_report(report, gazetteer)
    [candidate] = review_candidates([unresolved_in(report, name)], [report], mentions, gazetteer)
    return candidate.suggestion


def owner(gazetteer, name: str) -> str:
    return gazetteer.plain_names[alias_key(name)]


def test_a_known_place_inside_the_name_is_the_suggestion(gazetteer):
    suggestion = suggested("推进茂名华南钛谷建设。", "茂名华南钛谷", gazetteer)
    assert suggestion.entry_id == owner(gazetteer, "茂名")
    assert suggestion.reason_en == "its name contains 茂名" and suggestion.reason_zh == "名称中含“茂名”"


def test_a_city_inside_the_name_wins_over_a_grouping(gazetteer):
    suggestion = suggested("打造惠州粤港澳绿色农产品生产供应基地。", "惠州粤港澳绿色农产品生产供应基地", gazetteer)
    assert suggestion.entry_id == owner(gazetteer, "惠州")


def test_else_the_district_named_nearest_in_the_same_sentence(gazetteer):
    text = "广州要开放。支持顺德区和南海区建设鹤洲科创产业园。"
    suggestion = suggested(text, "鹤洲科创产业园", gazetteer)
    assert suggestion.entry_id == owner(gazetteer, "南海区")
    assert suggestion.reason_en == "the same sentence names 南海区"


def test_else_the_city_the_report_is_about(gazetteer):
    text = "中山要开放。中山要创新。中山要协调。建设鹤洲科创产业园。"
    suggestion = suggested(text, "鹤洲科创产业园", gazetteer)
    assert suggestion.entry_id == owner(gazetteer, "中山")
    assert suggestion.reason_en.startswith("the report is mostly about Zhongshan")


def test_no_evidence_no_suggestion(gazetteer):
    assert suggested("建设鹤洲科创产业园。", "鹤洲科创产业园", gazetteer) is None


def test_each_name_once_over_all_reports_most_written_first_with_every_quote(gazetteer):
    first = report_of("一、生态\n谋划金鼎湾片区。建设鹤洲科创产业园。\n二、产业\n鹤洲科创产业园要开放。", "a.txt")
    second = report_of("鹤洲科创产业园招商。", "b.txt")
    rows = [unresolved_in(first, "金鼎湾片区"), unresolved_in(first, "鹤洲科创产业园", 2)]
    rows.append(unresolved_in(second, "鹤洲科创产业园"))
    mentions = [*mentions_from_report(first, gazetteer), *mentions_from_report(second, gazetteer)]
    park, bay = review_candidates(rows, [first, second], mentions, gazetteer)
    assert (park.text, park.count, bay.text, bay.count) == ("鹤洲科创产业园", 3, "金鼎湾片区", 1)
    assert [(q.report, q.section) for q in park.quotes] == [
        ("a.txt", "一、生态"),
        ("a.txt", "二、产业"),
        ("b.txt", "前言"),
    ]
    for quote in park.quotes:
        assert quote.sentence[quote.start : quote.end] == "鹤洲科创产业园"
    assert park.quotes[1].sentence == "鹤洲科创产业园要开放。"


def test_quotes_stop_at_a_few(gazetteer):
    report = report_of("鹤洲科创产业园开园。" * (MAX_QUOTES + 3))
    [candidate] = review_candidates([unresolved_in(report, "鹤洲科创产业园")], [report], [], gazetteer)
    assert len(candidate.quotes) == MAX_QUOTES
