"""Finding names: leftmost-longest matching, context rules, offsets, and the sample's entities."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baymap.geo import load_gazetteer, mentions_from_report, report_from_bytes
from baymap.geo.corpus import extraction_from_report
from baymap.geo.matching import matcher_from_gazetteer
from baymap.geo.report import report_from_text
from baymap.geo.shipped import data_bytes
from baymap.geo.unresolved import unresolved_from_spans

SHIPPED = load_gazetteer()
MATCHER = matcher_from_gazetteer(SHIPPED)

#: What a careful reader of the sample report finds, by gazetteer id.
SAMPLE_ENTITIES = """
gba guangzhou shenzhen foshan zhongshan yunfu qingyuan dongguan zhuhai jiangmen meizhou hong_kong macao guangdong
nansha huangpu huadu conghua zengcheng qingcheng qingxin fogang yingde_lianzhang
guang_fo guang_qing guang_fo_zhao zhu_zhong_jiang qing_yun_shao gfzqys_economic_circle guang_shen sui_gang_ao
sui_gang sui_ao hk_macao yue_gang_ao yue_gang yue_ao prd east_west_north_guangdong pearl_river_estuary_banks
one_core_one_belt_one_area
zhishicheng gz_ai_zone guangqing_junction_zone gdd qianhai shenzhen_pilot_zone gf_integration_zone
reform_coop_demo_zone guangqing_special_zone sg_smart_mfg_zone health_city gz_green_finance_zone
gz_red_culture_zone gz_lingnan_culture_zone gd_business_env_zone hengqin_tcm_park
baiyun_airport baiyun_airport_ftz nansha_port_phase4 guangzhou_port nansha_logistics_center nansha_cruise_terminal
cbec_hub_port
guangshan_railway guangzhan_hsr suiguanshen_intercity guangqing_intercity nansha_bridge gsh_axis gzm_axis
hkust_gz mingzhu_science_park gzmu kiang_wu_nursing umac nsc_guangzhou bioland_lab southern_marine_lab
ai_digital_lab lingnan_agri_lab aircas_gba unmanned_systems_inst aerospace_flight_center bsl4_lab icas_inst
cold_seep_facility cell_lineage_facility idnode_guangzhou ipv6_root_server hk_gz_sci_park
next_gen_internet_center gba_national_science_center
szse gfex nansha_finance_island clifford_hospital conghua_horse_center from_the_top_forum timetable_base
""".split()


def found(text: str) -> list[tuple[str, str]]:
    report = report_from_bytes(text.encode("utf-8"))
    return [(m.entry_id, m.text) for m in mentions_from_report(report, SHIPPED, MATCHER)]


def test_the_sample_maps_every_entity_a_careful_reader_finds_and_nothing_else(sample_mentions):
    ids = {m.entry_id for m in sample_mentions}
    assert sorted(set(SAMPLE_ENTITIES) - ids) == [], "missed"
    assert sorted(ids - set(SAMPLE_ENTITIES)) == [], "found what the reader does not mark"


def test_mention_counts_in_the_sample(sample_mentions):
    counts = Counter(m.entry_id for m in sample_mentions)
    assert counts["nansha"] == 6  # 南沙新区, 南沙粤港澳全面合作示范区, 南沙自贸片区 ×2, 南沙 (口岸), 南沙国家级新区
    assert counts["zhishicheng"] == 2
    assert counts["baiyun_airport"] == 2
    assert counts["guangzhou_port"] == 1
    assert counts["guangqing_intercity"] == 1


def test_offsets_and_quotes_are_exact(sample, sample_mentions):
    for m in sample_mentions:
        assert sample.text[m.start : m.end] == m.text
        assert sample.text[m.quote_start : m.quote_start + len(m.quote)] == m.quote
        assert m.quote_start <= m.start and m.end <= m.quote_start + len(m.quote)


def test_sections_are_named(sample_mentions):
    port = next(m for m in sample_mentions if m.entry_id == "nansha_port_phase4")
    assert port.section == "二、综合性门户城市功能实现新提升"
    hkust = next(m for m in sample_mentions if m.entry_id == "hkust_gz")
    assert hkust.section.startswith("六、")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("南沙港区四期开工。", [("nansha_port_phase4", "南沙港区四期")]),
        ("中山大学与中山市合作。", [("sysu", "中山大学"), ("zhongshan", "中山市")]),
        ("广佛肇、珠中江协同发展。", [("guang_fo_zhao", "广佛肇"), ("zhu_zhong_jiang", "珠中江")]),
        ("建设广佛肇清云韶经济圈。", [("gfzqys_economic_circle", "广佛肇清云韶经济圈")]),
        ("穗港澳合作。", [("sui_gang_ao", "穗港澳")]),
        (
            "白云国际机场三期，白云机场综合保税区。",
            [("baiyun_airport", "白云国际机场"), ("baiyun_airport_ftz", "白云机场综合保税区")],
        ),
        ("維港環保赴港上市。", []),
    ],
)
def test_leftmost_longest(text, expected):
    assert found(text) == expected


def test_traditional_text_maps_to_the_same_entries_and_quotes_stay_verbatim():
    report = report_from_bytes("支持廣州南沙建設粵港澳全面合作示範區。".encode())
    mentions = mentions_from_report(report, SHIPPED, MATCHER)
    assert [(m.entry_id, m.text) for m in mentions] == [
        ("guangzhou", "廣州"),
        ("nansha", "南沙"),
        ("yue_gang_ao", "粵港澳"),
    ]
    assert mentions[0].quote == "支持廣州南沙建設粵港澳全面合作示範區。"


def test_latin_names_match_whole_words_only():
    assert found("Nansha and Qianhai.") == [("nansha", "Nansha"), ("qianhai", "Qianhai")]
    assert found("Nanshan District.") == [("nanshan", "Nanshan")]  # Shenzhen's district, not Nansha


def test_an_alias_with_near_words_needs_them_close_by():
    assert found("南沙港区四期、国际物流中心等项目开工。")[1] == ("nansha_logistics_center", "国际物流中心")
    assert found("上海建设国际物流中心。") == []


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("南沙港区四期广州佛山中山大学穗港澳 \n。，abc🙂")) | st.characters(), max_size=80
    )
)
def test_offsets_always_slice_to_the_mention(text):
    if not text.strip():
        return
    report = report_from_text(text, name="h")
    for m in mentions_from_report(report, SHIPPED, MATCHER):
        assert 0 <= m.start < m.end <= len(report.text)
        assert report.text[m.start : m.end] == m.text


def test_an_english_report_maps_too():
    text = (
        "The Nansha and Qianhai zones, the Hong Kong–Zhuhai–Macao Bridge and the Shenzhen-Zhongshan Link "
        "tie Guangzhou and Foshan to Hong Kong International Airport. Knowledge City grows."
    )
    assert [entry for entry, _ in found(text)] == [
        "nansha",
        "qianhai",
        "hzmb",
        "shenzhong_link",
        "guang_fo",
        "hk_airport",
        "zhishicheng",
    ]


def test_a_bare_town_name_counts_in_a_report_about_its_city():
    about_zhongshan = "中山市推进发展。中山加快建设，中山港口升级。支持小榄发展先进制造业。"
    about_guangzhou = "广州市推进发展。广州加快建设，广州港口升级。支持小榄发展先进制造业。"
    assert ("town_442000118", "小榄") in found(about_zhongshan)  # 小榄镇, Zhongshan
    assert ("town_442000118", "小榄") not in found(about_guangzhou)


def test_a_bare_town_name_counts_beside_its_city_or_county():
    assert ("town_442000118", "小榄") in found("广州市推进发展。广州加快建设，广州港口升级。中山小榄发展制造业。")


def test_a_bare_town_name_inside_a_longer_name_is_not_the_town():
    text = "江门市推进发展。江门加快建设，江门港口升级。建设江门大广海湾。"
    assert not [m for m in found(text) if m[0].startswith("town_")]


def test_town_names_that_are_common_words_stay_full():
    text = "中山市推进发展。中山加快建设，中山港口升级。三角形的火炬。"
    assert not [m for m in found(text) if m[0].startswith("town_")]  # 三角, 火炬: words, not 三角镇, 火炬街道


#: 黄圃镇 is a town of Zhongshan (442000101) and one of Lechang, Shaoguan (440281110).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中山市推进发展。中山加快建设，中山港口升级。黄圃镇发展食品产业。", ["town_442000101"]),  # the report's focus
        ("广州推进发展。乐昌市黄圃镇发展。", ["town_440281110"]),  # the full name with its county
        ("广州推进发展。韶关黄圃镇发展农业。", ["town_440281110"]),  # its city close by
        ("广州推进发展。黄圃镇发展。", []),  # no evidence: not guessed
        ("中山和韶关推进发展。中山、韶关的黄圃镇发展。", []),  # evidence for both: not guessed
    ],
    ids=["focus", "full-name", "near", "no-evidence", "both"],
)
def test_a_name_two_towns_share_is_mapped_only_where_the_report_says_which(text, expected):
    assert [m[0] for m in found(text) if m[0].startswith("town_")] == expected


def test_a_known_place_and_a_type_word_name_a_new_place_drawn_where_the_known_one_is():
    text = "中山市推进发展。中山加快建设，中山港口升级。建设板芙经济开发区，创建小榄省级高新技术产业园。"
    report = report_from_bytes(text.encode("utf-8"))
    mentions = mentions_from_report(report, SHIPPED, MATCHER)
    derived = {m.text: m.entry_id for m in mentions if "+" in m.entry_id}
    assert derived == {
        "板芙经济开发区": "town_442000115+板芙经济开发区",
        "小榄省级高新技术产业园": "town_442000118+小榄省级高新技术产业园",
    }
    assert not [m for m in mentions if m.entry_id == "town_442000115"]  # the zone, not also the town
    zone = SHIPPED["town_442000115+板芙经济开发区"]
    assert (zone.name_zh, zone.layer, zone.kind) == ("板芙经济开发区", "zones", "economic development zone")
    assert zone.precision.startswith("derived: location from 板芙镇") and zone.geometry == {"union": ["town_442000115"]}


def test_a_longer_name_the_gazetteer_knows_wins_over_a_composition():
    assert found("推进南沙自贸片区建设。") == [("nansha", "南沙自贸片区")]  # an alias of Nansha itself


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("新界東北的大埔一帶，新市鎮繼續擴展，交通更加便利，居民生活更加方便。", ["dabu_xianggangtebiexingzheng"]),
        ("新界东北的大埔一带，新市镇继续扩展，交通更加便利，居民生活更加方便。", []),  # Simplified: no evidence
        ("梅州推进发展，支持大埔发展陶瓷产业。", ["dabu"]),  # Meizhou's, by its city close by
        ("梅州市推動發展，支持大埔發展陶瓷產業，促進交通更加便利。", ["dabu"]),  # close-by words beat the script
    ],
    ids=["traditional", "simplified", "near-meizhou", "near-beats-script"],
)
def test_the_script_is_evidence_for_hong_kongs_tai_po(text, expected):
    assert [entry for entry, _ in found(text) if entry.startswith("dabu")] == expected


def test_a_report_knows_its_script():
    assert report_from_bytes("香港特別行政區政府推動發展，新市鎮繼續擴展。".encode()).script == "traditional"
    assert report_from_bytes("广州推进粤港澳大湾区建设，发展新质生产力。".encode()).script == "simplified"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("推动韶关长隆项目落地。", [("shaoguan", "韶关")]),  # a 长隆 in Shaoguan is not Guangzhou's resort
        ("广州长隆开业。", [("guangzhou", "广州"), ("chimelong", "长隆")]),
        ("深圳前海发展。", [("shenzhen", "深圳"), ("qianhai", "前海")]),
        ("探索澳门莲花口岸搬迁。", [("macao", "澳门"), ("hengqin_port", "莲花口岸")]),  # a long name stands
    ],
    ids=["other-city", "own-city", "own-district", "long-name"],
)
def test_a_short_name_right_after_a_city_it_does_not_lie_in_is_not_that_place(text, expected):
    assert found(text) == expected


def test_a_name_headed_by_a_units_full_name_names_that_unit_too():
    """麻章区湖光镇金牛岛红树林片区 is the mangroves, and the district and town written before them."""
    assert found("来到麻章区湖光镇金牛岛红树林片区。") == [  # in reading order, the shorter first at one offset
        ("mazhang", "麻章区"),
        ("jinniu_island_mangroves", "麻章区湖光镇金牛岛红树林片区"),
        ("town_440811102", "湖光镇"),
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("南沙港区四期开工。", "南沙港区四期"),  # a short form (南沙) heads it: no unit named
        ("麻章区建设。", "麻章区"),  # the unit alone: one mention
    ],
)
def test_only_a_full_unit_name_inside_a_longer_name_is_read_out(text, name):
    assert [n for _, n in found(text)] == [name]


def test_a_unit_a_composed_name_already_gives_is_given_once():
    assert Counter(n for _, n in found("徐闻县大水桥水库开工。"))["徐闻县"] == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a longer name begun (粤港澳大湾区) and broken off: the shorter name it began with is still found
        ("粤港澳大港澳合作。", [("yue_gang_ao", "粤港澳"), ("hk_macao", "港澳")]),
        # a name at the very end of the text, where a longer one (深圳中…) might have begun
        ("支持深圳中", [("shenzhen", "深圳")]),
    ],
)
def test_each_match_is_the_leftmost_then_longest_name(text, expected):
    """pyahocorasick's iter_long missed both; leftmost-longest is what the matcher promises."""
    assert found(text) == expected


