"""The interactive explorer of the static site: ``reports/explorer/index.html``.

In the spirit of Our World in Data's grapher, from the same adoption panel and Multi-SEE index the
notebooks use: a map of SEE+ (unknown hatched, labels, a legend beside it, keyboard focus and
search) with a year slider, a play button and a mechanism/index switch, a step (mechanism) or line
(index) chart per country over time, a table, a two-year comparison and the sources of the view;
every view downloads its data (CSV) and its image (PNG/SVG), each with the citation, the source
line, the Kosovo* footnote and (maps) the boundary note; the URL hash keeps the view (year,
mechanism, countries, view), and the embed code frames it. States, labels and colours come from
:mod:`analysis.model.vocab` through the data file, never from the script.

It works offline from ``file://``: the charts are Vega-Lite specifications rendered by ONE shared
local bundle of vega, vega-lite and vega-embed (``reports/assets/vega-bundle.js``, the
self-contained bundle that ``vl-convert-python`` ships); the data are a small JavaScript file that
sets a global (``reports/explorer/data.js``: Chromium will not ``fetch`` JSON from ``file://``).
No request leaves the machine: no CDN, no web fonts.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.measures.applicability import mark_not_applicable
from analysis.measures.panel import panel_for
from analysis.measures.scoring import multisee_index
from analysis.measures.selection import country_names, resolve_period, resolve_year, year_note
from analysis.model.atomic import atomic_write
from analysis.model.load import Tables, load
from analysis.model.paths import BOUNDARIES
from analysis.model.vocab import (
    ADOPTED,
    BOUNDARY_NOTE,
    CONFIDENCE_MARKS,
    KOSOVO_FOOTNOTE,
    MECHANISM_LABELS,
    MECHANISM_NAMES,
    MECHANISMS,
    PALETTES,
    SOURCE_LINE,
    STATE_LABELS,
    WEAK_LABEL,
    display_code,
)
from analysis.products.pages import cite_line

__all__ = ["BUNDLE_NAME", "explorer_data", "simplify_geojson", "write_bundle", "write_explorer"]

#: The shared bundle, under ``<reports>/assets/``.
BUNDLE_NAME = "vega-bundle.js"
#: The state a year the data do not speak to has: every palette ends with it (``vocab.PALETTES``).
UNKNOWN = PALETTES[MECHANISMS[0]][-1][0]
#: Decimal places kept in the map's coordinates (0.01 degree: about 1 km, under a pixel).
GEO_DECIMALS = 2
#: Tolerance (degrees) of the shared-border simplification: at 860 pixels for about 40 degrees of
#: longitude a pixel is 0.05 degree, so the simplified map looks the same and weighs a third.
GEO_TOLERANCE = 0.05


def _asset(name: str) -> str:
    return (resources.files("analysis") / "assets" / name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the bundle


#: What the bundle runs: make the libraries globals (a classic script, no ES module, since
#: Chromium loads no module script from ``file://``). Only ``window.vegaEmbed`` is usable (the
#: bundle binds ``vega`` and ``vegaLite`` to their empty default exports); the page needs no more:
#: the views it embeds carry the scales, changesets and image export.
SNIPPET = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"


def bundle_text() -> str:
    """vega + vega-lite + vega-embed as one classic script that sets ``window.vegaEmbed``,
    ``window.vega`` and ``window.vegaLite`` (:data:`SNIPPET`, as ``vl_convert.javascript_bundle``'s
    default does); the bundle has no ``import``/``export``, so a plain ``<script src>`` loads it
    from ``file://``.
    """
    from importlib.metadata import version

    import vl_convert as vlc

    versions = (
        f"vega {vlc.get_vega_version()}, vega-lite {vlc.get_vegalite_versions()[-1]}, "
        f"vega-embed {vlc.get_vega_embed_version()}"
    )
    head = (
        f"/* {versions} (BSD-3-Clause), bundled by vl-convert-python {version('vl-convert-python')}"
        " for the multisee explorer */\n"
    )
    return head + vlc.javascript_bundle(SNIPPET)


def write_bundle(reports: Path | str) -> Path:
    """Write ``<reports>/assets/vega-bundle.js`` (rewritten only when its text changes)."""
    path = Path(reports) / "assets" / BUNDLE_NAME
    text = bundle_text()
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text)
    return path


# --------------------------------------------------------------------------- the map


def _ring(coords: Sequence[Sequence[float]], nd: int) -> list[list[float]] | None:
    out: list[list[float]] = []
    for x, y in ((float(c[0]), float(c[1])) for c in coords):
        p = [round(x, nd), round(y, nd)]
        if not out or out[-1] != p:
            out.append(p)
    if len(out) < 4:
        return None
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def _polygons(geom: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return list(geom["coordinates"])
    raise ValueError(f"unexpected geometry {geom['type']}")


def simplify_geojson(
    geojson: dict[str, Any], decimals: int = GEO_DECIMALS, tolerance: float = GEO_TOLERANCE
) -> list[dict[str, Any]]:
    """The features of ``geojson`` simplified as a coverage (shared borders stay shared, no gaps
    or slivers), with coordinates rounded to ``decimals`` places (repeated points and collapsed
    rings dropped) and the winding Vega's d3-geo expects (clockwise outer rings)."""
    import shapely
    from shapely.geometry import mapping, shape

    geoms = [shape(f["geometry"]) for f in geojson["features"]]
    if tolerance > 0:
        geoms = list(shapely.coverage_simplify(geoms, tolerance))
    features = []
    for f, g in zip(geojson["features"], geoms, strict=True):
        polys = []
        for poly in _polygons(mapping(g)):
            rings = [r for r in (_ring(ring, decimals) for ring in poly) if r]
            if rings:
                polys.append([_wind(r, outer=(i == 0)) for i, r in enumerate(rings)])
        if not polys:
            continue
        props = f["properties"]
        spot = _label_point(g)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": str(props["code"]),
                    "name": str(props.get("name", props["code"])),
                    "in_scope": bool(props.get("in_scope", False)),
                    "label": [round(spot.x, decimals), round(spot.y, decimals)],
                },
                "geometry": {"type": "MultiPolygon", "coordinates": polys},
            }
        )
    return features


