"""Benchmark: how long build-map takes on the bundled sample, and what it yields.

    python benchmarks/bench_build.py [--runs 7]

Prints the entities, mentions and unresolved strings the sample yields, the
build time (median of several runs, each a fresh process so imports count)
beside a floor measured in the same run (a fresh process that only imports
geopandas and folium), their ratio, the same build with --tiles amap (every
coordinate shifted to GCJ-02) and with --review (review.html too), and the
size of each output file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def time_build(outdir: Path, *options: str) -> float:
    """Seconds for one build-map of the sample, as a fresh process (imports count)."""
    return time_process("-m", "baymap.build_map", *options, "-q", "-o", str(outdir))


def time_floor() -> float:
    """Seconds for a fresh process that imports what any map needs: the floor a build cannot go under."""
    return time_process("-c", "import geopandas, folium")


def time_process(*arguments: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *arguments], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        outdir = Path(tmp)
        floors, seconds, amap, review = [], [], [], []
        measures = [
            (floors, time_floor),
            (amap, lambda: time_build(outdir, "--tiles", "amap")),
            (review, lambda: time_build(outdir, "--review")),
            (seconds, lambda: time_build(outdir)),
        ]
        # Interleaved, so a busy moment weighs on all four alike, and in a rotating order, so none of them always
        # runs right after the same other one.
        for run in range(args.runs):
            for times, measure in measures[run % 4 :] + measures[: run % 4]:
                times.append(measure())
        listed = outdir / "default"
        time_build(listed)  # not timed: one default build alone, whose outputs are counted and listed below
        floor = statistics.median(floors)
        features = json.loads((listed / "features.geojson").read_text(encoding="utf-8"))["features"]
        mentions = sum(f["properties"]["mention_count"] for f in features)
        unresolved = len((listed / "unresolved.csv").read_text(encoding="utf-8").splitlines()) - 1
        print(f"entities:   {len(features)}")
        print(f"mentions:   {mentions}")
        print(f"unresolved: {unresolved}")
        print(
            f"build time: median {statistics.median(seconds):.2f} s over {args.runs} runs "
            f"(min {min(seconds):.2f} s, max {max(seconds):.2f} s), whole process"
        )
        print(f"floor:      median {floor:.2f} s for 'import geopandas, folium' in a fresh process")
        print(f"build / import ratio: {statistics.median(seconds) / floor:.2f}")
        print(
            f"--tiles amap:  median {statistics.median(amap):.2f} s "
            f"({statistics.median(amap) / statistics.median(seconds):.2f} × the default build)"
        )
        print(
            f"--review:      median {statistics.median(review):.2f} s "
            f"({statistics.median(review) / statistics.median(seconds):.2f} × the default build)"
        )
        for path in sorted(listed.iterdir()):
            print(f"{path.name:17} {path.stat().st_size / 1024:8.0f} KiB")


if __name__ == "__main__":
    main()
