"""The per-user parse cache: a second build reads what the first parsed; a bad or unwritable cache costs time only."""

from __future__ import annotations

import gc

import pytest

from baymap.geo import parse_cache
from baymap.geo.parse_cache import cached, collector_paused


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(parse_cache.NO_CACHE_VARIABLE, raising=False)
    return tmp_path / "baymap"


def counting(value):
    calls = []

    def parse():
        calls.append(1)
        return value

    return parse, calls


def test_the_second_call_with_the_same_inputs_reads_the_cache(cache_home):
    parse, calls = counting({"entries": (1, 2, 3)})
    assert cached("kind", [b"file one"], parse) == {"entries": (1, 2, 3)}
    assert cached("kind", [b"file one"], parse) == {"entries": (1, 2, 3)}
    assert len(calls) == 1
    assert len(list(cache_home.glob("kind-*.pickle"))) == 1


def test_changed_inputs_parse_again_and_the_old_file_goes(cache_home):
    parse, calls = counting("value")
    cached("kind", [b"version one"], parse)
    cached("kind", [b"version two"], parse)
    assert len(calls) == 2
    assert len(list(cache_home.glob("kind-*.pickle"))) == 1


def test_a_damaged_cache_is_parsed_again(cache_home):
    parse, calls = counting("value")
    cached("kind", [b"x"], parse)
    (path,) = cache_home.glob("kind-*.pickle")
    path.write_bytes(b"not a pickle")
    assert cached("kind", [b"x"], parse) == "value"
    assert len(calls) == 2


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    parse, calls = counting("value")
    assert cached("kind", [b"x"], parse) == "value"
    assert cached("kind", [b"x"], parse) == "value"
    assert len(calls) == 2


def test_the_cache_can_be_turned_off(cache_home, monkeypatch):
    monkeypatch.setenv(parse_cache.NO_CACHE_VARIABLE, "1")
    parse, calls = counting("value")
    cached("kind", [b"x"], parse)
    cached("kind", [b"x"], parse)
    assert len(calls) == 2 and not cache_home.exists()


def test_the_shipped_gazetteer_read_from_the_cache_is_the_one_parsed(cache_home):
    from baymap.geo.gazetteer import _shipped_parts

    parsed = _shipped_parts.__wrapped__()
    assert list(cache_home.glob("gazetteer-*.pickle"))
    assert _shipped_parts.__wrapped__() == parsed


def test_a_build_from_the_cache_writes_the_same_bytes_as_one_without(cache_home, tmp_path, monkeypatch):
    from baymap import build_map

    report = tmp_path / "report.txt"
    report.write_text("粤港澳大湾区建设，广佛全域同城化，广州至汕尾铁路。", encoding="utf-8")
    for name in ("first", "cached"):  # the first fills the cache, the second reads it
        assert build_map.main([str(report), "-q", "-o", str(tmp_path / name)]) == 0
    monkeypatch.setenv(parse_cache.NO_CACHE_VARIABLE, "1")
    assert build_map.main([str(report), "-q", "-o", str(tmp_path / "uncached")]) == 0
    for output in ("map.html", "features.geojson", "mentions.csv"):
        cached_bytes = (tmp_path / "cached" / output).read_bytes()
        assert cached_bytes == (tmp_path / "uncached" / output).read_bytes(), output
    assert list(cache_home.glob("shapes-*.pickle")) and list(cache_home.glob("basemap-*.pickle"))


def test_a_user_file_that_redefines_a_member_gets_its_own_shape(cache_home, tmp_path):
    from baymap.geo import load_gazetteer
    from baymap.geo.geometry import geometries_from_gazetteer
    from tests.conftest import user_gazetteer

    shipped = geometries_from_gazetteer(load_gazetteer(), ["guang_fo"])["guang_fo"]
    mine = user_gazetteer(  # 佛山 made only 顺德: 广佛 must shrink with it, not come from the cache
        tmp_path,
        "entries:\n  - {id: foshan, name_zh: 佛山市, name_en: Foshan, aliases: [佛山], layer: cities_districts,"
        " kind: city, geometry: {union: [shunde]}}\n",
    )
    redefined = geometries_from_gazetteer(load_gazetteer(mine), ["guang_fo"])["guang_fo"]
    assert redefined.area < shipped.area


@pytest.mark.parametrize("was_on", [True, False])
def test_the_collector_is_paused_for_a_block_and_left_as_it_was(was_on):
    (gc.enable if was_on else gc.disable)()
    try:
        with pytest.raises(ValueError), collector_paused():
            assert not gc.isenabled()
            raise ValueError  # a block that fails hands the collector back too
        assert gc.isenabled() is was_on
    finally:
        gc.enable()
