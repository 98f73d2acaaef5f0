"""The benchmarks the README's Speed section quotes still run: their parts, on a few reports."""

from __future__ import annotations

import cProfile
import importlib
import pstats
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def bench_corpus(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # the benchmarks import each other (bench_build's floor)
    return importlib.import_module("bench_corpus")


def test_the_corpus_is_the_samples_paragraphs_in_a_different_order_each_time(bench_corpus, tmp_path):
    paths = bench_corpus.write_corpus(tmp_path, 3)

    def paragraphs(text: str) -> list[str]:
        return sorted(p for p in text.split("\n") if p)

    sample = (BENCHMARKS.parent / "data" / "sample-report.txt").read_text(encoding="utf-8")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert len(set(texts)) == 3
    assert all(paragraphs(text) == paragraphs(sample) for text in texts)


def test_the_extraction_rate_is_measured_in_a_fresh_process_over_the_whole_corpus(bench_corpus, tmp_path):
    paths = bench_corpus.write_corpus(tmp_path, 3)
    megabytes, seconds, cpu = bench_corpus.extraction_rate_in_fresh_process(tmp_path)
    assert megabytes == pytest.approx(sum(p.stat().st_size for p in paths) / 1e6)
    assert seconds > 0
    assert cpu > 0


def test_every_stage_of_the_stage_benchmark_is_found_in_a_profile_of_extraction(bench_corpus, tmp_path):
    bench_stages = importlib.import_module("bench_stages")
    gazetteer = bench_stages.load_gazetteer()
    matcher = bench_stages.matching.matcher_from_gazetteer(gazetteer)
    sources = [bench_stages.Source(str(p)) for p in bench_corpus.write_corpus(tmp_path, 2)]
    profile = cProfile.Profile()
    profile.runcall(bench_stages.extract_all, sources, gazetteer, matcher)
    seconds = bench_stages.stage_seconds(pstats.Stats(profile))
    assert [label for label, s in seconds.items() if s <= 0] == []  # a stage renamed or no longer run shows here
