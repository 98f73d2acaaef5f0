"""Rendering: resolved features become a folium (Leaflet) map with one toggleable layer per category."""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import folium
import shapely
from branca.element import Element, MacroElement, Template
from shapely.geometry import mapping

from geo.boundaries import load_boundaries
from geo.features import ResolvedFeature
from geo.lnglat import LngLat
from layers.assets import LEAFLET, asset_bytes
from layers.popups import escape_text, popup_html, tooltip_html
from layers.styles import LayerStyle

LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/{LEAFLET.spec}/dist/"
#: folium's popups call jQuery's $(html)[0]; this is all of jQuery the page uses.
DOLLAR_SHIM = """<script>
window.$ = window.$ || function (html) {
  var t = document.createElement("template"); t.innerHTML = String(html).trim(); return [t.content.firstElementChild];
};
</script>"""
BASEMAP_CSS = (
    "<style>.leaflet-container{background:#d4e6f1}"
    ".bm-label{font:600 12px system-ui,sans-serif;color:#555;white-space:nowrap;text-shadow:0 0 3px #fff,0 0 3px #fff}"
    "</style>"
)
#: Cities whose districts the offline basemap outlines: the nine mainland Greater Bay Area cities.
GBA_CITY_PREFIXES = ("4401", "4403", "4404", "4406", "4407", "4412", "4413", "4419", "4420", "81", "82")

#: About 200 m: the finest outline the page draws; invisible at city scale.
DISPLAY_TOLERANCE_DEG = 0.002
POPUP_CSS = """
<style>
.leaflet-interactive:focus{outline:none}
.baymap-popup{font:13px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-height:320px;overflow-y:auto}
.baymap-popup .bm-name{font-size:16px;font-weight:600}
.baymap-popup .bm-name-en{color:#444;margin-bottom:4px}
.baymap-popup .bm-meta{color:#666;font-size:12px;margin-bottom:4px}
.baymap-popup .bm-prov{color:#777;font-size:11px;margin-bottom:4px}
.baymap-popup ol{padding-left:18px;margin:4px 0}
.baymap-popup li{margin-bottom:6px}
.baymap-popup q{quotes:"「" "」"}
.baymap-popup mark{background:#ffe066;padding:0 1px}
.baymap-popup .bm-section{color:#888;font-size:11px}
.baymap-title{position:absolute;top:10px;left:50%;transform:translateX(-50%);z-index:1000;
  background:rgba(255,255,255,.92);padding:6px 14px;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.3);
  font:600 15px/1.3 system-ui,"Noto Sans CJK SC",sans-serif;max-width:60%;text-align:center}
.baymap-title small{display:block;font-weight:400;font-size:11px;color:#555}
.baymap-legend{position:absolute;bottom:24px;left:10px;z-index:1000;background:rgba(255,255,255,.92);
  padding:6px 10px;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.6 system-ui,sans-serif}
.baymap-legend i{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-2px;border:2px solid}
</style>
"""


def latlng(point: LngLat) -> list[float]:
    """The one place baymap swaps to Leaflet's [lat, lng] order."""
    return [point.lat, point.lng]


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


