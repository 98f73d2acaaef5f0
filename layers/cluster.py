"""folium's MarkerCluster without the rest of folium.plugins: importing that package builds every one of its forty
plugins and their templates (0.15 s, a tenth of a sample build), and a map uses only this one."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import folium

MODULE = "folium.plugins.marker_cluster"


def marker_cluster_module() -> ModuleType:
    """folium.plugins.marker_cluster, run from its file alone unless folium.plugins is loaded already."""
    if MODULE in sys.modules:
        return sys.modules[MODULE]
    path = Path(folium.__file__).parent / "plugins" / "marker_cluster.py"
    spec = importlib.util.spec_from_file_location(MODULE, path)
    if spec is None or spec.loader is None:  # a folium laid out otherwise: the whole package, as folium intends
        return importlib.import_module(MODULE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE] = module  # a later `import folium.plugins` takes this one, so there is one MarkerCluster
    spec.loader.exec_module(module)
    return module


MarkerCluster = marker_cluster_module().MarkerCluster
