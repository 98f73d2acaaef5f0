"""Rendering: resolved features become one map page, a toggleable layer per category, with its controls."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources

import branca.element
import folium
import numpy as np
import shapely
from branca.element import Element

from baymap.geo.crs import gcj02_coordinates, gcj02_geometry
from baymap.geo.features import ResolvedFeature
from baymap.geo.lnglat import LngLat, leaflet_latlng
from baymap.layers.assets import LEAFLET, MARKERCLUSTER, asset_text, leaflet_css, raw_element
from baymap.layers.basemap import LABEL_PANE, add_basemap, minimap_land
from baymap.layers.cluster import MarkerCluster
from baymap.layers.controls import (
    STORY_MAX_ZOOM,
    CityLabels,
    FeatureIndex,
    FullScreen,
    Language,
    Legend,
    MetricScale,
    MiniMap,
    ReportFilter,
    Search,
    Story,
    TileNote,
    Title,
    bilingual,
    zoom_limit,
)
from baymap.layers.geojson import mapping
from baymap.layers.outlines import display_geometry
from baymap.layers.popups import popup_html, report_label, tooltip_html
from baymap.layers.styles import LayerStyle

#: folium's popups call jQuery's $(html)[0]; this is all of jQuery the page uses.
DOLLAR_SHIM = (
    "window.$ = window.$ || function (html) { var t = document.createElement('template');"
    " t.innerHTML = String(html).trim(); return [t.content.firstElementChild]; };"
)
#: Online basemaps. Amap (Gaode) is reachable inside mainland China and drawn in GCJ-02.
TILES = {
    "osm": {"tiles": "OpenStreetMap"},
    "carto": {"tiles": "CartoDB positron"},
    "amap": {
        "tiles": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "attr": "&copy; 高德地图 AutoNavi",
        "subdomains": "1234",
    },
    "none": {"tiles": None},
}


@contextmanager
def sequential_element_ids() -> Iterator[None]:
    """folium names every element with random bytes; number them instead so output is reproducible."""
    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{next(counter):08x}")
    try:
        yield
    finally:
        Element._generate_id = original


@contextmanager
def verbatim_elements() -> Iterator[None]:
    """folium wraps each element's rendered script in a new branca Element, whose text branca compiles as a Jinja
    template only to render it back unchanged: some 500 compiles a map. Text with no Jinja syntax is kept as it is."""
    original = branca.element.Template

    def template(source: str, *args, **kwargs):
        if args or kwargs or any(mark in source for mark in ("{{", "{%", "{#")):
            return original(source, *args, **kwargs)
        return _Verbatim(source)

    branca.element.Template = template
    try:
        yield
    finally:
        branca.element.Template = original


class _Verbatim:
    """A template with nothing to fill in: renders its text."""

    def __init__(self, text: str):
        self.text = text

    def render(self, *args, **kwargs) -> str:
        return self.text


def map_from_features(
    features: list[ResolvedFeature],
    styles: Mapping[str, LayerStyle],
    title: str,
    subtitle: str = "",
    *,
    sections: Sequence[tuple[str, str]] = (),
    offline: bool = False,
    tiles: str = "osm",
    place_names: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> str:
    """The complete map page as HTML, byte-identical for the same input.

    `sections` are the (report, section label) steps of the story control; `labels` name the reports
    (report_labels). Every script and style is inlined, and a vector basemap of the shipped outlines
    lies under the tiles; offline, there are no tiles at all.
    """
    tiles = "none" if offline else tiles
    # Our data is WGS-84; a GCJ-02 basemap (Amap) needs it moved onto its streets: the outlines after they are
    # lightened, the bounds' corners (the shift is smooth over a few hundred metres), the points as they are.
    project = on_gcj02 if tiles == "amap" else None
    shift = gcj02_geometry if project else None
    bounds = initial_bounds(features, styles, shift)
    drawn_as = page_geometries(features, gcj02=project is not None)
    with sequential_element_ids(), verbatim_elements():
        # With bounds, the map starts zoomed out so fitting them jumps there at once (no animation).
        fmap = folium.Map(
            location=None if bounds else [22.8, 113.5],
            zoom_start=1 if bounds else 8,
            maxZoom=MAP_MAX_ZOOM,  # the map's own limit (max_zoom is only the tiles'): markercluster needs one
            **TILES[tiles],
        )
        add_page_assets(fmap)
        # The outlines lie under the tiles: they show wherever tiles are off or cannot load (no network).
        add_basemap(fmap, place_names or {}, project or (lambda g: g), labels_on_top=tiles == "none")
        cluster = point_cluster().add_to(fmap)
        groups, drawn = {}, {}
        for style in styles.values():
            members = sorted(
                (f for f in features if f.entry.layer == style.id), key=lambda f: -f.geometry.envelope.area
            )
            if members:
                groups[style.id] = folium.FeatureGroup(name=bilingual(style.label_zh, style.label_en), show=style.shown)
                for feature in members:
                    geometry = drawn_as[feature.id]
                    drawn[feature.id] = add_feature(groups[style.id], feature, geometry, style, labels, cluster)
                groups[style.id].add_to(fmap)
        folium.LayerControl(collapsed=False).add_to(fmap)
        fmap.add_child(Title(title, subtitle, len(features)))
        fmap.add_child(Legend([s for s in styles.values() if s.id in groups]))
        if bounds:
            fmap.fit_bounds(bounds)
        add_controls(fmap, features, groups, cluster, drawn, drawn_as, sections, labels)
        return fmap.get_root().render()


def add_page_assets(fmap: folium.Map) -> None:
    """Leaflet inlined from its package (folium's jQuery, Bootstrap and Font Awesome go unused), and our own."""
    fmap.default_js, fmap.default_css = [], []
    header = fmap.get_root().header
    header.add_child(raw_element(f"<style>{leaflet_css()}</style>"), name="leaflet_css")
    header.add_child(raw_element(f"<script>{asset_text(LEAFLET, 'leaflet.js')}</script>"), name="leaflet_js")
    cluster_css = "".join(asset_text(MARKERCLUSTER, f) for f in ("MarkerCluster.css", "MarkerCluster.Default.css"))
    header.add_child(raw_element(f"<style>{cluster_css}</style>"), name="markercluster_css")
    header.add_child(
        raw_element(f"<script>{asset_text(MARKERCLUSTER, 'leaflet.markercluster.js')}</script>"),
        name="markercluster_js",
    )
    own = resources.files("baymap.layers")
    header.add_child(
        raw_element(f"<style>{own.joinpath('page.css').read_text(encoding='utf-8')}</style>"), name="baymap_css"
    )
    header.add_child(raw_element(f"<script>{DOLLAR_SHIM}</script>"), name="dollar_shim")


def point_cluster() -> MarkerCluster:
    """One Leaflet.markercluster group for every layer's points (the page's controls keep each point in it while
    its layer is on): nearby places merge into a numbered circle, and places at one spot spiderfy."""
    cluster = MarkerCluster(control=False, options=CLUSTER_OPTIONS)
    cluster.default_js, cluster.default_css = [], []  # inlined from its package by add_page_assets
    return cluster


#: The deepest zoom (street level); Leaflet.markercluster spiderfies places that still share a spot there.
MAP_MAX_ZOOM = 18
#: Leaflet.markercluster's options: merge points closer than this many pixels; no hover outline.
CLUSTER_OPTIONS = {"maxClusterRadius": 28, "showCoverageOnHover": False, "spiderfyOnMaxZoom": True}


@dataclass(frozen=True)
class PageGeometry:
    """A feature as the page draws it, on the tiles' datum: its points, its lightened outline (None when it is
    only points) and its box, [[south, west], [north, east]] as Leaflet takes it."""

    points: list[LngLat]
    outline: shapely.Geometry | None
    bounds: list[list[float]]


def page_geometries(features: Sequence[ResolvedFeature], gcj02: bool = False) -> dict[str, PageGeometry]:
    """Each feature's PageGeometry; for a GCJ-02 basemap (Amap) every outline, point and box moved in one array
    operation each (moving each feature's by itself took a seventh of an amap build)."""
    split = [split_points(f.geometry) for f in features]
    outlines = np.array([None if shapes is None else display_geometry(shapes) for _, shapes in split], dtype=object)
    boxes = shapely.box(*shapely.bounds(np.array([f.geometry for f in features], dtype=object)).T)
    points = [points for points, _ in split]
    if gcj02:
        outlines, boxes, points = on_gcj02(outlines), gcj02_geometry(boxes), gcj02_points(points)
    return {
        f.id: PageGeometry(some_points, outline, leaflet_bounds(*box))
        for f, some_points, outline, box in zip(
            features, points, outlines.tolist(), shapely.bounds(boxes).tolist(), strict=True
        )
    }


def gcj02_points(groups: list[list[LngLat]]) -> list[list[LngLat]]:
    """Groups of points moved onto GCJ-02 together: one array for all of them."""
    flat = np.array([[p.lng, p.lat] for group in groups for p in group], dtype=float).reshape(-1, 2)
    moved = (LngLat(lng, lat) for lng, lat in gcj02_coordinates(flat).tolist())
    return [list(itertools.islice(moved, len(group))) for group in groups]


def add_feature(
    group: folium.FeatureGroup,
    feature: ResolvedFeature,
    geometry: PageGeometry,
    style: LayerStyle,
    labels: Mapping[str, str] | None = None,
    cluster: MarkerCluster | None = None,
) -> list[str]:
    """Draw one feature as `geometry` (page_geometries) says, its points into `cluster` if given; returns the
    names of the Leaflet layers drawn."""
    points, outline = geometry.points, geometry.outline
    tooltip, popup = tooltip_html(feature), popup_html(feature, style, labels)  # once, though every part gets its own
    drawn = []
    approximate = feature.approximate
    if outline is not None:
        lineal = outline.geom_type in ("LineString", "MultiLineString")
        fill_opacity = 0 if lineal else fill_opacity_of(style, approximate)
        layer = folium.GeoJson(
            {"type": "Feature", "properties": {"id": feature.id}, "geometry": mapping(outline)},
            style_function=lambda _f, s=style, fill=fill_opacity, approximate=approximate: {
                "color": s.color,
                "weight": s.weight,
                "fillColor": s.fill_color,
                "fillOpacity": fill,
                "dashArray": APPROXIMATE_DASH if approximate else s.dash,
            },
            highlight_function=lambda _f, s=style: {
                "weight": s.weight + 2,
                "fillOpacity": min(1.0, s.fill_opacity + 0.2),
            },
            tooltip=folium.Tooltip(tooltip),
            popup=folium.Popup(popup, max_width=440),
        )
        layer.add_to(group)
        drawn.append(layer.get_name())
    for point in points:
        marker = folium.CircleMarker(
            location=leaflet_latlng(point),
            radius=marker_radius(style, len(feature.mentions)),
            color=style.color,
            weight=style.weight,
            fill=True,
            fill_color=style.fill_color,
            fill_opacity=fill_opacity_of(style, approximate),
            dash_array=APPROXIMATE_DASH if approximate else None,
            tooltip=folium.Tooltip(tooltip),
            popup=folium.Popup(popup, max_width=440),
        )
        marker.add_to(cluster if cluster is not None else group)
        drawn.append(marker.get_name())
    return drawn


def on_gcj02(outline: shapely.Geometry | np.ndarray) -> shapely.Geometry | np.ndarray:
    """A lightened outline moved onto a GCJ-02 basemap (Amap), rounded as the page rounds; or an array of them
    (None stays None), all their coordinates moved as one array."""
    return shapely.set_precision(gcj02_geometry(outline), 1e-5, mode="pointwise")


#: How an approximate location is drawn (see geo.features.is_approximate): a dotted outline, a hollow marker.
APPROXIMATE_DASH = "2 6"
APPROXIMATE_FILL = 0.1


def fill_opacity_of(style: LayerStyle, approximate: bool) -> float:
    """The fill opacity: faint for an approximate location, so it reads as 'somewhere here'."""
    return min(style.fill_opacity, APPROXIMATE_FILL) if approximate else style.fill_opacity


def marker_radius(style: LayerStyle, mentions: int) -> float:
    """Places mentioned more often are drawn larger: +1.5 px per doubling, up to three times the style's size."""
    return round(min(style.radius * 3, style.radius + 1.5 * math.log2(max(mentions, 1))), 1)


def split_points(geometry: shapely.Geometry) -> tuple[list[LngLat], shapely.Geometry | None]:
    """Points are drawn as circle markers, everything else as GeoJSON shapes."""
    parts = shapely.get_parts(shapely.get_parts(geometry)).tolist()  # a collection's parts' parts, in order
    points = [LngLat(p.x, p.y) for p in parts if p.geom_type == "Point"]
    others = [p for p in parts if p.geom_type != "Point"]
    if not others:
        return points, None
    if len(others) == 1:
        return points, others[0]
    kinds = {p.geom_type for p in others}
    if kinds == {"Polygon"}:  # parts of one dissolved union (geometry.union_of): they do not overlap
        return points, shapely.MultiPolygon(others)
    if kinds == {"LineString"}:
        return points, shapely.MultiLineString(others)
    return points, shapely.GeometryCollection(others)


def initial_bounds(
    features: list[ResolvedFeature],
    styles: Mapping[str, LayerStyle],
    shift: Callable[[shapely.Geometry], shapely.Geometry] | None = None,
) -> list[list[float]] | None:
    """Fit to the features of the layers shown when the map opens (all of them if none are shown); `shift` moves
    the box onto the tiles' datum."""
    shown = [f for f in features if f.entry.layer in styles and styles[f.entry.layer].shown] or features
    if not shown:
        return None
    box = shapely.box(*shapely.total_bounds([f.geometry for f in shown]))
    return leaflet_bounds(*(shift(box) if shift else box).bounds)


def leaflet_bounds(west: float, south: float, east: float, north: float) -> list[list[float]]:
    """A box as Leaflet takes it: [[south, west], [north, east]]."""
    return [leaflet_latlng(LngLat(west, south)), leaflet_latlng(LngLat(east, north))]


def add_controls(
    fmap: folium.Map,
    features: list[ResolvedFeature],
    groups: Mapping[str, folium.FeatureGroup],
    cluster: MarkerCluster,
    drawn: Mapping[str, list[str]],
    drawn_as: Mapping[str, PageGeometry],
    sections: Sequence[tuple[str, str]],
    labels: Mapping[str, str] | None = None,
) -> None:
    """The page's controls, each its own element: first the index of drawn features they share, then each one."""
    index = {key: i for i, key in enumerate(sections)}
    reports = list(dict.fromkeys(report for report, _ in sections))
    report_index = {report: i for i, report in enumerate(reports)}  # not reports.index(): a corpus has 1,000
    labels = labels or {report: report_label(report) for report in reports}
    data = [
        {
            "id": f.id,
            "zh": f.entry.name_zh,
            "en": f.entry.name_en,
            "aliases": sorted({a.text for a in f.entry.aliases} - {f.entry.name_zh}),
            "layer": f.entry.layer,
            "mentions": len(f.mentions),
            "sections": sorted({index[(m.report, m.section)] for m in f.mentions if (m.report, m.section) in index}),
            "reports": sorted({report_index[m.report] for m in f.mentions if m.report in report_index}),
            "bounds": drawn_as[f.id].bounds,
            "maxZoom": zoom_limit(f),
        }
        for f in features
        if f.entry.layer in groups
    ]
    steps = [label if len(reports) == 1 else f"{labels[report]} · {label}" for report, label in sections]
    report_names = [labels[r] for r in reports]
    fmap.add_child(FeatureIndex(fmap, data, [drawn[d["id"]] for d in data], groups, cluster, report_names))
    controls = [TileNote(), CityLabels(LABEL_PANE), Story(steps, STORY_MAX_ZOOM)]
    controls += [ReportFilter()] if len(reports) > 1 else []
    controls += [Search(), FullScreen(), Language(), MetricScale(), MiniMap(minimap_land())]
    for control in controls:
        fmap.add_child(control)
