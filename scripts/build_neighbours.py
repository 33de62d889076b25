"""Rebuild the derived parts of ``data/boundaries/neighbours.yaml`` from the boundary file.

Source: ``data/boundaries/see_plus.geojson`` (Natural Earth 1:10m, German point of view, built by
``scripts/build_boundaries.py``), which holds the 21 jurisdictions in scope and every other country
reaching into the map frame (Italy, Austria, Poland, Belarus, Kazakhstan, Iran, Slovakia, ...).

What the script derives, deterministically, in ETRS89-LAEA Europe (EPSG:3035, metres):

* ``borders``: every pair of countries, at least one of them in scope, that share a land border of
  positive length (single-point contacts do not count), with its length in km (after the boundary
  file's simplification, so an approximation), ``kind: land``;
* sea links (``kind: sea``): pairs without a land border whose territories come within
  :data:`SEA_KM` km of each other, where the shortest segment between them crosses no third
  country's land (so the gap is water);
* ``near``: every pair of jurisdictions in scope within :data:`NEAR_KM` km (the distance weight
  matrix of the drivers analysis).

The hand-written parts of the file -- ``closed`` (closed borders, with their basis and confidence)
and ``groups`` (the alternative weight matrices: post-Soviet, language, RIPE NCC service region) --
are read from the existing file and written back unchanged.

Usage::

    python scripts/build_neighbours.py [--out PATH] [--check]

``--check`` exits non-zero when the file on disk differs from what the geometry gives.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
GEOJSON = ROOT / "data" / "boundaries" / "see_plus.geojson"
DEFAULT_OUT = ROOT / "data" / "boundaries" / "neighbours.yaml"

#: Largest gap (km) across water that makes a sea link.
SEA_KM = 150.0
#: Largest distance (km) between two jurisdictions' territories for the ``near`` matrix.
NEAR_KM = 250.0

HEADER = """\
# Neighbours of the jurisdictions in scope, as data (issue 20). Read by analysis.measures.borders.
#
# borders and near are DERIVED from data/boundaries/see_plus.geojson by
# scripts/build_neighbours.py (do not edit them by hand; rerun the script). Distances and lengths
# are in km in EPSG:3035 on the simplified boundary file, so approximations.
#   borders: land borders of positive length (kind: land) and sea links (kind: sea): no land
#            border, territories within {sea:.0f} km, the shortest segment between them crossing no
#            third country's land. Out-of-scope neighbours (IT, AT, PL, BY, KZ, IR, SK, ...) are
#            listed: their adoptions are not coded, so they expose no one in the analysis.
#   near:    pairs of jurisdictions in scope within {near:.0f} km (the distance weight matrix).
# closed and groups are HAND-WRITTEN (the script keeps them): every entry states its basis and
# confidence; `recalled` means from memory, not from a source in data/sources.
"""


def derive(geojson: Path = GEOJSON) -> dict[str, Any]:
    """The derived ``borders`` and ``near`` lists from the boundary file."""
    import geopandas as gpd
    from shapely.geometry import LineString
    from shapely.ops import nearest_points

    gdf = gpd.read_file(geojson).to_crs(3035)
    gdf = gdf.dissolve(by="code", aggfunc={"in_scope": "first"}).reset_index()
    geoms = dict(zip(gdf["code"], gdf.geometry, strict=True))
    in_scope = {c for c, s in zip(gdf["code"], gdf["in_scope"], strict=True) if bool(s)}
    borders: list[dict[str, Any]] = []
    near: list[dict[str, Any]] = []
    for a, b in itertools.combinations(sorted(geoms), 2):
        if a not in in_scope and b not in in_scope:
            continue
        ga, gb = geoms[a], geoms[b]
        d_km = ga.distance(gb) / 1000.0
        if d_km > max(SEA_KM, NEAR_KM):
            continue
        shared = ga.intersection(gb) if d_km == 0 else None
        length = 0.0 if shared is None else shared.length
        if a in in_scope and b in in_scope and d_km <= NEAR_KM:
            near.append({"pair": [a, b], "km": round(d_km)})
        if length > 0:
            borders.append({"pair": [a, b], "kind": "land", "km": round(length / 1000.0)})
        elif 0 < d_km <= SEA_KM:
            pa, pb = nearest_points(ga, gb)
            seg = LineString([pa, pb])
            others = [g for c, g in geoms.items() if c not in (a, b)]
            if not any(seg.crosses(g) or seg.within(g) for g in others):
                borders.append({"pair": [a, b], "kind": "sea", "km": round(d_km)})
    return {"borders": borders, "near": near}


def _flow(rows: list[dict[str, Any]]) -> str:
    """One line per entry: ``- {pair: [AL, GR], kind: land, km: 217}``."""
    return "".join(
        "- "
        + yaml.safe_dump(r, default_flow_style=True, sort_keys=False, width=1000).strip()
        + "\n"
        for r in rows
    )


def render(derived: dict[str, Any], kept: dict[str, Any]) -> str:
    hand = {k: kept[k] for k in ("closed", "groups") if kept.get(k)}
    text = f"sea_km: {SEA_KM:.0f}\nnear_km: {NEAR_KM:.0f}\n"
    text += "borders:\n" + _flow(derived["borders"])
    if hand:
        text += yaml.safe_dump(
            hand, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
        )
    text += "near:\n" + _flow(derived["near"])
    return HEADER.format(sea=SEA_KM, near=NEAR_KM) + text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="only compare with the file on disk")
    args = ap.parse_args(argv)
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    kept = yaml.safe_load(old) or {}
    text = render(derive(), kept)
    if args.check:
        if text != old:
            print(
                f"{args.out}: differs from the boundary geometry; rerun the script", file=sys.stderr
            )
            return 1
        print(f"{args.out}: up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    n = len(yaml.safe_load(text)["borders"])
    print(f"wrote {args.out} ({n} borders)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
