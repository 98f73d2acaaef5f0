"""Benchmark: how well baymap reads the development texts, scored against a careful reader's gold.

    python benchmarks/bench_accuracy.py [--eval ../shared/eval] [--verbose]

Builds each development text that has a gold file in ../shared/eval/gold (matched by its number,
01-… with 01-…), scores its features.geojson with ../shared/eval/score.py, and prints recall of the
required entities, precision and the share of geometry that passes, per text and their mean. Then,
for the long tail: how many of the required entities the map misses appear in unresolved.csv (a row
whose text is or contains one of the entity's surfaces), how many rows it has, and how many of them
are real place names: a row equal to a gold surface is one, the others are judged by hand in
benchmarks/unresolved_judged.yaml (its criterion at its top); rows nobody has judged are counted apart.
The scorer needs cnmaps: pip install '.[boundaries]'.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
JUDGED = Path(__file__).with_name("unresolved_judged.yaml")
MEASURES = ("recall", "precision", "geo_ok_rate")


def gold_and_reports(eval_dir: Path) -> list[tuple[Path, Path]]:
    """(gold, report) pairs: a gold file and the development text with the same leading number."""
    reports = {p.name.split("-")[0]: p for p in (eval_dir.parent / "reports" / "dev").glob("*.txt")}
    pairs = []
    for gold in sorted((eval_dir / "gold").glob("*.yaml")):
        report = reports.get(gold.name.split("-")[0])
        if report is not None:
            pairs.append((gold, report))
    return pairs


def score(report: Path, gold: Path, eval_dir: Path) -> dict:
    """Build the report's map in a fresh process and score its features with the shared scorer."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "baymap.build_map", str(report), "-q", "-o", tmp], check=True, timeout=600
        )
        scored = subprocess.run(
            [sys.executable, str(eval_dir / "score.py"), str(report), str(gold), f"{tmp}/features.geojson", "--json"],
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
        with open(f"{tmp}/unresolved.csv", encoding="utf-8", newline="") as rows:
            unresolved = [row["text"] for row in csv.DictReader(rows)]
    return {**json.loads(scored.stdout), "unresolved": unresolved}


def listed_misses(result: dict, gold: Path) -> int:
    """How many of the missed required entities a row of unresolved.csv names (its text is or holds a surface)."""
    surfaces = {e["id"]: e["surfaces"] for e in yaml.safe_load(gold.read_text(encoding="utf-8"))["entities"]}
    return sum(
        any(surface in row for surface in surfaces[entity] for row in result["unresolved"])
        for entity in result["missing"]
    )


def judged_rows(result: dict, gold: Path, judged: dict) -> tuple[int, int, list[str]]:
    """(places, judged rows, rows nobody has judged): a row equal to a gold surface is a place."""
    surfaces = {s for e in yaml.safe_load(gold.read_text(encoding="utf-8"))["entities"] for s in e["surfaces"]}
    places = set(judged.get("place") or ()) | surfaces
    not_places = set(judged.get("not_place") or ())
    rows = result["unresolved"]
    unjudged = [row for row in rows if row not in places and row not in not_places]
    return sum(row in places for row in rows), len(rows) - len(unjudged), unjudged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=EVAL, help="the folder with gold/ and score.py")
    parser.add_argument("--verbose", action="store_true", help="also list what each text misses and adds")
    args = parser.parse_args()
    pairs = gold_and_reports(args.eval)
    if not pairs:
        sys.exit(f"bench_accuracy: no gold with a development text under {args.eval}")
    rows = []
    print(f"{'text':44} {'recall':>7} {'precision':>9} {'geometry':>8}  found/required  features")
    for gold, report in pairs:
        result = score(report, gold, args.eval)
        rows.append(result)
        print(
            f"{report.name[:44]:44} {result['recall']:7.3f} {result['precision']:9.3f} {result['geo_ok_rate']:8.3f}"
            f"  {result['found']:>5}/{result['required']:<8} {result['features']:>8}"
        )
        if args.verbose:
            for key in ("missing", "false_positives", "problems"):
                for item in result[key]:
                    print(f"    {key}: {item}")
        if result["bad_offsets"] or result["bad_quotes"]:
            print(f"    offsets wrong: {result['bad_offsets']}, quotes not verbatim: {result['bad_quotes']}")
    means = [statistics.mean(r[m] for r in rows) for m in MEASURES]
    print(f"{'mean of ' + str(len(rows)) + ' texts':44} {means[0]:7.3f} {means[1]:9.3f} {means[2]:8.3f}")
    print(f"\n{'unresolved.csv':44} {'misses it lists':>15} {'rows':>6}")
    listed = [listed_misses(result, gold) for result, (gold, _) in zip(rows, pairs, strict=True)]
    for result, count, (_, report) in zip(rows, listed, pairs, strict=True):
        print(f"{report.name[:44]:44} {count:>7}/{len(result['missing']):<7} {len(result['unresolved']):>6}")
    missed = sum(len(r["missing"]) for r in rows)
    share = sum(listed) / missed if missed else 1.0
    print(f"{'all texts':44} {sum(listed):>7}/{missed:<7} {sum(len(r['unresolved']) for r in rows):>6}  ({share:.0%})")
    print_judgement(rows, pairs, args.verbose)


def print_judgement(rows: list[dict], pairs: list[tuple[Path, Path]], verbose: bool) -> None:
    """How many unresolved.csv rows are real place names, by benchmarks/unresolved_judged.yaml and the gold."""
    judged = yaml.safe_load(JUDGED.read_text(encoding="utf-8")) if JUDGED.is_file() else {}
    print(f"\n{'unresolved.csv rows that are place names':44} {'places/judged':>15} {'not judged':>10}")
    totals = [0, 0, 0]
    for result, (gold, report) in zip(rows, pairs, strict=True):
        places, count, unjudged = judged_rows(result, gold, judged)
        totals = [totals[0] + places, totals[1] + count, totals[2] + len(unjudged)]
        print(f"{report.name[:44]:44} {places:>7}/{count:<7} {len(unjudged):>10}")
        if verbose:
            for row in unjudged:
                print(f"    not judged: {row}")
    share = totals[0] / totals[1] if totals[1] else 1.0
    print(f"{'all texts':44} {totals[0]:>7}/{totals[1]:<7} {totals[2]:>10}  ({share:.0%} of the judged rows)")


if __name__ == "__main__":
    main()
