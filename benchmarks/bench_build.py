"""Benchmark: how long build-map takes on the bundled sample, and what it yields.

    python benchmarks/bench_build.py [--runs 5]

Prints the entities, mentions and unresolved strings the sample yields, the
build time (median of several runs, each a fresh process so imports count),
and the size of each output file.
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
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build_map.py"), *options, "-q", "-o", str(outdir)], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        outdir = Path(tmp)
        seconds = [time_build(outdir) for _ in range(args.runs)]
        features = json.loads((outdir / "features.geojson").read_text(encoding="utf-8"))["features"]
        mentions = sum(f["properties"]["mention_count"] for f in features)
        unresolved = len((outdir / "unresolved.csv").read_text(encoding="utf-8").splitlines()) - 1
        print(f"entities:   {len(features)}")
        print(f"mentions:   {mentions}")
        print(f"unresolved: {unresolved}")
        print(
            f"build time: median {statistics.median(seconds):.2f} s over {args.runs} runs "
            f"(min {min(seconds):.2f} s, max {max(seconds):.2f} s), whole process"
        )
        for path in sorted(outdir.iterdir()):
            print(f"{path.name:17} {path.stat().st_size / 1024:8.0f} KiB")


if __name__ == "__main__":
    main()
