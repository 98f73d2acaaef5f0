"""Places derived from known ones: compositions with a name of their own, corridors named by their ends, lists."""

from __future__ import annotations

import re

import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from baymap.geo import load_gazetteer, mentions_from_report, report_from_bytes
from baymap.geo.derivation import _own_name_goes_on
from baymap.geo.matching import matcher_from_gazetteer

SHIPPED = load_gazetteer()
MATCHER = matcher_from_gazetteer(SHIPPED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("湛江推进发展。建设徐闻县大水桥水库。", {"徐闻县大水桥水库": "xuwen+徐闻县大水桥水库"}),
        ("湛江推进发展。高州市根子镇柏桥村发展荔枝。", {"根子镇柏桥村": "town_440981104+根子镇柏桥村"}),
        ("广州推进发展。支持中山东区软件园发展。", {"中山东区软件园": "zhongshan+中山东区软件园"}),
        ("湛江推进发展。徐闻县推进大水桥水库建设。", {}),  # 推进 is no part of a name
        ("湛江推进发展。徐闻县和大水桥水库。", {}),  # nor is 和
        ("湛江推进发展。徐闻县大水桥北边的小水库。", {}),  # too long a name: not composed
        ("中山推进发展。中山市小榄镇东升村。", {"小榄镇东升村": "town_442000118+小榄镇东升村"}),  # the nearer place
    ],
    ids=["reservoir", "village", "park", "verb", "conjunction", "too-long", "nearer-place"],
)
def test_a_known_place_a_short_name_and_a_type_word_name_a_place_within_the_known_one(text, expected):
    mentions = mentions_from_report(report_from_bytes(text.encode("utf-8")), SHIPPED, MATCHER)
    assert {m.text: m.entry_id for m in mentions if "+" in m.entry_id} == expected


def corridors_in(text: str) -> dict[str, str]:
    mentions = mentions_from_report(report_from_bytes(text.encode("utf-8")), SHIPPED, MATCHER)
    return {m.text: m.entry_id for m in mentions if ">" in m.entry_id}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("研究广州至清远铁路延伸。", {"广州至清远铁路": "guangzhou>qingyuan+广州至清远铁路"}),
        (
            "推进广州至汕尾、深圳至茂名等铁路建设。",  # one word after a list of chains
            {"广州至汕尾": "guangzhou>shanwei+广州至汕尾", "深圳至茂名": "shenzhen>maoming+深圳至茂名"},
        ),
        (
            "开通香港－深圳－惠州－汕尾海上旅游航线。",
            {"香港－深圳－惠州－汕尾": "hong_kong>shenzhen>huizhou>shanwei+香港-深圳-惠州-汕尾"},
        ),
        (
            "推进“广州－深圳－香港－澳门”科技创新走廊。",  # 广州－深圳 is a name of 广深: here two cities of a chain
            {"广州－深圳－香港－澳门": "guangzhou>shenzhen>hong_kong>macao+广州-深圳-香港-澳门"},
        ),
        ("发挥香港－深圳、广州－佛山强强联合。", {}),  # pairs, but no corridor
        ("深圳到中山车程缩至30分钟。", {}),
        ("广州至汕尾。铁路建设。", {}),  # the word is in another sentence
        ("广州至汕尾的客流很大，建设铁路。", {}),  # or beyond the clause
    ],
    ids=["word-after", "list", "chain", "pair-name", "no-corridor", "no-word", "other-sentence", "other-clause"],
)
def test_places_joined_by_a_corridor_word_are_a_corridor_through_them(text, expected):
    assert corridors_in(text) == expected


def test_a_derived_corridor_is_drawn_straight_through_its_places_and_says_so():
    from baymap.geo.geometry import geometries_from_gazetteer

    entry_id = "guangzhou>shanwei+广州至汕尾"
    corridor = SHIPPED[entry_id]
    assert (corridor.layer, corridor.kind, corridor.geometry) == (
        "corridors",
        "corridor",
        {"through": ["guangzhou", "shanwei"]},
    )
    assert corridor.precision.startswith("derived: drawn straight through 广州市、汕尾市")
    shapes = geometries_from_gazetteer(SHIPPED, [entry_id, "guangzhou", "shanwei"])
    line = shapes[entry_id]
    assert line.geom_type == "LineString"
    start, end = (shapely.Point(c) for c in (line.coords[0], line.coords[-1]))
    assert shapes["guangzhou"].contains(start) and shapes["shanwei"].contains(end)
    assert SHIPPED["zhanjiang>qingyuan+湛江至清远铁路"].kind == "railway"


