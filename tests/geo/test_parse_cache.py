"""The per-user parse cache: a second build reads what the first parsed; a bad or unwritable cache costs time only."""

from __future__ import annotations

import pytest

from baymap.geo import parse_cache
from baymap.geo.parse_cache import cached


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
