"""build-map: turn policy reports into an interactive map of the places, corridors and zones they name."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

from baymap.geo import BaymapError, Extraction, Gazetteer, features_from_mentions, load_gazetteer
from baymap.geo.checks import problems_in_gazetteer
from baymap.geo.corpus import Source, extractions_from_sources
from baymap.geo.gazetteer import alias_key
from baymap.geo.report import read_capped, report_from_text
from baymap.geo.review import review_candidates
from baymap.geo.shipped import data_file
from baymap.layers import LayerStyle, load_styles, map_from_features, write_outputs
from baymap.layers.exports import Content, embed_snippet, write_geojson, write_mentions_csv, write_unresolved_csv
from baymap.layers.popups import report_labels
from baymap.layers.review import review_page
from baymap.layers.stills import png_from_page
from baymap.layers.styles import check_layers
from baymap.layers.vector_still import svg_from_features

SAMPLE = "sample-report.txt"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build-map",
        description=__doc__,
        epilog="With no REPORT, maps the bundled sample: Guangzhou's 2019 progress report on the Greater Bay Area.",
    )
    parser.add_argument(
        "reports",
        nargs="*",
        metavar="REPORT",
        help="report files: plain text or Markdown (UTF-8 with or without BOM, UTF-16, GB18030/GBK or Big5), "
        "HTML (.html, .htm, .xhtml: its visible text), Word (.docx) or PDF with a text layer (.pdf); "
        "'-' reads standard input as plain text",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUTDIR",
        type=Path,
        default=Path("baymap-map"),
        help="folder for map.html, features.geojson, mentions.csv and unresolved.csv (default: ./baymap-map)",
    )
    parser.add_argument(
        "--gazetteer",
        metavar="FILE",
        action="append",
        default=[],
        help="extra gazetteer YAML whose entries add to or replace the shipped ones (repeatable)",
    )
    parser.add_argument("--styles", metavar="FILE", help="layer styles YAML to use instead of the shipped one")
    parser.add_argument("--title", help="map title (default: the report's first line)")
    parser.add_argument(
        "--offline",
        action="store_true",
        help="no map tiles at all: the shipped outlines are the basemap (every map.html is self-contained: "
        "Leaflet is inlined, and when tiles cannot load the outlines beneath them still show)",
    )
    parser.add_argument(
        "--tiles",
        choices=["osm", "carto", "amap", "none"],
        default="osm",
        help="basemap when online: OpenStreetMap (default), CartoDB light, Amap/Gaode (GCJ-02, reachable in "
        "mainland China; every feature is shifted onto it), or none (the shipped outlines as a vector basemap)",
    )
    parser.add_argument(
        "--png",
        action="store_true",
        help="also write map.png, a 1920×1080 still for slides (needs Chromium, Playwright and a CJK font)",
    )
    parser.add_argument(
        "--svg",
        action="store_true",
        help="also write map.svg, a 1920×1080 vector still for print and slides, its text outlined "
        "(needs matplotlib and a CJK font: pip install 'baymap[stills]', apt-get install fonts-noto-cjk)",
    )
    parser.add_argument(
        "--review",
        action="store_true",
        help="also write review.html, an offline page listing the names baymap could not place, with their quotes "
        "and a suggestion: place each on the map or mark it 'not a place', then download gazetteer-additions.yaml "
        "and pass it to the next build with --gazetteer",
    )
    parser.add_argument(
        "--embed",
        action="store_true",
        help="also write embed.html, an iframe snippet for web pages and slides; implies --offline",
    )
    parser.add_argument(
        "--check-gazetteer",
        action="store_true",
        help="only check the gazetteer (the shipped one and any --gazetteer files): schema, names, geometry, "
        "and that every point lies in the district it names; build no map",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    return parser.parse_args(argv)


def sources_from_names(names: list[str]) -> list[Source]:
    """The reports to read, each once: the bundled sample when none are named; '-' is standard input."""
    if not names:
        return [Source(SAMPLE, data_file(SAMPLE).read_bytes())]
    unique = {("-" if name == "-" else os.path.realpath(name)): name for name in reversed(names)}
    firsts = sorted(unique.values(), key=names.index)
    return [Source("<stdin>", read_capped(sys.stdin.buffer, "<stdin>")) if n == "-" else Source(n) for n in firsts]


def progress_bar(total: int, quiet: bool):
    """A bar on stderr while many reports are read; silent when stderr is not a terminal."""
    if quiet or total < 2 or not sys.stderr.isatty():
        return lambda done: None

    def show(done: int) -> None:
        filled = 30 * done // total
        end = "\n" if done == total else ""
        print(f"\rreading reports [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", end=end, file=sys.stderr)

    return show


def place_names_en(gazetteer) -> dict[str, str]:
    """English names of the shipped boundaries, by adcode, for the basemap's labels."""
    return {e.geometry["boundary"]: e.name_en for e in gazetteer if e.form == "boundary"}


