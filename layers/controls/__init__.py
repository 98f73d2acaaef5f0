"""The map's controls, each one folium element with its own script, as folium's plugins are: the page state the
others share (FeatureIndex), story, search, report filter, full screen, language, minimap, legend and scale; and
review.html's panel."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from importlib import resources

import folium
from branca.element import MacroElement, Template

from baymap.geo.features import ResolvedFeature
from baymap.layers.assets import raw_element
from baymap.layers.cluster import MarkerCluster
from baymap.layers.escape import escape_text, json_for_script
from baymap.layers.styles import LayerStyle


def script_text(name: str) -> str:
    """One of this package's scripts."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


class MapControl(MacroElement):
    """A control: its script inlined once in the page's header, its call in the map's script (after the map)."""

    script_file = ""
    #: Scripts it builds on: the map's controls share the feature index (review.html has none).
    shared_scripts: tuple[str, ...] = ("core.js",)

    def render(self, **kwargs) -> None:
        header = self.get_root().header
        for name in (*self.shared_scripts, self.script_file):
            if name and f"baymap_{name}" not in header._children:
                header.add_child(raw_element(f"<script>{script_text(name)}</script>"), name=f"baymap_{name}")
        super().render(**kwargs)


class FeatureIndex(MapControl):
    """What every control works on: the drawn features, where each is drawn, and which are shown."""

    script_file = "core.js"
    _template = Template("{% macro script(this, kwargs) %}baymapCore({{ this.config }});{% endmacro %}")

    def __init__(
        self,
        fmap: folium.Map,
        data: list[dict],
        layer_names: Sequence[Sequence[str]],
        groups: Mapping[str, folium.FeatureGroup],
        cluster: MarkerCluster,
        reports: Sequence[str],
    ):
        super().__init__()
        layer_lists = ",".join("[" + ",".join(names) + "]" for names in layer_names)
        group_refs = ",".join(f"{json_for_script(k)}:{g.get_name()}" for k, g in groups.items())
        self.config = (
            f"{{map:{fmap.get_name()},groups:{{{group_refs}}},cluster:{cluster.get_name()},"
            f"features:{json_for_script(data)},layers:[{layer_lists}],reports:{json_for_script(list(reports))}}}"
        )


class Story(MapControl):
    """◀ ▶ 全部 and the arrow keys: the report's sections as steps that fly to their places."""

    script_file = "story.js"
    _template = Template(
        "{% macro script(this, kwargs) %}baymapStory(baymap, {{ this.sections }}, {{ this.max_zoom }});{% endmacro %}"
    )

    def __init__(self, sections: Sequence[str], max_zoom: int):
        super().__init__()
        self.sections, self.max_zoom = json_for_script(list(sections)), int(max_zoom)


class Search(MapControl):
    """A search box for Chinese and English names."""

    script_file = "search.js"
    _template = Template("{% macro script(this, kwargs) %}baymapSearch(baymap);{% endmacro %}")


class ReportFilter(MapControl):
    """With several reports, a tick box for each."""

    script_file = "reports.js"
    _template = Template("{% macro script(this, kwargs) %}baymapReports(baymap);{% endmacro %}")


class FullScreen(MapControl):
    script_file = "fullscreen.js"
    _template = Template("{% macro script(this, kwargs) %}baymapFullScreen(baymap);{% endmacro %}")


class Language(MapControl):
    """The 中/EN toggle."""

    script_file = "language.js"
    _template = Template("{% macro script(this, kwargs) %}baymapLanguage(baymap);{% endmacro %}")


class CityLabels(MapControl):
    """Thins the basemap's city names where they would overlap."""

    script_file = "labels.js"
    _template = Template("{% macro script(this, kwargs) %}baymapLabels(baymap, {{ this.pane }});{% endmacro %}")

    def __init__(self, pane: str):
        super().__init__()
        self.pane = json_for_script(pane)


class TileNote(MapControl):
    """Says once that the tiles could not load."""

    script_file = "tilenote.js"
    _template = Template("{% macro script(this, kwargs) %}baymapTileNote(baymap);{% endmacro %}")


class MiniMap(MapControl):
    script_file = "minimap.js"
    _template = Template("{% macro script(this, kwargs) %}baymapMiniMap(baymap, {{ this.land }});{% endmacro %}")

    def __init__(self, land: dict):
        super().__init__()
        self.land = json_for_script(land)


class MetricScale(MapControl):
    """A scale bar in metres and kilometres only, bottom left, under the legend."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        'L.control.scale({imperial: false, position: "bottomleft"}).addTo(baymap.map);'
        "{% endmacro %}"
    )


class ReviewPanel(MapControl):
    """review.html's list of unplaced names: their quotes, a suggestion, and the tools to place or dismiss each."""

    script_file = "review.js"
    shared_scripts = ()
    _template = Template(
        "{% macro script(this, kwargs) %}baymapReview({{ this.map_name }}, {{ this.config }});{% endmacro %}"
    )

    def __init__(self, fmap: folium.Map, config: dict):
        super().__init__()
        self.map_name, self.config = fmap.get_name(), json_for_script(config)


class Legend(MacroElement):
    """The layers' colours, in both languages."""

    _template = Template("{% macro html(this, kwargs) %}{{ this.markup }}{% endmacro %}")

    def __init__(self, styles: Sequence[LayerStyle]):
        super().__init__()
        swatch = '<i style="background:{};border-color:{}"></i>'
        rows = "".join(
            f"<div>{swatch.format(s.fill_color, s.color)}{bilingual(s.label_zh, s.label_en)}</div>" for s in styles
        )
        self.markup = f'<div class="baymap-legend"><b>{bilingual("图例", "Legend")}</b>{rows}</div>'


class Title(MacroElement):
    """The report's title over the map; in English, said to be the report's own (it is not translated)."""

    _template = Template("{% macro html(this, kwargs) %}{{ this.markup }}{% endmacro %}")

    def __init__(self, title: str, subtitle: str = "", places: int = 0):
        super().__init__()
        counted = bilingual(f"{places} 处地点 · ", f"{places} places · ") if places else ""
        english = f"Places named in: {title}"
        self.markup = (
            f'<div class="baymap-title">{bilingual(title, english)}'
            f"<small>{counted}{escape_text(subtitle)}</small></div>"
        )


def bilingual(zh: str, en: str) -> str:
    return f'<span class="bm-zh">{escape_text(zh)}</span><span class="bm-en">{escape_text(en)}</span>'


#: The deepest zoom search and story go to; a place known less exactly stops sooner (zoom_limit).
MAX_ZOOM = 13
#: The story stops a little further out: a section's places with some context around them.
STORY_MAX_ZOOM = 12
#: How many screen pixels a location's uncertainty may span when the map zooms to it.
UNCERTAINTY_PX = 150
#: Metres per pixel at zoom 0 on the equator (Web Mercator, 256-pixel tiles).
METRES_PER_PIXEL_Z0 = 156543.03


def zoom_limit(feature: ResolvedFeature) -> int:
    """The deepest zoom worth showing a place at: a district-sized estimate is never shown at street level."""
    metres = feature.entry.precision_m
    if not metres:
        return MAX_ZOOM
    latitude = feature.geometry.representative_point().y
    scale = UNCERTAINTY_PX * METRES_PER_PIXEL_Z0 * math.cos(math.radians(latitude)) / metres
    return max(1, min(MAX_ZOOM, math.floor(math.log2(scale))))
