"""Popup and tooltip HTML for a feature: names, category, and every sentence that mentions it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import PurePath

from baymap.geo.features import ResolvedFeature
from baymap.geo.gazetteer import GazetteerEntry
from baymap.geo.matching import Mention
from baymap.layers.escape import escape_text
from baymap.layers.styles import LayerStyle

#: Quotes a popup shows; beyond them it says how many more mentions.csv lists (a corpus can mention
#: one place tens of thousands of times).
MAX_QUOTES = 12


def report_label(name: str) -> str:
    """A report as the map shows it: its file name without the folders."""
    return PurePath(name).name or name


def report_labels(names: Sequence[str]) -> dict[str, str]:
    """Each report's label: its file name, with as many of its folders as it takes to tell reports apart."""
    parts = {name: PurePath(name).parts or (name,) for name in names}
    depth = dict.fromkeys(names, 1)
    while True:
        labels = {name: "/".join(parts[name][-depth[name] :]) for name in names}
        shared = Counter(labels.values())
        clashing = [n for n in names if shared[labels[n]] > 1 and depth[n] < len(parts[n])]
        if not clashing:
            return labels
        for name in clashing:
            depth[name] += 1


def tooltip_html(feature: ResolvedFeature) -> str:
    entry = feature.entry
    return f"{escape_text(entry.name_zh)} · {escape_text(entry.name_en)}"


def popup_html(feature: ResolvedFeature, style: LayerStyle, labels: Mapping[str, str] | None = None) -> str:
    """The place and the report's own sentences first; where the location comes from behind a small "source"
    disclosure. `labels` names each report as the map shows it (report_labels); by default its file name."""
    entry = feature.entry
    count = len(feature.mentions)
    times = "once" if count == 1 else f"{count} times"
    parts = [
        '<div class="baymap-popup">',
        f'<div class="bm-name">{escape_text(entry.name_zh)}</div>',
        f'<div class="bm-name-en">{escape_text(entry.name_en)}</div>',
    ]
    if feature.approximate:
        where = escape_text(where_about(entry))
        parts.append(f'<div class="bm-approx">Location approximate (位置为近似): {where}</div>')
    parts.extend(quotes_html(feature, labels))
    parts.append(
        f'<div class="bm-meta">{escape_text(style.label)} · {escape_text(entry.kind)} · '
        f"mentioned {times} (提及 {count} 次)</div>"
    )
    parts.append(provenance_html(feature))
    parts.append("</div>")
    return "".join(parts)


def quotes_html(feature: ResolvedFeature, labels: Mapping[str, str] | None) -> list[str]:
    count = len(feature.mentions)
    reports = Counter(m.report for m in feature.mentions)
    label = labels.__getitem__ if labels else report_label
    shown = feature.mentions[:MAX_QUOTES]
    parts = []
    for report in dict.fromkeys(m.report for m in shown):
        if len(reports) > 1:
            parts.append(f'<div class="bm-report">{escape_text(label(report))} · {reports[report]}</div>')
        quotes = "".join(quote_html(m) for m in shown if m.report == report)
        parts.append(f'<ol class="bm-quotes">{quotes}</ol>')
    if count > len(shown):
        more = count - len(shown)
        parts.append(
            f'<div class="bm-more">还有 {more} 处提及（共 {len(reports)} 份报告）· '
            f"{more} more in {len(reports)} report{'s' if len(reports) > 1 else ''}: see mentions.csv</div>"
        )
    return parts


def where_about(entry: GazetteerEntry) -> str:
    """An approximate location in a few words: "in 增城区", "location from 松山湖", "within about 13 km"."""
    head = entry.precision.partition(":")[0 if entry.precision.startswith("in ") else 2]
    if entry.precision.startswith("derived:"):
        return head.partition(" (")[0].strip()
    if entry.precision.startswith("in "):
        return head.strip()
    return f"within about {round((entry.precision_m or 0) / 1000)} km"


def provenance_html(feature: ResolvedFeature) -> str:
    """Where the location comes from and how exact it is: for whoever asks, not for the audience's first look."""
    entry = feature.entry
    rows = [f"Location{' approximate' if feature.approximate else ''}: {entry.precision}"] if entry.precision else []
    rows += [f"Source: {entry.source}"] if entry.source else []
    rows += [entry.note] if entry.note else []
    body = "".join(f'<div class="bm-prov">{escape_text(row)}</div>' for row in rows)
    return f'<details class="bm-source"><summary>来源 source</summary>{body}</details>' if rows else ""


def quote_html(mention: Mention) -> str:
    """The mention's sentence, verbatim, with the mention itself highlighted."""
    at = mention.start - mention.quote_start
    quote = mention.quote
    before, found, after = quote[:at], quote[at : at + len(mention.text)], quote[at + len(mention.text) :]
    body = f"{escape_text(before)}<mark>{escape_text(found)}</mark>{escape_text(after)}"
    return f'<li><q>{body}</q><div class="bm-section">{escape_text(mention.section)}</div></li>'