def build(args: argparse.Namespace) -> str:
    started = time.perf_counter()
    gazetteer = load_gazetteer(*args.gazetteer)
    styles = load_styles(args.styles)
    check_layers(gazetteer, styles)
    sources = sources_from_names(args.reports)
    reports = list(extractions_from_sources(sources, gazetteer, progress_bar(len(sources), args.quiet)))
    # The gazetteer, matcher and mentions live to the end: frozen, the collections the page's many small objects
    # set off do not scan them all again each time (a sixth of a sample build).
    gc.freeze()
    try:
        return map_and_outputs(args, gazetteer, styles, reports, started)
    finally:
        gc.unfreeze()  # a caller that builds again (the tests) collects this build's garbage as usual


def map_and_outputs(
    args: argparse.Namespace,
    gazetteer: Gazetteer,
    styles: dict[str, LayerStyle],
    reports: list[Extraction],
    started: float,
) -> str:
    """The map and its exports from the reports' extractions, written to args.output; the summary line."""
    mentions = [m for r in reports for m in r.mentions]
    dismissed = {alias_key(phrase) for phrase in gazetteer.ignore}
    unresolved = [u for r in reports for u in r.unresolved if alias_key(u.text) not in dismissed]
    unknown = len({u.text for u in unresolved})
    features = features_from_mentions(mentions, gazetteer)
    title = args.title or (reports[0].title if len(reports) == 1 else f"{len(reports)} 份报告 · {len(reports)} reports")
    labels = report_labels([r.name for r in reports])

    def page(offline: bool) -> str:
        return map_from_features(
            features,
            styles,
            title,
            " · ".join(labels.values()),
            sections=[(r.name, s.label) for r in reports for s in r.sections],
            offline=offline,
            tiles=args.tiles,
            place_names=place_names_en(gazetteer),
            labels=labels,
        )

    offline = args.offline or args.embed
    files: dict[str, Content] = {
        "map.html": page(offline),
        "features.geojson": lambda out: write_geojson(features, out),
        "mentions.csv": lambda out: write_mentions_csv(mentions, gazetteer, out),
        "unresolved.csv": lambda out: write_unresolved_csv(unresolved, out),
    }
    if args.review:
        read = [report_from_text(r.text, r.name) for r in reports]  # what was read, not a second read
        candidates = review_candidates(unresolved, read, mentions, gazetteer)
        files["review.html"] = review_page(candidates, gazetteer, styles, title, place_names_en(gazetteer), labels)
    if args.embed:
        files["embed.html"] = embed_snippet(title)
    if args.png:
        files["map.png"] = png_from_page(files["map.html"] if offline else page(True))
    if args.svg:
        files["map.svg"] = svg_from_features(features, styles, title, " · ".join(labels.values()))
    write_outputs(args.output, files)
    seconds = time.perf_counter() - started
    return (
        f"mapped {len(features)} places, corridors and zones ({len(mentions)} mentions) "
        f"from {len(reports)} report{'s' if len(reports) != 1 else ''}; "
        f"{unknown} unresolved; {seconds:.1f} s → {args.output / 'map.html'}"
    )


def check(args: argparse.Namespace) -> int:
    gazetteer, problems = problems_in_gazetteer(*args.gazetteer)
    check_layers(gazetteer, load_styles(args.styles))
    for problem in problems:
        print(f"build-map: {problem}", file=sys.stderr)
    if not args.quiet:
        files = ", ".join(args.gazetteer) or "the shipped gazetteer"
        print(f"{files}: {len(gazetteer)} entries, {len(problems)} problem{'s' if len(problems) != 1 else ''}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.check_gazetteer:
            return check(args)
        summary = build(args)
    except BaymapError as err:
        print(f"build-map: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("build-map: interrupted; nothing was half-written", file=sys.stderr)
        return 130
    if not args.quiet:
        print(summary)
    return 0


def cli() -> None:
    """build-map as a command: main(), then exit without the interpreter's last collection scanning all that the
    build read (the gazetteer, matcher and mentions: a tenth of a sample build, spent after the map is written)."""
    code = main()
    gc.freeze()  # what is left lives until the process ends; the memory goes back to the system all the same
    sys.exit(code)


if __name__ == "__main__":
    cli()
