"""Many reports at once: the forked workers give exactly what reading them one by one gives."""

from __future__ import annotations

import pytest

import baymap.geo.corpus
from baymap.geo import ReportError, Source, extractions_from_sources, load_gazetteer


@pytest.fixture
def corpus(tmp_path):
    paragraphs = [
        "一、交通\n南沙大桥建成，广清城际通车。",
        "二、平台\n中新广州知识城、前海、横琴加快建设。",
        "新造科技园开园。",
    ]
    paths = []
    for i in range(120):
        path = tmp_path / f"r{i:03d}.txt"
        path.write_text("\n".join(paragraphs[i % 3 :] + paragraphs[: i % 3]), encoding="utf-8")
        paths.append(path)
    return [Source(str(p)) for p in paths]


def test_workers_give_what_one_process_gives(corpus, monkeypatch):
    gazetteer = load_gazetteer()
    one_by_one = list(extractions_from_sources(corpus, gazetteer))  # small corpus: one process
    monkeypatch.setattr(baymap.geo.corpus, "PARALLEL_MIN_BYTES", 0)  # the size above which workers are used
    done = []
    in_workers = list(extractions_from_sources(corpus, gazetteer, progress=done.append))
    assert [e.name for e in in_workers] == [s.name for s in corpus]
    for a, b in zip(one_by_one, in_workers, strict=True):
        assert [(m.entry_id, m.start, m.quote, m.section) for m in a.mentions] == [
            (m.entry_id, m.start, m.quote, m.section) for m in b.mentions
        ]
        assert a.unresolved == b.unresolved and a.sections == b.sections
    assert done[-1] == len(corpus) and done == sorted(done)


def test_a_bad_report_in_a_worker_is_reported(corpus, tmp_path, monkeypatch):
    (tmp_path / "r050.txt").write_bytes(b"\x00\x01binary")
    monkeypatch.setattr(baymap.geo.corpus, "PARALLEL_MIN_BYTES", 0)
    with pytest.raises(ReportError, match=r"r050\.txt: looks like a binary file"):
        list(extractions_from_sources(corpus, load_gazetteer()))
