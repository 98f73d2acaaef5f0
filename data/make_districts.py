"""Regenerate data/districts.yaml: a gazetteer entry for every shipped district the hand-made gazetteer lacks.

    pip install pypinyin          # only to regenerate
    python data/make_districts.py

Each entry takes its outline from data/boundaries.geojson, its English name from the
official romanisation (Hong Kong's and Macao's own names; pinyin elsewhere, with the
readings that differ from the common one fixed by hand), and its common short name.
Short names that are also ordinary words or other places get a context rule, written
to the same file, with the reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

HERE = Path(__file__).parent
OUT = HERE / "districts.yaml"

HONG_KONG = {
    "中西区": "Central and Western District",
    "湾仔区": "Wan Chai District",
    "东区": "Eastern District",
    "南区": "Southern District",
    "油尖旺区": "Yau Tsim Mong District",
    "深水埗区": "Sham Shui Po District",
    "九龙城区": "Kowloon City District",
    "黄大仙区": "Wong Tai Sin District",
    "观塘区": "Kwun Tong District",
    "荃湾区": "Tsuen Wan District",
    "屯门区": "Tuen Mun District",
    "元朗区": "Yuen Long District",
    "北区": "North District",
    "大埔区": "Tai Po District",
    "西贡区": "Sai Kung District",
    "沙田区": "Sha Tin District",
    "葵青区": "Kwai Tsing District",
    "离岛区": "Islands District",
}
MACAO = {  # English name, Chinese short names, English short names
    "花地玛堂区": ("Our Lady of Fátima Parish", [], ["Fatima Parish", "Our Lady of Fatima Parish"]),
    "花王堂区": ("St. Anthony's Parish", [], ["St. Anthony's Parish", "Santo Antonio"]),
    "望德堂区": ("St. Lazarus Parish", [], ["St. Lazarus Parish", "Sao Lazaro"]),
    "大堂区": ("Sé (Cathedral) Parish", [], ["Cathedral Parish", "Se Parish"]),
    "风顺堂区": ("St. Lawrence Parish", [], ["St. Lawrence Parish", "Sao Lourenco"]),
    "嘉模堂区": ("Our Lady of Carmel Parish (Taipa)", ["氹仔"], ["Taipa"]),
    "路凼填海区": ("Cotai", ["路氹城", "路氹"], ["Cotai"]),
    "圣方济各堂区": ("St. Francis Xavier Parish (Coloane)", ["路环"], ["Coloane"]),
}
#: Readings pypinyin gets wrong for these place names.
PINYIN_FIXES = {"大埔": "Dabu", "番禺": "Panyu"}
#: Short names shared by two places, or too generic to stand alone: only the full name matches.
NO_SHORT_NAME = {"城区", "东区", "南区", "北区", "离岛", "中西", "湾仔", "大堂"}
#: Short names two districts share: each owner has it with its own evidence, its city close by or a report about
#: its city, and for Hong Kong's and Macao's the Traditional script (大埔: Hong Kong's Tai Po, Meizhou's Dabu).
SHARED_SHORT_NAMES = {"大埔"}
#: Where Traditional characters are the written standard.
TRADITIONAL_CITIES = ("81", "82")
#: Short names that are also ordinary words or other places: the rule that tells them apart, and why.
RULES = {
    "光明": ({"only_near": ["深圳", "科学城"]}, "光明 is also the word 'bright'"),
    "南山": ({"only_near": ["深圳", "前海", "蛇口", "科技园"]}, "南山 names hills and districts across China"),
    "龙华": ({"only_near": ["深圳"]}, "Shanghai and Haikou have a 龙华 too"),
    "福田": ({"unless_followed_by": ["汽车"]}, "Foton Motor is 福田汽车"),
    "南海": ({"only_near": ["佛山", "桂城", "狮山"]}, "南海 is also the South China Sea"),
    "高明": ({"only_near": ["佛山"]}, "高明 is also the word 'brilliant'"),
    "高要": ({"only_near": ["肇庆"]}, "高要求 ('high demands') contains 高要"),
    "四会": ({"only_near": ["肇庆"]}, "四会 also means 'four meetings'"),
    "江海": ({"only_near": ["江门"]}, "江海 is also 'rivers and seas'"),
    "龙门": ({"only_near": ["惠州"]}, "龙门 is also 'dragon gate', and a county in other provinces' stories"),
    "新会": ({"unless_followed_by": ["员", "议", "计", "长"]}, "新会员, 新会议 ('new member', 'new meeting')"),
    "江城": ({"only_near": ["阳江"]}, "江城 is also a nickname of Wuhan"),
    "龙湖": ({"unless_followed_by": ["集团", "地产"]}, "Longfor Group is 龙湖集团"),
    "阳春": ({"only_near": ["阳江"]}, "阳春 is also 'springtime'"),
    "紫金": ({"unless_followed_by": ["山", "矿业"]}, "Purple Mountain (紫金山) and Zijin Mining"),
    "和平": ({"only_near": ["河源"]}, "和平 is 'peace'"),
    "新兴": ({"only_near": ["云浮"]}, "新兴 is 'emerging' (新兴产业)"),
    "曲江": ({"only_near": ["韶关"]}, "Xi'an has a 曲江 district"),
    "西贡": ({"only_near": ["香港", "新界"]}, "西贡 is also Saigon"),
    "沙田": ({"only_near": ["香港", "新界"]}, "沙田 is also a town of Dongguan"),
    "连山": ({"only_near": ["清远"]}, "连山 is also 'unbroken hills'"),
    "平远": ({"only_near": ["梅州"]}, "平远 is also 'flat and far'"),
    "五华": ({"only_near": ["梅州"]}, "Kunming has a 五华 district"),
    "城区": ({"only_near": ["汕尾"]}, "城区 is 'urban area'"),
    "东区": ({"only_near": ["香港"]}, "东区 is any 'eastern district'"),
    "南区": ({"only_near": ["香港"]}, "南区 is any 'southern district'"),
    "北区": ({"only_near": ["香港"]}, "北区 is any 'northern district'"),
}


def short_name(full: str) -> str:
    for suffix in ("壮族瑶族自治县", "瑶族自治县", "自治县", "区", "县", "市"):
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return full[: -len(suffix)]
    return full


def pinyin(name: str) -> str:
    """Hanyu pinyin as place names write it: Yun'an, not Yunan (郁南)."""
    if name in PINYIN_FIXES:
        return PINYIN_FIXES[name]
    syllables = lazy_pinyin(name)
    joined = syllables[0] + "".join(("'" if s[0] in "aeo" else "") + s for s in syllables[1:])
    return joined[0].upper() + joined[1:]


