"""review.html: the names baymap could not place, to place by hand offline and hand back as a gazetteer file."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from importlib import resources

import folium
import shapely

from baymap.geo.boundaries import load_boundaries
from baymap.geo.gazetteer import Gazetteer
from baymap.geo.geometry import geometries_from_gazetteer
from baymap.geo.lnglat import LngLat, leaflet_latlng
from baymap.geo.review import Candidate
from baymap.layers.assets import LEAFLET, asset_text, leaflet_css, raw_element, vendored_text
from baymap.layers.basemap import add_basemap
from baymap.layers.controls import ReviewPanel
from baymap.layers.geojson import mapping
from baymap.layers.outlines import display_geometry
from baymap.layers.render import MAP_MAX_ZOOM, sequential_element_ids, verbatim_elements
from baymap.layers.styles import LayerStyle

#: Where the page opens: the Greater Bay Area (a name's suggestion is shown when the name is picked).
HOME = (LngLat(112.9, 21.9), LngLat(114.6, 23.6))
#: Coordinates in the page's district table are whole units of this many degrees (the outlines' own rounding).
GRID = 1e-5
#: Metres in a degree of latitude, and of longitude at the equator: enough for a precision figure.
METRES_PER_DEGREE = 111_320


def review_page(
    candidates: Sequence[Candidate],
    gazetteer: Gazetteer,
    styles: Mapping[str, LayerStyle],
    title: str,
    place_names: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> str:
    """The complete review page as HTML, byte-identical for the same input, with no request beyond the file.

    `place_names` maps adcode to English for the basemap; `labels` name the reports (popups.report_labels)."""
    suggested = sorted({c.suggestion.entry_id for c in candidates if c.suggestion})
    with sequential_element_ids(), verbatim_elements():
        fmap = folium.Map(location=None, zoom_start=1, tiles=None, maxZoom=MAP_MAX_ZOOM)
        add_review_assets(fmap)
        add_basemap(fmap, place_names or {}, labels_on_top=True)
        fmap.fit_bounds([leaflet_latlng(corner) for corner in HOME])
        fmap.add_child(
            ReviewPanel(
                fmap,
                {
                    "title": title,
                    "home": [leaflet_latlng(corner) for corner in HOME],
                    "reports": len({q.report for c in candidates for q in c.quotes}),
                    "storageKey": storage_key(title, candidates),
                    "candidates": [candidate_data(c, labels or {}) for c in candidates],
                    "places": places_data(gazetteer, suggested),
                    "layers": [{"id": s.id, "zh": s.label_zh, "en": s.label_en} for s in styles.values()],
                    "units": district_units(),
                },
            )
        )
        return fmap.get_root().render()


def add_review_assets(fmap: folium.Map) -> None:
    """Leaflet and Leaflet-Geoman inlined, and the page's own style: the file works with no network."""
    fmap.default_js, fmap.default_css = [], []
    header = fmap.get_root().header
    own = resources.files("baymap.layers")
    styles = [leaflet_css(), vendored_text("leaflet-geoman.css"), own.joinpath("review.css").read_text("utf-8")]
    header.add_child(raw_element(f"<style>{''.join(styles)}</style>"), name="review_css")
    header.add_child(raw_element(f"<script>{asset_text(LEAFLET, 'leaflet.js')}</script>"), name="leaflet_js")
    notice = vendored_text("LICENSE-leaflet-geoman")  # MIT: the notice goes with every copy
    geoman = f"/*! Leaflet-Geoman free 2.20.2\n{notice}*/\n{vendored_text('leaflet-geoman.min.js')}"
    header.add_child(raw_element(f"<script>{geoman}</script>"), name="geoman_js")


def storage_key(title: str, candidates: Sequence[Candidate]) -> str:
    """Where the page keeps the user's progress: one key per report set, so two reviews never mix."""
    digest = hashlib.sha256("\n".join([title, *(c.text for c in candidates)]).encode("utf-8")).hexdigest()
    return f"baymap-review-{digest[:16]}"


def candidate_data(candidate: Candidate, labels: Mapping[str, str]) -> dict:
    suggestion = candidate.suggestion
    return {
        "text": candidate.text,
        "count": candidate.count,
        "quotes": [
            {
                "sentence": q.sentence,
                "start": q.start,
                "end": q.end,
                "section": q.section,
                "report": labels.get(q.report, q.report),
            }
            for q in candidate.quotes
        ],
        "suggestion": suggestion
        and {"id": suggestion.entry_id, "zh": suggestion.reason_zh, "en": suggestion.reason_en},
    }


def places_data(gazetteer: Gazetteer, entry_ids: Sequence[str]) -> dict[str, dict]:
    """The suggested places: names, outline as the map draws it, and how far a name inside may be from any point."""
    geometries = geometries_from_gazetteer(gazetteer, list(entry_ids))
    places = {}
    for entry_id in entry_ids:
        entry, geometry = gazetteer[entry_id], geometries[entry_id]
        places[entry_id] = {
            "zh": entry.name_zh,
            "en": entry.name_en,
            "geojson": mapping(display_geometry(geometry)),
            "precisionM": precision_within(geometry, entry.precision_m),
        }
    return places


def precision_within(geometry: shapely.Geometry, own_precision_m: int | None) -> int:
    """How far a place known only to lie in `geometry` may be from where it is drawn: half its extent, in metres,
    to two significant figures (at least the place's own precision)."""
    west, south, east, north = geometry.bounds
    across = (east - west) * METRES_PER_DEGREE * math.cos(math.radians((south + north) / 2))
    half = math.hypot(across, (north - south) * METRES_PER_DEGREE) / 2
    metres = max(half, own_precision_m or 0, 10)
    digits = 10 ** max(0, math.floor(math.log10(metres)) - 1)
    return min(1_000_000, int(round(metres / digits) * digits))


def district_units() -> list[dict]:
    """The units a point's `within` may name, in the order the gazetteer check looks for them (districts and
    undivided cities, then neighbouring provinces), their rings delta-encoded on the outlines' own 1e-5° grid so
    the page finds the very unit `build-map --check-gazetteer` will."""
    boundaries = load_boundaries().values()
    divided = {b.city for b in boundaries if b.level == "district"}
    units = [b for b in boundaries if b.level == "district" or (b.level == "city" and b.name_zh not in divided)]
    units += [b for b in boundaries if b.level == "neighbour"]
    return [{"adcode": b.adcode, "zh": b.name_zh, "polygons": encoded_polygons(b.geometry)} for b in units]


def encoded_polygons(geometry: shapely.Geometry) -> list[list[list[int]]]:
    """Each polygon a list of rings; each ring [x0, y0, dx1, dy1, …] in GRID units."""
    polygons = []
    for polygon in shapely.get_parts(geometry):
        rings = []
        for ring in (polygon.exterior, *polygon.interiors):
            flat, last = [], (0, 0)
            for x, y in ring.coords:
                cell = (round(x / GRID), round(y / GRID))
                flat += [cell[0] - last[0], cell[1] - last[1]]
                last = cell
            rings.append(flat)
        polygons.append(rings)
    return polygons
