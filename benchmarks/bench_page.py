"""Benchmark: the offline map page — its size, how long it takes to build, and how soon Chromium draws it.

    python benchmarks/bench_page.py [--runs 5]

Needs Chromium with Playwright (pip install '.[stills]').
The draw time is measured in the page: from navigation start to the first frame painted after
baymap's controls are initialised (every feature layer is on the map by then).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import time_build  # noqa: E402

from baymap.layers.stills import CHROMIUM_FLAGS, chromium_path  # noqa: E402

DRAWN = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"


def draw_times(page_path: Path, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page = context.new_page()
            page.goto(page_path.as_uri())
            page.wait_for_function("window.baymap !== undefined")
            times.append(page.evaluate(DRAWN) / 1000)
            context.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        outdir = Path(tmp)
        builds = [time_build(outdir, "--offline") for _ in range(args.runs)]
        size = (outdir / "map.html").stat().st_size
        draws = draw_times(outdir / "map.html", args.runs)
    print(f"offline map.html: {size / 1e6:.2f} MB ({size} bytes; target < 1.5 MB)")
    print(f"build time:       median {statistics.median(builds):.2f} s over {args.runs} runs (whole process)")
    print(
        f"drawn in Chromium: median {statistics.median(draws):.2f} s, max {max(draws):.2f} s "
        f"over {args.runs} loads (navigation start to first paint with every feature; target < 1 s)"
    )


if __name__ == "__main__":
    main()
