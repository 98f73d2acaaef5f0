"""Benchmark: where extraction's time goes, stage by stage, in one process over bench_corpus's reports.

    python benchmarks/bench_stages.py [--reports 200]

bench_corpus gives the rate; this says which stage to make faster. The total is timed without a profiler
(median of three passes, each beside a floor as in bench_corpus); each stage's share of it comes from one
pass under cProfile, which slows the stages written in Python more than those that are one call into C, so
the shares are a guide, not a measure.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import time_floor  # noqa: E402
from bench_corpus import write_corpus  # noqa: E402

from baymap.geo import Source, derivation, load_gazetteer, matching, report, unresolved  # noqa: E402
from baymap.geo.corpus import extraction_from_report  # noqa: E402
from baymap.geo.gazetteer import Gazetteer, RuleSet  # noqa: E402
from baymap.geo.parse_cache import collector_paused  # noqa: E402

#: Each stage, and the function whose time (with what it calls) is the stage's. None of them calls another.
STAGES = (
    ("read (decode, normalise, sections)", report.report_from_path),
    ("name automaton", matching.Matcher.matches),
    ("context rules", RuleSet.allows),
    ("chains (A to B, A-B + corridor word)", derivation.connected),
    ("compositions (place + type word)", derivation.composed_rows),
    ("list items (A, B etc. + shared word)", derivation.listed_items),
    ("units heading a name", matching.units_heading_names),
    ("quotes and sections", report.Report.quotes_and_sections),
    ("unresolved names", unresolved.unresolved_from_spans),
)


def extract_all(sources: list[Source], gazetteer: Gazetteer, matcher: matching.Matcher) -> None:
    """Every report's extraction, the garbage collector paused as in a worker process."""
    with collector_paused():
        for source in sources:
            extraction_from_report(source.read(), gazetteer, matcher)


def stage_seconds(stats: pstats.Stats) -> dict[str, float]:
    """Each stage's cumulative seconds in a profile."""
    by_code = {(path, line, name): cumulative for (path, line, name), (_, _, _, cumulative, _) in stats.stats.items()}
    seconds = {}
    for label, function in STAGES:
        code = function.__code__
        seconds[label] = by_code.get((code.co_filename, code.co_firstlineno, code.co_name), 0.0)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    args = parser.parse_args()
    gazetteer = load_gazetteer()
    matcher = matching.matcher_from_gazetteer(gazetteer)
    with tempfile.TemporaryDirectory() as tmp:
        sources = [Source(str(path)) for path in write_corpus(Path(tmp), args.reports)]
        extract_all(sources, gazetteer, matcher)  # word lists and memos filled, as in a worker after its first chunk
        passes, floors = [], []
        for _ in range(3):  # alternated with the floor, so a slow spell of the machine weighs on both
            floors.append(time_floor())
            started = time.perf_counter()
            extract_all(sources, gazetteer, matcher)
            passes.append(time.perf_counter() - started)
        profile = cProfile.Profile()
        profile.runcall(extract_all, sources, gazetteer, matcher)
    stats = pstats.Stats(profile)
    per_report = statistics.median(passes) / args.reports * 1000
    seconds = stage_seconds(stats)
    share = {label: s / stats.total_tt for label, s in seconds.items()}
    print(f"reports:  {args.reports} (bench_corpus's), one process, warm")
    print(f"floor:    median {statistics.median(floors):.2f} s for 'import geopandas, folium' in a fresh process")
    print(f"total:    {per_report:.2f} ms a report (median of 3 passes, no profiler)")
    print(f"{'stage':40} {'ms/report':>9} {'share':>6}")
    for label, _ in STAGES:
        print(f"{label:40} {share[label] * per_report:9.2f} {share[label]:6.0%}")
    rest = 1 - sum(share.values())
    print(f"{'the rest (match loop, sorting, columns)':40} {rest * per_report:9.2f} {rest:6.0%}")


if __name__ == "__main__":
    main()
