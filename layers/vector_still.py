"""A vector still for print and slides that scale: the map's shown layers drawn by matplotlib into a 1920×1080 SVG,
every letter outlined as a path, so it looks the same on any machine, with or without Chinese fonts."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping

import shapely

from baymap.geo._errors import BaymapError
from baymap.geo.boundaries import load_boundaries
from baymap.geo.features import ResolvedFeature
from baymap.layers.basemap import DATA_ATTRIBUTION, DISTRICT_LINES, LAND, outline_shapes
from baymap.layers.outlines import display_geometry
from baymap.layers.render import APPROXIMATE_DASH, fill_opacity_of, marker_radius
from baymap.layers.styles import LayerStyle

WIDTH, HEIGHT = 1920, 1080
#: Matplotlib draws at 100 dots per inch: 19.2 × 10.8 inches is 1920 × 1080 pixels.
DPI = 100
#: The fonts tried, first found first; their glyphs are outlined into the file, so the reader needs none.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei")
SEA = "#d4e6f1"
#: Places named on the still beside the city names: the most mentioned points.
NAMED_POINTS = 12


class VectorStillError(BaymapError):
    """An SVG still cannot be made: matplotlib or a Chinese font is missing."""


def svg_from_features(
    features: list[ResolvedFeature], styles: Mapping[str, LayerStyle], title: str, subtitle: str = ""
) -> bytes:
    """The features of the layers shown when the map opens, over the land outlines, with title, legend and scale."""
    plt = _matplotlib_with_cjk_font()
    shown = [f for f in features if f.entry.layer in styles and styles[f.entry.layer].shown]
    west, south, east, north = _view(shown)
    figure = plt.figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_facecolor(SEA)
    axes.set_xlim(west, east)
    axes.set_ylim(south, north)
    axes.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    axes.set_axis_off()
    figure.patch.set_facecolor(SEA)
    _draw_outlines(axes)
    for style in styles.values():
        for feature in sorted((f for f in shown if f.entry.layer == style.id), key=lambda f: -f.geometry.area):
            _draw_feature(axes, feature, style)
    _draw_names(axes, shown)
    _draw_title(figure, title, subtitle)
    _draw_legend(figure, [s for s in styles.values() if any(f.entry.layer == s.id for f in shown)])
    _draw_scale(figure, west, east, south, north)
    _draw_credits(figure)
    out = io.StringIO()
    figure.savefig(out, format="svg", facecolor=SEA, metadata={"Date": None, "Creator": "baymap"})
    plt.close(figure)
    return _pixel_size(out.getvalue()).encode("utf-8")


def _matplotlib_with_cjk_font():
    try:
        import matplotlib

        matplotlib.use("svg")
        import matplotlib.pyplot as plt
        from matplotlib import font_manager
    except ImportError:
        raise VectorStillError("--svg needs matplotlib: pip install 'baymap[stills]'") from None
    installed = {f.name for f in font_manager.fontManager.ttflist}
    font = next((name for name in CJK_FONTS if name in installed), None)
    if font is None:
        raise VectorStillError(
            "--svg needs a Chinese font (one of " + ", ".join(CJK_FONTS) + "): Debian: apt-get install fonts-noto-cjk"
        )
    matplotlib.rcParams.update({"svg.fonttype": "path", "svg.hashsalt": "baymap", "font.family": font})
    return plt


def _view(shown: list[ResolvedFeature]) -> tuple[float, float, float, float]:
    """The shown features' bounds, padded and widened to 16:9 (the province's heart when nothing is shown)."""
    if shown:
        west, south, east, north = shapely.total_bounds([f.geometry for f in shown])
    else:
        west, south, east, north = 112.9, 22.1, 114.6, 23.6
    middle_lat = (south + north) / 2
    stretch = math.cos(math.radians(middle_lat))
    width, height = max((east - west) * stretch, 0.05), max(north - south, 0.05)
    width, height = width * 1.12, height * 1.2  # room for the title above and the legend below
    if width / height < WIDTH / HEIGHT:
        width = height * WIDTH / HEIGHT
    else:
        height = width * HEIGHT / WIDTH
    centre_lng, centre_lat = (west + east) / 2, middle_lat
    half_lng, half_lat = width / stretch / 2, height / 2
    return centre_lng - half_lng, centre_lat - half_lat, centre_lng + half_lng, centre_lat + half_lat


def _draw_outlines(axes) -> None:
    far, near, lines = outline_shapes()
    for land in (far, near):
        _fill(axes, display_geometry(land, 0.004), LAND["fillColor"], LAND["color"], 0.6, 1.0)
    _stroke(axes, display_geometry(lines, 0.004), DISTRICT_LINES["color"], 0.5)


def _draw_feature(axes, feature: ResolvedFeature, style: LayerStyle) -> None:
    approximate = feature.approximate
    dash = APPROXIMATE_DASH if approximate else style.dash
    pattern = (0, tuple(float(n) for n in re.split(r"[ ,]+", dash))) if dash else "solid"
    geometry = display_geometry(feature.geometry) if feature.geometry.geom_type != "Point" else feature.geometry
    for part in shapely.get_parts(geometry):
        for piece in shapely.get_parts(part):
            kind = piece.geom_type
            if kind == "Point":
                radius = marker_radius(style, len(feature.mentions))
                axes.scatter(
                    [piece.x],
                    [piece.y],
                    s=(2 * radius) ** 2,
                    facecolor=style.fill_color if not approximate else "none",
                    edgecolor=style.color,
                    linewidths=style.weight,
                    alpha=1.0,
                    zorder=5,
                )
            elif kind in ("LineString", "LinearRing"):
                xs, ys = piece.xy
                axes.plot(xs, ys, color=style.color, linewidth=style.weight, linestyle=pattern, zorder=4)
            elif kind == "Polygon":
                opacity = fill_opacity_of(style, approximate)
                _fill(axes, piece, style.fill_color, style.color, style.weight * 0.75, opacity, pattern, zorder=3)


def _fill(axes, geometry, fill: str, edge: str, width: float, opacity: float, pattern="solid", zorder=1) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    for polygon in shapely.get_parts(geometry):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        rings = [polygon.exterior, *polygon.interiors]
        vertices = [xy for ring in rings for xy in ring.coords]
        codes = [code for ring in rings for code in [Path.MOVETO] + [Path.LINETO] * (len(ring.coords) - 1)]
        path = Path(vertices, codes)
        axes.add_patch(PathPatch(path, facecolor=fill, alpha=opacity, edgecolor="none", zorder=zorder))
        axes.add_patch(
            PathPatch(path, facecolor="none", edgecolor=edge, linewidth=width, linestyle=pattern, zorder=zorder)
        )


def _stroke(axes, geometry, colour: str, width: float) -> None:
    for line in shapely.get_parts(geometry):
        for piece in shapely.get_parts(line.boundary if line.geom_type == "Polygon" else line):
            xs, ys = piece.xy
            axes.plot(xs, ys, color=colour, linewidth=width, zorder=2)


def _draw_names(axes, shown: list[ResolvedFeature]) -> None:
    """City names, then the most mentioned points' names, each with a white halo."""
    from matplotlib import patheffects

    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    west, east = axes.get_xlim()
    south, north = axes.get_ylim()
    for city in sorted((b for b in load_boundaries().values() if b.level == "city"), key=lambda b: b.adcode):
        spot = city.geometry.representative_point()
        if west < spot.x < east and south < spot.y < north:
            name = city.name_zh.removesuffix("特别行政区").removesuffix("市")
            axes.text(
                spot.x,
                spot.y,
                name,
                fontsize=15,
                color="#555",
                ha="center",
                va="center",
                path_effects=halo,
                zorder=6,
                fontweight="bold",
            )
    points = [f for f in shown if f.geometry.geom_type == "Point"]
    placed: list[tuple[float, float]] = []
    for feature in sorted(points, key=lambda f: (-len(f.mentions), f.id)):
        x, y = axes.transData.transform((feature.geometry.x, feature.geometry.y))
        if len(placed) == NAMED_POINTS or any(abs(x - px) < 160 and abs(y - py) < 24 for px, py in placed):
            continue  # a name would run over one already placed
        placed.append((x, y))
        axes.annotate(
            feature.entry.name_zh,
            (feature.geometry.x, feature.geometry.y),
            xytext=(8, 6),
            textcoords="offset points",
            fontsize=12,
            color="#222",
            path_effects=halo,
            zorder=7,
        )


