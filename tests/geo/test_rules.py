"""Context rules kept in data: each tells a place from the same characters meaning something else."""

from __future__ import annotations

import pytest

from baymap.geo import GazetteerError, load_gazetteer, mentions_from_report
from baymap.geo.matching import matcher_from_gazetteer
from baymap.geo.report import report_from_text
from tests.conftest import user_gazetteer

SHIPPED = load_gazetteer()
MATCHER = matcher_from_gazetteer(SHIPPED)


def ids(text: str) -> list[str]:
    return [m.entry_id for m in mentions_from_report(report_from_text(text), SHIPPED, MATCHER)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中山大学与中山市、中山合作。", ["sysu", "zhongshan", "zhongshan"]),
        ("沿中山路、东莞路走到中山纪念堂。", []),
        ("支持东莞建设。", ["dongguan"]),
        ("白云区和白云山。", ["baiyun", "baiyun_mountain"]),
        ("白云机场在白云。", ["baiyun_airport", "baiyun"]),
        ("黄埔军校旧址在黄埔。", ["whampoa_academy", "huangpu"]),
        ("清远清新区，清新发展。", ["qingyuan", "qingxin", "qingxin"]),
        ("空气清新。", []),
        ("珠江门户，江门发展。", ["jiangmen"]),
        ("天河二号落户天河。", ["tianhe"]),
        ("稻穗金黄，来穗发展。", ["guangzhou"]),
        ("南海之滨。佛山南海。", ["foshan", "nanhai"]),
        ("光明的未来。深圳光明区和光明。", ["shenzhen", "guangming", "guangming"]),
        ("新兴产业集群。云浮新兴县。", ["yunfu", "xinxing"]),
        ("和平发展；河源和平县。", ["heyuan", "heping"]),
        ("香港北区与北区。", ["hong_kong", "beiqu", "beiqu"]),
        ("城区改造。", []),
        ("推动珠江口东西两岸融合发展，推进珠江—西江经济带开发开放。", ["pearl_river_estuary_banks"]),
        ("加强珠江、西江水环境保护。", ["pearl_river", "xi_river"]),
        ("抓好狮子洋通道建设；伶仃洋上建设深中通道。", ["shiziyang_passage", "lingdingyang", "shenzhong_link"]),
        ("广州地产集团、珠江啤酒与深圳日报。", []),
        ("广佛同城，建设广佛环线。", ["guang_fo"]),
        ("广州至湛江高铁。", ["guangzhou", "guangzhou>zhanjiang+广州至湛江高铁", "zhanjiang"]),
        ("推广清洁生产技术；广清一体化。", ["guang_qing"]),
        ("保障泄洪纳潮安全。潮州潮安区。", ["chaozhou", "chaoan"]),
    ],
)
def test_context_rules(text, expected):
    assert ids(text) == expected


def test_every_rule_names_known_aliases_and_a_reason():
    names = {a.text for e in SHIPPED for a in e.aliases}
    for rule in SHIPPED.rules:
        assert rule.reason.strip()
        assert set(rule.aliases) <= names, f"{rule.origin}: names no entry uses"
        assert set(rule.layers) <= {e.layer for e in SHIPPED}, f"{rule.origin}: a layer no entry is in"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("  - {aliases: [x]}\n", "'reason' must say why"),
        ("  - {aliases: [x], reason: r}\n", "give unless_followed_by, unless_preceded_by or only_near"),
        ("  - {aliases: [], reason: r, only_near: [y]}\n", "'aliases' or 'layers' must name"),
        ("  - {aliases: [x], reason: r, only_near: y}\n", "'only_near' must be a list"),
        ("  - {aliases: [x], reason: r, only_near: [y], window: 0}\n", "'window' must be a positive"),
        ("  - {aliases: [x], reason: r, near: [y]}\n", "unknown field 'near'"),
        ("  - {aliases: [x], reason: r, only_near: [y], window: true}\n", "'window' must be a positive"),
        ("  - {aliases: [x], reason: r, only_near: [' ']}\n", "'only_near' must be a list of words"),
        ("  - {aliases: [x], reason: r, unless_followed_by: [1]}\n", "'unless_followed_by' must be a list of words"),
        ("  - {aliases: [x], reason: [r], only_near: [y]}\n", "'reason' must say why"),
    ],
)
def test_malformed_rules_name_file_and_line(tmp_path, rule, message):
    mine = user_gazetteer(tmp_path, "entries: []\nrules:\n" + rule)
    with pytest.raises(GazetteerError, match=f"mine.yaml:3: rule: {message}"):
        load_gazetteer(mine)


def test_a_rule_with_a_key_twice_is_refused_at_the_second(tmp_path):
    """YAML would keep only the second `only_near`, silently dropping the first condition."""
    mine = user_gazetteer(
        tmp_path,
        "entries: []\nrules:\n  - aliases: [x]\n    reason: r\n    only_near: [y]\n    only_near: [z]\n",
    )
    with pytest.raises(GazetteerError, match=r"mine\.yaml:6: duplicate key 'only_near' \(first at line 5\)"):
        load_gazetteer(mine)
