"""Strings that look like place names but matched no gazetteer entry: what the gazetteer missed."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from baymap.geo.matching import Mention
from baymap.geo.report import Report

#: Endings of Chinese place, corridor and zone names; longest first.
SUFFIXES = (
    "合作区",
    "试验区",
    "示范区",
    "实验区",
    "开发区",
    "产业园",
    "科学园",
    "片区",
    "新区",
    "园区",
    "港区",
    "机场",
    "铁路",
    "高铁",
    "城际",
    "大桥",
    "口岸",
    "码头",
    "枢纽港",
    "母港",
    "园",
    "港",
    "区",
)
#: A one-character ending (港, 区, 园) ends a name only before punctuation or one of these particles;
#: otherwise it is usually part of a longer word (港澳, 区域, 园林, 赴港上市…).
FOLLOWERS = "的和与及等建开投被为在将已正由、，。；：！？,.;:!?)）」”》〉 \n\t"
#: Where to stop walking back from an ending: punctuation and particles that never sit inside a name.
STOPS = set("，。、；：！？“”‘’《》（）()〈〉「」【】 \n\t,.;:!?的在和及或到向对由把将被是了等个各至与0123456789")
#: Leading words that begin a clause, not a name.
LEADING_VERBS = (
    "国家级",
    "全国",
    "实现",
    "完成",
    "创建",
    "改扩建",
    "入选",
    "允许",
    "以",
    "建设",
    "推进",
    "加快",
    "打造",
    "共建",
    "设立",
    "推动",
    "支持",
    "实施",
    "开工",
    "建成",
    "谋划",
    "深化",
    "强化",
    "加强",
    "发挥",
    "推出",
    "成立",
    "落实",
    "筹建",
    "引领",
    "携手",
    "促进",
    "统筹",
    "试点",
    "探索",
    "围绕",
    "充分",
    "全面",
    "积极",
    "重大",
    "特色",
    "首批",
    "国家",
    "省级",
    "一批",
    "列入",
    "建立",
    "配套",
    "获批",
    "主要",
    "个",
    "与",
    "各",
    "该",
    "其",
    "本",
    "此",
)
#: Verbs that, inside a run of characters, end the clause before a name.
CLAUSE_VERBS = (
    "获评",
    "入选",
    "列入",
    "获批",
    "实现",
    "完成",
    "创建",
    "建成",
    "打造",
    "推进",
    "建设",
    "加快",
    "支持",
    "通过",
    "依托",
    "构建",
    "提升",
    "引入",
    "开展",
    "鼓励",
    "保障",
    "作为",
    "完善",
    "其他",
)
#: Endings that make a general word, not a name (中南地区, 其他省区, 智慧社区).
GENERIC_TAILS = ("地区", "省区", "社区", "分区", "苏区", "辖区")
#: Generic words with a place ending that name no particular place.
GENERIC = {
    "城际铁路",
    "高速铁路",
    "干线铁路",
    "快速铁路",
    "沿海铁路",
    "疏港铁路",
    "支线机场",
    "通用机场",
    "世界级机场",
    "特别行政区",
    "经济特区",
    "行政区",
    "高新区",
    "国家高新区",
    "科技园",
    "工业园区",
    "产业园区",
    "百强区",
    "家园",
    "口岸",
    "公园",
    "景区",
    "植物园",
    "地区",
    "城区",
    "市区",
    "特区",
    "社区",
    "园区",
    "港区",
    "辖区",
    "片区",
    "新区",
    "郊区",
    "湾区",
    "库区",
    "山区",
    "灾区",
    "校区",
    "街区",
    "垦区",
    "自贸区",
    "保税区",
    "示范区",
    "试验区",
    "合作区",
    "开发区",
    "实验区",
    "功能区",
    "核心区",
    "先行区",
    "承载区",
    "集聚区",
    "主城区",
    "县区",
    "友好港",
    "自贸试验区",
    "自由贸易试验区",
    "自由贸易区",
    "港",
    "区",
    "园",
    "机场",
    "铁路",
    "大桥",
    "城际",
    "高铁",
    "码头",
    "产业园",
    "科学园",
}
MAX_NAME = 16
_CLAUSE_VERB = re.compile("|".join(map(re.escape, CLAUSE_VERBS)))
_LEADING_WORD = re.compile("|".join(map(re.escape, sorted({*LEADING_VERBS, *CLAUSE_VERBS}, key=len, reverse=True))))
_ENDINGS = re.compile("|".join(map(re.escape, SUFFIXES)))


@dataclass(frozen=True)
class Unresolved:
    text: str
    count: int
    start: int
    """Offset of the first occurrence in the report text."""
    quote: str
    section: str
    report: str


def unresolved_from_report(report: Report, mentions: Iterable[Mention]) -> list[Unresolved]:
    """Candidates ranked by how often they occur (then by first occurrence)."""
    return unresolved_from_spans(report, [(m.start, m.end) for m in mentions])


def unresolved_from_spans(report: Report, spans: Iterable[tuple[int, int]]) -> list[Unresolved]:
    """The same, given only where the mentions are (start, end)."""
    covered = _covered(len(report.text), spans)
    found: dict[str, int] = {}
    counts: Counter[str] = Counter()
    text = report.normalised  # same offsets; Traditional and full-width forms folded, so 推進 is 推进
    previous_end = 0
    for match in _ENDINGS.finditer(text):
        start, end = match.span()
        one_char = len(match.group()) == 1
        if covered[end - 1] or (one_char and end < len(text) and text[end] not in FOLLOWERS):
            continue
        name_start = max(_name_start(text, start, covered), previous_end)
        if start - name_start >= MAX_NAME:
            continue  # a run this long is a clause, not a name
        name = _trim_leading_verbs(_after_last_verb(text[name_start:end]))
        if name in GENERIC or name.endswith(GENERIC_TAILS) or len(name) < len(match.group()) + 2:
            continue
        counts[name] += 1
        found.setdefault(name, end - len(name))
        previous_end = end
    ranked = sorted(counts, key=lambda n: (-counts[n], found[n]))
    return [
        Unresolved(
            text=report.text[found[name] : found[name] + len(name)],
            count=counts[name],
            start=found[name],
            quote=report.sentence_at(found[name], found[name] + len(name)),
            section=report.section_label_at(found[name]),
            report=report.name,
        )
        for name in ranked
    ]


def _covered(length: int, spans: Iterable[tuple[int, int]]) -> bytearray:
    covered = bytearray(length)
    for start, end in spans:
        covered[start:end] = b"\x01" * (end - start)
    return covered


def _name_start(text: str, ending_start: int, covered: bytearray) -> int:
    """Walk back from a name's ending while the characters could still belong to it."""
    start = ending_start
    while (
        start > 0
        and ending_start - start < MAX_NAME
        and text[start - 1] not in STOPS
        and not covered[start - 1]
        and _is_name_char(text[start - 1])
    ):
        start -= 1
    return start


def _is_name_char(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch.isalnum()


def _after_last_verb(name: str) -> str:
    """A verb inside the run ends the clause before the name (长隆入选国家级旅游度假区)."""
    cut = max((m.end() for m in _CLAUSE_VERB.finditer(name, 1)), default=0)
    return name[cut:] if len(name) - cut >= 2 else name


def _trim_leading_verbs(name: str) -> str:
    """Drop the words that open a clause, keeping at least two characters."""
    while (found := _LEADING_WORD.match(name)) and len(name) - found.end() >= 2:
        name = name[found.end() :]
    return name