def _label_point(geom: Any) -> Any:
    """Where a country's label goes: a point inside its largest part, far from its edges."""
    from shapely.ops import polylabel

    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda g: g.area)
    return polylabel(largest, tolerance=0.05)


def _wind(ring: list[list[float]], outer: bool) -> list[list[float]]:
    """d3-geo treats a ring as the area to its right: outer rings clockwise, holes anticlockwise
    (in longitude/latitude, where GeoJSON's RFC 7946 right-hand rule is the opposite)."""
    area = sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))
    clockwise = area < 0
    return ring if clockwise == outer else ring[::-1]


# --------------------------------------------------------------------------- the data


def _s(x: Any) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x) else str(x)


def _num(x: Any, digits: int | None = None) -> float | int | None:
    if pd.isna(x):
        return None
    return round(float(x), digits) if digits is not None else int(x)


def _runs(rows: pd.DataFrame) -> list[list[Any]]:
    """Consecutive years with the same cell as one run: [from, to, state, confidence, evidence,
    sources]."""
    out: list[list[Any]] = []
    for r in rows.sort_values("year").itertuples(index=False):
        cell = [_s(r.state), _s(r.confidence), _s(r.evidence), _s(r.sources)]
        year = int(r.year)
        if out and out[-1][1] == year - 1 and out[-1][2:] == cell:
            out[-1][1] = year
        else:
            out.append([year, year, *cell])
    return out


def explorer_data(tables: Tables | None = None, boundaries: Path | str | None = None) -> dict:
    """Everything the page shows, as one JSON-able dict (what ``data.js`` carries)."""
    tables = tables if tables is not None else load()
    panel = panel_for(tables)
    index = multisee_index(mark_not_applicable(panel, tables))
    names = country_names(tables)
    default_year = resolve_year(None, panel, tables)
    period = resolve_period(None, panel, tables)
    lo, hi = int(panel["year"].min()), int(panel["year"].max())
    roles = (
        panel.drop_duplicates("country").set_index("country")["scope_role"].astype(str).to_dict()
    )
    codes = sorted(roles)
    cells = {
        m: {c: _runs(g) for c, g in panel[panel["mechanism"] == m].groupby("country", sort=True)}
        for m in MECHANISMS
    }
    idx: dict[str, list[list[Any]]] = {}
    for c, g in index.sort_values("year").groupby("country", sort=True):
        idx[str(c)] = [
            [
                int(r.year),
                _num(r.score, 4),
                _num(r.low, 4),
                _num(r.high, 4),
                _num(r.rank),
                _num(r.rank_best),
                _num(r.rank_worst),
            ]
            for r in g.itertuples(index=False)
            if not pd.isna(r.score)
        ]
    geo = json.loads(Path(boundaries or BOUNDARIES).read_text(encoding="utf-8"))
    return {
        "unknown": UNKNOWN,
        "boundary_note": BOUNDARY_NOTE,
        # the cite line of the site's pages, with the view's title put in by the page
        "cite": cite_line(TITLE_SLOT, tables.data_hash),
        "sources": _sources(tables, cells),
        "years": [lo, hi],
        "default_year": default_year,
        "year_note": (
            f"{year_note(default_year, True)} Ranks on this page: each year's states alone; the"
            f" default comparison ranks {period.measure}. {period.reason}"
        ),
        "kosovo_footnote": KOSOVO_FOOTNOTE,
        "source_line": SOURCE_LINE,
        "weak_label": WEAK_LABEL,
        "countries": [
            {"code": c, "label": display_code(c), "name": names.get(c, c), "role": roles[c]}
            for c in codes
        ],
        "mechanisms": [
            {
                "id": m,
                "label": MECHANISM_LABELS[m],
                "name": MECHANISM_NAMES[m],
                "states": [
                    {"id": s, "legend": legend, "label": STATE_LABELS.get(s, s), "colour": col}
                    for s, legend, col in PALETTES[m]
                ],
                "adopted": sorted(ADOPTED[m]),
            }
            for m in MECHANISMS
        ],
        "confidence_marks": CONFIDENCE_MARKS,
        "cells": cells,
        "index": idx,
        "index_columns": ["year", "score", "low", "high", "rank", "rank_best", "rank_worst"],
        "features": simplify_geojson(geo),
    }


