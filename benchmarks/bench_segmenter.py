"""Benchmark: what a real segmenter and part-of-speech tagger (jieba 0.42.1's posseg) finds in our texts.

    pip install jieba==0.42.1
    python benchmarks/bench_segmenter.py [--eval ../shared/eval]

Issue 9 asks to measure a segmenter on our texts before picking how candidates are found. For each
development text with gold this prints jieba's cold start (a fresh process: import and dictionary
load), posseg's speed on the normalised (Simplified) text, and how many of the gold's required
entities posseg gives as one token tagged as a place, organisation or other proper noun (ns, nt, nz),
or as a run of such tokens spanning the surface exactly; then how many distinct ns/nt/nz tokens it
yields and how many of them are, or lie inside, a gold surface. A build may not get more than 10 %
slower, so what baymap ships is a word list generated from jieba's dictionary (data/make_words.py),
not jieba at run time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import yaml

from baymap.geo.report import report_from_bytes, report_from_path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
PROPER_TAGS = {"ns", "nt", "nz"}


def cold_start() -> float:
    """Seconds for a fresh process to import jieba.posseg and load its dictionary."""
    code = (
        "import time; t = time.perf_counter(); import jieba, jieba.posseg; jieba.initialize();"
        " print(time.perf_counter() - t)"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1])


def tagged(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, word, tag) of every token posseg gives."""
    import jieba.posseg

    tokens, start = [], 0
    for pair in jieba.posseg.cut(text):
        tokens.append((start, start + len(pair.word), pair.word, pair.flag))
        start += len(pair.word)
    return tokens


def found_as_proper(surface: str, text: str, tokens: list[tuple[int, int, str, str]]) -> bool:
    """Whether some occurrence of the surface is exactly one proper token or a run of them."""
    starts = {t[0]: i for i, t in enumerate(tokens)}
    at = text.find(surface)
    while at >= 0:
        i = starts.get(at)
        while i is not None and i < len(tokens) and tokens[i][3] in PROPER_TAGS:
            if tokens[i][1] == at + len(surface):
                return True
            i += 1
        at = text.find(surface, at + 1)
    return False


def folded(surface: str) -> str:
    """A gold surface as the normalised text writes it (Traditional folded to Simplified)."""
    return report_from_bytes(surface.encode("utf-8")).normalised


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=EVAL, help="the folder with gold/ and score.py")
    args = parser.parse_args()
    reports = {p.name.split("-")[0]: p for p in (args.eval.parent / "reports" / "dev").glob("*.txt")}
    print(f"jieba cold start (import + dictionary): {cold_start():.2f} s")
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    print(f"{'text':44} {'KB/s':>6} {'required as ns/nt/nz':>21} {'ns/nt/nz tokens':>16} {'in gold':>8}")
    totals = [0, 0, 0, 0]
    for gold in sorted((args.eval / "gold").glob("*.yaml")):
        report = reports.get(gold.name.split("-")[0])
        if report is None:
            continue
        text = report_from_path(str(report)).normalised
        started = time.perf_counter()
        tokens = tagged(text)
        speed = len(text.encode("utf-8")) / 1024 / (time.perf_counter() - started)
        entities = yaml.safe_load(gold.read_text(encoding="utf-8"))["entities"]
        required = [e for e in entities if e.get("required", True)]
        surfaces = {s for e in entities for s in e["surfaces"]}
        hits = sum(any(found_as_proper(folded(s), text, tokens) for s in e["surfaces"]) for e in required)
        proper = {t[2] for t in tokens if t[3] in PROPER_TAGS}
        in_gold = sum(any(p in folded(s) for s in surfaces) for p in proper)
        totals = [totals[0] + hits, totals[1] + len(required), totals[2] + len(proper), totals[3] + in_gold]
        print(f"{report.name[:44]:44} {speed:6.0f} {hits:>10}/{len(required):<10} {len(proper):>16} {in_gold:>8}")
    share = totals[0] / totals[1] if totals[1] else 0.0
    inside = totals[3] / totals[2] if totals[2] else 0.0
    print(f"{'all texts':44} {'':6} {totals[0]:>10}/{totals[1]:<10} {totals[2]:>16} {totals[3]:>8}")
    print(f"required entities posseg tags as one proper span: {share:.0%}; its ns/nt/nz tokens in gold: {inside:.0%}")


if __name__ == "__main__":
    main()