def _draw_title(figure, title: str, subtitle: str) -> None:
    box = {"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": "#bbb", "alpha": 0.92}
    text = title if not subtitle else f"{title}\n{subtitle}"
    figure.text(0.5, 0.965, text, ha="center", va="top", fontsize=24, bbox=box, linespacing=1.4)


def _draw_legend(figure, styles: list[LayerStyle]) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [0],
            [0],
            marker="s",
            linestyle="none",
            markersize=14,
            markerfacecolor=s.fill_color,
            markeredgecolor=s.color,
            markeredgewidth=2,
            label=f"{s.label_zh}  {s.label_en}",
        )
        for s in styles
    ]
    if handles:
        figure.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0.008, 0.07),
            fontsize=15,
            title="图例 Legend",
            title_fontsize=16,
            framealpha=0.92,
        )


def _draw_scale(figure, west: float, east: float, south: float, north: float) -> None:
    """A metric scale bar of a round length, about a tenth of the width, at the bottom left."""
    metres_per_degree = 111_320 * math.cos(math.radians((south + north) / 2))
    target = (east - west) * metres_per_degree / 10
    length = max(n for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if n * 1000 <= max(target, 1000))
    share = length * 1000 / ((east - west) * metres_per_degree)
    left, bottom = 0.012, 0.035
    from matplotlib.lines import Line2D

    figure.add_artist(
        Line2D([left, left + share], [bottom, bottom], transform=figure.transFigure, color="#333", linewidth=3)
    )
    figure.text(left + share / 2, bottom + 0.008, f"{length} km", ha="center", va="bottom", fontsize=14)


def _draw_credits(figure) -> None:
    """The open data's credits, as on the map's attribution line (CC BY asks for it wherever the data is shown)."""
    credits = DATA_ATTRIBUTION.replace("cited in each popup", "cited in features.geojson")
    box = {"boxstyle": "square,pad=0.3", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
    figure.text(0.995, 0.006, credits, ha="right", va="bottom", fontsize=10, color="#444", bbox=box)


def _pixel_size(svg: str) -> str:
    """Give the root element its size in pixels (matplotlib writes points), keeping the viewBox."""
    return re.sub(
        r'<svg([^>]*?) width="[^"]+" height="[^"]+"', rf'<svg\1 width="{WIDTH}" height="{HEIGHT}"', svg, count=1
    )