def test_a_corridors_places_and_a_composed_names_place_are_mentions_too():
    """汕尾 is named in 广州至汕尾, 根子镇 in 根子镇柏桥村; 板芙经济开发区 is the zone's own name, not also 板芙镇."""
    text = "中山推进发展。推进广州至汕尾等铁路。茂名高州市根子镇柏桥村。中山市建设板芙经济开发区，中山加快发展。"
    mentions = mentions_from_report(report_from_bytes(text.encode("utf-8")), SHIPPED, MATCHER)
    named = [(m.entry_id, m.text) for m in mentions]
    assert ("guangzhou>shanwei+广州至汕尾", "广州至汕尾") in named
    assert ("guangzhou", "广州") in named and ("shanwei", "汕尾") in named
    assert ("town_440981104", "根子镇") in named and ("town_440981104+根子镇柏桥村", "根子镇柏桥村") in named
    assert ("town_442000115+板芙经济开发区", "板芙经济开发区") in named
    assert not [m for m in mentions if m.entry_id == "town_442000115"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # each item with the word after 等 (and the count words) is a known name: 肇庆浪江 + 抽水蓄能电站
            "加快梅州二期、肇庆浪江、河源岑田等一批抽水蓄能电站建设。",
            {"肇庆浪江": "langjiang_pumped_storage", "河源岑田": "centian_pumped_storage"},
        ),
        ("加快肇庆浪江、河源岑田等项目建设。", {}),  # 项目 makes no known name of them
        ("肇庆浪江和河源岑田抽水蓄能电站。", {"岑田抽水蓄能电站": "centian_pumped_storage"}),  # no list: its own name
        (  # the word begins only one entry's names: 浪江 + 抽水蓄能(项目) is 浪江抽水蓄能电站
            "加快梅州二期、肇庆浪江、河源岑田等一批抽水蓄能项目建设。",
            {"肇庆浪江": "langjiang_pumped_storage", "河源岑田": "centian_pumped_storage"},
        ),
    ],
    ids=["list", "other-word", "no-list", "word-begins-a-name"],
)
def test_list_items_that_name_a_known_place_with_the_word_after_the_list(text, expected):
    mentions = mentions_from_report(report_from_bytes(text.encode("utf-8")), SHIPPED, MATCHER)
    assert {m.text: m.entry_id for m in mentions if m.entry_id.endswith("_storage")} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("与佛肇、莞惠城际贯通。", {"佛肇": "guangfozhao_intercity", "莞惠城际": "guanhui_intercity"}),
        ("与佛肇、莞惠发展。", {}),  # no shared word: not the railways
    ],
    ids=["shared-word", "no-word"],
)
def test_a_list_whose_last_item_carries_the_word_names_each_item_with_it(text, expected):
    mentions = mentions_from_report(report_from_bytes(text.encode("utf-8")), SHIPPED, MATCHER)
    assert {m.text: m.entry_id for m in mentions if m.entry_id.endswith("intercity")} == expected


@given(st.text(alphabet=st.sampled_from("大水桥的建设和a、")), st.lists(st.sampled_from(["的", "建设", "和", "设和"])))
def test_a_name_of_its_own_is_read_a_character_at_a_time_as_a_whole(text, breaks):
    """composed() grows a composition's own name one character at a time: each step's answer is the whole
    prefix's (Chinese only, holding none of the words that end a name)."""
    breaks = tuple(breaks)
    grown = True
    for end in range(1, len(text) + 1):
        grown = grown and _own_name_goes_on(text, 0, end, breaks)
        prefix = text[:end]
        whole = re.fullmatch("[\u4e00-\u9fff]+", prefix) is not None and not any(w in prefix for w in breaks)
        assert grown == whole