def map_from_features(
    features: list[ResolvedFeature],
    styles: dict[str, LayerStyle],
    title: str,
    subtitle: str = "",
    offline: bool = False,
) -> str:
    """The complete map page as HTML, byte-identical for the same features.

    Offline, every script and style is inlined and a vector basemap replaces the tiles,
    so the file renders with the network cut.
    """
    bounds = initial_bounds(features, styles)
    with sequential_element_ids():
        # With bounds, the map starts zoomed out so fitting them jumps there at once (no animation).
        fmap = folium.Map(
            location=None if bounds else [22.8, 113.5],
            zoom_start=1 if bounds else 8,
            tiles=None if offline else "OpenStreetMap",
            control_scale=True,
        )
        use_leaflet(fmap, offline)
        fmap.get_root().header.add_child(Element(POPUP_CSS))
        if offline:
            fmap.get_root().header.add_child(Element(BASEMAP_CSS))
            add_basemap(fmap)
        for style in styles.values():
            members = sorted(
                (f for f in features if f.entry.layer == style.id), key=lambda f: -f.geometry.envelope.area
            )
            if members:
                group = folium.FeatureGroup(name=escape_text(style.label), show=style.shown)
                for feature in members:
                    add_feature(group, feature, style)
                group.add_to(fmap)
        folium.LayerControl(collapsed=False).add_to(fmap)
        fmap.add_child(title_box(title, subtitle))
        fmap.add_child(legend([s for s in styles.values() if any(f.entry.layer == s.id for f in features)]))
        if bounds:
            fmap.fit_bounds(bounds)
        return fmap.get_root().render()


def use_leaflet(fmap: folium.Map, offline: bool) -> None:
    """Load Leaflet alone (folium's jQuery, Bootstrap and Font Awesome go unused): inlined when offline."""
    fmap.default_js, fmap.default_css = [], []
    header = fmap.get_root().header
    if offline:
        css = asset_bytes(LEAFLET, "dist/leaflet.css").decode("utf-8")
        for image in ("layers.png", "layers-2x.png"):
            data = base64.b64encode(asset_bytes(LEAFLET, f"dist/images/{image}")).decode("ascii")
            css = css.replace(f"url(images/{image})", f"url(data:image/png;base64,{data})")
        js = asset_bytes(LEAFLET, "dist/leaflet.js").decode("utf-8")
        header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css")
        header.add_child(Element(f"<script>{js}</script>"), name="leaflet_js")
    else:
        header.add_child(Element(f'<link rel="stylesheet" href="{LEAFLET_CDN}leaflet.css"/>'), name="leaflet_css")
        header.add_child(Element(f'<script src="{LEAFLET_CDN}leaflet.js"></script>'), name="leaflet_js")
    header.add_child(Element(DOLLAR_SHIM), name="dollar_shim")


def add_basemap(fmap: folium.Map) -> None:
    """A quiet vector basemap from the shipped outlines: land, city and district borders, city names."""
    boundaries = load_boundaries().values()
    land = [b.geometry for b in boundaries if b.level in ("neighbour", "city")]
    districts = [
        b.geometry.boundary for b in boundaries if b.level == "district" and b.adcode.startswith(GBA_CITY_PREFIXES)
    ]
    basemap = folium.FeatureGroup(name="basemap", control=False)
    for geometry, style in (
        (shapely.union_all(land), {"color": "#9e9e9e", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 1}),
        (shapely.line_merge(shapely.union_all(districts)), {"color": "#c8c2b4", "weight": 0.6, "fill": False}),
    ):
        folium.GeoJson(
            {"type": "Feature", "properties": {}, "geometry": mapping(display_geometry(geometry))},
            style_function=lambda _f, s=style: s,
            interactive=False,
        ).add_to(basemap)
    for city in sorted((b for b in boundaries if b.level == "city"), key=lambda b: b.adcode):
        spot = city.geometry.representative_point()
        label = escape_text(city.name_zh.removesuffix("特别行政区").removesuffix("市"))
        folium.Marker(
            latlng(LngLat(spot.x, spot.y)),
            icon=folium.DivIcon(html=f'<div class="bm-label">{label}</div>', icon_size=(60, 16), icon_anchor=(30, 8)),
            interactive=False,
        ).add_to(basemap)
    basemap.add_to(fmap)


