"""Resolved features: each gazetteer entry a report mentions, with its geometry and every mention."""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from baymap.geo.gazetteer import Gazetteer, GazetteerEntry
from baymap.geo.geometry import geometries_from_gazetteer
from baymap.geo.matching import Mention


@dataclass(frozen=True)
class ResolvedFeature:
    entry: GazetteerEntry
    geometry: shapely.Geometry
    mentions: tuple[Mention, ...]

    @property
    def id(self) -> str:
        return self.entry.id


def features_from_mentions(mentions: list[Mention], gazetteer: Gazetteer) -> list[ResolvedFeature]:
    """One feature per mentioned entry, in the order the reports first mention them."""
    by_entry: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_entry.setdefault(mention.entry_id, []).append(mention)
    geometries = geometries_from_gazetteer(gazetteer, list(by_entry))
    return [
        ResolvedFeature(gazetteer[entry_id], geometries[entry_id], tuple(found)) for entry_id, found in by_entry.items()
    ]
