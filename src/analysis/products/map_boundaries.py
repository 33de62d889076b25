"""The SEE+ boundary file in the maps' projection: the in-scope jurisdictions, the equal-area
projection and where each jurisdiction's label points.

The boundaries are ``data/boundaries/see_plus.geojson`` (built by ``scripts/build_boundaries.py``
from Natural Earth, German point of view), read once per path and modification time and projected
to ETRS89-LAEA Europe (EPSG:3035), :data:`MAP_CRS`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import shapely
from pyproj import Transformer

from analysis.model import paths

__all__ = ["IN_SCOPE", "MAP_CRS", "load_boundaries", "lonlat", "projected"]

#: The 21 jurisdictions of the study (ISO 3166-1 alpha-2; XK = Kosovo*).
IN_SCOPE: tuple[str, ...] = (
    "AL", "AM", "AZ", "BA", "BG", "CH", "CY", "GE", "GR", "HR", "HU",
    "MD", "ME", "MK", "RO", "RS", "RU", "SI", "TR", "UA", "XK",
)  # fmt: skip

MAP_CRS = "EPSG:3035"

#: Label points (lon, lat) that replace the computed one (pole of inaccessibility).
_ANCHORS: dict[str, tuple[float, float]] = {
    "RU": (41.5, 49.0),
    "UA": (31.5, 49.2),
}


def load_boundaries(path: Path | str | None = None) -> gpd.GeoDataFrame:
    """The SEE+ boundary layer (EPSG:4326): columns ``code``, ``name``, ``in_scope``, geometry.

    ``path`` defaults to :data:`analysis.model.paths.BOUNDARIES`. The file is read once per path and
    modification time; a fresh copy is returned each call, so callers may modify it.
    """
    resolved = Path(path if path is not None else paths.BOUNDARIES).resolve()
    return _read_boundaries(str(resolved), resolved.stat().st_mtime_ns).copy()


@lru_cache(maxsize=4)
def _read_boundaries(path: str, mtime_ns: int) -> gpd.GeoDataFrame:
    del mtime_ns  # part of the cache key only
    gdf = gpd.read_file(path, engine="pyogrio")
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    gdf["in_scope"] = gdf["in_scope"].astype(bool)
    return gdf[["code", "name", "in_scope", "geometry"]]


@lru_cache(maxsize=4)
def _projected_cached(path: str, mtime_ns: int) -> gpd.GeoDataFrame:
    gdf = _read_boundaries(path, mtime_ns).to_crs(MAP_CRS)
    anchors = [
        _label_point(code, geom) for code, geom in zip(gdf["code"], gdf.geometry, strict=True)
    ]
    gdf["label_x"] = [a[0] for a in anchors]
    gdf["label_y"] = [a[1] for a in anchors]
    return gdf


def projected(path: Path | str | None = None) -> gpd.GeoDataFrame:
    resolved = Path(path if path is not None else paths.BOUNDARIES).resolve()
    return _projected_cached(str(resolved), resolved.stat().st_mtime_ns)


@lru_cache(maxsize=1)
def _to_map() -> Transformer:
    return Transformer.from_crs(4326, MAP_CRS, always_xy=True)


def lonlat(lon: float, lat: float) -> tuple[float, float]:
    x, y = _to_map().transform(lon, lat)
    return float(x), float(y)


def _label_point(code: str, geom: shapely.Geometry) -> tuple[float, float]:
    """Where a jurisdiction's label (or leader line) points: its largest part's pole of
    inaccessibility (centre of the largest inscribed circle), unless overridden."""
    if code in _ANCHORS:
        return lonlat(*_ANCHORS[code])
    parts = shapely.get_parts(geom)
    largest = max(parts, key=lambda p: p.area)
    centre = shapely.get_point(shapely.maximum_inscribed_circle(largest, 500.0), 0)
    return float(shapely.get_x(centre)), float(shapely.get_y(centre))
