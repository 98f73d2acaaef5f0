"""Features in, map out: group resolved features into styled layers and write the map and its exports."""

from baymap.layers.exports import write_outputs
from baymap.layers.render import map_from_features
from baymap.layers.styles import LayerStyle, load_styles

__all__ = ["LayerStyle", "load_styles", "map_from_features", "write_outputs"]