def english_name(full: str, short: str, city: str) -> str:
    if full in HONG_KONG:
        return HONG_KONG[full]
    if full in MACAO:
        return MACAO[full][0]
    kind = "District" if full.endswith("区") else "County" if full.endswith("县") else ""
    return f"{pinyin(short)} {kind}, {pinyin(short_name(city))}".replace(" ,", ",")


def taken_adcodes() -> set[str]:
    text = (HERE / "gazetteer.yaml").read_text(encoding="utf-8")
    return set(re.findall(r'boundary: "(\d{6})"', text))


def city_entries() -> dict[str, str]:
    """The hand-made gazetteer's cities (one line each), by adcode: the `focus` of a shared short name."""
    text = (HERE / "gazetteer.yaml").read_text(encoding="utf-8")
    return {
        code: entry_id for entry_id, code in re.findall(r'\{id: (\w+),[^\n]*kind: city[^\n]*boundary: "(\d{6})"', text)
    }


def shared_alias(short: str, city: str, city_code: str, city_entry: str) -> dict:
    """大埔 beside 梅州, in a report about 梅州, or (for Hong Kong's) in a Traditional text."""
    alias = {"text": short, "near": [short_name(city.removesuffix("特别行政区"))], "window": 20, "focus": [city_entry]}
    if city_code.startswith(TRADITIONAL_CITIES):
        alias["script"] = "traditional"
    return alias


def main() -> None:
    features = json.loads((HERE / "boundaries.geojson").read_text(encoding="utf-8"))["features"]
    taken, cities = taken_adcodes(), city_entries()
    entries, used_ids = [], set()
    for props in (f["properties"] for f in features):
        if props["level"] != "district" or props["adcode"] in taken:
            continue
        full, city = props["name_zh"], props["city"]
        short = short_name(full)
        base = re.sub(r"[^a-z]", "", pinyin(short).lower())
        entry_id = base if base not in used_ids else f"{base}_{re.sub(r'[^a-z]', '', pinyin(short_name(city)).lower())}"
        used_ids.add(entry_id)
        aliases = [] if short in NO_SHORT_NAME or short == full else [short]
        if short in SHARED_SHORT_NAMES:
            city_code = props["adcode"][:4] + "00"  # 810014 (大埔区) is in 810000, as 441422 is in 441400
            aliases = [shared_alias(short, city, city_code, cities[city_code])]
        english = english_name(full, short, city)
        if full in MACAO:
            aliases += MACAO[full][1]
            aliases_en = MACAO[full][2]
        else:
            aliases_en = [english.split(",")[0].removesuffix(" District").removesuffix(" County")]
        kind = "county-level city" if full.endswith("市") else "county" if full.endswith("县") else "district"
        entries.append(
            {
                "id": entry_id,
                "name_zh": full,
                "name_en": english,
                "aliases": aliases,
                "aliases_en": aliases_en,
                "layer": "cities_districts",
                "kind": kind,
                "geometry": {"boundary": props["adcode"]},
            }
        )
    rules = [
        {"aliases": [name], **condition, "reason": reason}
        for name, (condition, reason) in RULES.items()
        if any(name in e["aliases"] or name == e["name_zh"] for e in entries)
    ]
    header = (
        "# Generated by data/make_districts.py from data/boundaries.geojson: do not edit by hand.\n"
        "# Every district, county and county-level city the hand-made gazetteer.yaml does not list.\n"
    )
    body = yaml.safe_dump(
        {"rules": rules, "entries": entries}, allow_unicode=True, sort_keys=False, width=200, default_flow_style=None
    )
    OUT.write_text(header + body, encoding="utf-8")
    print(f"wrote {len(entries)} districts and {len(rules)} rules to {OUT}")


if __name__ == "__main__":
    main()
