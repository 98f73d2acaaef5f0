"""Benchmark: baymap at corpus scale — the sample's paragraphs shuffled into many reports.

    python benchmarks/bench_corpus.py [--reports 1000] [--runs 3]

Reports extraction throughput (decode, normalise, match, unresolved names) in MB/s, median of a few
runs, beside a floor measured in the same run (a fresh process that only imports geopandas and folium,
timed between the extraction runs): this machine's speed varies from day to day, and the floor shows
by how much. Then the whole `build-map` over the corpus as a separate process: wall time, peak memory
(max RSS) and the size of each output.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import time_floor  # noqa: E402

from baymap.geo import Source, extractions_from_sources, load_gazetteer  # noqa: E402


def write_corpus(folder: Path, count: int) -> list[Path]:
    """`count` reports, each the sample's paragraphs in a different (seeded) order."""
    paragraphs = [p for p in (ROOT / "data" / "sample-report.txt").read_text(encoding="utf-8").split("\n") if p]
    paths = []
    for i in range(count):
        order = paragraphs[:]
        random.Random(i).shuffle(order)
        path = folder / f"report-{i:04d}.txt"
        path.write_text("\n".join(order) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def extraction_rate(paths: list[Path]) -> tuple[float, float, float]:
    """Read, normalise, match and look for unresolved names in every report, as build-map does: megabytes,
    seconds, and the CPU seconds this process and its workers spent meanwhile."""
    gazetteer = load_gazetteer()
    size = sum(p.stat().st_size for p in paths)
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    for _ in extractions_from_sources([Source(str(p)) for p in paths], gazetteer):
        pass
    return size / 1e6, time.perf_counter() - started, _cpu_seconds() - cpu_before


def _cpu_seconds() -> float:
    """User and system time of this process and of its children that have ended (the pool's, once it is shut)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def extraction_rate_in_fresh_process(folder: Path) -> tuple[float, float, float]:
    """extraction_rate of the reports in `folder`, in a new process: nothing the last run read stays cached."""
    command = [sys.executable, __file__, "--extract-only", str(folder)]
    megabytes, seconds, cpu = subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()
    return float(megabytes), float(seconds), float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--extract-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.extract_only:
        print(*extraction_rate(sorted(args.extract_only.iterdir())))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "corpus").mkdir()
        paths = write_corpus(folder / "corpus", args.reports)
        floors, rates, busy = [], [], []
        for _ in range(args.runs):  # alternated, so a slow spell of the machine weighs on both
            floors.append(time_floor())
            megabytes, seconds, cpu = extraction_rate_in_fresh_process(folder / "corpus")
            rates.append(megabytes / seconds)
            busy.append(cpu / (seconds * (os.cpu_count() or 1)))
        floor, rate = statistics.median(floors), statistics.median(rates)
        print(f"corpus:       {len(paths)} reports, {megabytes:.1f} MB")
        print(f"floor:        median {floor:.2f} s for 'import geopandas, folium' in a fresh process")
        print(
            f"extraction:   median {rate:.1f} MB/s over {args.runs} runs (min {min(rates):.1f}, max {max(rates):.1f})"
            f" on {os.cpu_count()} cores: {rate * floor:.1f} MB in the floor's time"
        )
        print(f"              the cores busy {statistics.median(busy):.0%} of the time (CPU of all processes / wall)")
        out = folder / "map"
        command = [sys.executable, "-m", "baymap.build_map", *map(str, paths), "--offline", "-q", "-o", str(out)]
        started = time.perf_counter()
        subprocess.run(command, check=True)
        wall = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"build-map:    {wall:.1f} s wall ({wall / floor:.1f} × the floor), peak memory {peak:.0f} MiB"
            " (max RSS of the build process)"
        )
        for path in sorted(out.iterdir()):
            print(f"  {path.name:17} {path.stat().st_size / 1e6:8.1f} MB")
        try:
            from bench_page import draw_times

            draws = draw_times(out / "map.html", 3)
            print(f"map drawn in Chromium: max {max(draws):.2f} s over 3 loads")
        except Exception as err:  # no Chromium or Playwright here: the rest still stands
            print(f"map draw time not measured: {err}")


if __name__ == "__main__":
    main()
