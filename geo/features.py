"""Resolved features: each gazetteer entry a report mentions, with its geometry and every mention."""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from baymap.geo.gazetteer import Gazetteer, GazetteerEntry
from baymap.geo.geometry import geometries_from_gazetteer
from baymap.geo.matching import Mention

#: A location that may be this far from the real one, or farther, is shown as approximate: a district-sized guess.
APPROXIMATE_FROM_M = 5000


def is_approximate(entry: GazetteerEntry) -> bool:
    """Derived from another place, drawn as its county, or a district-sized estimate: an audience must not read it
    as the exact site."""
    if entry.precision.startswith(("derived:", "in ")):
        return True
    return entry.form != "boundary" and (entry.precision_m or 0) >= APPROXIMATE_FROM_M


@dataclass(frozen=True)
class ResolvedFeature:
    entry: GazetteerEntry
    geometry: shapely.Geometry
    mentions: tuple[Mention, ...]

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def approximate(self) -> bool:
        return is_approximate(self.entry)


def features_from_mentions(mentions: list[Mention], gazetteer: Gazetteer) -> list[ResolvedFeature]:
    """One feature per mentioned entry, in the order the reports first mention them."""
    by_entry: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_entry.setdefault(mention.entry_id, []).append(mention)
    geometries = geometries_from_gazetteer(gazetteer, list(by_entry))
    return [
        ResolvedFeature(gazetteer[entry_id], geometries[entry_id], tuple(found)) for entry_id, found in by_entry.items()
    ]