def test_a_lone_surrogate_in_a_callers_text_reads_as_any_other_character():
    """Only a str handed to report_from_text can hold one; the automaton cannot encode it, the matcher goes on."""

    def names(text: str) -> list[tuple[str, int]]:
        return [(m.entry_id, m.start) for m in mentions_from_report(report_from_text(text), SHIPPED, MATCHER)]

    assert names("在广\udfff州和深圳\udfff") == names("在广 州和深圳 ") == [("shenzhen", 5)]

    def unresolved(text: str) -> list[str]:  # (the names the reading finds by itself: no mention given)
        return [u.text for u in unresolved_from_spans(report_from_text(text), [])]

    assert unresolved("加快\udfff梅武高铁建设\udfff。") == unresolved("加快 梅武高铁建设 。") == ["梅武高铁"]
    assert extraction_from_report(report_from_text("南沙\udfff港区"), SHIPPED, MATCHER).mentions


def test_a_cached_matcher_finds_what_a_new_one_finds():
    """The automaton is not pickled: a matcher from the cache builds it again from its words."""
    import pickle

    text = report_from_bytes(data_bytes("sample-report.txt")).normalised
    again = pickle.loads(pickle.dumps(MATCHER))
    assert again.words == MATCHER.words
    assert again.matches(text) == MATCHER.matches(text) != []