def add_feature(group: folium.FeatureGroup, feature: ResolvedFeature, style: LayerStyle) -> None:
    points, shapes = split_points(feature.geometry)
    if shapes is not None:
        shapes = display_geometry(shapes)
        folium.GeoJson(
            {
                "type": "Feature",
                "id": feature.id,
                "properties": {"id": feature.id},
                "geometry": mapping(shapes),
            },
            style_function=lambda _f, s=style, lineal=shapes.geom_type in ("LineString", "MultiLineString"): {
                "color": s.color,
                "weight": s.weight,
                "fillColor": s.fill_color,
                "fillOpacity": 0 if lineal else s.fill_opacity,
                "dashArray": s.dash,
            },
            highlight_function=lambda _f, s=style: {
                "weight": s.weight + 2,
                "fillOpacity": min(1.0, s.fill_opacity + 0.2),
            },
            tooltip=folium.Tooltip(tooltip_html(feature)),
            popup=folium.Popup(popup_html(feature, style), max_width=440),
        ).add_to(group)
    for point in points:
        folium.CircleMarker(
            location=latlng(point),
            radius=style.radius,
            color=style.color,
            weight=style.weight,
            fill=True,
            fill_color=style.fill_color,
            fill_opacity=style.fill_opacity,
            tooltip=folium.Tooltip(tooltip_html(feature)),
            popup=folium.Popup(popup_html(feature, style), max_width=440),
        ).add_to(group)


def display_geometry(shapes: shapely.Geometry, tolerance: float | None = None) -> shapely.Geometry:
    """Lighter outlines for the page (the exports keep full detail), coarser for larger shapes.

    A shape is seen at a zoom that fits it, so its tolerance grows with its size:
    about 200 m for a district, 1.5 km for the province.
    """
    if tolerance is None:
        west, south, east, north = shapes.bounds
        tolerance = max(DISPLAY_TOLERANCE_DEG, max(east - west, north - south) / 400)
    simplified = shapely.simplify(shapes, tolerance, preserve_topology=True)
    if simplified.geom_type == "MultiPolygon":  # islets too small to see at that zoom
        parts = [p for p in simplified.geoms if p.area >= (4 * tolerance) ** 2] or [simplified.geoms[0]]
        simplified = shapely.MultiPolygon(parts)
    return shapely.set_precision(simplified, 1e-5, mode="pointwise")


def split_points(geometry: shapely.Geometry) -> tuple[list[LngLat], shapely.Geometry | None]:
    """Points are drawn as circle markers, everything else as GeoJSON shapes."""
    parts = list(shapely.get_parts(geometry))
    flat = (
        [p for part in parts for p in shapely.get_parts(part)] if geometry.geom_type == "GeometryCollection" else parts
    )
    points = [LngLat(p.x, p.y) for p in flat if p.geom_type == "Point"]
    others = [p for p in flat if p.geom_type != "Point"]
    if not others:
        return points, None
    return points, others[0] if len(others) == 1 else shapely.union_all(others)


def initial_bounds(features: list[ResolvedFeature], styles: dict[str, LayerStyle]) -> list[list[float]] | None:
    """Fit to the features of the layers shown when the map opens (all of them if none are shown)."""
    shown = [f for f in features if styles.get(f.entry.layer) and styles[f.entry.layer].shown] or features
    if not shown:
        return None
    west, south, east, north = shapely.union_all([f.geometry for f in shown]).bounds
    return [latlng(LngLat(west, south)), latlng(LngLat(east, north))]


def title_box(title: str, subtitle: str) -> MacroElement:
    return _html_box(f'<div class="baymap-title">{escape_text(title)}<small>{escape_text(subtitle)}</small></div>')


def legend(styles: list[LayerStyle]) -> MacroElement:
    rows = "".join(
        f'<div><i style="background:{s.fill_color};border-color:{s.color}"></i>{escape_text(s.label)}</div>'
        for s in styles
    )
    return _html_box(f'<div class="baymap-legend"><b>图例 Legend</b>{rows}</div>')


def _html_box(markup: str) -> MacroElement:
    """A fixed box of ready-made (already escaped) HTML on the map page."""
    box = MacroElement()
    box._template = Template("{% macro html(this, kwargs) %}{{ this.markup }}{% endmacro %}")
    box.markup = markup
    return box