#: Where the page puts the title of the view in :func:`analysis.products.pages.cite_line`'s line.
TITLE_SLOT = "{title}"


def _sources(tables: Tables, cells: dict[str, dict[str, list[list[Any]]]]) -> dict[str, list[str]]:
    """The sources the panel cells cite: id -> [title, publisher, kind, reliability, url], with
    kind and reliability in words (the sources tab lists those of the view shown)."""
    from analysis.model.vocab import label

    cited = {
        sid.strip()
        for runs in cells.values()
        for country in runs.values()
        for run in country
        for sid in str(run[5]).split(";")
        if sid.strip()
    }
    out: dict[str, list[str]] = {}
    for r in tables.sources[tables.sources["id"].isin(cited)].sort_values("id").itertuples():
        out[str(r.id)] = [
            _s(r.title),
            _s(r.publisher),
            label(_s(r.kind)) if _s(r.kind) else "",
            label(_s(r.reliability)) if _s(r.reliability) else "",
            _s(r.url),
        ]
    return out


# --------------------------------------------------------------------------- the page


def _size(path: Path) -> int:
    return path.stat().st_size


def write_explorer(
    out_dir: Path | str | None = None,
    tables: Tables | None = None,
    boundaries: Path | str | None = None,
) -> dict[str, Path]:
    """Write the explorer to ``out_dir`` (default ``reports/explorer``) and the shared bundle to
    ``out_dir/../assets/``: ``index.html``, ``explorer.js``, ``data.js``. Returns the paths."""
    from analysis.model.paths import ROOT

    out = Path(out_dir) if out_dir is not None else ROOT / "reports" / "explorer"
    out.mkdir(parents=True, exist_ok=True)
    bundle = write_bundle(out.parent)
    data = explorer_data(tables, boundaries)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    written = {
        "bundle": bundle,
        "data": atomic_write(
            out / "data.js",
            "/* multisee explorer data: the adoption panel and the Multi-SEE index (CC BY 4.0) */\n"
            f"window.MULTISEE_EXPLORER = {payload};\n",
        ),
        "script": atomic_write(out / "explorer.js", _asset("explorer.js")),
    }
    html = (
        _asset("explorer.html")
        .replace("{{BUNDLE}}", f"../assets/{BUNDLE_NAME}")
        .replace("{{YEAR_NOTE}}", _escape(data["year_note"]))
        .replace("{{KOSOVO_FOOTNOTE}}", _escape(data["kosovo_footnote"]))
        .replace("{{SOURCE_LINE}}", _escape(data["source_line"]))
        .replace("{{BOUNDARY_NOTE}}", _escape(data["boundary_note"]))
    )
    written["page"] = atomic_write(out / "index.html", html)
    return written


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def page_weight(paths: dict[str, Path]) -> dict[str, int]:
    """Bytes of each file the page loads, and their total."""
    sizes = {k: _size(p) for k, p in paths.items()}
    sizes["total"] = sum(sizes.values())
    return sizes


def describe(paths: dict[str, Path], keys: Iterable[str] = ("bundle", "data", "script", "page")):
    """One line per written file with its size in KiB."""
    return [f"{paths[k]} ({_size(paths[k]) / 1024:.0f} KiB)" for k in keys if k in paths]
