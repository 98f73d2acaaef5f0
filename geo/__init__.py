"""Text in, resolved features out: read a report, find what it names, give it geometry."""

from baymap.geo._errors import BaymapError, GazetteerError, ReportError
from baymap.geo.corpus import Extraction, Source, extractions_from_sources
from baymap.geo.features import ResolvedFeature, features_from_mentions
from baymap.geo.gazetteer import Gazetteer, GazetteerEntry, load_gazetteer
from baymap.geo.matching import Mention, mentions_from_report
from baymap.geo.report import Report, report_from_bytes, report_from_path
from baymap.geo.unresolved import Unresolved, unresolved_from_report

__all__ = [
    "BaymapError",
    "Extraction",
    "Gazetteer",
    "GazetteerEntry",
    "GazetteerError",
    "Mention",
    "Report",
    "ReportError",
    "ResolvedFeature",
    "Source",
    "Unresolved",
    "extractions_from_sources",
    "features_from_mentions",
    "load_gazetteer",
    "mentions_from_report",
    "report_from_bytes",
    "report_from_path",
    "unresolved_from_report",
]
